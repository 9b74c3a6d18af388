"""My account's smaller pages, the consent gate, announcements, and email delivery when SMTP is down."""

from datetime import date, timedelta

from account_helpers import deliver, emails_to, register, submit, text_of
from flask import Flask
from helpers import error_summary, make_user, page_title, sign_in
from sqlalchemy import select

from portal.access import requires_two_step_verification, two_step_required_for_form
from portal.models import Announcement, OutboxMessage, OutboxStatus, User
from portal.services.consent import agreed_version, publish_statement


def test_the_registration_email_waits_for_smtp_and_goes_exactly_once(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port)
    smtp_server.stop()
    register(app.test_client())
    deliver(app)
    message = db.scalars(select(OutboxMessage)).one()
    assert message.status is OutboxStatus.PENDING and message.attempts == 1
    smtp_server.start()
    message.next_attempt_at = message.created_at  # the backoff has passed
    db.commit()
    deliver(app)
    deliver(app)
    assert [m["Subject"] for m in emails_to(smtp_server, "priya@example.com")] == [
        "Activate your Family services portal account"
    ]


def test_a_newer_consent_statement_must_be_agreed_before_anything_else(client, db):
    user = make_user(db)
    sign_in(client, "parent@example.com")
    assert client.get("/account").status_code == 200
    publish_statement(
        db, body_markdown="We now also share with **schools**.", agreement_text="I agree to version 2", by=None
    )
    response = client.get("/account")
    assert response.headers["Location"] == "/consent/new"
    html = client.get("/consent/new").get_data(as_text=True)
    assert page_title(html).startswith("Our data protection statement has changed")
    assert "<strong>schools</strong>" in html and "I agree to version 2" in html
    assert 'href="/account/withdraw-consent"' in html
    submit(client, "/consent/new", {"agree": "y", "statement_version": "2"})
    assert client.get("/account").status_code == 200
    history = client.get("/account/consent-history").get_data(as_text=True)
    assert text_of(history).count("Agreed") == 2
    assert user.id


def test_a_statement_that_goes_live_while_the_page_is_open_is_not_agreed_unseen(client, db):
    user = make_user(db)
    sign_in(client, "parent@example.com")
    publish_statement(db, body_markdown="Version two.", agreement_text="I agree to version 2", by=None)
    assert "Version two." in client.get("/consent/new").get_data(as_text=True)
    publish_statement(db, body_markdown="Version **three**.", agreement_text="I agree to version 3", by=None)

    stale = submit(client, "/consent/new", {"agree": "y", "statement_version": "2"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 200
    assert error_summary(html) == ["The statement changed while you were reading it. Read it again and agree to it."]
    assert "<strong>three</strong>" in html and 'name="statement_version" type="hidden" value="3"' in html
    assert agreed_version(db, user) == 1
    assert client.get("/account").headers["Location"] == "/consent/new"

    submit(client, "/consent/new", {"agree": "y", "statement_version": "3"})
    assert agreed_version(db, user) == 3 and client.get("/account").status_code == 200


def test_announcements_are_shown_after_sign_in_only_on_their_dates(client, db):
    make_user(db)
    today = date.today()
    db.add_all(
        [
            Announcement(
                title="Closed on Friday", body_markdown="The office is **closed**.", starts_on=today, ends_on=today
            ),
            Announcement(
                title="Old news",
                body_markdown="Gone.",
                starts_on=today - timedelta(days=9),
                ends_on=today - timedelta(days=2),
            ),
        ]
    )
    db.commit()
    response = sign_in(client, "parent@example.com", next_url="/account")
    assert response.headers["Location"] == "/announcements"
    html = client.get("/announcements").get_data(as_text=True)
    assert page_title(html).startswith("Announcements")
    assert "Closed on Friday" in html and "<strong>closed</strong>" in html and "Old news" not in html
    assert client.get("/announcements/continue").headers["Location"] == "/account"


def test_without_announcements_sign_in_goes_straight_home(client, db):
    make_user(db)
    db.add(
        Announcement(
            title="Later",
            body_markdown="x",
            starts_on=date.today() + timedelta(days=1),
            ends_on=date.today() + timedelta(days=3),
        )
    )
    db.commit()
    assert sign_in(client, "parent@example.com").headers["Location"] == "/"


def test_the_first_sign_in_offers_two_step_verification_with_a_way_to_skip(client, db):
    make_user(db)
    sign_in(client, "parent@example.com")
    home = client.get("/").get_data(as_text=True)
    assert "Enable two-step verification now" in home and 'href="/account/two-step-verification"' in home
    submit(client, "/two-step-verification/not-now", {"back": "/"}, page_url="/")
    assert "Enable two-step verification now" not in client.get("/").get_data(as_text=True)
    submit(client, "/sign-out", page_url="/account")
    sign_in(client, "parent@example.com")
    assert "Enable two-step verification now" not in client.get("/").get_data(as_text=True)  # first time only


def test_personal_and_contact_details_can_be_changed(client, db):
    make_user(db)
    sign_in(client, "parent@example.com")
    submit(client, "/account/personal-details", {"title": "Dr", "forename": "Samira", "surname": "Parent"})
    contact = {"postcode": "NN1 1AA", "address_line_1": "2 New Street", "mobile_phone": "07700 900123"}
    response = submit(client, "/account/contact-details", contact)
    assert response.headers["Location"] == "/account"
    html = client.get("/account").get_data(as_text=True)
    assert "Dr Samira Parent" in html and "2 New Street<br>NN1 1AA" in html and "07700 900123" in html
    bad = submit(client, "/account/contact-details", {"postcode": "nowhere"}).get_data(as_text=True)
    assert "Enter a real postcode, like AA1 1AA" in text_of(bad)
    db.expire_all()
    assert db.scalars(select(User.postcode)).one() == "NN1 1AA"


def test_change_of_circumstances_shows_the_councils_text(client, db):
    make_user(db)
    sign_in(client, "parent@example.com")
    html = client.get("/account/change-of-circumstances").get_data(as_text=True)
    assert page_title(html).startswith("Change of circumstances")
    assert "you must tell us" in html


def test_areas_can_require_two_step_verification(make_app, db):
    app: Flask = make_app(TWO_STEP_REQUIRED_FORMS=("send_request_for_assessment",))

    @app.get("/send-area")
    @requires_two_step_verification
    def send_area():
        return "inside"

    make_user(db)
    client = app.test_client()
    assert client.get("/send-area").status_code == 302  # signed out: to sign in
    sign_in(client, "parent@example.com")
    refused = client.get("/send-area")
    assert refused.status_code == 403
    assert "Please enable this in My account before continuing." in text_of(refused.get_data(as_text=True))
    with app.app_context():
        assert two_step_required_for_form("send_request_for_assessment")
        assert not two_step_required_for_form("two_year_old_funding")


def test_account_page_titles_are_unique(client, db):
    make_user(db)
    anonymous = ["/sign-in", "/register", "/register/new-link", "/password/forgotten", "/register/check-your-email"]
    titles = [page_title(client.get(path).get_data(as_text=True)) for path in anonymous]
    sign_in(client, "parent@example.com")
    signed_in = [
        "/account",
        "/account/personal-details",
        "/account/contact-details",
        "/account/email",
        "/account/password",
        "/account/two-step-verification",
        "/account/change-of-circumstances",
        "/account/consent-history",
        "/account/withdraw-consent",
        "/account/withdraw-consent/confirm",
    ]
    titles += [page_title(client.get(path).get_data(as_text=True)) for path in signed_in]
    assert len(set(titles)) == len(titles), titles
