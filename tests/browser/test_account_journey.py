"""Creating an account and signing in, in Chromium, with axe on every page.

The live server's mail settings point nowhere, so the activation link is read from the outbox table,
where the registration wrote it in the same transaction as the account.
"""

import re

import pytest
from accessibility import assert_accessible
from helpers import DEFAULT_PASSWORD
from journeys import expect_title, visit
from playwright.sync_api import expect
from sqlalchemy import select

from portal.models import OutboxMessage

pytestmark = pytest.mark.browser


def test_a_parent_creates_an_account_activates_it_and_signs_in(page, live_server, database):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Create an account").click()

    expect_title(page, "Create an account: data protection – ")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect_title(page, "Error: Create an account: data protection")
    assert_accessible(page)
    page.get_by_label("I agree to the council using my information").check()
    page.get_by_role("button", name="Continue").click()

    expect_title(page, "Create an account: your details – ")
    assert_accessible(page)
    page.get_by_label("Title (optional)").fill("Mr")
    page.get_by_label("First name").fill("Tomasz")
    page.get_by_label("Last name").fill("Nowak")
    page.get_by_label("Email address").fill("tomasz@example.com")
    page.get_by_label("Create a password").fill(DEFAULT_PASSWORD)
    page.get_by_label("Confirm your password").fill("not the same")
    page.get_by_label("Postcode").fill("NN1 1AA")
    page.get_by_role("button", name="Create account").click()
    expect_title(page, "Error: Create an account: your details")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Passwords must match")
    assert_accessible(page)
    page.get_by_label("Create a password").fill(DEFAULT_PASSWORD)
    page.get_by_label("Confirm your password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect_title(page, "Check your email to activate your account – ")
    expect(page.locator("main")).to_contain_text("tomasz@example.com")
    assert_accessible(page)

    email = database.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "tomasz@example.com")).one()
    link = re.search(r"https?://\S+(/register/activate/\S+)", email.body_text).group(1)
    visit(page, live_server.url + link, "Your account is active – ")
    page.get_by_role("link", name="Sign in").last.click()

    expect_title(page, "Sign in – ")
    assert_accessible(page)
    page.get_by_label("Email address").fill("tomasz@example.com")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("body")).to_contain_text("Enable two-step verification now")
    assert_accessible(page)
    page.get_by_role("link", name="My account").click()
    expect_title(page, "My account – ")
    expect(page.locator("main")).to_contain_text("Mr Tomasz Nowak")
    assert_accessible(page)
