"""Account texts the council edits (emails, two-step verification messages), filled in safely.

Stored texts are never run as templates: `fill` replaces `{name}`-style placeholders whose key is in
the values given, and leaves everything else exactly as written, so an administrator's text cannot
reach code or data it was not handed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy.orm import Session

from ..config import AccountSettings
from ..outbox import queue_email
from .content import content_page

# The pages that links in emails open (the citizen blueprint serves them at these paths).
SIGN_IN_PATH = "/sign-in"
ACTIVATION_PATH = "/register/activate/"
NEW_ACTIVATION_LINK_PATH = "/register/new-link"
FORGOTTEN_PASSWORD_PATH = "/password/forgotten"  # noqa: S105 - a page, not a password
PASSWORD_RESET_PATH = "/password/reset/"  # noqa: S105 - a page, not a password
EMAIL_CONFIRMATION_PATH = "/account/email/confirm/"

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
EMAIL_LANGUAGE = "en"  # for addresses that are not an account's (the withdrawal alert list)


def fill(text: str, values: Mapping[str, object]) -> str:
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def message(db: Session, key: str, language: str = EMAIL_LANGUAGE, **values: object) -> str:
    """A short text shown on a page (e.g. the invalid-code message) in `language` (the page's), filled in."""
    return fill(content_page(db, key, language).body_markdown, values)


def queue_account_email(
    db: Session, key: str, *, to: str, settings: AccountSettings, language: str = EMAIL_LANGUAGE, **values: object
) -> None:
    """Queue the email whose subject and body are the content text `key`, in the caller's transaction.

    `language` is the recipient's (their account's `language`); without a Welsh text the email is in
    English. Values are the recipient's name and links or codes: no other personal data goes into an email.
    """
    page = content_page(db, key, language)
    all_values = {"council": settings.council_name, "service": settings.service_name, **values}
    queue_email(
        db,
        to=to,
        subject=" ".join(fill(page.title, all_values).split()),
        body_text=fill(page.body_markdown, all_values) + "\n",
        kind=key.removeprefix("email_"),
    )
