"""The two-year-old application in Chromium on a phone-sized screen, with axe on every page, and with JavaScript off."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from accessibility import assert_accessible
from helpers import DEFAULT_PASSWORD, make_user
from playwright.sync_api import expect
from sqlalchemy import select

from portal.models import Application, ApplicationStatus, Child
from portal.services.forms import definition_files, load_definitions

pytestmark = pytest.mark.browser

SHIPPED = Path(__file__).resolve().parents[2] / "form_definitions"
TODAY = date.today()
CHILD_DOB = date(TODAY.year - 2, 1, 15) if TODAY.month > 3 else date(TODAY.year - 3, 12, 15)
PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\n"
    b"endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def parent(database):
    """A parent with one child and the shipped forms (every table is emptied afterwards: conftest.py)."""
    report = load_definitions(database, definition_files(SHIPPED))
    assert report.ok, report.problems
    user = make_user(database, email="phone.parent@example.com")
    database.add(Child(parent_id=user.id, forename="Ada", surname="Parent", date_of_birth=CHILD_DOB, gender="female"))
    database.commit()
    return user


@pytest.fixture
def no_js_phone_page(new_page):
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, java_script_enabled=False)
    page.set_default_timeout(15_000)
    return page


def continue_on(page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def complete_application(page, base: str, tmp_path: Path, *, axe: bool = True) -> None:
    def checked_page(title_start: str) -> None:
        # The click that led here may return before the new page has loaded: wait for its title.
        expect(page).to_have_title(re.compile("^" + re.escape(title_start)))
        if axe:  # axe-core is itself JavaScript: it runs in the journey with JavaScript on
            assert_accessible(page)

    page.goto(base + "/sign-in")
    checked_page("Sign in")
    page.fill("#email", "phone.parent@example.com")
    page.fill("#password", DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    checked_page("Home")
    page.get_by_role("link", name="Start Apply for free childcare for 2-year-olds").click()
    checked_page("Apply for free childcare for 2-year-olds")
    page.get_by_label("Ada Parent").check()
    continue_on(page)

    checked_page("Your details")
    expect(page.locator("main")).to_contain_text("Page 1 of 4")
    continue_on(page)  # nothing filled in: the error summary
    checked_page("Error: Your details")
    page.select_option("#parent_title", "ms")
    page.fill("#parent_first_name", "Sam")
    page.fill("#parent_last_name", "Parent")
    page.fill("#parent_date_of_birth-day", "27")
    page.fill("#parent_date_of_birth-month", "3")
    page.fill("#parent_date_of_birth-year", "1990")
    page.check("input[name=parent_id_type][value=ni]")
    page.check("input[name=relationship_to_child][value=mother]")
    page.check("input[name=parental_responsibility][value=yes]")
    continue_on(page)
    # The NI number question appears once the parent has said they have one.
    checked_page("Error: Your details")
    page.fill("#parent_ni_number", "JG 10 37 59 A")
    continue_on(page)

    checked_page("Your address and contact details")
    page.fill("#address_line_1", "1 High Street")
    page.fill("#address_town", "Northampton")
    page.fill("#address_postcode", "NN1 1AA")
    page.fill("#email", "phone.parent@example.com")
    page.fill("#phone", "01604 000000")
    continue_on(page)

    checked_page("About your child")
    expect(page.locator("#child_first_name")).to_have_value("Ada")  # from the child record
    page.fill("#child_first_language", "English")
    page.check("input[name=child_gender][value=female]")
    continue_on(page)

    checked_page("Why you are applying")
    page.check("input[name=claim_route][value=non_economic]")
    continue_on(page)
    checked_page("Your child's circumstances")
    page.check("input[name=non_economic_reason][value=dla]")
    continue_on(page)

    checked_page("Upload your evidence")
    letter = tmp_path / "DLA letter.pdf"
    letter.write_bytes(PDF)
    page.set_input_files("#evidence_file", str(letter))
    page.get_by_role("button", name="Add document").click()
    checked_page("Upload your evidence")
    expect(page.locator("main")).to_contain_text("DLA letter.pdf")
    continue_on(page)

    checked_page("Check your answers before sending your application")
    expect(page.locator("main")).to_contain_text("Based on your answers, your child may be eligible")
    for declaration in ("truthful", "checks", "changes"):
        page.check(f"#declaration-{declaration}")
    page.get_by_role("button", name="Accept and send").click()

    checked_page("Application sent")
    page.get_by_role("link", name="View your application").click()
    checked_page("Application 2YO-")
    page.get_by_role("link", name="Back").click()
    checked_page("Home")
    page.get_by_role("link", name="My Family").click()
    checked_page("My Family")
    page.goto(base + "/messages")
    checked_page("Messages")


def sent_applications(db) -> list[Application]:
    db.expire_all()
    return list(db.scalars(select(Application).where(Application.status == ApplicationStatus.SUBMITTED)))


def test_a_parent_applies_on_a_phone_and_every_page_is_accessible(phone_page, live_server, parent, database, tmp_path):
    complete_application(phone_page, live_server.url, tmp_path)
    [application] = sent_applications(database)
    assert application.reference.startswith("2YO-")


def test_the_same_journey_works_with_javascript_turned_off(no_js_phone_page, live_server, parent, database, tmp_path):
    complete_application(no_js_phone_page, live_server.url, tmp_path, axe=False)
    assert "js-enabled" not in (no_js_phone_page.locator("body").get_attribute("class") or "")
    assert len(sent_applications(database)) == 1
