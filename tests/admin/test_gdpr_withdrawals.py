"""Withdrawals of consent in the admin area: every address on the alert list is emailed the account
reference and a link (never the person's name or email), the withdrawal appears in the list with what
the council holds, and "mark as actioned" records who, when and a note, once."""

from __future__ import annotations

import re

import pytest
from account_helpers import body, deliver, emails_to, link_in, submit
from application_helpers import load_shipped_forms, make_child, make_submitted_application, make_upload, text_of
from helpers import admin_client, count_queries, error_summary, make_user, page_title, sign_in
from sqlalchemy import select

from portal.config import AccountSettings
from portal.models import AuditEvent, ConsentRecord, WithdrawalAction, WithdrawalAlertRecipient
from portal.services import consent, withdrawals
from portal.services.withdrawals import WithdrawalFilter


def withdraw_through_the_pages(app, email: str) -> None:
    parent = app.test_client()
    assert sign_in(parent, email).status_code == 302
    assert "Withdraw" in parent.get("/account/withdraw-consent").get_data(as_text=True)
    assert submit(parent, "/account/withdraw-consent/confirm").headers["Location"] == "/consent-withdrawn"


def withdraw_directly(app, db, email: str):
    user = make_user(db, email=email, forename="Wendy", surname=email.split("@")[0])
    consent.withdraw(db, user, "192.0.2.1", AccountSettings.from_config(app.config))
    return user


def test_a_withdrawal_emails_the_list_appears_in_the_list_and_is_actioned_once(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port, CONSENT_WITHDRAWAL_ALERT_EMAILS=("dpo@council.example",))
    admin = admin_client(app, db)

    # The list starts as the configuration's; an administrator adds a second address.
    page = admin.get("/admin/gdpr/alert-list").get_data(as_text=True)
    assert page_title(page).startswith("Withdrawal alert list")
    assert "dpo@council.example" in page and "From the portal's configuration" in page
    added = submit(admin, "/admin/gdpr/alert-list", {"email": "  records@council.example "})
    assert added.status_code == 302
    page = text_of(admin.get("/admin/gdpr/alert-list").get_data(as_text=True))
    assert "records@council.example has been added to the list" in page
    assert re.search(
        r"dpo@council\.example From the portal's configuration .*records@council\.example .* by Ada Admin", page
    )

    # A parent with a child, an application and an uploaded document withdraws their consent.
    load_shipped_forms(db)
    parent = make_user(db, email="priya@example.com", forename="Priya", surname="Shah")
    child = make_child(db, parent, forename="Zoë")
    application = make_submitted_application(db, parent, child, reference="2YO-WDRW-0001")
    make_upload(db, app, application, filename="benefit-letter.pdf")
    withdraw_through_the_pages(app, "priya@example.com")
    record = db.scalars(select(ConsentRecord).where(ConsentRecord.action == "withdrawn")).one()

    # Every address on the list is told: the reference and a link, and nothing personal.
    deliver(app)
    alerts = [m for m in smtp_server.messages if m["To"] in ("dpo@council.example", "records@council.example")]
    assert sorted(m["To"] for m in alerts) == ["dpo@council.example", "records@council.example"]
    for alert in alerts:
        text = body(alert)
        assert f"Account reference: {parent.id}" in text
        assert link_in(alert, "/admin/gdpr/withdrawals/") == f"/admin/gdpr/withdrawals/{record.id}"
        for personal in ("Priya", "Shah", "priya@example.com", "Zoë", "2YO-WDRW-0001", "benefit-letter"):
            assert personal not in text and personal not in alert["Subject"], personal
    assert not emails_to(smtp_server, "priya@example.com") or all(
        "withdrawn" not in m["Subject"].lower() for m in emails_to(smtp_server, "priya@example.com")
    )

    # The withdrawals list: newest first, with what the council holds.
    listing = admin.get("/admin/gdpr/withdrawals").get_data(as_text=True)
    assert page_title(listing).startswith("Consent withdrawals")
    assert "Not actioned (1)" in text_of(listing) and "Actioned (0)" in text_of(listing)
    row = re.search(
        rf'<a class="govuk-link" href="/admin/gdpr/withdrawals/{record.id}">{parent.id}.*?</tr>', listing, re.S
    )
    assert row and [int(n) for n in re.findall(r"numeric\">(\d+)<", row.group(0))] == [1, 1, 1]

    # The link in the email opens the withdrawal, with the name for the administrator to act on.
    detail_url = link_in(alerts[0], "/admin/gdpr/withdrawals/")
    detail = admin.get(detail_url).get_data(as_text=True)
    assert page_title(detail).startswith(f"Withdrawal of consent: account {parent.id}")
    assert "Priya Shah" in detail and "priya@example.com" in detail

    refused = submit(admin, detail_url, {"note": "   "})
    assert error_summary(refused.get_data(as_text=True)) == ["Enter what was done"]
    assert page_title(refused.get_data(as_text=True)).startswith("Error:")
    too_long = submit(admin, detail_url, {"note": "x" * 2001})
    assert error_summary(too_long.get_data(as_text=True)) == ["What was done must be 2,000 characters or fewer"]
    assert db.scalar(select(WithdrawalAction.id)) is None

    stale = admin.get(detail_url).get_data(as_text=True)  # a second tab, open before the first posts
    actioned = submit(admin, detail_url, {"note": "Application kept for the funding audit; upload deleted."})
    assert actioned.status_code == 302 and actioned.headers["Location"] == detail_url
    page = text_of(admin.get(detail_url).get_data(as_text=True))
    assert "The withdrawal has been marked as actioned" in page
    assert re.search(r"By Ada Admin When \d+ \w+ \d{4}, \d+:\d\d[ap]m What was done Application kept", page)
    assert "Mark as actioned" not in page.replace("marked as actioned", "")

    from helpers import csrf_token_from

    twice = admin.post(detail_url, data={"csrf_token": csrf_token_from(stale), "note": "Again"})
    assert twice.status_code == 200
    assert "This withdrawal was already marked as actioned by Ada Admin on" in text_of(twice.get_data(as_text=True))
    assert db.scalars(select(WithdrawalAction.note)).all() == [
        "Application kept for the funding audit; upload deleted."
    ]
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "gdpr.withdrawal_actioned")).one()
    assert event.details["withdrawal_id"] == record.id and event.object_id == str(parent.id)

    listing = text_of(admin.get("/admin/gdpr/withdrawals").get_data(as_text=True))
    assert "Not actioned (0)" in listing and "There are no withdrawals here" in listing
    actioned_list = text_of(admin.get("/admin/gdpr/withdrawals?status=actioned").get_data(as_text=True))
    assert f"{parent.id} Priya Shah" in actioned_list and "Actioned (1)" in actioned_list


def test_the_configured_addresses_seed_the_list_and_an_emptied_list_stays_empty(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port, CONSENT_WITHDRAWAL_ALERT_EMAILS=("dpo@council.example",))
    admin = admin_client(app, db)
    assert db.scalar(select(WithdrawalAlertRecipient.id)) is None  # nothing stored until the list is changed
    removed = submit(admin, "/admin/gdpr/alert-list/remove", {"email": "dpo@council.example"},
                     page_url="/admin/gdpr/alert-list")  # fmt: skip
    assert removed.status_code == 302
    page = text_of(admin.get("/admin/gdpr/alert-list").get_data(as_text=True))
    assert "dpo@council.example has been removed from the list" in page
    assert "Nobody is told when someone withdraws their consent" in page
    again = submit(admin, "/admin/gdpr/alert-list/remove", {"email": "dpo@council.example"},
                   page_url="/admin/gdpr/alert-list")  # fmt: skip
    assert again.status_code == 302
    assert "dpo@council.example was not on the list" in text_of(
        admin.get("/admin/gdpr/alert-list").get_data(as_text=True)
    )
    rows = db.scalars(select(WithdrawalAlertRecipient)).all()
    assert len(rows) == 1 and rows[0].from_configuration and rows[0].removed_at is not None
    assert db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("gdpr.alert%"))).all() == [
        "gdpr.alert_recipient_removed"
    ]

    withdraw_directly(app, db, "someone@example.com")
    deliver(app)
    assert emails_to(smtp_server, "dpo@council.example") == []  # the setting does not come back
    assert "1 withdrawal is not actioned yet" in text_of(admin.get("/admin/gdpr").get_data(as_text=True))


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter an email address"),
        ("not-an-email", "Enter an email address in the correct format, like name@example.com"),
        ("two@@example.com", "Enter an email address in the correct format, like name@example.com"),
        ("spaces in@example.com", "Enter an email address in the correct format, like name@example.com"),
        ("nul\x00@example.com", "Enter an email address in the correct format, like name@example.com"),
        (
            "line@example.com\r\nBcc: x@evil.example",
            "Enter an email address in the correct format, like name@example.com",
        ),
        ("a" * 310 + "@example.com", "Email address must be 320 characters or fewer"),
        ("DPO@Council.example", "DPO@Council.example is already on the list"),
    ],
)
def test_bad_addresses_are_refused_and_change_nothing(make_app, db, email, message):
    app = make_app(CONSENT_WITHDRAWAL_ALERT_EMAILS=("dpo@council.example",))
    admin = admin_client(app, db)
    refused = submit(admin, "/admin/gdpr/alert-list", {"email": email})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and page_title(html).startswith("Error:")
    assert error_summary(html) == [message]
    assert 'href="#email"' in html
    assert db.scalar(select(WithdrawalAlertRecipient.id)) is None
    assert withdrawals.alert_addresses(db, ("dpo@council.example",)) == ["dpo@council.example"]


def test_the_same_address_posted_twice_is_added_once(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    first = submit(admin, "/admin/gdpr/alert-list", {"email": "dpo@council.example"})
    assert first.status_code == 302
    again = submit(admin, "/admin/gdpr/alert-list", {"email": "dpo@council.example"})
    assert error_summary(again.get_data(as_text=True)) == ["dpo@council.example is already on the list"]
    assert db.scalars(select(WithdrawalAlertRecipient.email)).all() == ["dpo@council.example"]


def test_the_list_pages_and_filters_with_a_constant_number_of_queries(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    withdraw_directly(app, db, "first@example.com")
    admin.get("/admin/gdpr/withdrawals")
    with count_queries(app) as few:
        assert admin.get("/admin/gdpr/withdrawals?status=all").status_code == 200
    for number in range(4):
        user = withdraw_directly(app, db, f"later{number}@example.com")
        load_shipped_forms(db) if number == 0 else None
        child = make_child(db, user)
        make_submitted_application(db, user, child, reference=f"2YO-LIST-000{number}")
    with count_queries(app) as many:
        html = admin.get("/admin/gdpr/withdrawals?status=all").get_data(as_text=True)
    assert len(many) == len(few)
    references = re.findall(r'href="/admin/gdpr/withdrawals/\d+">(\d+)<', html)
    assert len(references) == 5 and references == sorted(references, key=int, reverse=True)  # newest first

    page = withdrawals.list_withdrawals(db, WithdrawalFilter.ALL, page=2, page_size=2)
    assert (page.page, page.pages, len(page.rows)) == (2, 3, 2)
    assert withdrawals.list_withdrawals(db, WithdrawalFilter.ALL, page=99, page_size=2).page == 3
    for odd in ("?page=abc", "?page=-1", "?page=99999999999999999999", "?status=nonsense", "?status=", "?page=%00"):
        assert admin.get("/admin/gdpr/withdrawals" + odd).status_code == 200, odd
    for missing in ("/admin/gdpr/withdrawals/999999", "/admin/gdpr/withdrawals/x",
                    "/admin/gdpr/withdrawals/99999999999999999999"):  # fmt: skip
        assert admin.get(missing).status_code == 404
    agreed = db.scalars(select(ConsentRecord.id).where(ConsentRecord.action == "agreed")).first()
    assert admin.get(f"/admin/gdpr/withdrawals/{agreed}").status_code == 404  # an agreement is not a withdrawal


def test_a_note_with_a_nul_character_is_kept_without_it(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    withdraw_directly(app, db, "nul@example.com")
    record = db.scalars(select(ConsentRecord.id).where(ConsentRecord.action == "withdrawn")).one()
    url = f"/admin/gdpr/withdrawals/{record}"
    assert error_summary(submit(admin, url, {"note": "\x00"}).get_data(as_text=True)) == ["Enter what was done"]
    assert submit(admin, url, {"note": "Deleted\x00 all"}).status_code == 302
    assert db.scalars(select(WithdrawalAction.note)).all() == ["Deleted all"]
