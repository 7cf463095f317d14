"""Unknown values mapped on the upload page, saved for next time and applied (issue 14)."""

from __future__ import annotations

import csv
import io
import json
import re
import stat

from test_upload_plain import _spoilt_esr, _upload
from web_helpers import csrf, finished, sign_in

from parity.web import value_maps


def _questions(page: str) -> dict[str, str]:
    """The page's value questions: the value asked about → its select's name."""
    return {m.group(2): m.group(1) for m in re.finditer(
        r'<label class="nhsuk-label" for="(value-\d+)">“([^”]+)”', page)}


def test_unknown_values_are_mapped_on_the_page_saved_and_applied(fresh_app, demo_data):
    client = sign_in(fresh_app, "analyst@example.org")
    data = _spoilt_esr(demo_data)
    page = _upload(client, data).text
    assert "Values we do not recognise" in page
    asked = _questions(page)
    assert set(asked) == {"Q", "Martian"}
    assert '<option value="S">S: Other Ethnic Groups - Any other ethnic group</option>' in page
    assert '<option value="other">Other (non-binary, indeterminate)</option>' in page
    key = re.search(r"/data/uploads/([^/]+)/values", page).group(1)

    # an answer that is not one of the codes offered is refused
    bad = client.post(f"/o/R0A/data/uploads/{key}/values", data={
        "csrf_token": csrf(client, "/o/R0A/data"), asked["Q"]: "purple"})
    assert bad.status_code == 400
    # nothing chosen: an error summary, nothing saved
    none = client.post(f"/o/R0A/data/uploads/{key}/values", data={"csrf_token": csrf(client, "/o/R0A/data")})
    assert none.status_code == 400 and "Choose what at least one value means" in none.text

    page = finished(client, client.post(f"/o/R0A/data/uploads/{key}/values", data={
        "csrf_token": csrf(client, "/o/R0A/data"), asked["Q"]: "other", asked["Martian"]: "S"})).text
    assert "Check of staff.csv" in page
    assert "0 errors" in page and "Values we do not recognise" not in page

    saved = value_maps.path(fresh_app.state.workspace, "R0A", "workforce")
    assert json.loads(saved.read_text()) == {"ethnic_category": {"Martian": "S"}, "sex": {"Q": "other"}}
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600

    # next time: the same file is clean at once, and the import stores the chosen codes
    page = _upload(client, data, name="again.csv").text
    assert "0 errors" in page and "Values we do not recognise" not in page
    key = re.search(r"/data/uploads/([^/]+)/confirm", page).group(1)
    done = finished(client, client.post(f"/o/R0A/data/uploads/{key}/confirm",
                                        data={"csrf_token": csrf(client, "/o/R0A/data")})).text
    assert "Imported" in done

    rows = list(csv.DictReader(io.StringIO(data.decode())))
    dates = sorted({r["Snapshot Date"] for r in rows})
    expect_other = sum(r["Gender"] in ("Q", "Other", "Indeterminate") for r in rows)
    expect_s = sum(r["Ethnic Origin"] == "Martian" or r["Ethnic Origin"].startswith("S ") for r in rows)
    from parity.workspace import Workspace

    con = Workspace.open(fresh_app.state.workspace, create=False).connect(read_only=True)
    try:
        got_other, got_s = con.execute(
            "SELECT count(*) FILTER (WHERE sex = 'other'), count(*) FILTER (WHERE ethnic_category = 'S') "
            "FROM workforce WHERE org_code = 'R0A' AND strftime(snapshot_date, '%d/%m/%Y') IN "
            f"({', '.join('?' for _ in dates)})", dates).fetchone()
    finally:
        con.close()
    assert (got_other, got_s) == (expect_other, expect_s)


def test_a_viewer_cannot_map_values(fresh_app, demo_data):
    client = sign_in(fresh_app, "analyst@example.org")
    page = _upload(client, _spoilt_esr(demo_data)).text
    key = re.search(r"/data/uploads/([^/]+)/values", page).group(1)
    viewer = sign_in(fresh_app, "viewer@example.org")
    r = viewer.post(f"/o/R0A/data/uploads/{key}/values", data={"csrf_token": csrf(viewer, "/o/R0A/overview"),
                                                              "value-0": "other"})
    assert r.status_code == 403
    assert not value_maps.path(fresh_app.state.workspace, "R0A", "workforce").exists()


def test_choices_cover_every_code_of_a_column():
    from parity.contract.codes import ETHNIC_CATEGORIES, PAY_BANDS, SEXES, STAFF_GROUPS

    assert [c for c, _ in value_maps.choices("ethnicity")] == list(ETHNIC_CATEGORIES)
    assert [c for c, _ in value_maps.choices("staff_group")] == list(STAFF_GROUPS)
    assert [c for c, _ in value_maps.choices("pay_band")] == list(PAY_BANDS)
    assert sorted(c for c, _ in value_maps.choices("sex")) == sorted(SEXES)
    assert value_maps.choices("date") == []
    labels = [label for kind in ("ethnicity", "pay_band", "sex", "disability", "assignment_category")
              for _, label in value_maps.choices(kind)]
    assert not [x for x in labels if re.fullmatch(r"[a-z]+_[a-z_]+", x)]  # no code-style labels
