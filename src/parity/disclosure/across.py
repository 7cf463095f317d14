"""WRES and WDES of one organisation-year count the same people: their shared totals are one number.

Both standards are counted from the same workforce, recruitment, case and board records, one by
ethnicity and one by disability (NHS England, *WRES technical guidance* 2023 and *WDES technical
guidance* 2022: staff in post by band, shortlisted and appointed applicants, the board at 31 March;
the NHS Staff Survey questions both standards share). A total that does not depend on the grouping
— the staff in band 6, the applicants shortlisted, the voting board members — is therefore printed
twice, once by each standard. Protected as two separate releases, one standard could withhold such
a total as a complementary cell while the other prints it, and subtracting gives back the withheld
count (issue 10 leak 12: WRES 2's 3 White shortlisted from WDES 2's total of the same applicants).

So a `Release` holding both standards of a unit and year links, as identities every reader knows
(``wres figure - wdes figure = 0``), each figure that is the same people counted twice:

* totals that do not name a group (band row totals, ``data_quality.total``, a board breakdown's
  ``members``, the senior bands' ``total``) of the indicator pairs in `SAME_PEOPLE`;
* the sum over all groups (the Unknown group included) of each group figure: denominators of every
  pair (everyone shortlisted, the staff behind a rate, a survey question's respondents) and
  numerators where the events are the same in both standards (`SAME_EVENTS`: staff in post,
  appointments, board members, respondents answering positively). WRES 3 counts disciplinary cases
  and WDES 3 capability cases: different events, so only their denominators are linked.

A figure is linked only when the two raw values agree, exactly as levels are: where the standards'
definitions differ (a setting such as ``--include-declined-offers`` given to one standard only, a
question map that sends different questions to WRES 5 and WDES 4a.i) the numbers are not the same
and need no link; two unrelated figures that happen to agree are linked anyway, which can only
withhold more. The links are ordinary (not level margins), so the two standards of one unit-year
fall into one block of the block-by-block engine (`parity.disclosure.modular`), which protects each
block whole.
"""

from __future__ import annotations

from typing import Any

from parity.disclosure.system import Path, System, get, path_text

#: WRES indicator -> the WDES indicator counting the same people (the survey pairs share a question
#: in the packaged question map: WRES 5 = WDES 4a.i, q14a; WRES 7 = WDES 5, q15)
SAME_PEOPLE = {"wres.1": "wdes.1", "wres.2": "wdes.2", "wres.3": "wdes.3", "wres.5": "wdes.4a.i",
               "wres.7": "wdes.5", "wres.9": "wdes.10"}
#: pairs whose group numerators are the same events (their sums are linked too)
SAME_EVENTS = frozenset({"wres.1", "wres.2", "wres.5", "wres.7", "wres.9"})
#: figures that do not name a group: one number whichever standard prints it
WHOLE = ("total", "members")
GROUPED = ("groups", "workforce")
FIGURES = ("numerator", "denominator")



def link_standards(joint: System, parts: list[System], keys: list[tuple], starts: list[int],
                   docs: list[dict[str, Any]], semantic: list[list[tuple | None]]) -> int:
    """Link WRES and WDES of every (unit, year) held in both; ``keys`` are ``(unit, year, standard)``,
    ``parts`` their systems, ``starts`` their first rows in ``joint`` and ``semantic`` their rows'
    semantic keys (`parity.disclosure.release`). The links are `System.link_rows` of those rows.
    Returns the number of links added."""
    where = {key: d for d, key in enumerate(keys)}
    added = 0
    for d, (unit, year, standard) in enumerate(keys):
        e = where.get((unit, year, "WDES"))
        if standard != "WRES" or e is None:
            continue
        mine, theirs = (_figures(docs[i], parts[i], starts[i], semantic[i]) for i in (d, e))
        for key, (rows, value) in mine.items():
            other = _partner(key)
            if other is None or other not in theirs:
                continue
            o_rows, o_value = theirs[other]
            if abs(value - o_value) < 1e-9:
                joint.link_rows(f"{'/'.join(unit) or 'all'}:{year}:{path_text(_text(key))}=WDES", rows, o_rows)
                added += 1
    return added


def _figures(doc: dict[str, Any], part: System, start: int,
             semantic: list[tuple | None]) -> dict[tuple, tuple[list[int], float]]:
    """{semantic key: (rows, value)} of the figures that may be shared: whole totals (one row), and the
    sum of each group figure over every group (``(..., "groups", "*", "numerator")``: the groups' rows).
    ``start``: the part's first row in the joint system, ``semantic`` its rows' keys."""
    out: dict[tuple, tuple[list[int], float]] = {}
    sums: dict[tuple, dict[str, tuple[int, float]]] = {}
    for j, (path, value, key) in enumerate(zip(part.paths, part.values, semantic, strict=True)):
        if path is None or len(path) < 4 or path[0] != "indicators":
            continue
        if key is None or key[1][0] not in SAME_PEOPLE and key[1][0] not in SAME_PEOPLE.values():
            continue
        if key[-1] in WHOLE and not set(GROUPED) & set(key):
            out.setdefault(key, ([start + j], value))
        elif len(key) >= 3 and key[-3] in GROUPED and key[-1] in FIGURES:
            sums.setdefault(key[:-2] + ("*", key[-1]), {}).setdefault(key[-2], (start + j, value))
    for key, found in sums.items():
        container = get(doc, _path_of(doc, key[:-2]))
        if isinstance(container, dict) and set(found) == set(container):  # every group, Unknown included
            out[key] = ([r for r, _ in found.values()], sum(value for _, value in found.values()))
    return out


def _partner(key: tuple) -> tuple | None:
    """The WDES key of a WRES figure, or None when the pair does not share it."""
    wres = key[1][0]
    if wres not in SAME_PEOPLE:
        return None
    if key[-2] == "*" and key[-1] == "numerator" and wres not in SAME_EVENTS:
        return None
    return key[:1] + ((SAME_PEOPLE[wres],),) + key[2:]


def _path_of(doc: dict[str, Any], key: tuple) -> Path:
    """The JSON path of a semantic key (list items found again by their label)."""
    path: list[Any] = []
    node: Any = doc
    for step in key:
        if isinstance(step, tuple):
            labels = {"indicators": ("id",), "rows": ("band", "clinical"), "breakdowns": ("breakdown",)}[path[-1]]
            i = next((i for i, item in enumerate(node) if tuple(item.get(k) for k in labels) == step), None)
            if i is None:
                return ("missing",)
            path.append(i)
            node = node[i]
        else:
            path.append(step)
            node = node.get(step) if isinstance(node, dict) else None
    return tuple(path)


def _text(key: tuple) -> Path:
    return tuple("/".join(str(x) for x in k) if isinstance(k, tuple) else k for k in key)
