"""Upload for people who are not analysts (issue 14): human table names, the column layout shown,
an NHS.UK error summary at the top, the problems as CSV, and no CLI flags or YAML in web messages."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from web_helpers import csrf, finished, sign_in

from parity.ingest.detect import MSG_DETECTED
from parity.ingest.problems import MSG_MISSING, MSG_UNKNOWN_ETHNICITY, MSG_WRONG_TABLE
from parity.web import plain

#: what would show a user the command line or a YAML file
CLI = re.compile(r"--[a-z]|\.ya?ml\b|\byaml\b|\bparity [a-z]|values:", re.IGNORECASE)


def _text(response) -> str:
    """The page's visible text (tags and attributes dropped: an input's accept list is not a message)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _spoilt_esr(demo_data) -> bytes:
    """The demo ESR extract with two unknown values: a sex 'Q' (row 2) and an ethnicity 'Martian' (row 4)."""
    lines = (demo_data / "esr" / "staff_in_post.csv").read_text().splitlines()
    lines[1] = lines[1].replace('"Female"', '"Q"', 1).replace('"Male"', '"Q"', 1)
    lines[3] = re.sub(r'"[A-Z] [A-Za-z ]+ - [^"]+"', '"Martian"', lines[3], count=1)
    return ("\n".join(lines) + "\n").encode()


def _upload(client, data: bytes, table: str = "workforce", name: str = "staff.csv"):
    return finished(client, client.post("/o/R0A/data/upload", data={
        "csrf_token": csrf(client, "/o/R0A/data"), "table": table, "preset": ""},
        files={"file": (name, data, "text/csv")}))


@pytest.mark.parametrize(("text", "code"), [
    ("ethnic_category: " + MSG_UNKNOWN_ETHNICITY.format(value="Martian"), "unknown_ethnicity"),
    (MSG_MISSING.format(table="workforce", missing="sex", found="A, B", hints=""), "missing_columns"),
    (MSG_WRONG_TABLE.format(other="pay", table="workforce", n_other="3/4", n_this="1/5"), "wrong_table"),
    (MSG_DETECTED.format(what="an ESR file", preset="esr-staff-in-post", matched=3, known=4), "preset_detected"),
    ("sex: 'Q' is not a known sex (expected male, female); map it under values: sex in your mapping file.",
     "unknown_code"),
])
def test_cli_advice_is_replaced_and_the_problem_kept(text, code):
    out = plain.message(text, code)
    assert not CLI.search(out), out
    assert out.endswith(plain.WEB_HINTS[code])
    assert out.split(" ")[0] == text.split(" ")[0]  # what is wrong is still said first


def test_a_message_without_cli_advice_is_unchanged():
    assert plain.message("positive is larger than responses.", "out_of_range") == "positive is larger than responses."


def test_the_upload_form_names_tables_as_people_know_them(shared_app):
    client = sign_in(shared_app, "analyst@example.org")
    page = client.get("/o/R0A/data")
    assert '<option value="workforce">Staff in post (ESR)</option>' in page.text
    assert '<option value="survey_responses">NHS Staff Survey: individual responses</option>' in page.text
    assert ">survey_responses<" not in page.text
    assert not CLI.search(_text(page))


def test_a_check_with_problems_leads_with_an_error_summary_and_offers_them_as_csv(fresh_app, demo_data):
    client = sign_in(fresh_app, "analyst@example.org")
    page = _upload(client, _spoilt_esr(demo_data))
    text = _text(page)
    assert "Check of staff.csv" in text
    # the error summary comes before the heading, names the rows with errors and links to them
    summary = page.text.index('class="nhsuk-error-summary"')
    assert summary < page.text.index("<h1>")
    assert re.search(r'<a href="#problems">2 rows have errors: see the problems below</a>', page.text)
    assert "Staff in post (ESR)" in text
    assert "ESR staff in post extract, one row per assignment (recognised from the headings)" in text
    assert not CLI.search(text), CLI.search(text)
    key = re.search(r"/data/uploads/([^/]+)/problems\.csv", page.text).group(1)
    got = client.get(f"/o/R0A/data/uploads/{key}/problems.csv")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert 'filename="problems-staff.csv"' in got.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(got.text)))
    errors = {(r["Row"], r["Value"]) for r in rows if r["Severity"] == "error"}
    assert errors == {("2", "Q"), ("4", "Martian")}
    assert not any(CLI.search(r["What to do"]) for r in rows)
    # the CSV is for the uploader's organisation only, like the page
    other = sign_in(fresh_app, "viewer@example.org")
    assert other.get(f"/o/R0A/data/uploads/{key}/problems.csv").status_code == 403


def test_a_file_for_another_table_says_so_without_cli_advice(fresh_app, demo_data):
    client = sign_in(fresh_app, "analyst@example.org")
    page = _upload(client, (demo_data / "pay.csv").read_bytes(), table="workforce", name="pay.csv")
    text = _text(page)
    assert "There is a problem with this file" in text
    assert "Required column(s) missing" in text
    assert not CLI.search(text), CLI.search(text)


def test_report_jobs_say_when_and_by_whom_they_were_made(fresh_app):
    from sqlalchemy import select

    from parity.web.models import ReportJob, User

    with fresh_app.state.db.session() as db:  # a finished job (generating one would take a minute)
        analyst = db.scalar(select(User).where(User.email == "analyst@example.org"))
        db.add(ReportJob(user_id=analyst.id, org_code="R0A", year=2024, status="failed", error="x"))
    page = sign_in(fresh_app, "viewer@example.org").get("/o/R0A/reports").text
    assert re.search(r'class="nhsuk-table__cell parity-made">\d{1,2} \w{3} \d{4} \d\d:\d\d UTC by '
                     r"analyst@example.org<", page)
