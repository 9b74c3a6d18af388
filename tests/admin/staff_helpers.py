"""Helpers for the staff users tests: a caseworker's client, an invitation, and a person's forms."""

from __future__ import annotations

from account_helpers import submit
from helpers import csrf_token_from, hidden_value, sign_in_staff
from sqlalchemy import select

from portal.models import Role, User

INVITEE = {"forename": "Carol", "surname": "Case", "email": "carol@council.example", "role": "caseworker"}
NEW_PASSWORD = "a long staff passphrase for testing"


def caseworker_client(app, db, email: str = "case@example.com"):
    client = app.test_client()
    sign_in_staff(client, db, role=Role.CASEWORKER, email=email)
    return client


def invite(client, **changes):
    return submit(client, "/admin/staff/invite", {**INVITEE, **changes})


def member_by_email(db, email: str) -> User:
    db.expire_all()
    return db.scalars(select(User).where(User.email == email).order_by(User.id.desc())).first()


def confirm_form(client, member_id: int, action: str) -> dict[str, str]:
    """The data the confirmation page's form would send (its CSRF token, version and invitation)."""
    page = client.get(f"/admin/staff/{member_id}/{action}")
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(html), "version": hidden_value(html, "version")}
    if 'name="invitation"' in html:
        data["invitation"] = hidden_value(html, "invitation")
    return data


def do(client, member_id: int, action: str):
    """Open the confirmation page of `action` and press its button."""
    return client.post(f"/admin/staff/{member_id}/{action}", data=confirm_form(client, member_id, action))


def role_form(client, member_id: int, role: str) -> dict[str, str]:
    html = client.get(f"/admin/staff/{member_id}/role").get_data(as_text=True)
    return {"csrf_token": csrf_token_from(html), "version": hidden_value(html, "version"), "role": role}


def change_role(client, member_id: int, role: str):
    return client.post(f"/admin/staff/{member_id}/role", data=role_form(client, member_id, role))
