"""Issue 11: inviting an e-mail that already has an account neither adds it at once nor says it exists;
the account holder accepts the invitation while signed in."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_helpers import OTHER_ORG, add_user, csrf, settings, sign_in

from parity.web import create_app
from parity.web.models import Membership, User

LINK_RE = re.compile(r'id="invitation-link">([^<]+)<')


@pytest.fixture
def app(tmp_path):
    app = create_app(tmp_path / "ws", settings())
    add_user(app, "boss@example.org", role="admin")
    add_user(app, "known@example.org", role="viewer", org=OTHER_ORG)  # has an account, not in R0A
    add_user(app, "bystander@example.org", role="viewer", org=OTHER_ORG)
    return app


def _invite(client, email: str, role: str = "analyst"):
    return client.post("/o/R0A/users/invite", data={"csrf_token": csrf(client, "/o/R0A/users"), "email": email,
                                                    "role": role}, follow_redirects=False)


def _membership(app, email: str) -> str | None:
    with app.state.db.session() as db:
        return db.scalar(select(Membership.role).join(User).where(User.email == email,
                                                                  Membership.org_code == "R0A"))


def _neutral(page: str) -> str:
    """The page without what differs between any two requests (the link's token, the CSRF token)."""
    page = LINK_RE.sub('id="invitation-link">LINK<', page)
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value="T"', page)


def test_the_inviter_gets_the_same_answer_for_an_existing_and_a_new_address(tmp_path):
    pages = []
    for has_account in (True, False):
        app = create_app(tmp_path / f"ws-{has_account}", settings())
        add_user(app, "boss@example.org", role="admin")
        if has_account:
            add_user(app, "known@example.org", role="viewer", org=OTHER_ORG)
        response = _invite(sign_in(app, "boss@example.org"), "known@example.org")
        pages.append((response.status_code, _neutral(response.text)))
    assert pages[0] == pages[1]  # same status, same page: nothing says the account exists
    assert pages[0][0] == 200 and 'id="invitation-link">LINK<' in pages[0][1]


def test_an_existing_account_is_not_added_until_its_holder_accepts(app):
    boss = sign_in(app, "boss@example.org")
    link = LINK_RE.search(_invite(boss, "known@example.org").text).group(1)
    assert _membership(app, "known@example.org") is None

    anonymous = TestClient(app).get(link)
    assert anonymous.status_code == 200 and "Sign in" in anonymous.text

    bystander = sign_in(app, "bystander@example.org")  # someone else cannot take it
    assert bystander.post(f"{link}/accept", data={"csrf_token": csrf(bystander, link)}).status_code == 403
    assert _membership(app, "known@example.org") is None

    holder = sign_in(app, "known@example.org")
    page = holder.get(link)
    assert "Accept" in page.text
    accepted = holder.post(f"{link}/accept", data={"csrf_token": csrf(holder, link)}, follow_redirects=False)
    assert accepted.status_code == 303
    assert _membership(app, "known@example.org") == "analyst"
    assert holder.post(f"{link}/accept", data={"csrf_token": csrf(holder, "/organisations")}).status_code == 404
