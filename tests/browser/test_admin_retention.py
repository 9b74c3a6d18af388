"""Data retention in Chromium: every page passes axe (the rules list, the rule page with errors, the dry run
report, the refusal, the delete confirmation, a run), and an administrator adds a rule and turns it on
with JavaScript off; the worker's pass then deletes what the report listed."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from accessibility import assert_accessible
from journeys import an_administrator, expect_title, screenshot, sign_in_as_staff
from playwright.sync_api import Page, expect
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "portal"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "citizen_portal"))
from application_helpers import load_shipped_forms  # noqa: E402
from test_retention_service import Family, decided_application  # noqa: E402

from portal.models import Application, ApplicationStatus, RetentionRule, utcnow  # noqa: E402
from portal.services import retention  # noqa: E402
from portal.services.retention import RETENTION_JOB_NAME  # noqa: E402
from portal.uploads import LocalStorage  # noqa: E402
from portal.worker import SCHEDULED_JOBS, run_pass  # noqa: E402

pytestmark = pytest.mark.browser


def applications(db, storage: LocalStorage) -> None:
    load_shipped_forms(db)
    family = Family(db)
    now = utcnow()
    decided_application(db, family, "2YO-BRWS-0001", at=now - timedelta(days=800), storage=storage, files=2)
    decided_application(db, family, "2YO-BRWS-0002", at=now - timedelta(days=200), storage=storage, files=1)
    decided_application(db, family, "2YO-BRWS-0003", at=now - timedelta(days=30))  # too recent
    decided_application(db, family, "2YO-BRWS-0004", status=ApplicationStatus.APPROVED, at=now - timedelta(days=800))


def sign_in_admin(page: Page, live_server, db) -> None:
    sign_in_as_staff(page, live_server.url, an_administrator(db))
    expect_title(page, "Staff area")


def expect_references(page: Page, *references: str) -> None:
    """The dry run report lists these applications, in this order, and no others (waiting for the page)."""
    expect(page.locator(".app-retention-reference")).to_have_text(list(references))


def test_every_retention_page_passes_axe(page, live_server, database):
    storage = LocalStorage(live_server.app.config["UPLOAD_FOLDER"])
    applications(database, storage)
    sign_in_admin(page, live_server, database)
    page.get_by_role("link", name="Data retention").click()
    expect_title(page, "Data retention")
    assert_accessible(page)

    page.get_by_role("button", name="Add a rule").click()
    expect_title(page, "Add a retention rule")
    assert_accessible(page)
    page.get_by_label("How many months").fill("six")
    page.get_by_role("button", name="Save and check the dry run").click()
    expect_title(page, "Error: Add a retention rule")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    screenshot(page, "retention-errors")

    page.get_by_label("Apply for free childcare for 2-year-olds").check()
    page.get_by_label("Rejected").check()
    page.get_by_label("How many months").fill("6")
    page.get_by_role("button", name="Save and check the dry run").click()
    expect_title(page, "Dry run report")
    assert_accessible(page)
    screenshot(page, "retention-dry-run")
    expect_references(page, "2YO-BRWS-0001", "2YO-BRWS-0002")

    # Someone changes the rule while this report is open: turning it on from the old report is refused.
    rule = database.scalars(select(RetentionRule)).one()
    retention.update_rule(database, rule.id, retention.RuleDraft("two_year_old_funding", "rejected", "12"),
                          seen_version=rule.row_version, actor_id=None, client_address=None)  # fmt: skip
    page.get_by_role("button", name="Turn on this rule").click()
    expect_title(page, "The rule was not turned on")
    assert_accessible(page)
    page.get_by_role("link", name="Check the dry run report").click()
    expect_title(page, "Dry run report")
    expect_references(page, "2YO-BRWS-0001")
    page.get_by_role("button", name="Turn on this rule").click()
    expect_title(page, "Data retention")

    assert run_pass(live_server.app, jobs=[job for job in SCHEDULED_JOBS if job.name == RETENTION_JOB_NAME])
    page.reload()
    screenshot(page, "retention-rules")
    assert_accessible(page)
    page.locator("#retention-runs a").first.click()
    expect_title(page, "Retention run on")
    expect(page.locator("main")).to_contain_text("2YO-BRWS-0001")
    assert_accessible(page)

    page.get_by_role("link", name="Back to data retention").click()
    page.get_by_role("link", name=re.compile("^Change")).click()
    expect_title(page, "Change retention rule")
    assert_accessible(page)
    page.get_by_role("link", name="Delete this rule").click()
    expect_title(page, "Are you sure you want to delete this rule?")
    assert_accessible(page)


def test_an_administrator_adds_a_rule_and_turns_it_on_without_javascript(no_js_page, live_server, database):
    page = no_js_page
    storage = LocalStorage(live_server.app.config["UPLOAD_FOLDER"])
    applications(database, storage)
    sign_in_admin(page, live_server, database)
    page.get_by_role("link", name="Data retention").click()
    page.get_by_role("button", name="Add a rule").click()
    page.get_by_role("button", name="Save and check the dry run").click()
    expect_title(page, "Error: Add a retention rule")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select which form the rule is for")

    page.get_by_label("Apply for free childcare for 2-year-olds").check()
    page.get_by_label("Rejected").check()
    page.get_by_label("How many months").fill("6")
    page.get_by_role("button", name="Save and check the dry run").click()
    expect_title(page, "Dry run report")
    expect_references(page, "2YO-BRWS-0001", "2YO-BRWS-0002")
    page.get_by_role("button", name="Turn on this rule").click()

    expect_title(page, "Data retention")
    expect(page.locator("main")).to_contain_text("The rule is on")
    expect(page.locator(".app-retention-rule .app-retention-state")).to_have_text("On")

    run_pass(live_server.app, jobs=[job for job in SCHEDULED_JOBS if job.name == RETENTION_JOB_NAME])
    left = database.scalars(select(Application.reference).order_by(Application.reference)).all()
    assert left == ["2YO-BRWS-0003", "2YO-BRWS-0004"]
