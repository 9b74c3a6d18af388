"""Helpers for the account tests: fill in pages as a person would and read what the emails say."""

from __future__ import annotations

import re

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from helpers import DEFAULT_PASSWORD, csrf_token_from

from portal.worker import run_pass

REGISTRATION = {
    "title": "Ms",
    "forename": "Priya",
    "surname": "Shah",
    "email": "priya@example.com",
    "password": DEFAULT_PASSWORD,
    "confirm_password": DEFAULT_PASSWORD,
    "postcode": "nn1 1aa",
    "address_line_1": "1 Guildhall Road",
    "town": "Northampton",
    "mobile_phone": "07700 900982",
}


def submit(client: FlaskClient, url: str, data: dict | None = None, *, page_url: str | None = None):
    """Open the page, then post its form with the page's CSRF token (as a browser does)."""
    page = client.get(page_url or url)
    assert page.status_code == 200, (page_url or url, page.status_code)
    return client.post(url, data={"csrf_token": csrf_token_from(page.get_data(as_text=True)), **(data or {})})


def register(client: FlaskClient, **changes):
    """Agree to the statement and send the details; returns the response to the details page."""
    agreed = submit(client, "/register", {"agree": "y"})
    assert agreed.headers["Location"] == "/register/details"
    return submit(client, "/register/details", {**REGISTRATION, **changes})


def deliver(app: Flask) -> None:
    run_pass(app, jobs=[])


def emails_to(smtp_server, address: str) -> list:
    return [m for m in smtp_server.messages if m["To"] == address]


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message, path: str) -> str:
    """The path of the first link in the email that starts with `path` (e.g. '/register/activate/')."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]+)", body(message))
    assert match, f"no {path} link in: {body(message)}"
    return match.group(1)


def code_in(message) -> str:
    match = re.search(r"code is: (\d+)", body(message))
    assert match, body(message)
    return match.group(1)


def totp_code(secret: str, offset_steps: int = 0) -> str:
    import time

    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def secret_on(html: str) -> str:
    match = re.search(r'class="app-secret-key">([A-Z2-7]+)<', html)
    assert match, "no key on the page"
    return match.group(1)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
