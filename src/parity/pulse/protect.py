"""Which group figures a pulse may show: the threshold, protected jointly with the margins.

The rule (docs/pulse.md, "What is shown"), per question and "about you" attribute:

1. **Primary**: a group with fewer than ``threshold`` respondents is withheld — including a group
   with none, so an empty group cannot be told apart from a small one (every group of the
   attribute is always listed).
2. **Secondary**: the withheld groups together must hold either nobody or at least ``threshold``
   respondents; while they hold 1 to ``threshold - 1``, the smallest shown group is withheld too.

The groups of an attribute partition the respondents (every "about you" question must be answered,
with "Prefer not to say" as its own group), so overall minus the shown groups is exactly the
withheld groups' total. After step 2 that total is 0 or at least ``threshold`` people spread over at
least two groups (a group is only withheld at step 2 when a small one already is): it reveals no
more than a shown group would, and no single withheld group's n or answers can be read from it.
This is the simplest sound form of the secondary suppression in docs/disclosure-control.md for a
one-way table with its total.
"""

from __future__ import annotations


def withheld(sizes: dict[str, int], threshold: int) -> set[str]:
    """Names of the groups to withhold, given each group's respondents.

    >>> sorted(withheld({"White": 30, "BME": 12, "Prefer not to say": 4}, 11))
    ['BME', 'Prefer not to say']
    >>> sorted(withheld({"White": 30, "BME": 12, "Prefer not to say": 0}, 11))
    ['Prefer not to say']
    """
    hidden = {g for g, n in sizes.items() if n < threshold}
    while 0 < sum(sizes[g] for g in hidden) < threshold:
        shown = [g for g in sizes if g not in hidden]
        if not shown:
            break
        # smallest first; among equals the later-listed group, so results do not depend on answers
        hidden.add(min(reversed(shown), key=lambda g: sizes[g]))
    return hidden
