"""Helpers for the GDPR administration tests: a consent statement's form filled in as a person would (the
page's own CSRF token and version, the three boxes of a date)."""

from __future__ import annotations

from datetime import date

from helpers import csrf_token_from, date_fields, hidden_value


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
