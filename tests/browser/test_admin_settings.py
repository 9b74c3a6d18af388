"""Site settings in Chromium: every page (and one with errors) passes axe, and a change works without JavaScript.

The administrator signs in with an authenticator app (journeys.py). Each test uses an administrator of its
own, so no code is refused as a replay. Every table is emptied afterwards (conftest.py), the site settings
with them, so the shared live server is back to its defaults.
"""

from __future__ import annotations

import pytest
from accessibility import assert_accessible
from journeys import an_administrator, expect_title, screenshot, sign_in_as_staff, visit
from playwright.sync_api import expect
from sqlalchemy import select

from portal.models import AuditEvent, SiteSetting

pytestmark = pytest.mark.browser

GROUPS = {
    "service": "Service",
    "contact": "Contact details",
    "passwords": "Passwords",
    "two-step": "Two-step verification",
    "uploads": "Uploads",
    "drafts": "Unsent applications",
    "sessions": "Sessions",
}


def sign_in_administrator(page, live_server, database, email: str) -> None:
    sign_in_as_staff(page, live_server.url, an_administrator(database, email), next_url="/admin/settings")
    expect_title(page, "Site settings")


def test_every_settings_page_and_one_with_errors_passes_axe(page, live_server, database):
    sign_in_administrator(page, live_server, database, "ada@example.com")
    assert_accessible(page)
    screenshot(page, "settings-index")
    for slug, title in GROUPS.items():
        page.locator(f"#group-{slug}").get_by_role("link", name="Change").click()
        expect_title(page, f"{title} – Site settings")
        assert_accessible(page)
        if slug == "two-step":
            screenshot(page, "settings-two-step")
        page.get_by_role("link", name="Back").click()
        expect_title(page, "Site settings")

    page.locator("#group-passwords").get_by_role("link", name="Change").click()
    page.get_by_label("Minimum password length").fill("7")
    page.get_by_role("button", name="Save changes").click()
    expect_title(page, "Error: Passwords – Site settings")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(summary).to_contain_text("Minimum password length must be 8 characters or more")
    assert_accessible(page)
    screenshot(page, "settings-error")
    summary.get_by_role("link", name="Minimum password length must be 8 characters or more").click()
    expect(page.get_by_label("Minimum password length")).to_be_focused()

    page.get_by_label("Minimum password length").fill("12")
    page.get_by_role("button", name="Save changes").click()
    expect_title(page, "Site settings")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your changes to Passwords have been saved.")
    assert_accessible(page)
    page.locator("#group-passwords").get_by_role("link", name="Reset to default").click()
    expect_title(page, "Reset minimum password length to its default")
    assert_accessible(page)
    screenshot(page, "settings-reset")
    page.get_by_role("button", name="Reset to default").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Minimum password length is back to its default.")
    database.expire_all()
    assert database.scalars(select(SiteSetting)).all() == []

    # Contact details appear in the footer and on the error pages, which stay accessible.
    page.locator("#group-contact").get_by_role("link", name="Change").click()
    page.get_by_label("Email address").fill("fis@testshire.example")
    page.get_by_label("Telephone number").fill("0300 123 4567")
    page.get_by_label("Telephone opening hours").fill("Monday to Friday, 9am to 5pm (except bank holidays)")
    page.get_by_role("button", name="Save changes").click()
    expect_title(page, "Site settings")
    visit(page, live_server.url + "/no-such-page", "Page not found", "settings-contact-404")
    expect(page.locator("main")).to_contain_text("0300 123 4567")
    expect(page.locator("footer")).to_contain_text("fis@testshire.example")


def test_an_administrator_renames_the_council_and_removes_the_phase_banner_without_javascript(
    no_js_page, live_server, database
):
    page = no_js_page
    page.set_default_timeout(15_000)
    sign_in_administrator(page, live_server, database, "bea@example.com")
    page.locator("#group-service").get_by_role("link", name="Change").click()
    expect_title(page, "Service – Site settings")
    page.get_by_label("Council name").fill("Northshire Council")
    page.get_by_label("No phase banner").check()
    page.get_by_role("button", name="Save changes").click()
    expect_title(page, "Site settings – Family services portal – Northshire Council")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your changes to Service have been saved.")
    # (axe-core is itself JavaScript: it runs on every page in the test above, with JavaScript on)

    page.goto(live_server.url + "/about")
    expect(page.locator("header")).to_contain_text("Northshire Council")
    expect(page.locator(".govuk-phase-banner")).to_have_count(0)
    expect(page.locator("footer")).to_contain_text("This service is run by Northshire Council.")

    page.goto(live_server.url + "/admin/settings")
    page.locator("#group-service").get_by_role("link", name="Reset to default").first.click()
    expect_title(page, "Reset council name to its default")
    page.get_by_role("button", name="Reset to default").click()
    expect_title(page, "Site settings – Family services portal – Testshire Council")
    database.expire_all()
    actions = database.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "site_setting")).all()
    assert sorted(actions) == ["site_setting.changed", "site_setting.changed", "site_setting.reset"]
