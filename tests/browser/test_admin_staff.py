"""Staff users in Chromium: every page of the area (with its errors) passes axe, an administrator
invites a caseworker, and the caseworker accepts with an authenticator app; the invitation journey
also works with JavaScript turned off.

The administrator signs in with an authenticator app (journeys.py); the invited person sets one up, and
its codes are made with pyotp, as the app would. The invitation's link is read from the email waiting in
the outbox.
"""

from __future__ import annotations

import re

import pyotp
import pytest
from accessibility import assert_accessible
from helpers import staff_with_authenticator_app
from journeys import an_administrator, expect_title, screenshot, sign_in_as_staff, visit
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.models import OutboxMessage, Role

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a long staff passphrase for testing"


def shot(page: Page, name: str) -> None:
    screenshot(page, f"staff-{name}")


def invitation_link(db, email: str) -> str:
    db.expire_all()
    message = db.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == email).order_by(OutboxMessage.id.desc())
    ).first()
    match = re.search(r"https?://[^/\s]+(/admin/invitation/\S+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def invite(page: Page, forename: str, surname: str, email: str, role: str) -> None:
    page.get_by_role("button", name="Invite a member of staff").click()
    expect_title(page, "Invite a member of staff")
    page.get_by_label("First name").fill(forename)
    page.get_by_label("Last name").fill(surname)
    page.get_by_label("Email address").fill(email)
    page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Send invitation").click()


def accept_with_app(page: Page, base_url: str, link: str, *, check: bool) -> None:
    """The invited person opens the link, creates a password and sets up an authenticator app."""
    page.goto(base_url + link)
    expect_title(page, "Create a password for the staff area")
    if check:
        assert_accessible(page)
        shot(page, "accept")
        page.get_by_role("button", name="Continue").click()
        expect_title(page, "Error: Create a password for the staff area")
        assert_accessible(page)
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect_title(page, "Set up two-step verification")
    if check:
        assert_accessible(page)
        page.get_by_role("button", name="Continue").click()
        expect_title(page, "Error: Set up two-step verification")
        assert_accessible(page)
        shot(page, "two-step-error")
    page.get_by_label("With an authenticator app").check()
    page.get_by_role("button", name="Continue").click()
    expect_title(page, "Set up your authenticator app")
    if check:
        assert_accessible(page)
        shot(page, "app")
    key = page.locator(".app-secret-key").inner_text()
    page.get_by_label("Code from your app").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Turn on two-step verification").click()
    expect_title(page, "Your recovery codes")
    if check:
        assert_accessible(page)
    page.get_by_role("button", name="Continue to the staff area").click()
    expect_title(page, "Staff area")


def test_an_administrator_manages_staff_and_an_invited_caseworker_accepts(page, new_page, live_server, database):
    admin = an_administrator(database)
    staff_with_authenticator_app(database, role=Role.CASEWORKER, email="jane@example.com")
    sign_in_as_staff(page, live_server.url, admin, next_url="/admin/staff")
    main = page.locator("main")

    expect_title(page, "Staff users")
    assert_accessible(page)
    shot(page, "list")
    page.get_by_role("button", name="Invite a member of staff").click()
    expect_title(page, "Invite a member of staff")
    assert_accessible(page)
    page.get_by_role("button", name="Send invitation").click()
    expect_title(page, "Error: Invite a member of staff")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter their first name")
    expect(summary).to_contain_text("Select a role")
    assert_accessible(page)
    shot(page, "invite-errors")
    page.get_by_role("link", name="Back").click()

    invite(page, "Carol", "Case", "carol@council.example", "Caseworker")
    expect_title(page, "Carol Case")
    expect(main).to_contain_text("An invitation has been sent to carol@council.example")
    assert_accessible(page)
    shot(page, "member-invited")
    carol_url = page.url
    for link, title in (
        ("Re-send invitation", "Re-send the invitation to Carol Case?"),
        ("Cancel the invitation", "Are you sure you want to cancel the invitation to Carol Case?"),
    ):
        if link == "Re-send invitation":
            page.goto(carol_url + "/resend-invitation")
        else:
            page.get_by_role("link", name=link).click()
        expect_title(page, title)
        assert_accessible(page)
        page.get_by_role("link", name="Cancel").click()
        expect_title(page, "Carol Case")
    page.get_by_role("button", name="Re-send invitation").click()
    expect_title(page, "Carol Case")
    expect(main).to_contain_text("A new invitation has been sent")
    page.get_by_role("link", name="Change role").click()
    expect_title(page, "Change role for Carol Case")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()

    # Jane's page: deactivate, reactivate and reset two-step verification, each confirmed.
    page.get_by_role("link", name="Back to staff users").click()
    page.get_by_role("link", name="Jane Smith").click()
    expect_title(page, "Jane Smith")
    assert_accessible(page)
    page.get_by_role("link", name="Deactivate account").click()
    expect_title(page, "Are you sure you want to deactivate Jane Smith’s account?")
    assert_accessible(page)
    shot(page, "confirm-deactivate")
    page.get_by_role("button", name="Yes, deactivate this account").click()
    expect_title(page, "Jane Smith")
    expect(main).to_contain_text("has been deactivated")
    jane_url = page.url
    visit(page, jane_url + "/reactivate", "Reactivate Jane Smith’s account?")
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("button", name="Reactivate account").click()
    expect(main).to_contain_text("has been reactivated")
    page.get_by_role("link", name="Reset two-step verification").click()
    expect_title(page, "Are you sure you want to reset two-step verification for Jane Smith?")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, reset two-step verification").click()
    expect(main).to_contain_text("Two-step verification has been reset for Jane Smith")
    assert_accessible(page)
    shot(page, "member-active")

    # Ada's own page says why some buttons are missing; trying anyway shows the reason as an error.
    visit(page, live_server.url + f"/admin/staff/{admin.id}", "Ada Admin")
    expect(main).to_contain_text("You cannot deactivate your own account")
    visit(page, live_server.url + f"/admin/staff/{admin.id}/deactivate", "Error: Ada Admin", "staff-member-refused")

    # Carol accepts, in a browser of her own.
    link = invitation_link(database, "carol@council.example")
    carol = new_page()
    accept_with_app(carol, live_server.url, link, check=True)
    carol.goto(live_server.url + "/admin/queue")
    expect_title(carol, "Review queue")
    assert carol.goto(live_server.url + "/admin/staff").status == 403
    # The link worked once.
    visit(carol, live_server.url + link, "This link has expired or has already been used")

    page.goto(live_server.url + "/admin/staff")
    expect(page.locator("main")).to_contain_text("On: authenticator app")


def test_inviting_and_accepting_work_without_javascript(no_js_page, new_page, live_server, database):
    page = no_js_page
    sign_in_as_staff(page, live_server.url, an_administrator(database), next_url="/admin/staff")
    expect_title(page, "Staff users")
    page.get_by_role("button", name="Invite a member of staff").click()
    page.get_by_role("button", name="Send invitation").click()
    expect_title(page, "Error: Invite a member of staff")
    page.get_by_role("link", name="Back").click()
    invite(page, "Kit", "Kay", "kit@council.example", "Administrator")
    expect_title(page, "Kit Kay")
    expect(page.locator("main")).to_contain_text("An invitation has been sent to kit@council.example")
    shot(page, "no-js-member")

    kit = new_page(java_script_enabled=False)  # a browser of Kit's own
    accept_with_app(kit, live_server.url, invitation_link(database, "kit@council.example"), check=False)
    kit.goto(live_server.url + "/admin/staff")
    expect_title(kit, "Staff users")  # an administrator now
