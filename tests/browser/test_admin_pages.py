"""Every staff page that needs no id, opened by an administrator in Chromium: axe finds nothing on any.

The pages come from the application's URL map, so a page added to the admin area later is checked
without being listed here; each area's own browser test covers the pages that need an object.
The same walk with JavaScript turned off shows that each page still has its heading and content.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from accessibility import assert_accessible
from helpers import DEFAULT_PASSWORD, make_user
from playwright.sync_api import Browser, Page, expect

from portal.models import Base, Role, TwoStepMethod
from portal.services.forms import definition_files, load_definitions

pytestmark = pytest.mark.browser

FORMS = Path(__file__).resolve().parents[2] / "form_definitions"
DOWNLOADS = (".csv", ".pdf", ".json", ".yaml")  # pages that answer with a file, not HTML


@pytest.fixture
def database(live_server):
    session = live_server.app.extensions["db_sessionmaker"]()
    yield session
    session.rollback()
    for table in reversed(Base.metadata.sorted_tables):  # as tests/conftest.py's empty_all_tables does
        session.execute(table.delete())
    session.commit()
    session.close()


@pytest.fixture
def administrator(database):
    assert load_definitions(database, definition_files(FORMS)).ok
    admin = make_user(database, role=Role.ADMIN, email="ada@example.com", forename="Ada", surname="Admin")
    admin.two_step_method = TwoStepMethod.APP
    admin.totp_secret = pyotp.random_base32()
    database.commit()
    return admin


def pages_without_ids(app) -> list[str]:
    """The URL of every GET route of the admin blueprint that takes no arguments."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin.")
        and "GET" in rule.methods
        and not rule.arguments
        and not rule.rule.endswith(DOWNLOADS)
    )


def sign_in(page: Page, base_url: str, admin) -> None:
    page.goto(base_url + "/sign-in?next=/admin/")
    page.get_by_label("Email address").fill(admin.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile("^Enter your verification code"))
    page.get_by_label("Verification code").fill(pyotp.TOTP(admin.totp_secret).now())
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_title(re.compile("^Staff area"))


def test_every_admin_page_without_an_id_passes_axe(page, live_server, administrator):
    urls = pages_without_ids(live_server.app)
    assert "/admin/" in urls and "/admin/texts" in urls
    sign_in(page, live_server.url, administrator)
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)


def test_every_admin_page_without_an_id_works_without_javascript(browser: Browser, live_server, administrator):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, administrator)
        for url in pages_without_ids(live_server.app):
            response = page.goto(live_server.url + url)
            assert response is not None and response.status == 200, url
            expect(page.locator("h1")).to_be_visible()
            assert "govuk-frontend-supported" not in (page.locator("body").get_attribute("class") or "")
    finally:
        context.close()
