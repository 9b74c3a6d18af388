"""Small helpers and factories for tests: read pages as a person would, build data in one line."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date
from html import unescape
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.models import Role, User
from portal.services.accounts import PersonName, create_active_account

DEFAULT_PASSWORD = "correct horse battery staple"


def app_config(database_url: str, tmp_path: Path, **overrides) -> dict:
    """The configuration every test app starts from; `overrides` change single settings."""
    config = {
        "TESTING": True,
        "PORTAL_ENV": "test",
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": database_url,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": 1,  # nothing listens here unless a test starts a server
        "SMTP_TIMEOUT_SECONDS": 2,
        "RATELIMIT_STORAGE_URI": "memory://",
        "COUNCIL_NAME": "Testshire Council",
        "SERVICE_NAME": "Family services portal",
        "PASSWORD_HASHING_FOR_TESTS": True,  # Argon2id's least work: production's takes ~0.3 s a hash
    }
    config.update(overrides)
    return config


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def hidden_value(html: str, name: str) -> str:
    """The value of the page's field `name` (a hidden one, as a browser would send it back)."""
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    assert match, f"no hidden {name} on the page"
    return unescape(match.group(1))


def date_fields(name: str, value: date | None) -> dict[str, list[str]]:
    """A GOV.UK date input's three boxes (day, month, year), as a person fills them in; empty for None."""
    return {name: ["", "", ""] if value is None else [str(value.day), str(value.month), str(value.year)]}


def page_title(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.S)
    assert match, "the page has no <title>"
    return " ".join(match.group(1).split())


def error_summary(html: str) -> list[str]:
    """The messages in the GOV.UK error summary, as a person reads them."""
    block = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if not block:
        return []
    items = re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def make_user(
    db: Session,
    *,
    role: Role = Role.PARENT,
    email: str = "parent@example.com",
    password: str = DEFAULT_PASSWORD,
    forename: str = "Sam",
    surname: str = "Parent",
    consented: bool = True,
) -> User:
    """An active account; a parent has agreed to the current consent statement unless `consented=False`."""
    user = create_active_account(db, email=email, password=password, role=role, name=PersonName(forename, surname))
    if role is Role.PARENT and consented:
        from portal.services.consent import current_statement, record_agreement

        record_agreement(db, user, current_statement(db), client_address=None)
    return user


def sign_in(client: FlaskClient, email: str, password: str = DEFAULT_PASSWORD, next_url: str | None = None):
    page = client.get("/sign-in")
    target = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return client.post(
        target,
        data={"csrf_token": csrf_token_from(page.get_data(as_text=True)), "email": email, "password": password},
    )


@contextmanager
def count_queries(app):
    """Collect the SQL statements the app runs inside the block (to prove a page's count is constant)."""
    engine = app.extensions["db_engine"]
    statements: list[str] = []

    def record(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def staff_with_authenticator_app(db: Session, *, role: Role = Role.CASEWORKER, email: str = "case@example.com",
                                 forename: str = "Jane", surname: str = "Smith") -> User:  # fmt: skip
    """A staff account that signs in with an authenticator app (TOTP), as staff must; made if it does not exist.

    Codes are made from `user.totp_secret` with pyotp, as the app would. The last accepted time step is
    cleared, so signing the same person in twice within 30 seconds (two clients) is not refused as a replay.
    """
    import pyotp
    from sqlalchemy import select

    from portal.models import TwoStepMethod

    user = db.scalars(select(User).where(User.email == email)).first()
    if user is None:
        user = make_user(db, role=role, email=email, forename=forename, surname=surname)
    user.two_step_method = TwoStepMethod.APP
    user.totp_secret = user.totp_secret or pyotp.random_base32()
    user.totp_last_step = None
    db.commit()
    return user


def sign_in_staff(client: FlaskClient, db: Session, *, role: Role = Role.CASEWORKER, email: str = "case@example.com",
                  forename: str = "Jane", surname: str = "Smith") -> User:  # fmt: skip
    """A staff account with an authenticator app signed in through both steps (made when it does not exist)."""
    import pyotp

    user = staff_with_authenticator_app(db, role=role, email=email, forename=forename, surname=surname)
    first = sign_in(client, email)
    assert first.status_code == 302 and first.headers["Location"].endswith("/sign-in/verify"), first.status_code
    page = client.get("/sign-in/verify")
    verified = client.post(
        "/sign-in/verify",
        data={"csrf_token": csrf_token_from(page.get_data(as_text=True)), "code": pyotp.TOTP(user.totp_secret).now()},
    )
    assert verified.status_code == 302, verified.get_data(as_text=True)
    return user


def admin_client(app, db: Session, email: str = "admin@example.com", forename: str = "Ada", surname: str = "Admin"):
    """A test client of its own, signed in through both steps as an administrator (made if need be)."""
    client = app.test_client()
    sign_in_staff(client, db, role=Role.ADMIN, email=email, forename=forename, surname=surname)
    return client


def client_signed_in_as(app, db: Session, role: Role) -> FlaskClient:
    """A client signed in as a caseworker (through both steps) or as a parent, to show who is refused."""
    client = app.test_client()
    if role is Role.PARENT:
        make_user(db, email="parent@example.com")
        assert sign_in(client, "parent@example.com").status_code == 302
    else:
        sign_in_staff(client, db, role=role, email="case@example.com")
    return client


def delete_every_row(connection) -> None:
    """Empty every table (children first), through a connection or a session; the caller commits."""
    from portal.models import Base

    for table in reversed(Base.metadata.sorted_tables):
        connection.execute(table.delete())
