"""CSV/Excel downloads and the print view on the newer pages (issue 14): Explore › by division,
Explore › time to promotion and leaving, and a pulse survey's results. Each download is the page's
own protected render: its rows are checked here against the protected result the page is drawn from
(read independently of the page), and a withheld figure is never a number in the file."""

from __future__ import annotations

import csv
import html
import io
import math
import re
from datetime import date, timedelta

from openpyxl import load_workbook
from web_helpers import ORG, add_user, settings, sign_in


def _csv(client, path: str, table: int) -> list[list[str]]:
    got = client.get(f"{path}{'&' if '?' in path else '?'}download=csv&table={table}")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv"), got.text[:300]
    return list(csv.reader(io.StringIO(got.text)))


def _downloads_and_print(client, path: str) -> str:
    page = client.get(path).text
    n = page.count("<table")
    assert n >= 1, path
    assert page.count("download=csv") == n and page.count("download=xlsx") == n, path
    printed = client.get(html.unescape(re.search(r'href="([^"]*print=1[^"]*)"', page).group(1)))
    assert printed.status_code == 200 and "parity-print" in printed.text
    return page


def test_by_division_downloads_the_heat_map_table(shared_app):
    from parity.web.views.explore_units import GROUPS, unit_scans

    client = sign_in(shared_app, "viewer@example.org")
    _downloads_and_print(client, f"/o/{ORG}/explore/units")
    rows = _csv(client, f"/o/{ORG}/explore/units", 1)
    assert rows[0] == ["Division", *GROUPS]
    scan = unit_scans(shared_app).get(ORG, shared_app.state.results.years(ORG)[0])
    # the divisions the protected scan compares for the default outcome, read from its cells directly
    cells = [c for c in [*scan["findings"], *scan["not_tested"]] if c["outcome"] == "disciplinary"
             and set(c["group"]) == {"org_l3", "ethnicity"} and c["group"]["ethnicity"] in GROUPS
             and c["group"]["org_l3"] != "Unknown"]
    assert [r[0] for r in rows[1:]] == sorted({c["group"]["org_l3"] for c in cells})  # no "Departments in …"
    for row in rows[1:]:
        for group, value in zip(GROUPS, row[1:], strict=True):
            mine = [c for c in cells if c["group"] == {"org_l3": row[0], "ethnicity": group}]
            rl = mine[0].get("relative_likelihood") if mine else None
            if isinstance(rl, float):
                assert value.startswith(f"{rl:.2f}"), (row[0], group)
            else:
                assert value in ("Too few", "Withheld", "None"), (row[0], group, value)
    book = load_workbook(io.BytesIO(client.get(f"/o/{ORG}/explore/units?download=xlsx").content))
    assert len(book.sheetnames) == 1 and book.active.freeze_panes == "A3"


def test_time_to_promotion_and_leaving_downloads_each_table(shared_app):
    from parity.web.views.explore_time import KINDS, times

    client = sign_in(shared_app, "viewer@example.org")
    page = _downloads_and_print(client, f"/o/{ORG}/explore/time")
    year = shared_app.state.results.years(ORG)[0]
    for n, (kind, (_outcome, heading, _y)) in enumerate(KINDS.items(), 1):
        assert f"{heading}: median years" in html.unescape(page)  # each table named for its section
        doc = times(shared_app).get(ORG, year, kind)
        rows = _csv(client, f"/o/{ORG}/explore/time", n)
        assert rows[0] == ["Group", "Median years (95% interval)"]
        groups = doc["tables"]["groups"]
        assert len(rows) - 1 == len(groups)
        for row, g in zip(rows[1:], groups, strict=True):
            assert row[0].startswith(g["group"])
            if isinstance(g["median"], float):
                assert row[1].startswith(f"{g['median']:.1f}")
            else:
                assert row[1] == "Not reached or withheld"
    book = load_workbook(io.BytesIO(client.get(f"/o/{ORG}/explore/time?download=xlsx").content))
    assert len(book.sheetnames) == 2  # one sheet per table, names kept apart by their captions


def test_pulse_results_download_by_group_with_withheld_groups_empty(tmp_path):
    from parity.pulse.store import PulseStore
    from parity.pulse.survey import survey_from_dict
    from parity.web import create_app

    app = create_app(tmp_path / "ws", settings())
    add_user(app, "viewer@example.org", role="viewer")
    today = date.today()
    store = PulseStore(app.state.workspace)
    survey_id = store.create(survey_from_dict({
        "title": "Download pulse", "org": ORG, "opens": today.isoformat(),
        "closes": (today + timedelta(days=7)).isoformat(), "access": "codes",
        "questions": [{"id": "q1", "text": "I feel able to speak up", "type": "agree5"}],
        "about_you": ["disability"]}))
    codes = store.issue_codes(survey_id, 40)
    # 33 answers (three full steps of 11): 22 not disabled (15 agree), 11 disabled (5 agree)
    for i in range(33):
        disabled = i >= 22
        agree = i < 15 if not disabled else i < 27
        store.submit(survey_id, {"q1": "agree" if agree else "disagree"}, {"disability": "yes" if disabled else "no"},
                     codes[i])
    store.close(survey_id)
    client = sign_in(app, "viewer@example.org")
    page = f"/o/{ORG}/pulse/{survey_id}"
    _downloads_and_print(client, page)
    rows = _csv(client, page, 1)
    assert rows[0] == ["Group", "Responses", "Positive", "95% interval", "Compared with the reference group"]
    by_group = {r[0]: r[1:] for r in rows[1:]}
    # numbers as numbers, the percentages and Wilson intervals worked by hand
    assert by_group["Disability: Non-disabled"][:3] == [str(22), str(round(100 * 15 / 22)), _wilson(15, 22)]
    assert by_group["Disability: Disabled"][:3] == [str(11), str(round(100 * 5 / 11)), _wilson(5, 11)]
    for group, cells in by_group.items():  # any other group is withheld: words, never a number
        if group not in ("Disability: Non-disabled", "Disability: Disabled"):
            assert len(cells) == 1 and cells[0].startswith("Withheld"), (group, cells)


def _wilson(k: int, n: int, z: float = 1.959964) -> str:
    """The Wilson score interval, as the page words it ("47% to 84%")."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{100 * (centre - half):.0f}% to {100 * (centre + half):.0f}%"
