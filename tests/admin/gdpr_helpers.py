"""Helpers for the GDPR administration tests: an administrator's client, and forms filled in as a
person would (the page's own CSRF token, the three boxes of a date)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from helpers import csrf_token_from, sign_in_staff

from portal.models import Role


def admin_client(app, db, email: str = "admin@example.com"):
    client = app.test_client()
    sign_in_staff(client, db, role=Role.ADMIN, email=email, forename="Ada", surname="Admin")
    return client


def submit(client, url: str, data: dict | None = None, *, page_url: str | None = None):
    page = client.get(page_url or url)
    assert page.status_code == 200, (page_url or url, page.status_code)
    return client.post(url, data={"csrf_token": csrf_token_from(page.get_data(as_text=True)), **(data or {})})


def date_fields(name: str, value: date | None) -> dict[str, list[str]]:
    return {name: ["", "", ""] if value is None else [str(value.day), str(value.month), str(value.year)]}


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    assert match, f"no hidden {name} on the page"
    return unescape(match.group(1))


def post_statement(client, url: str, *, publish_on: date, **fields):
    """Open the statement form and send it with the version it showed (as a browser would)."""
    page = client.get(url).get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(page),
        "seen_version": hidden_value(page, "seen_version"),
        "body_markdown": "We use your information to **run the portal**.",
        "agreement_text": "I agree to version two",
        **date_fields("publish_on", publish_on),
        **fields,
    }
    return client.post(url, data=data)
