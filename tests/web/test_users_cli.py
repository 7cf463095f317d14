"""`parity users add|list`: accounts made from the command line sign in to the web app."""

from __future__ import annotations

import re

from typer.testing import CliRunner
from web_helpers import ORG, csrf, settings

from parity.cli import app as cli
from parity.web import create_app
from parity.web.views.auth import first_run_link

PASSWORD = "a long enough pass phrase"
runner = CliRunner()


def _sign_in(client, email, password):
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": csrf(client)},
                       follow_redirects=False)


def test_signed_out_is_sent_to_sign_in(tmp_path):
    from fastapi.testclient import TestClient

    # the check the tests below rely on: /organisations answers 200 only to a signed-in user
    assert TestClient(create_app(tmp_path, settings())).get("/organisations", follow_redirects=False).status_code == 303


def test_add_with_password_then_sign_in(tmp_path):
    from fastapi.testclient import TestClient

    out = runner.invoke(cli, ["users", "add", "--workspace", str(tmp_path), "--email", "Ana@NHS.net",
                              "--role", "analyst", "--org", ORG], input=PASSWORD + "\n")
    assert out.exit_code == 0, out.output
    assert "ana@nhs.net added: analyst in R0A" in out.output
    web = create_app(tmp_path, settings())
    client = TestClient(web)
    assert _sign_in(client, "ana@nhs.net", "wrong password!!").status_code != 303
    assert _sign_in(client, "ana@nhs.net", PASSWORD).status_code == 303
    assert client.get("/organisations", follow_redirects=False).status_code == 200  # signed in
    # an account exists: no first-run link any more
    assert first_run_link(web, "http://testserver") is None


def test_list_shows_roles_never_hashes(tmp_path):
    for email, role, org in [("v@nhs.net", "viewer", ORG), ("v@nhs.net", "analyst", "R0B"), ("boss@nhs.net", "admin", None)]:
        args = ["users", "add", "-w", str(tmp_path), "--email", email, "--role", role] + (["--org", org] if org else [])
        assert runner.invoke(cli, args, input=PASSWORD + "\n").exit_code == 0
    out = runner.invoke(cli, ["users", "list", "--workspace", str(tmp_path)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert "boss@nhs.net\tsite administrator\tyes" in lines
    assert "v@nhs.net\tR0A: viewer, R0B: analyst\tyes" in lines
    assert "argon2" not in out.output.lower() and "$" not in out.output


def test_refuses_short_password_and_bad_role(tmp_path):
    out = runner.invoke(cli, ["users", "add", "-w", str(tmp_path), "--email", "a@nhs.net", "--role", "viewer",
                              "--org", ORG], input="elevenchars\n")
    assert out.exit_code == 2 and "at least 12 characters" in out.output
    out = runner.invoke(cli, ["users", "add", "-w", str(tmp_path), "--email", "a@nhs.net", "--role", "owner",
                              "--org", ORG], input=PASSWORD + "\n")
    assert out.exit_code == 2 and "--role" in out.output
    out = runner.invoke(cli, ["users", "add", "-w", str(tmp_path), "--email", "a@nhs.net", "--role", "viewer"],
                        input=PASSWORD + "\n")
    assert out.exit_code == 2 and "needs --org" in out.output
    listed = runner.invoke(cli, ["users", "list", "-w", str(tmp_path)])
    assert "No users yet" in listed.output  # nothing was added


def test_invite_link_sets_up_account(tmp_path):
    from fastapi.testclient import TestClient

    web = create_app(tmp_path, settings())
    assert first_run_link(web, "http://testserver")  # the first-run link still works before any account
    out = runner.invoke(cli, ["users", "add", "-w", str(tmp_path), "--email", "new@nhs.net", "--role", "viewer",
                              "--org", ORG, "--invite", "--base-url", "http://testserver"])
    assert out.exit_code == 0, out.output
    token = re.search(r"http://testserver/invitation/(\S+)", out.output).group(1)
    client = TestClient(web)
    page = client.get(f"/invitation/{token}")
    assert page.status_code == 200
    form = {"name": "New", "password": PASSWORD, "confirm": PASSWORD,
            "csrf_token": csrf(client, f"/invitation/{token}")}
    assert client.post(f"/invitation/{token}", data=form, follow_redirects=False).status_code == 303
    assert client.get("/organisations", follow_redirects=False).status_code == 200
    fresh = TestClient(web)
    assert _sign_in(fresh, "new@nhs.net", PASSWORD).status_code == 303


def test_add_contributor(tmp_path):
    """Issue 15's network members: `--role contributor` for an organisation."""
    args = ["users", "add", "-w", str(tmp_path), "--email", "net@nhs.net", "--role", "contributor", "--org", ORG]
    assert runner.invoke(cli, args, input=PASSWORD + "\n").exit_code == 0
    out = runner.invoke(cli, ["users", "list", "--workspace", str(tmp_path)])
    assert "net@nhs.net\tR0A: contributor\tyes" in out.output.splitlines()
    no_org = runner.invoke(cli, args[:-2], input=PASSWORD + "\n")
    assert no_org.exit_code == 2 and "--org" in no_org.output
