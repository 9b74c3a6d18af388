"""Alerts administration in Chromium: every page (with its errors, a preview and a list of deliveries)
passes axe, and an alert is created, turned off and deleted with JavaScript disabled.

The administrator signs in with an authenticator app (journeys.py); the data is written through the live
server's own sessionmaker and every table is emptied afterwards (conftest.py).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from accessibility import assert_accessible
from helpers import make_user
from journeys import an_administrator, expect_title, screenshot, sign_in_as_staff, visit
from playwright.sync_api import expect
from sqlalchemy import select

from portal.models import Alert, Application, ApplicationStatus, Child, FormVersion, StatusChange, utcnow
from portal.services.alert_jobs import deliver_triggered_alerts
from portal.services.alerts import AlertDraft, AlertKind, create_alert
from portal.services.forms import definition_files, load_definitions

pytestmark = pytest.mark.browser

FORMS = Path(__file__).resolve().parents[2] / "form_definitions"


def an_alert_that_has_fired(db) -> Alert:
    """A submission alert, and a submission after it for it to have delivered."""
    assert load_definitions(db, definition_files(FORMS)).ok
    alert = create_alert(
        db,
        AlertDraft(
            name="New two-year-old applications", kind=AlertKind.SUBMITTED, action="email_list",
            form_code="two_year_old_funding", recipients="early.years@council.example",
        ),
    )  # fmt: skip
    version = db.scalars(select(FormVersion).where(FormVersion.code == "two_year_old_funding")).first()
    parent = make_user(db, email="parent@example.com")
    child = Child(parent_id=parent.id, forename="Ada", surname="Parent", date_of_birth=date(2024, 3, 15))
    db.add(child)
    db.flush()
    at = utcnow() + timedelta(seconds=1)
    application = Application(
        user_id=parent.id, child_id=child.id, form_version_id=version.id, form_code=version.code,
        status=ApplicationStatus.SUBMITTED, answers={}, reference="2YO-ALER-T001", submitted_at=at, updated_at=at,
        submitted_summary={"form_title": version.title, "sections": [], "declarations": []},
    )  # fmt: skip
    db.add(application)
    db.flush()
    db.add(StatusChange(application_id=application.id, from_status=ApplicationStatus.DRAFT,
                        to_status=ApplicationStatus.SUBMITTED, actor_id=parent.id, at=at))  # fmt: skip
    db.commit()
    assert deliver_triggered_alerts(db, base_url="http://portal.example") == 1
    return alert


def test_every_alerts_page_passes_axe_with_errors_a_preview_and_deliveries(page, live_server, database):
    fired = an_alert_that_has_fired(database)
    sign_in_as_staff(page, live_server.url, an_administrator(database))
    expect_title(page, "Staff area")
    page.get_by_role("link", name="Alerts").click()

    expect_title(page, "Alerts")
    expect(page.locator("main")).to_contain_text("New two-year-old applications")
    assert_accessible(page)
    screenshot(page, "alerts-list")

    page.get_by_role("button", name="Create an alert").click()
    expect_title(page, "What sets off the alert?")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect_title(page, "Error: What sets off the alert?")
    assert_accessible(page)
    page.get_by_label("Submissions have waited too long for a decision").check()
    page.get_by_role("button", name="Continue").click()

    expect_title(page, "What does the alert do?")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect_title(page, "Error: What does the alert do?")
    assert_accessible(page)
    page.get_by_label("Send the applicant a message").check()
    page.get_by_role("button", name="Continue").click()

    expect_title(page, "Create an alert")
    assert_accessible(page)
    page.get_by_role("button", name="Save alert").click()
    expect_title(page, "Error: Create an alert")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a name for the alert")
    expect(summary).to_contain_text("Enter the number of days")
    expect(summary).to_be_focused()
    assert_accessible(page)
    screenshot(page, "alerts-new-errors")

    page.get_by_label("Name").fill("Still waiting")
    page.get_by_label("After how many days of waiting?").fill("10")
    expect(page.get_by_label("Email addresses")).to_have_count(0)  # the fields of the action chosen only
    page.get_by_label("Subject").fill("Your application {{Reference}}")
    page.get_by_label("Message").fill("Dear {{Forename}},\n\nWe are still looking at **{{Reference}}**.")
    page.get_by_role("button", name="Preview").click()
    expect_title(page, "Create an alert")
    preview = page.locator("#alert-preview")
    expect(preview).to_contain_text("Your application 2YO-7K3M-Q9TD")
    expect(preview).to_contain_text("Dear Siân,")
    assert_accessible(page)
    screenshot(page, "alerts-new-preview")
    page.get_by_role("button", name="Save alert").click()

    expect_title(page, "Still waiting")
    expect(page.locator("main")).to_contain_text("Alert saved")
    assert_accessible(page)

    # The alert that has fired: its page with deliveries, its edit page with a preview, its delete page.
    visit(page, f"{live_server.url}/admin/alerts/{fired.id}", "New two-year-old applications", "alerts-deliveries")
    expect(page.locator("main")).to_contain_text("2YO-ALER-T001")
    page.get_by_role("button", name="Change alert").click()
    expect_title(page, "Change alert")
    page.get_by_role("button", name="Preview").click()
    expect_title(page, "Change alert")
    expect(page.locator("#alert-preview")).to_contain_text("New two-year-old applications: 2YO-7K3M-Q9TD")
    assert_accessible(page)
    screenshot(page, "alerts-edit-preview")
    page.get_by_label("Email addresses").fill("not an address")
    page.get_by_role("button", name="Save alert").click()
    expect_title(page, "Error: Change alert")
    assert_accessible(page)
    page.get_by_role("link", name="Change what it does").click()
    expect_title(page, "What does the alert do?")
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()
    expect_title(page, "Change alert")
    page.get_by_role("link", name="Delete this alert").click()
    expect_title(page, "Are you sure you want to delete this alert?")
    assert_accessible(page)


def test_an_alert_is_created_turned_off_and_deleted_without_javascript(no_js_page, live_server, database):
    page = no_js_page
    assert load_definitions(database, definition_files(FORMS)).ok
    sign_in_as_staff(page, live_server.url, an_administrator(database, "bea@example.com"))
    expect_title(page, "Staff area")
    page.goto(live_server.url + "/admin/alerts")
    page.get_by_role("button", name="Create an alert").click()
    page.get_by_label("An application for a form is submitted").check()
    page.get_by_role("button", name="Continue").click()
    expect_title(page, "What does the alert do?")
    page.get_by_label("Email a list of addresses").check()
    page.get_by_role("button", name="Continue").click()

    expect_title(page, "Create an alert")
    page.get_by_label("Name").fill("SEND requests")
    page.get_by_label("Which form?").select_option(label="Ask for an education, health and care needs assessment")
    page.get_by_label("Email addresses").fill("send.team@council.example\nsend.lead@council.example")
    page.get_by_role("button", name="Save alert").click()

    expect_title(page, "SEND requests")
    main = page.locator("main")
    expect(main).to_contain_text("Alert saved")
    expect(main).to_contain_text("send.lead@council.example")
    expect(main).to_contain_text("It has not fired yet.")
    screenshot(page, "alerts-no-js-saved")
    page.get_by_role("button", name="Turn off").click()
    expect_title(page, "SEND requests")
    expect(main).to_contain_text("Alert turned off")
    page.get_by_role("link", name="Back to alerts").click()
    expect_title(page, "Alerts")
    expect(main).to_contain_text(re.compile(r"SEND requests.*Off.*Never", re.S))
    database.expire_all()
    (saved,) = database.scalars(select(Alert)).all()
    assert not saved.active and saved.recipients == ["send.team@council.example", "send.lead@council.example"]

    page.get_by_role("link", name="SEND requests").click()
    page.get_by_role("link", name="Delete this alert").click()
    page.get_by_role("button", name="Yes, delete this alert").click()
    expect_title(page, "Alerts")
    expect(main).to_contain_text("Alert deleted")
    database.expire_all()
    assert database.scalars(select(Alert)).all() == []
