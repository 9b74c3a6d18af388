"""The form builder in Chromium: every page passes axe (the question editor with its errors and the
preview included), conditions are checked as they are typed, and a small form is built and published
with JavaScript off.

The administrator signs in with an authenticator app (journeys.py). Data goes in through the live
server's own sessionmaker; every table and the portal's cache of built forms are emptied afterwards
(conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from accessibility import assert_accessible
from journeys import an_administrator, expect_title, screenshot, sign_in_as_staff
from playwright.sync_api import expect
from sqlalchemy import select

from portal.models import FormStatus, FormVersion
from portal.services.forms import definition_files, load_definitions

pytestmark = pytest.mark.browser

SHIPPED = Path(__file__).resolve().parents[2] / "form_definitions"


def checked(page, name: str) -> None:
    """axe on the page as it is now, and a screenshot to look at."""
    assert_accessible(page)
    screenshot(page, f"builder-screens/{name}")


@pytest.fixture
def administrator(database):
    return an_administrator(database, "ada.admin@example.com")


def add_question(page, type_label: str, fill: dict[str, str], *, required: bool = True) -> None:
    page.get_by_role("link", name=re.compile("^Add a question")).last.click()
    expect_title(page, "What type of answer do you want?")
    page.get_by_label(type_label, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect_title(page, "Add a question")
    for label, value in fill.items():
        page.get_by_label(label, exact=True).fill(value)
    if required:
        page.get_by_label("The question must be answered").check()
    page.get_by_role("button", name="Save question").click()


def test_every_builder_page_passes_axe(page, live_server, database, administrator):
    assert load_definitions(database, definition_files(SHIPPED)).ok
    sign_in_as_staff(page, live_server.url, administrator, next_url="/admin/builder")
    expect_title(page, "Form builder")
    checked(page, "forms")

    page.get_by_role("link", name="Create a form").click()
    expect_title(page, "Create a form")
    page.get_by_role("button", name="Create form").click()
    expect_title(page, "Error: Create a form")
    checked(page, "form-new-errors")
    page.get_by_label("Title").fill("Tell us about a move")
    page.get_by_label("Code").fill("house_move")
    page.get_by_role("button", name="Create form").click()
    expect_title(page, "Tell us about a move – Form builder")
    checked(page, "form-empty")

    page.get_by_role("link", name="Add a page").click()
    expect_title(page, "Add a page")
    checked(page, "page-new")
    page.get_by_label("Page heading").fill("Your new address")
    page.get_by_role("button", name="Save page").click()
    expect_title(page, "Tell us about a move")

    page.get_by_role("link", name=re.compile("^Add a question")).click()
    expect_title(page, "What type of answer do you want?")
    checked(page, "question-type")
    page.get_by_label("Date", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect_title(page, "Add a question")
    checked(page, "question-new-date")
    expect(page.get_by_label("Pattern the answer must match (optional)")).to_have_count(0)  # not for dates
    expect(page.get_by_label("Maximum length in characters (optional)")).to_have_count(0)
    page.locator("#before-day").fill("31")
    page.locator("#before-month").fill("2")
    page.locator("#before-year").fill("2030")
    page.get_by_label("Ask this question only when (optional)").fill("moved = ")
    page.get_by_role("button", name="Save question").click()
    expect_title(page, "Error: Add a question")
    errors = page.locator(".govuk-error-summary")
    expect(errors).to_contain_text("Enter the question")
    expect(errors).to_contain_text("Before must be a real date")
    expect(errors).to_contain_text("Cannot read the condition")
    checked(page, "question-new-errors")
    page.get_by_label("Question", exact=True).fill("When did you move?")
    page.locator("#before-day").fill("")
    page.locator("#before-month").fill("")
    page.locator("#before-year").fill("")
    page.get_by_label("Ask this question only when (optional)").fill("")
    page.get_by_label("In the past").check()
    page.get_by_role("button", name="Save question").click()
    expect_title(page, "Tell us about a move")
    add_question(page, "Text, one line", {"Question": "Your new postcode"})
    expect_title(page, "Tell us about a move")
    checked(page, "form-built")

    page.get_by_role("link", name="Change question When did you move?").click()
    expect_title(page, "Change a question")
    checked(page, "question-edit")
    page.get_by_role("link", name="Back").click()

    page.get_by_role("link", name="Change title").click()
    expect_title(page, "Form details")
    checked(page, "details")
    page.go_back()
    page.get_by_role("link", name="Add a declaration").click()
    expect_title(page, "Add a declaration")
    checked(page, "declaration")
    page.get_by_label("Declaration", exact=True).fill("The information I have given is true.")
    page.get_by_role("button", name="Save declaration").click()
    page.get_by_role("link", name=re.compile("^Delete declaration")).click()
    expect_title(page, "Are you sure you want to delete this declaration?")
    checked(page, "declaration-delete")
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name=re.compile("^Delete question Your new postcode")).click()
    expect_title(page, "Are you sure you want to delete the question")
    checked(page, "question-delete")
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name=re.compile("^Delete page")).click()
    expect_title(page, "Are you sure you want to delete the page")
    checked(page, "page-delete")
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Make a copy").click()
    expect_title(page, "Make a copy")
    checked(page, "clone")
    page.go_back()

    page.get_by_role("link", name="Preview", exact=True).click()
    expect_title(page, "Preview: Tell us about a move")
    checked(page, "preview-start")
    page.get_by_role("button", name="Start now").click()
    expect_title(page, "Preview: Your new address")
    page.get_by_role("button", name="Continue").click()
    expect_title(page, "Error: Preview: Your new address")
    checked(page, "preview-page-errors")
    page.locator("#when_did_you_move-day").fill("1")
    page.locator("#when_did_you_move-month").fill("3")
    page.locator("#when_did_you_move-year").fill("2024")
    page.get_by_label("Your new postcode").fill("NN1 1AA")
    page.get_by_role("button", name="Continue").click()
    expect_title(page, "Preview: Check your answers")
    checked(page, "preview-check")
    page.get_by_label("The information I have given is true.").check()
    page.get_by_role("button", name="Accept and send").click()
    expect_title(page, "Preview: The application could be sent")
    checked(page, "preview-sent")
    page.get_by_role("link", name="Back to the form builder").click()

    page.get_by_role("link", name="Publish").click()
    expect_title(page, "Publish")
    checked(page, "publish")
    page.get_by_role("button", name="Publish").click()
    expect_title(page, "Tell us about a move")
    expect(page.locator("main")).to_contain_text("Version 1 is live")
    page.get_by_role("link", name="Retire").click()
    expect_title(page, "Retire this form")
    checked(page, "retire")
    page.get_by_role("button", name="Retire the form").click()
    page.get_by_role("link", name="Make live again").click()
    expect_title(page, "Make this form live again")
    checked(page, "make-live")
    page.get_by_role("button", name="Make it live").click()

    # a form with problems: the publish page and the preview list them, with links
    page.goto(live_server.url + "/admin/builder/forms/house_move/pages/new")
    page.get_by_label("Page heading").fill("Anything else")
    page.get_by_role("button", name="Save page").click()
    page.get_by_role("link", name="Publish").click()
    expect_title(page, "Publish")
    expect(page.locator("#publish-problems")).to_contain_text("Must not be empty")
    checked(page, "publish-problems")
    page.goto(live_server.url + "/admin/builder/forms/house_move/preview")
    expect_title(page, "You cannot preview this form yet")
    checked(page, "preview-unavailable")

    # a shipped form's editor, and a question with answers' editor
    page.goto(live_server.url + "/admin/builder/forms/two_year_old_funding")
    expect_title(page, "Apply for free childcare for 2-year-olds – Form builder")
    checked(page, "form-shipped")
    page.goto(live_server.url + "/admin/builder/forms/two_year_old_funding/pages/benefits")
    expect_title(page, "Change a page")
    checked(page, "page-edit")

    page.goto(live_server.url + "/admin/builder/import")
    expect_title(page, "Import a form definition")
    page.get_by_label("Upload a form definition").set_input_files(
        files=[{"name": "broken.yaml", "mimeType": "text/yaml", "buffer": b"code: broken\ntitle: [\n"}]
    )
    page.get_by_role("button", name="Import").click()
    expect_title(page, "Error: Import a form definition")
    expect(page.locator("#import-problems")).to_contain_text("YAML syntax error")
    checked(page, "import-errors")

    page.goto(live_server.url + "/admin/builder/lists")
    expect_title(page, "Named option lists")
    checked(page, "lists")
    page.get_by_role("link", name="Create a list").click()
    page.get_by_role("button", name="Save list").click()
    expect_title(page, "Error: Create a list")
    checked(page, "list-errors")
    page.get_by_label("Name of the list").fill("Local councils")
    page.get_by_label("Options").fill("North Council\nSouth Council")
    page.get_by_role("button", name="Save list").click()
    page.get_by_role("link", name="Local councils").click()
    expect_title(page, "Change a list")
    checked(page, "list-edit")
    page.get_by_role("link", name="Delete this list").click()
    expect_title(page, "Are you sure you want to delete this list?")
    checked(page, "list-delete")


def test_conditions_are_checked_as_they_are_typed(page, live_server, database, administrator):
    assert load_definitions(database, definition_files(SHIPPED)).ok
    question = "/admin/builder/forms/thirty_hours_foster_carer/questions/eligibility_code"
    sign_in_as_staff(page, live_server.url, administrator, next_url=question)
    expect_title(page, "Change a question")
    # The title is in before the page's scripts have run: typing sooner would go unchecked (static/builder.js
    # starts listening once the module script has run, which is before the load event).
    page.wait_for_load_state("load")
    condition = page.get_by_label("Ask this question only when (optional)")
    condition.fill("has_code = 3")
    result = page.locator("#show_if-check")
    expect(result).to_contain_text("Cannot compare true/false with number")
    condition.fill("has_code = true and carer_in_work")
    expect(result).to_contain_text("The condition is valid.")
    checked(page, "live-validation")


def test_build_and_publish_a_small_form_without_javascript(no_js_page, live_server, database, administrator):
    page = no_js_page
    page.set_default_timeout(15_000)
    sign_in_as_staff(page, live_server.url, administrator, next_url="/admin/builder")
    expect_title(page, "Form builder")
    page.get_by_role("link", name="Create a form").click()
    page.get_by_label("Title").fill("Ask for a call back")
    page.get_by_label("Code").fill("call_back")
    page.get_by_role("button", name="Create form").click()
    page.get_by_role("link", name="Add a page").click()
    page.get_by_label("Page heading").fill("Your details")
    page.get_by_role("button", name="Save page").click()
    add_question(page, "Telephone number", {"Question": "Your telephone number"})
    add_question(page, "Yes or no", {"Question": "Can we leave a message?"}, required=False)
    page.get_by_role("button", name="Move up question Can we leave a message?").click()
    # The same page again, its title unchanged: wait for the questions' new order, not for the title.
    rows = page.locator("#page-your_details .govuk-summary-list__key")
    expect(rows).to_have_text(["Can we leave a message?", "Your telephone number"])
    expect_title(page, "Ask for a call back – Form builder")
    page.get_by_role("link", name="Add a page").click()
    page.get_by_label("Page heading").fill("Good times to call")
    page.get_by_label("Show this page only when (optional)").fill("can_we_leave_a_message = true")
    page.get_by_role("button", name="Save page").click()
    add_question(page, "Text, several lines", {"Question": "When should we call?"})
    page.get_by_role("link", name="Publish").click()
    expect_title(page, "Publish")
    page.get_by_role("button", name="Publish").click()
    expect_title(page, "Ask for a call back – Form builder")
    expect(page.locator("main")).to_contain_text("Version 1 is live")
    row = database.scalars(select(FormVersion).where(FormVersion.code == "call_back")).one()
    assert row.status is FormStatus.LIVE
    assert [g["code"] for g in row.definition["groups"]] == ["your_details", "good_times_to_call"]
    assert row.definition["groups"][1]["show_if"] == "can_we_leave_a_message = true"
