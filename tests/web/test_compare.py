"""How do we compare? in the dashboard (issue 18): the indicator page's funnel plot (this organisation
highlighted, others drawn but not named, protected figures only) and the comparison page across the
organisations a regional user belongs to."""

from __future__ import annotations

import re

import pytest
from web_helpers import add_user, import_demo, settings, sign_in

from parity.web import create_app
from parity.web.models import Membership, User


@pytest.fixture(scope="module")
def region_app(tmp_path_factory):
    from parity.synth import generate

    data = tmp_path_factory.mktemp("region-data")
    generate(data, staff=2400, years=1, orgs=3, seed=29)
    ws = tmp_path_factory.mktemp("region") / "ws"
    import_demo(ws, data)
    app = create_app(ws, settings())
    add_user(app, "one@example.org", role="viewer", org="R0A")
    add_user(app, "region@example.org", role="viewer", org="R0A")
    with app.state.db.session() as db:
        user = db.query(User).filter_by(email="region@example.org").one()
        db.add(Membership(user_id=user.id, org_code="R0B", role="viewer"))
    return app


def _protected(app, org: str, indicator: str) -> float | None:
    docs, _orgs = app.state.results.release("WRES")
    doc = docs[((org,), 2025)]
    return next(i for i in doc["indicators"] if i["id"] == indicator)["value"]


def test_indicator_page_shows_the_funnel_without_naming_others(region_app):
    page = sign_in(region_app, "one@example.org").get("/o/R0A/indicator/wres.2").text
    assert "How do we compare?" in page and 'role="img"' in page
    block = page[page.index("How do we compare?"):]
    value = _protected(region_app, "R0A", "wres.2")
    assert value is not None
    assert f"R0A: {value:.2f} against" in block  # the page's own protected figure
    assert "R0B" not in block and "R0C" not in block  # other organisations are not named
    # the national figure is the three organisations' protected counts pooled, by hand
    docs, orgs = region_app.state.results.release("WRES")
    counts = [next(i for i in docs[((o,), 2025)]["indicators"] if i["id"] == "wres.2")["groups"] for o in orgs]
    if all(g[k]["numerator"] is not None for g in counts for k in ("White", "BME")):
        national = (sum(g["White"]["numerator"] for g in counts) / sum(g["White"]["denominator"] for g in counts)) / (
            sum(g["BME"]["numerator"] for g in counts) / sum(g["BME"]["denominator"] for g in counts))
        assert f"against {national:.2f} nationally" in block


def test_comparison_page_across_the_users_organisations(region_app):
    page = sign_in(region_app, "region@example.org").get("/compare?indicator=wres.2").text
    rows = re.findall(r'<a href="/o/(R0[A-C])/indicator/wres.2', page)
    assert rows == ["R0A", "R0B"]  # the user's two organisations, never R0C
    assert ">R0C<" not in page and "Funnel plot: WRES 2 2025" in page
    single = sign_in(region_app, "one@example.org").get("/compare").text
    assert "you belong to 1" in single and "Funnel plot" not in single
    assert sign_in(region_app, "region@example.org").get("/compare?indicator=wres.1").status_code == 200


def test_comparison_page_region_table_and_distribution_over_time(region_app):
    """Issue 18: the regional user's page adds the table by region (their organisations, each region,
    all organisations) and the distribution over the years, from the same protected figures."""
    import numpy as np

    page = sign_in(region_app, "region@example.org").get("/compare?indicator=wres.2").text
    values = {o: _protected(region_app, o, "wres.2") for o in ("R0A", "R0B", "R0C")}
    shown = [v for v in values.values() if v is not None]
    region = page[page.index("<h2>By region</h2>"):page.index("<h2>Over time</h2>")]
    cells = re.findall(r'<th scope="row" class="nhsuk-table__header">([^<]+)</th>\s*'
                       r'<td[^>]*>(\d+)</td>\s*<td[^>]*>([^<]+)</td>', region)
    got = {label: (int(n), median) for label, n, median in cells}
    mine = [values[o] for o in ("R0A", "R0B") if values[o] is not None]
    assert got["Your organisations"] == (2, f"{np.median(mine):.2f}" if mine else "–")
    assert got["All organisations"] == (3, f"{np.median(shown):.2f}")
    assert set(got) == {"Your organisations", "All organisations"}  # no region labels in this workspace
    assert "R0C" not in region
    later = page[page.index("<h2>Over time</h2>"):]
    row = re.search(r'<th scope="row" class="nhsuk-table__header">2025</th>((?:\s*<td[^>]*>[^<]*</td>){5})', later)
    numbers = re.findall(r">([^<]*)</td>", row.group(1))
    assert numbers == [str(len(shown)), f"{np.percentile(shown, 25):.2f}", f"{np.median(shown):.2f}",
                       f"{np.percentile(shown, 75):.2f}", f"{np.median(mine):.2f}" if mine else "–"]


def test_region_rows_add_small_regions_together():
    from parity.web.views.compare import region_rows

    d = {"organisations": [{"org": o, "value": v, "position": p, "region": r} for o, v, p, r in (
        ("RXA", 1.0, "within", "London"), ("RXB", 2.0, "above_998", "London"), ("RXC", 3.0, "within", "London"),
        ("RXD", 4.0, "below_95", "North West"), ("RXE", 6.0, "within", "Midlands"))]}
    rows = {r["label"]: r for r in region_rows(d, ["RXA"])}
    assert list(rows) == ["Your organisations", "London", "Other regions (fewer than 3 organisations each)",
                          "All organisations"]
    assert rows["London"]["median"] == 2.0 and rows["London"]["above_998"] == 1
    other = rows["Other regions (fewer than 3 organisations each)"]
    assert other["organisations"] == 2 and other["median"] is None and other["below_95"] is None  # two: hidden
    assert rows["All organisations"]["median"] == 3.0 and rows["All organisations"]["below_95"] == 1
    assert rows["Your organisations"]["median"] == 1.0
    d["organisations"].append({"org": "RXF", "value": 5.0, "position": "within", "region": "Midlands"})
    other = {r["label"]: r for r in region_rows(d, ["RXA"])}["Other regions (fewer than 3 organisations each)"]
    assert other["organisations"] == 3 and other["median"] == 5.0 and other["below_95"] == 1


def test_comparison_is_kept_until_the_data_version_changes(region_app, monkeypatch):
    """/compare and the funnel plots score each (year, indicator) once per workspace data version, from
    one protected release per standard; a change to the data computes them again (issue 18)."""
    from parity.web.views import compare as view
    from parity.workspace import Workspace

    calls: list[tuple] = []
    real = view._compute
    monkeypatch.setattr(view, "_compute", lambda results, y, i: calls.append((y, i)) or real(results, y, i))
    client = sign_in(region_app, "region@example.org")
    region_app.state.results.charts.clear()
    for _ in range(2):
        assert client.get("/compare?indicator=wres.3").status_code == 200
    assert calls == [(2025, "wres.3")]
    Workspace.open(region_app.state.results.workspace.path).bump_data_version()
    assert client.get("/compare?indicator=wres.3").status_code == 200
    assert calls == [(2025, "wres.3"), (2025, "wres.3")]


def test_comparison_page_downloads_its_tables_and_prints(region_app):
    """Issue 14: every table of the comparison page downloads (CSV/Excel) as the page shows it, and
    the page has a print view; the organisations' values are the protected ones, checked by hand."""
    import csv
    import html
    import io

    client = sign_in(region_app, "region@example.org")
    page = client.get("/compare?indicator=wres.2").text
    n = page.count("<table")
    assert n >= 2 and page.count("download=csv") == n and page.count("download=xlsx") == n
    printed = client.get(html.unescape(re.search(r'href="([^"]*print=1[^"]*)"', page).group(1)))
    assert printed.status_code == 200 and "parity-print" in printed.text
    got = client.get("/compare?indicator=wres.2&download=csv&table=1")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(got.text)))
    assert rows[0][:2] == ["Organisation", "Value"]
    for row in rows[1:]:
        value = _protected(region_app, row[0], "wres.2")
        assert row[1] == (f"{value:.2f}" if value is not None else row[1])
    assert [r[0] for r in rows[1:]] == ["R0A", "R0B"]  # never another organisation
    assert "WRES.2" not in page and "WRES 2" in page
