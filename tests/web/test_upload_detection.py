"""The web upload recognises a known layout from its headings, as the CLI does (issue 13)."""

from __future__ import annotations

import html

from web_helpers import csrf, finished, sign_in


def test_upload_without_a_preset_says_which_preset_it_recognised(fresh_app, demo_data):
    path = demo_data / "esr" / "staff_in_post.csv"
    client = sign_in(fresh_app, "analyst@example.org")
    page = html.unescape(finished(client, client.post("/o/R0A/data/upload", data={
        "csrf_token": csrf(client, "/o/R0A/data"), "table": "workforce", "preset": ""},
        files={"file": (path.name, path.read_bytes(), "text/csv")})).text)
    assert "ESR staff in post extract, one row per assignment (recognised from the headings)" in page
    assert "This looks like an ESR staff-in-post extract; using preset esr-staff-in-post" in page
    assert "Required column(s) missing" not in page
