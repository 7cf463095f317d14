"""Issue 11: uploads never confirmed kept raw staff numbers in web-uploads/ for ever; report-job
error text was shown to viewers. The raw file must go after import, on cancel and on expiry, be
private (0600 in a 0700 folder), and viewers must get a generic message for a failed report."""

from __future__ import annotations

import os
import re
import shutil
import time
from datetime import timedelta

import pytest
from web_helpers import add_user, csrf, finished, settings, sign_in

from parity.web import create_app
from parity.web.models import ReportJob, Upload, now

STAFF = ("Org Code,Employee Number,Assignment Number,Snapshot Date,Ethnic Origin,Gender,Disability,Pay Band,Grade,"
         "Staff Group,Assignment Category,Primary Assignment,Contracted FTE,Age Band,Board Member\n"
         "R0A,7654321,7654321-1,31/03/2025,A,Female,No,Band 5,,Nursing and Midwifery Registered,Permanent,Y,1,"
         "31-35,N\n")


@pytest.fixture
def app(tmp_path):
    app = create_app(tmp_path / "ws", settings())
    add_user(app, "analyst@example.org", role="analyst")
    add_user(app, "viewer@example.org", role="viewer")
    return app


def upload(client):
    return finished(client, client.post(
        "/o/R0A/data/upload", data={"csrf_token": csrf(client, "/o/R0A/data"), "table": "workforce",
                                    "preset": "esr-staff-in-post"},
        files={"file": ("staff.csv", STAFF.encode(), "text/csv")}))


def raw_files(app):
    root = app.state.workspace / "web-uploads"
    return [p for p in root.rglob("*") if p.is_file() and b"7654321" in p.read_bytes()] if root.exists() else []


def test_uploaded_file_is_private(app):
    client = sign_in(app, "analyst@example.org")
    page = upload(client)
    assert "Rows read" in page.text
    (raw,) = [p for p in raw_files(app) if p.name == "staff.csv"]
    assert oct(raw.stat().st_mode & 0o777) == "0o600"
    assert oct(raw.parent.stat().st_mode & 0o777) == "0o700"
    assert oct(raw.parent.parent.stat().st_mode & 0o777) == "0o700"
    for other in raw.parent.rglob("*"):
        if other.is_file():
            assert oct(other.stat().st_mode & 0o777) == "0o600", other.name


def test_cancel_deletes_the_raw_file(app):
    client = sign_in(app, "analyst@example.org")
    page = upload(client)
    assert raw_files(app)
    cancel = re.search(r'action="(/o/R0A/data/uploads/[^"]+/cancel)"', page.text).group(1)
    done = client.post(cancel, data={"csrf_token": csrf(client, "/o/R0A/data")})
    assert done.status_code == 200 and "Upload cancelled" in done.text
    assert raw_files(app) == []
    assert client.get(cancel.rsplit("/", 1)[0]).status_code == 404


def test_import_deletes_the_raw_file(app):
    client = sign_in(app, "analyst@example.org")
    page = upload(client)
    confirm = re.search(r'action="(/o/R0A/data/uploads/[^"]+/confirm)"', page.text).group(1)
    done = finished(client, client.post(confirm, data={"csrf_token": csrf(client, "/o/R0A/data")}))
    assert "Imported" in done.text
    assert raw_files(app) == []


def test_unconfirmed_uploads_expire(app):
    client = sign_in(app, "analyst@example.org")
    page = upload(client)
    key = re.search(r"/data/uploads/([^/]+)/confirm", page.text).group(1)
    jobs = app.state.upload_jobs
    assert jobs.sweep() == 0 and raw_files(app)  # younger than upload_expiry_hours: kept
    with app.state.db.session() as db:
        row = db.query(Upload).filter(Upload.key == key).one()
        row.created_at = now() - timedelta(hours=25)
    assert jobs.sweep() == 1
    assert raw_files(app) == []
    assert client.get(f"/o/R0A/data/uploads/{key}").status_code == 404
    with app.state.db.session() as db:
        assert db.query(Upload).filter(Upload.key == key).one().status == "expired"


def test_restart_sweeps_old_orphans_and_interrupted_jobs(app, tmp_path):
    orphan = app.state.workspace / "web-uploads" / "left-by-a-crash"
    orphan.mkdir(parents=True)
    (orphan / "staff.csv").write_text(STAFF)
    old = time.time() - 25 * 3600
    os.utime(orphan, (old, old))
    with app.state.db.session() as db:
        folder = app.state.workspace / "web-uploads" / "interrupted"
        folder.mkdir()
        (folder / "staff.csv").write_text(STAFF)
        db.add(Upload(key="interrupted", user_id=1, org_code="R0A", table_name="workforce", file_name="staff.csv",
                      path=str(folder / "staff.csv"), status="validating"))
    restarted = create_app(app.state.workspace, settings())
    assert raw_files(restarted) == []
    client = sign_in(restarted, "analyst@example.org")
    page = client.get("/o/R0A/data/uploads/interrupted")
    assert "restarted" in page.text and 'http-equiv="refresh"' not in page.text
    shutil.rmtree(app.state.workspace / "web-uploads", ignore_errors=True)


def test_failed_report_error_is_shown_to_analysts_only(app):
    secret = "KeyError: 'Band 5 / R0A staff 7654321'"
    with app.state.db.session() as db:
        db.add(ReportJob(user_id=1, org_code="R0A", year=2025, status="failed", error=secret))
    analyst = sign_in(app, "analyst@example.org").get("/o/R0A/reports").text
    viewer = sign_in(app, "viewer@example.org").get("/o/R0A/reports").text
    assert "7654321" in analyst
    assert "7654321" not in viewer and "Band 5" not in viewer
    assert "could not be generated" in viewer
