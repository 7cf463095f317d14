"""Explore › the recruitment funnel stage by stage (issue 14): the explorer's funnel in its published
view, per group and step, with downloads and a print view — and a reader who adds up the page's own
figures learns no withheld count."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from web_helpers import ORG, sign_in


@pytest.fixture(scope="module")
def funnel(shared_app):
    from parity.web.views.explore_funnel import funnels

    year = shared_app.state.results.years(ORG)[0]
    return funnels(shared_app).get(ORG, year)


def _key(group: dict) -> str:
    return json.dumps(group, sort_keys=True)


def stage_counts(doc: dict) -> dict[tuple[str, str], int]:
    """What the page publishes, as a reader reads it: each group's count at each stage.

    A step "a → b" counts the applications that reached a (n) and how many of them reached b
    (events); the step into "appointed" leaves declined offers out of its n, so its n is its own
    quantity ("offered, not declined"), not the number offered."""
    known: dict[tuple[str, str], int] = {}
    for cell in [*(doc.get("findings") or []), *(doc.get("not_tested") or [])]:
        counts = cell.get("counts") or cell
        before, _, after = cell["context"]["step"].partition(" → ")
        n_stage = "offered, not declined" if after == "appointed" else before
        mine = (_key(cell["group"]), counts.get("n"), counts.get("events"))
        ref = cell.get("reference_group")
        theirs = (_key(ref), counts.get("reference_n"), counts.get("reference_events")) if isinstance(ref, dict) else None
        for key, n, events in filter(None, (mine, theirs)):
            if n is not None:
                known[(key, n_stage)] = n
            if events is not None:
                known[(key, after)] = events
    return known


def worked_out(doc: dict) -> dict[tuple[str, str], int]:
    """Every count a reader can work out from `stage_counts` by adding up: an ethnic group is the sum
    of its women and men, a sex the sum of its ethnic groups (when the page lists every sub-group),
    and the offers declined are those offered minus the step into appointed's n."""
    known = stage_counts(doc)
    groups = [json.loads(k) for k in {k for k, _ in known}]
    stages = {s for _, s in known}
    margins = []
    for whole in groups:
        parts = [g for g in groups if len(g) == len(whole) + 1 and all(g.get(a) == v for a, v in whole.items())]
        extra = {a for g in parts for a in g} - set(whole)
        if parts and len(extra) == 1:
            margins.append((_key(whole), [_key(g) for g in parts]))
    derived = dict(known)
    changed = True
    while changed:
        changed = False
        for stage in stages:
            for whole, parts in margins:
                terms = [(whole, stage)] + [(p, stage) for p in parts]
                missing = [t for t in terms if t not in derived]
                if len(missing) != 1:
                    continue
                total = derived.get((whole, stage))
                rest = sum(derived[t] for t in terms[1:] if t in derived)
                derived[missing[0]] = (total - rest) if missing[0] != (whole, stage) else rest
                changed = True
        for key in {k for k, _ in derived}:
            offered, base = derived.get((key, "offered")), derived.get((key, "offered, not declined"))
            if offered is not None and base is not None and (key, "declined") not in derived:
                derived[(key, "declined")] = offered - base
                changed = True
    return {k: v for k, v in derived.items() if k not in known}


def test_adding_up_the_published_funnel_gives_back_no_small_count(shared_app, funnel):
    k = shared_app.state.results.rule.k
    assert isinstance(funnel, dict) and funnel["findings"], "the demo has a funnel to protect"
    small = {key: v for key, v in worked_out(funnel).items() if 0 < v < k}
    assert not small, f"withheld counts of 1 to {k - 1} worked out from the published funnel: {small}"


def test_the_attack_finds_a_small_count_in_the_unprotected_funnel(shared_app):
    """The attack above can fail: on the unprotected funnel (every count shown) with one sub-group's
    stage count hidden, it works that count out."""
    from parity.explore import explore

    year = shared_app.state.results.years(ORG)[0]
    raw = explore(shared_app.state.results.workspace.path, kind="funnel", year=year, by=("ethnicity", "sex"),
                  org=ORG).to_dict()
    target = next(c for c in raw["not_tested"] if c["context"]["step"] == "applied → shortlisted" and
                  len(c["group"]) == 2 and 0 < c["events"] < shared_app.state.results.rule.k)
    hidden, expected = (_key(target["group"]), "shortlisted"), target["events"]
    for cell in [*raw["findings"], *raw["not_tested"]]:
        counts = cell.get("counts") or cell
        if cell["group"] == target["group"]:
            counts["events"] = None if cell["context"]["step"] == "applied → shortlisted" else counts["events"]
            if cell["context"]["step"] == "shortlisted → interviewed":
                counts["n"] = None
    assert hidden not in stage_counts(raw)
    assert worked_out(raw)[hidden] == expected


def test_the_page_shows_each_step_per_group_from_the_protected_funnel(shared_app, funnel):
    client = sign_in(shared_app, "viewer@example.org")
    page = unescape(client.get(f"/o/{ORG}/explore/funnel").text)
    assert funnel["disclosure"]["protected"] is True and funnel["tables"] == {}
    stages = funnel["settings"]["stages"]
    assert stages[0] == "applied" and stages[-1] == "appointed" and "shortlisted" in stages
    assert "Application → shortlisted" in page and "→ appointed" in page
    # the first table: a row per ethnic group, a column per step; each figure is a published one
    first = page[page.index("<table"):page.index("</table>")]
    assert first.count("<th scope=\"col\"") == len(stages)  # the group column and one per step
    shown = [f for f in funnel["findings"] if f["context"]["step"] == "applied → shortlisted"
             and set(f["group"]) == {"ethnicity"} and isinstance(f["relative_likelihood"], float)]
    assert shown
    for f in shown:
        row = re.search(rf"{re.escape(f['group_label'][:1].upper() + f['group_label'][1:])}</th>\s*<td[^>]*>([^<]*)</td>",
                        first).group(1)
        assert row.startswith(f"{f['relative_likelihood']:.2f} ({f['ci_low']:.2f} to {f['ci_high']:.2f})")
    # linked from Explore, with downloads and a print view
    assert f'href="/o/{ORG}/explore/funnel?year=' in client.get(f"/o/{ORG}/explore").text
    assert page.count("download=csv") == page.count("<table") >= 2 and "print=1" in page


def test_the_csv_is_a_step_table_with_numbers_checked_by_hand(shared_app, funnel):
    """The step's rate is moved on ÷ out of, and the relative likelihood the reference's rate ÷ the
    group's (a favourable outcome), worked here from the published counts."""
    import csv
    import io

    client = sign_in(shared_app, "viewer@example.org")
    got = client.get(f"/o/{ORG}/explore/funnel?download=csv&table=2")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(got.text)))
    assert rows[0] == ["Group", "Moved on", "Out of", "Percent", "Relative likelihood", "95% interval",
                       "Beyond chance"]
    ref = next(f["counts"] for f in funnel["findings"] if f["context"]["step"] == "applied → shortlisted"
               and set(f["group"]) == {"ethnicity"} and f["counts"]["reference_n"])
    checked = 0
    for group, moved, out_of, percent, rl, _interval, _beyond in rows[1:]:
        if rl:
            assert float(percent) == pytest.approx(100 * int(moved) / int(out_of), abs=0.05), group
            expect = (ref["reference_events"] / ref["reference_n"]) / (int(moved) / int(out_of))
            assert float(rl) == pytest.approx(expect, abs=0.005), group
            checked += 1
    assert checked >= 2


def test_groups_by_sex_or_both_are_rows_of_the_same_release(shared_app, funnel):
    client = sign_in(shared_app, "viewer@example.org")
    by_sex = unescape(client.get(f"/o/{ORG}/explore/funnel?by=sex").text)
    assert "Women applicants" in by_sex and "compared with men applicants" in by_sex
    both = unescape(client.get(f"/o/{ORG}/explore/funnel?by=ethnicity%2Bsex").text)
    assert "compared with White men applicants" in both
    # an unknown choice is the default, never another release
    assert client.get(f"/o/{ORG}/explore/funnel?by=disability").status_code == 200
