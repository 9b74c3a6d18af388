"""Inviting staff: the email arrives on a real SMTP server, its single-use link sets a password and
two-step verification, and only then does the person reach the staff area, with their role's rights.
Addresses that already have an account are never taken over."""

from __future__ import annotations

import re
from datetime import timedelta

from account_helpers import body, deliver, emails_to, link_in, secret_on, submit, text_of, totp_code
from helpers import admin_client, csrf_token_from, error_summary, make_user, page_title, sign_in
from sqlalchemy import func, select
from staff_helpers import NEW_PASSWORD, confirm_form, do, invite, member_by_email

from portal.models import (
    AccountStatus,
    AccountToken,
    AuditEvent,
    OutboxMessage,
    Role,
    TokenPurpose,
    TwoStepMethod,
    utcnow,
)


def accept(client, link: str, password: str = NEW_PASSWORD):
    return submit(client, link, {"password": password, "confirm_password": password})


def test_an_invited_caseworker_sets_a_password_and_an_app_then_reaches_the_queue_but_not_admin_pages(
    make_app, smtp_server, db
):
    app = make_app(SMTP_PORT=smtp_server.port)
    admin = admin_client(app, db)
    assert 'href="/admin/staff"' in admin.get("/admin/").get_data(as_text=True)
    listing = admin.get("/admin/staff").get_data(as_text=True)
    assert page_title(listing).startswith("Staff users")

    invited = invite(admin)
    member = member_by_email(db, "carol@council.example")
    assert invited.status_code == 302 and invited.headers["Location"] == f"/admin/staff/{member.id}"
    page = admin.get(invited.headers["Location"]).get_data(as_text=True)
    assert page_title(page).startswith("Carol Case")
    assert "An invitation has been sent to carol@council.example" in text_of(page)
    assert "Invited" in text_of(page) and "The link expires on" in text_of(page)
    assert member.status is AccountStatus.INVITED and member.role is Role.CASEWORKER
    assert re.search(r"Carol Case.*?carol@council\.example.*?Caseworker.*?Invited.*?Not set up yet.*?Never",
                     text_of(admin.get("/admin/staff").get_data(as_text=True)))  # fmt: skip
    # Nobody can sign in to an invited account (its password is random until accepted).
    assert error_summary(sign_in(app.test_client(), "carol@council.example").get_data(as_text=True)) == [
        "Email address or password is incorrect"
    ]

    deliver(app)
    (email,) = emails_to(smtp_server, "carol@council.example")
    assert email["Subject"] == "You have been invited to the Family services portal staff area"
    assert "Dear Carol Case" in body(email) and "as a caseworker" in body(email)
    assert "expires after 72 hours" in body(email)
    link = link_in(email, "/admin/invitation/")
    secret = link.rsplit("/", 1)[1]
    stored = db.scalars(select(AccountToken.token_hash).where(AccountToken.user_id == member.id)).one()
    assert secret not in stored and len(stored) == 64  # only its SHA-256 is kept

    carol = app.test_client()
    opened = carol.get(link).get_data(as_text=True)
    assert page_title(opened).startswith("Create a password for the staff area")
    assert "invited to use the staff area as a caseworker" in text_of(opened)
    mismatch = submit(carol, link, {"password": NEW_PASSWORD, "confirm_password": "something else entirely"})
    assert error_summary(mismatch.get_data(as_text=True)) == ["Passwords must match"]
    short = accept(carol, link, password="short")
    assert error_summary(short.get_data(as_text=True)) == ["Password must be 10 characters or more"]
    assert page_title(short.get_data(as_text=True)).startswith("Error: Create a password")

    accepted = accept(carol, link)
    assert accepted.headers["Location"] == "/admin/invitation/two-step-verification"
    assert carol.get("/admin/queue").status_code == 302  # not signed in until 2SV is on
    assert carol.get(link).headers["Location"] == "/admin/invitation/two-step-verification"
    assert app.test_client().get(link).status_code == 404  # the link worked once

    choose = carol.get("/admin/invitation/two-step-verification").get_data(as_text=True)
    assert page_title(choose).startswith("Set up two-step verification")
    unanswered = submit(carol, "/admin/invitation/two-step-verification", {})
    assert error_summary(unanswered.get_data(as_text=True)) == ["Select how you want to get your security codes"]
    to_app = submit(carol, "/admin/invitation/two-step-verification", {"method": "app"})
    assert to_app.headers["Location"] == "/admin/invitation/two-step-verification/app"
    setup = carol.get("/admin/invitation/two-step-verification/app").get_data(as_text=True)
    assert page_title(setup).startswith("Set up your authenticator app") and "<svg" in setup
    key = secret_on(setup)
    wrong = submit(carol, "/admin/invitation/two-step-verification/app", {"code": "12345"})
    assert error_summary(wrong.get_data(as_text=True)) == ["Enter the 6-digit code your authenticator app shows now"]
    confirmed = submit(carol, "/admin/invitation/two-step-verification/app", {"code": totp_code(key)})
    assert confirmed.headers["Location"] == "/admin/invitation/recovery-codes"
    codes = carol.get("/admin/invitation/recovery-codes").get_data(as_text=True)
    assert len(re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", codes)) == 10
    assert "Continue to the staff area" in codes
    assert carol.get("/admin/invitation/recovery-codes").headers["Location"] == "/admin/"  # shown once

    queue = carol.get("/admin/queue")
    assert queue.status_code == 200 and page_title(queue.get_data(as_text=True)).startswith("Review queue")
    for url in ("/admin/staff", "/admin/staff/invite", f"/admin/staff/{member.id}", "/admin/announcements"):
        assert carol.get(url).status_code == 403, url

    member = member_by_email(db, "carol@council.example")
    assert member.status is AccountStatus.ACTIVE and member.two_step_method is TwoStepMethod.APP
    assert member.last_signed_in_at is not None
    listing = text_of(admin.get("/admin/staff").get_data(as_text=True))
    assert re.search(r"Carol Case.*?Active.*?On: authenticator app", listing)

    # She signs in again later with her password and the app (a newer code: the first is not replayed).
    again = app.test_client()
    assert sign_in(again, "carol@council.example", NEW_PASSWORD).headers["Location"] == "/sign-in/verify"
    assert submit(again, "/sign-in/verify", {"code": totp_code(key, 1)}).headers["Location"] == "/"
    assert again.get("/admin/queue").status_code == 200

    events = db.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "staff_member", AuditEvent.object_id == str(member.id))
    ).all()
    by_action = {event.action: event for event in events}
    invited_event = by_action["staff.invited"]
    assert invited_event.actor_id != member.id and invited_event.details["before"] is None
    assert invited_event.details["after"]["role"] == "caseworker"
    assert invited_event.details["after"]["status"] == "invited"
    accepted_event = by_action["staff.invitation_accepted"]
    assert accepted_event.actor_id == member.id
    assert accepted_event.details == {"before": {"status": "invited"}, "after": {"status": "active"}}
    history = text_of(admin.get(f"/admin/staff/{member.id}").get_data(as_text=True))
    assert "Invitation accepted" in history and "Invited" in history and "Ada Admin" in history


def test_choosing_codes_by_email_signs_the_person_in_and_later_sign_ins_email_a_code(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port)
    admin = admin_client(app, db)
    invite(admin, role="admin", forename="Alan", surname="Other", email="alan@council.example")
    deliver(app)
    link = link_in(emails_to(smtp_server, "alan@council.example")[0], "/admin/invitation/")
    assert "as an administrator" in body(emails_to(smtp_server, "alan@council.example")[0])
    alan = app.test_client()
    accept(alan, link)
    done = submit(alan, "/admin/invitation/two-step-verification", {"method": "email"})
    assert done.headers["Location"] == "/admin/"
    assert alan.get("/admin/staff").status_code == 200  # an administrator
    member = member_by_email(db, "alan@council.example")
    assert member.two_step_method is TwoStepMethod.EMAIL
    submit(alan, "/sign-out", page_url="/admin/")
    assert sign_in(alan, "alan@council.example", NEW_PASSWORD).headers["Location"] == "/sign-in/verify"
    deliver(app)
    assert "verification code" in emails_to(smtp_server, "alan@council.example")[-1]["Subject"].lower()


def test_an_expired_invitation_shows_the_link_expired_page_and_can_be_resent_once(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port, STAFF_INVITATION_LINK_HOURS=1)
    admin = admin_client(app, db)
    invite(admin)
    deliver(app)
    first_email = emails_to(smtp_server, "carol@council.example")[0]
    assert "expires after 1 hours" in body(first_email)
    old_link = link_in(first_email, "/admin/invitation/")
    member = member_by_email(db, "carol@council.example")
    token = db.scalars(select(AccountToken).where(AccountToken.user_id == member.id)).one()
    assert timedelta(minutes=59) < token.expires_at - utcnow() <= timedelta(hours=1)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()

    expired = app.test_client().get(old_link)
    assert expired.status_code == 404
    html = expired.get_data(as_text=True)
    assert page_title(html).startswith("This link has expired or has already been used")
    assert "Invitation links work once and expire after 1 hours" in text_of(html)
    late = app.test_client()
    token_from_another_page = csrf_token_from(late.get("/sign-in").get_data(as_text=True))
    posted = late.post(old_link, data={"csrf_token": token_from_another_page, "password": NEW_PASSWORD,
                                       "confirm_password": NEW_PASSWORD})  # fmt: skip
    assert posted.status_code == 404 and member_by_email(db, "carol@council.example").status is AccountStatus.INVITED
    assert "Invitation expired" in text_of(admin.get("/admin/staff").get_data(as_text=True))
    assert "The link expired on" in text_of(admin.get(f"/admin/staff/{member.id}").get_data(as_text=True))

    # Re-send: the confirmation page's form posted twice sends one new email.
    data = confirm_form(admin, member.id, "resend-invitation")
    first = admin.post(f"/admin/staff/{member.id}/resend-invitation", data=data)
    second = admin.post(f"/admin/staff/{member.id}/resend-invitation", data=data)
    assert first.headers["Location"] == second.headers["Location"] == f"/admin/staff/{member.id}"
    assert "A new invitation has been sent to carol@council.example" in text_of(
        admin.get(f"/admin/staff/{member.id}").get_data(as_text=True)
    )
    deliver(app)
    assert len(emails_to(smtp_server, "carol@council.example")) == 2
    new_link = link_in(emails_to(smtp_server, "carol@council.example")[1], "/admin/invitation/")
    assert new_link != old_link and app.test_client().get(old_link).status_code == 404
    resent = db.scalars(select(func.count()).where(AuditEvent.action == "staff.invitation_resent")).one()
    assert resent == 1
    carol = app.test_client()
    assert accept(carol, new_link).headers["Location"] == "/admin/invitation/two-step-verification"


def test_the_set_up_must_follow_soon_after_the_password_or_the_person_signs_in_and_is_asked_for_2sv(
    make_app, smtp_server, db
):
    app = make_app(SMTP_PORT=smtp_server.port)
    admin = admin_client(app, db)
    invite(admin)
    deliver(app)
    link = link_in(emails_to(smtp_server, "carol@council.example")[0], "/admin/invitation/")
    carol = app.test_client()
    accept(carol, link)
    with carol.session_transaction() as browser_session:
        pending = dict(browser_session["staff_set_up"])
        browser_session["staff_set_up"] = {**pending, "since": (utcnow() - timedelta(minutes=31)).isoformat()}
    assert carol.get("/admin/invitation/two-step-verification").headers["Location"] == "/sign-in"
    # Signing in with the password works, but the staff area asks for two-step verification first.
    assert sign_in(carol, "carol@council.example", NEW_PASSWORD).headers["Location"] == "/"
    refused = carol.get("/admin/queue")
    assert refused.status_code == 403
    assert page_title(refused.get_data(as_text=True)).startswith("Two-step verification needed")


def test_an_invitation_can_be_cancelled_and_the_address_invited_again(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port)
    admin = admin_client(app, db)
    invite(admin)
    deliver(app)
    link = link_in(emails_to(smtp_server, "carol@council.example")[0], "/admin/invitation/")
    member = member_by_email(db, "carol@council.example")
    confirm = admin.get(f"/admin/staff/{member.id}/cancel-invitation").get_data(as_text=True)
    assert page_title(confirm).startswith("Are you sure you want to cancel the invitation to Carol Case?")
    cancelled = do(admin, member.id, "cancel-invitation")
    assert cancelled.headers["Location"] == "/admin/staff"
    listing = text_of(admin.get("/admin/staff").get_data(as_text=True))
    assert "The invitation to Carol Case has been cancelled" in listing and "carol@council.example" not in listing
    assert app.test_client().get(link).status_code == 404
    assert admin.get(f"/admin/staff/{member.id}").status_code == 404
    assert member_by_email(db, "carol@council.example").status is AccountStatus.CLOSED

    again = invite(admin, role="admin")
    assert again.status_code == 302
    assert member_by_email(db, "carol@council.example").id != member.id


def test_an_address_with_a_parent_account_is_not_turned_into_a_staff_account(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    parent = make_user(db, email="carol@council.example", forename="Carol", surname="Parent")
    refused = invite(admin)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and page_title(html).startswith("Error: Invite a member of staff")
    assert error_summary(html) == [
        "This email address belongs to a parent’s account on the portal. A parent’s account cannot become a "
        "staff account: invite them with a different email address, such as their work email address"
    ]
    db.expire_all()
    assert db.get(type(parent), parent.id).role is Role.PARENT
    assert db.scalars(select(func.count()).select_from(OutboxMessage)).one() == 0
    # The same person with a different (work) address can be invited.
    assert invite(admin, email="carol.parent@council.example").status_code == 302


def test_an_address_that_is_already_staff_is_managed_from_the_persons_page(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    make_user(db, role=Role.CASEWORKER, email="case@example.com", forename="Jane", surname="Smith")
    existing = invite(admin, email="CASE@example.com ").get_data(as_text=True)
    assert error_summary(existing) == ["Jane Smith already has a staff account with this email address"]
    assert "Go to Jane Smith’s page" in text_of(existing)

    # The same invitation posted twice (a double click) makes one invitation and one email.
    first = invite(admin)
    second = invite(admin)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.scalars(select(func.count()).select_from(OutboxMessage)).one() == 1
    assert db.scalars(select(func.count()).where(AuditEvent.action == "staff.invited")).one() == 1
    # A different invitation to an address already invited is refused, with a way to the person.
    other = invite(admin, role="admin").get_data(as_text=True)
    assert error_summary(other) == [
        "Carol Case has already been invited with this email address. Re-send their invitation from their page"
    ]

    member = member_by_email(db, "case@example.com")
    member.status = AccountStatus.DEACTIVATED
    db.commit()
    deactivated = invite(admin, email="case@example.com").get_data(as_text=True)
    assert error_summary(deactivated) == [
        "Jane Smith has a deactivated staff account with this email address. Reactivate it from their page"
    ]


def test_invite_form_errors_say_what_to_fix_and_create_nothing(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    empty = invite(admin, forename="", surname="", email="", role="")
    html = empty.get_data(as_text=True)
    assert empty.status_code == 200 and page_title(html).startswith("Error: Invite a member of staff")
    assert error_summary(html) == [
        "Enter their first name",
        "Enter their last name",
        "Enter their email address",
        "Select a role",
    ]
    assert 'href="#forename"' in html and 'href="#role"' in html
    odd = invite(admin, forename="x" * 101, surname="y" * 101, email="not-an-email", role="superuser")
    assert error_summary(odd.get_data(as_text=True)) == [
        "First name must be 100 characters or fewer",
        "Last name must be 100 characters or fewer",
        "Enter an email address in the correct format, like name@example.com",
        "Select a role",
    ]
    long_email = invite(admin, email="a" * 320 + "@example.com")
    assert error_summary(long_email.get_data(as_text=True)) == ["Email address must be 320 characters or fewer"]
    parent_role = invite(admin, role="parent")
    assert error_summary(parent_role.get_data(as_text=True)) == ["Select a role"]
    assert member_by_email(db, "carol@council.example") is None
    assert db.scalars(select(func.count()).where(AccountToken.purpose == TokenPurpose.STAFF_INVITATION)).one() == 0


def test_invitation_pages_refuse_odd_input_without_failing(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port)
    stranger = app.test_client()
    for url in ("/admin/invitation/nonsense", "/admin/invitation/" + "x" * 1000, "/admin/invitation/%00"):
        assert stranger.get(url).status_code == 404, url
    # The set-up pages without an accepted invitation in this browser send the person to sign in.
    for url in (
        "/admin/invitation/two-step-verification",
        "/admin/invitation/two-step-verification/app",
    ):
        assert stranger.get(url).headers["Location"] == "/sign-in", url
    assert stranger.get("/admin/invitation/recovery-codes").headers["Location"] == "/admin/"
    with stranger.session_transaction() as browser_session:
        browser_session["staff_set_up"] = {"member_id": "1; drop table users", "since": "yesterday"}
    assert stranger.get("/admin/invitation/two-step-verification").headers["Location"] == "/sign-in"

    admin = admin_client(app, db)
    invite(admin)
    deliver(app)
    link = link_in(emails_to(smtp_server, "carol@council.example")[0], "/admin/invitation/")
    carol = app.test_client()
    common = accept(carol, link, password="password123")
    assert error_summary(common.get_data(as_text=True)) == [
        "Password is too common and easy to guess. Choose a different password"
    ]
    too_long = accept(carol, link, password="x" * 1001)
    assert error_summary(too_long.get_data(as_text=True)) == ["Password must be 1000 characters or fewer"]
    accept(carol, link)
    # The app page without choosing the app first goes back to the choice.
    assert carol.get("/admin/invitation/two-step-verification/app").headers["Location"] == (
        "/admin/invitation/two-step-verification"
    )
    bogus = submit(carol, "/admin/invitation/two-step-verification", {"method": "none"})
    assert error_summary(bogus.get_data(as_text=True)) == ["Select how you want to get your security codes"]
    submit(carol, "/admin/invitation/two-step-verification", {"method": "app"})
    too_long_code = submit(carol, "/admin/invitation/two-step-verification/app", {"code": "1" * 500})
    assert too_long_code.status_code == 200
    assert error_summary(too_long_code.get_data(as_text=True)) == [
        "Enter the 6-digit code your authenticator app shows now"
    ]


def test_the_invitation_lifetime_comes_from_the_environment():
    from portal.config import AccountSettings, load_config

    assert AccountSettings.from_config(load_config({})).staff_invitation_link == timedelta(hours=72)
    configured = load_config({"STAFF_INVITATION_LINK_HOURS": "48"})
    assert AccountSettings.from_config(configured).staff_invitation_link == timedelta(hours=48)


def test_the_invitation_asks_for_the_password_length_the_council_set(make_app, smtp_server, db):
    from portal.services import site_settings

    app = make_app(SMTP_PORT=smtp_server.port)
    admin = admin_client(app, db)
    administrator = member_by_email(db, "admin@example.com")
    site_settings.save_group(db, app.config, "passwords", {"password_min_length": "40"}, loaded=None,
                             actor_id=administrator.id, client_address=None)  # fmt: skip
    invite(admin)
    deliver(app)
    link = link_in(emails_to(smtp_server, "carol@council.example")[0], "/admin/invitation/")
    page = app.test_client()
    assert "Use at least 40 characters." in page.get(link).get_data(as_text=True)
    refused = accept(page, link)  # NEW_PASSWORD is 35 characters long
    assert error_summary(refused.get_data(as_text=True)) == ["Password must be 40 characters or more"]
    assert member_by_email(db, "carol@council.example").status is AccountStatus.INVITED
