"""Steps the browser journeys share: wait for a page by its title, sign in as staff through two-step
verification, open a page and check it with axe, keep a screenshot to look at.

Staff sign in with an authenticator app (TOTP) whose secret is set in the data; the code is made with
pyotp, as the app would. Each test signs in a person of its own, so no code is refused as a replay.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
from accessibility import assert_accessible
from helpers import DEFAULT_PASSWORD, staff_with_authenticator_app
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from portal.models import Role, User

SCREENSHOTS = Path("/tmp")


def expect_title(page: Page, start: str) -> None:
    """Wait for the next page, then check its title begins with `start`."""
    expect(page).to_have_title(re.compile("^" + re.escape(start)))


def an_administrator(db: Session, email: str = "ada@example.com") -> User:
    return staff_with_authenticator_app(db, role=Role.ADMIN, email=email, forename="Ada", surname="Admin")


def sign_in_as_staff(page: Page, base_url: str, staff: User, *, next_url: str = "/admin/") -> None:
    """Sign in with email and password, then the code from the authenticator app; `next_url` is where to go."""
    page.goto(f"{base_url}/sign-in?next={next_url}")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_title(page, "Enter your verification code")
    page.get_by_label("Verification code").fill(pyotp.TOTP(staff.totp_secret).now())
    page.get_by_role("button", name="Verify").click()


def screenshot(page: Page, name: str) -> None:
    """The whole page as a PNG in /tmp (`name` may start with a folder), for a person to look at."""
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def visit(page: Page, url: str, title: str, shot: str | None = None) -> None:
    """Open `url`, wait for the page titled `title`, check it with axe, and keep a screenshot if `shot` names one."""
    page.goto(url)
    expect_title(page, title)
    assert_accessible(page)
    if shot:
        screenshot(page, shot)
