"""GDPR administration in Chromium: every page (and pages showing validation errors) passes axe with no
violations, and an administrator publishes a new consent statement with JavaScript switched off, which
a parent is then asked to agree to."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from accessibility import assert_accessible
from helpers import DEFAULT_PASSWORD, make_user
from journeys import an_administrator, expect_title, screenshot, sign_in_as_staff, visit
from playwright.sync_api import expect
from sqlalchemy import select

from portal.config import AccountSettings
from portal.models import Application, ApplicationStatus, Child, ConsentStatement, FormVersion, Upload, User, utcnow
from portal.services import consent
from portal.services.consent_admin import london_date
from portal.services.forms import definition_files, load_definitions
from portal.services.withdrawals import WITHDRAWAL_PATH

pytestmark = pytest.mark.browser

FORMS = Path(__file__).resolve().parents[2] / "form_definitions"


def a_family_that_withdrew(db, settings: AccountSettings) -> int:
    """A parent with a child, a sent application and an upload, who then withdrew consent."""
    assert load_definitions(db, definition_files(FORMS)).ok
    version = db.scalars(select(FormVersion).where(FormVersion.code == "two_year_old_funding")).first()
    parent = make_user(db, email="priya@example.com", forename="Priya", surname="Shah")
    child = Child(parent_id=parent.id, forename="Zoë", surname="Shah", date_of_birth=date(2024, 3, 15))
    db.add(child)
    db.flush()
    application = Application(
        user_id=parent.id, child_id=child.id, form_version_id=version.id, form_code=version.code,
        status=ApplicationStatus.SUBMITTED, answers={}, reference="2YO-GDPR-0001",
        submitted_summary={"form_title": version.title, "sections": [], "declarations": []},
        submitted_at=utcnow(), updated_at=utcnow(),
    )  # fmt: skip
    db.add(application)
    db.flush()
    db.add(Upload(user_id=parent.id, application_id=application.id, question_code="evidence",
                  original_filename="benefit-letter.pdf", storage_key="browser-test-key", size=2048,
                  content_type="application/pdf"))  # fmt: skip
    db.commit()
    consent.withdraw(db, parent, "192.0.2.1", settings)
    return parent.id


def test_every_gdpr_page_passes_axe(page, live_server, database):
    base = live_server.url
    admin = an_administrator(database)
    parent_id = a_family_that_withdrew(database, AccountSettings.from_config(live_server.app.config))
    sign_in_as_staff(page, base, admin, next_url="/admin/gdpr")
    expect_title(page, "GDPR administration")
    assert_accessible(page)
    screenshot(page, "gdpr-index")

    # Consent statements: the list, a version, the form with errors, a preview, a scheduled one.
    page.get_by_role("link", name="Consent statements").click()
    expect_title(page, "Consent statements")
    assert_accessible(page)
    page.get_by_role("button", name="Add a new version").click()
    expect_title(page, "Add a new consent statement version")
    assert_accessible(page)
    page.get_by_label("Consent statement").fill("")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_role("button", name="Save statement").click()
    expect_title(page, "Error: Add a new consent statement version")
    assert_accessible(page)
    screenshot(page, "gdpr-statement-errors")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the consent statement")
    expect(summary).to_contain_text("Publication date must be a real date")
    later = london_date(utcnow()) + timedelta(days=14)
    page.get_by_label("Consent statement").fill("We now share information with **health visitors**.")
    page.get_by_label("Day").fill(str(later.day))
    page.get_by_label("Month").fill(str(later.month))
    page.get_by_label("Year").fill(str(later.year))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".app-preview strong")).to_have_text("health visitors")
    assert_accessible(page)
    page.get_by_role("button", name="Save statement").click()
    expect_title(page, "Consent statements")
    expect(page.locator("main")).to_contain_text("Version 2 is scheduled")
    assert_accessible(page)
    screenshot(page, "gdpr-statements")
    page.get_by_role("link", name="Version 2", exact=True).click()
    expect_title(page, "Consent statement version 2")
    assert_accessible(page)
    page.get_by_role("button", name="Change this statement").click()
    expect_title(page, "Change consent statement version 2")
    assert_accessible(page)
    page.go_back()
    page.get_by_role("button", name="Cancel this statement").click()
    expect_title(page, "Are you sure you want to cancel consent statement version 2?")
    assert_accessible(page)
    first = database.scalars(select(ConsentStatement).where(ConsentStatement.version == 1)).one()
    visit(page, f"{base}/admin/gdpr/statements/{first.id}/change", "Consent statement version 1 has been published")

    # The alert list, with an error.
    visit(page, base + "/admin/gdpr/alert-list", "Withdrawal alert list")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Add email address").click()
    expect_title(page, "Error: Withdrawal alert list")
    assert_accessible(page)
    page.get_by_label("Email address").fill("dpo@council.example")
    page.get_by_role("button", name="Add email address").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("dpo@council.example has been added")
    assert_accessible(page)
    screenshot(page, "gdpr-alert-list")

    # Withdrawals: the list, one withdrawal with an error, then actioned.
    visit(page, base + "/admin/gdpr/withdrawals", "Consent withdrawals", "gdpr-withdrawals")
    page.get_by_role("link", name=re.compile(rf"^{parent_id}")).click()
    expect_title(page, f"Withdrawal of consent: account {parent_id}")
    assert_accessible(page)
    page.get_by_role("button", name="Mark as actioned").click()
    expect_title(page, f"Error: Withdrawal of consent: account {parent_id}")
    assert_accessible(page)
    page.get_by_label("What was done").fill("Kept the application for the funding audit.")
    page.get_by_role("button", name="Mark as actioned").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("marked as actioned")
    assert_accessible(page)
    screenshot(page, "gdpr-withdrawal")
    assert page.url.endswith(WITHDRAWAL_PATH + page.url.rsplit("/", 1)[1])

    # Consent history and subject access: an empty search, nothing found, a match, the account.
    visit(page, base + "/admin/gdpr/people", "Consent history and subject access")
    page.get_by_role("button", name="Search").click()
    expect_title(page, "Error: Consent history and subject access")
    assert_accessible(page)
    page.get_by_label("Email address or account reference").fill("nobody@example.com")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("No accounts found")
    assert_accessible(page)
    page.get_by_label("Email address or account reference").fill("priya@")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("1 account found")
    assert_accessible(page)
    page.get_by_role("link", name=str(parent_id), exact=True).click()
    expect_title(page, f"Consent history: account {parent_id}")
    assert_accessible(page)
    screenshot(page, "gdpr-person")
    page.get_by_role("link", name="Export everything held about this account").click()
    expect_title(page, f"Subject access: account {parent_id}")
    assert_accessible(page)
    screenshot(page, "gdpr-subject-access")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as PDF").click()
    assert download.value.suggested_filename.startswith(f"subject-access-{parent_id}-")


def test_an_administrator_publishes_a_statement_without_javascript(no_js_page, new_page, live_server, database):
    page = no_js_page
    base = live_server.url
    admin = an_administrator(database)
    make_user(database, email="sam@example.com", forename="Sam", surname="Parent")
    sign_in_as_staff(page, base, admin, next_url="/admin/gdpr")
    expect_title(page, "GDPR administration")
    page.get_by_role("link", name="Consent statements").click()
    page.get_by_role("button", name="Add a new version").click()
    expect_title(page, "Add a new consent statement version")
    page.get_by_label("Consent statement").fill("Version two. We share with **health visitors**.")
    page.get_by_label("Words beside the tick box").fill("I agree to version two of the statement")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".app-preview strong")).to_have_text("health visitors")
    page.get_by_role("button", name="Save statement").click()
    expect_title(page, "Consent statements")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 2 is published")

    parent = new_page(java_script_enabled=False)  # a browser of the parent's own
    parent.goto(base + "/sign-in")
    parent.get_by_label("Email address").fill("sam@example.com")
    parent.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    parent.get_by_role("button", name="Sign in").click()
    expect_title(parent, "Our data protection statement has changed")
    expect(parent.locator("main")).to_contain_text("health visitors")
    parent.get_by_label("I agree to version two of the statement").check()
    parent.get_by_role("button", name="Continue").click()
    expect(parent).not_to_have_title(re.compile("^Our data protection statement has changed"))
    sam = database.scalars(select(User).where(User.email == "sam@example.com")).one()
    assert [entry.version for entry in consent.history(database, sam)] == [2, 1]
