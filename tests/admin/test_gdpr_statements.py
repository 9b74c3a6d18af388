"""Consent statements in the admin area: a version scheduled for a later date is not asked for until its
date, then every signed-in parent must agree to it before anything else; a published statement never
changes; bad input is refused with GOV.UK messages and changes nothing; every change is audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from account_helpers import submit
from application_helpers import text_of
from gdpr_helpers import post_statement
from helpers import (
    admin_client,
    count_queries,
    csrf_token_from,
    date_fields,
    error_summary,
    hidden_value,
    make_user,
    page_title,
    sign_in,
)
from sqlalchemy import select

from portal.models import AuditEvent, ConsentStatement, utcnow
from portal.services import consent_admin
from portal.services.consent import current_statement


def today():
    return consent_admin.london_date(utcnow())


def statement(db, version: int) -> ConsentStatement:
    db.expire_all()
    return db.scalars(select(ConsentStatement).where(ConsentStatement.version == version)).one()


def test_a_scheduled_statement_is_asked_for_only_from_its_date_then_before_anything_else(make_app, db):
    app = make_app()
    make_user(db, email="parent@example.com")  # agreed to version 1 on registration
    admin = admin_client(app, db)
    assert 'href="/admin/gdpr"' in admin.get("/admin/").get_data(as_text=True)

    new_page = admin.get("/admin/gdpr/statements/new").get_data(as_text=True)
    assert page_title(new_page).startswith("Add a new consent statement version")
    assert "The council needs to collect and use information" in new_page  # starts from the current text
    scheduled = post_statement(admin, "/admin/gdpr/statements/new", publish_on=today() + timedelta(days=7),
                               body_markdown="Version two: we now share with **health visitors**.")  # fmt: skip
    assert scheduled.status_code == 302 and scheduled.headers["Location"] == "/admin/gdpr/statements"
    listing = admin.get("/admin/gdpr/statements").get_data(as_text=True)
    assert "Version 2 is scheduled" in text_of(listing)
    assert re.search(r"Version 2</a>.*?Scheduled.*?Ada Admin", listing, re.S)
    assert "Add a new version" not in listing  # one scheduled statement at a time

    # Before its date nobody is asked: the parent signs in and carries on.
    parent = app.test_client()
    assert sign_in(parent, "parent@example.com").headers["Location"] == "/"
    assert parent.get("/account").status_code == 200
    assert current_statement(db).version == 1

    # Its date arrives (the test moves the statement's publication into the past, as the clock would).
    row = statement(db, 2)
    row.published_at = utcnow() - timedelta(minutes=1)
    db.commit()

    # The parent, still signed in, is sent to the new statement from every page until they agree.
    for url in ("/account", "/", "/family", "/account/consent-history"):
        response = parent.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/consent/new", url
    gate = parent.get("/consent/new").get_data(as_text=True)
    assert page_title(gate).startswith("Our data protection statement has changed")
    assert "<strong>health visitors</strong>" in gate and "I agree to version two" in gate
    refused = submit(parent, "/consent/new", {})
    assert error_summary(refused.get_data(as_text=True)) == [
        "Select that you agree to the data protection consent statement"
    ]
    agreed = submit(parent, "/consent/new", {"agree": "y", "statement_version": "2"})
    assert agreed.status_code == 302
    assert parent.get("/account").status_code == 200

    history = text_of(parent.get("/account/consent-history").get_data(as_text=True))
    assert re.search(r"Agreed 2 .*Agreed 1", history)

    # The administrator sees the people who agreed to each version, and the parent's history.
    listing = admin.get("/admin/gdpr/statements").get_data(as_text=True)
    assert re.search(r"Version 2</a>.*?Current.*?>1</td>", listing, re.S)
    assert re.search(r"Version 1</a>.*?Replaced.*?>1</td>", listing, re.S)


def test_a_statement_published_today_is_asked_for_at_once_and_the_view_shows_it_sanitised(make_app, db):
    app = make_app()
    make_user(db)
    admin = admin_client(app, db)
    body = "Read this.\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2))"
    saved = post_statement(admin, "/admin/gdpr/statements/new", publish_on=today(), body_markdown=body)
    assert saved.status_code == 302
    assert "Version 2 is published" in text_of(admin.get("/admin/gdpr/statements").get_data(as_text=True))
    row = statement(db, 2)
    assert row.published_at <= utcnow() and row.created_by_id is not None
    view = admin.get(f"/admin/gdpr/statements/{row.id}").get_data(as_text=True)
    assert page_title(view).startswith("Consent statement version 2")
    assert "<script>alert(1)</script>" not in view and "javascript:" not in view
    assert "Change this statement" not in view

    parent = app.test_client()
    sign_in(parent, "parent@example.com")
    assert parent.get("/").headers["Location"] == "/consent/new"
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "gdpr.statement_published")).all()
    assert len(events) == 1 and events[0].details["before"] is None and events[0].actor_id is not None
    assert events[0].details["after"]["version"] == 2 and events[0].details["after"]["body_markdown"] == body.strip()


def test_preview_shows_the_statement_as_parents_will_and_saves_nothing(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    preview = post_statement(
        admin, "/admin/gdpr/statements/new", publish_on=today(), preview="Preview",
        body_markdown="Hello **parents** <img src=x onerror=alert(1)>",
    )  # fmt: skip
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<strong>parents</strong>" in html
    assert "onerror" not in html.split('class="app-preview-body"')[1].split("</div>")[0]
    assert db.scalar(select(ConsentStatement.id).where(ConsentStatement.version == 2)) is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body_markdown": "   "}, "Enter the consent statement"),
        ({"body_markdown": "\x00"}, "Enter the consent statement"),
        ({"body_markdown": "x" * 50_001}, "The consent statement must be 50,000 characters or fewer"),
        ({"agreement_text": ""}, "Enter the words beside the tick box"),
        ({"agreement_text": "a" * 501}, "The words beside the tick box must be 500 characters or fewer"),
        ({"publish_on": ["", "", ""]}, "Enter the publication date"),
        ({"publish_on": ["3", "", ""]}, "Publication date must include a month and year"),
        ({"publish_on": ["31", "2", "2030"]}, "Publication date must be a real date"),
        ({"publish_on": ["1", "1", "99999999999999999999"]}, "Publication date must be a real date"),
        ({"publish_on": ["١", "1", "2030"]}, "Publication date must be a real date"),
        ({"publish_on": ["1", "1", "2020"]}, "Publication date must be today or in the future"),
        ({"publish_on": ["1", "1", "9999"]}, "Publication date must be within 5 years"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(make_app, db, fields, message):
    app = make_app()
    admin = admin_client(app, db)
    page = admin.get("/admin/gdpr/statements/new").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(page), "seen_version": hidden_value(page, "seen_version"),
        "body_markdown": "Text", "agreement_text": "I agree", **date_fields("publish_on", today()), **fields,
    }  # fmt: skip
    refused = admin.post("/admin/gdpr/statements/new", data=data)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and page_title(html).startswith("Error:")
    assert error_summary(html) == [message]
    assert db.scalar(select(ConsentStatement.id).where(ConsentStatement.version == 2)) is None
    assert db.scalar(select(AuditEvent.id).where(AuditEvent.action.like("gdpr.%"))) is None


def test_a_form_posted_twice_publishes_once(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    page = admin.get("/admin/gdpr/statements/new").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(page), "seen_version": hidden_value(page, "seen_version"),
        "body_markdown": "Text", "agreement_text": "I agree", **date_fields("publish_on", today()),
    }  # fmt: skip
    assert admin.post("/admin/gdpr/statements/new", data=data).status_code == 302
    again = admin.post("/admin/gdpr/statements/new", data=data)
    assert again.status_code == 200
    assert error_summary(again.get_data(as_text=True)) == [
        "Version 2 was added since you opened this page. Check the list of statements before adding another"
    ]
    assert db.scalars(select(ConsentStatement.version).order_by(ConsentStatement.version)).all() == [1, 2]


def test_only_one_statement_is_scheduled_at_a_time(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    later = today() + timedelta(days=30)
    assert post_statement(admin, "/admin/gdpr/statements/new", publish_on=later).status_code == 302
    again = post_statement(admin, "/admin/gdpr/statements/new", publish_on=later + timedelta(days=1))
    assert error_summary(again.get_data(as_text=True)) == [
        f"Version 2 is already scheduled for {later.day} {later:%B %Y}. "
        "Change or cancel it before adding another version"
    ]


def test_a_scheduled_statement_can_be_changed_and_cancelled_but_a_published_one_never(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    later = today() + timedelta(days=10)
    post_statement(admin, "/admin/gdpr/statements/new", publish_on=later)
    row = statement(db, 2)
    change_url = f"/admin/gdpr/statements/{row.id}/change"
    change_page = admin.get(change_url).get_data(as_text=True)
    assert page_title(change_page).startswith("Change consent statement version 2")
    assert "I agree to version two" in change_page and f'value="{later.year}"' in change_page

    refused = submit(
        admin, change_url, {"body_markdown": "", "agreement_text": "x", **date_fields("publish_on", later)}
    )
    assert error_summary(refused.get_data(as_text=True)) == ["Enter the consent statement"]
    assert statement(db, 2).body_markdown == "We use your information to **run the portal**."

    changed = submit(admin, change_url, {"body_markdown": "Changed text", "agreement_text": "I agree now",
                                         **date_fields("publish_on", later + timedelta(days=1))})  # fmt: skip
    assert changed.status_code == 302
    row = statement(db, 2)
    assert row.body_markdown == "Changed text" and consent_admin.london_date(row.published_at) == later + timedelta(1)
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "gdpr.statement_changed")).one()
    assert event.details["before"]["body_markdown"].startswith("We use") and event.details["after"][
        "body_markdown"
    ] == ("Changed text")

    cancel_page = admin.get(f"/admin/gdpr/statements/{row.id}/cancel").get_data(as_text=True)
    assert page_title(cancel_page).startswith("Are you sure you want to cancel consent statement version 2?")
    cancelled = submit(admin, f"/admin/gdpr/statements/{row.id}/cancel")
    assert cancelled.status_code == 302
    assert "Version 2 has been cancelled" in text_of(admin.get("/admin/gdpr/statements").get_data(as_text=True))
    assert db.scalars(select(ConsentStatement.version)).all() == [1]
    assert (
        db.scalars(select(AuditEvent).where(AuditEvent.action == "gdpr.statement_cancelled"))
        .one()
        .details["before"]["version"]
        == 2
    )
    assert admin.get(f"/admin/gdpr/statements/{row.id}/cancel").status_code == 404  # a stale link

    # Published statements: the change and cancel pages say why not, and posting changes nothing.
    published = current_statement(db)
    for url in (f"/admin/gdpr/statements/{published.id}/change", f"/admin/gdpr/statements/{published.id}/cancel"):
        page = admin.get(url)
        assert page.status_code == 409
        assert page_title(page.get_data(as_text=True)).startswith("Consent statement version 1 has been published")
    token = csrf_token_from(admin.get("/admin/gdpr/alert-list").get_data(as_text=True))
    posted = admin.post(f"/admin/gdpr/statements/{published.id}/change",
                        data={"csrf_token": token, "body_markdown": "Sneaky", "agreement_text": "x",
                              **date_fields("publish_on", today())})  # fmt: skip
    assert posted.status_code == 409 and statement(db, 1).body_markdown != "Sneaky"


def test_a_scheduled_statement_whose_date_arrived_while_its_page_was_open_is_not_changed(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    post_statement(admin, "/admin/gdpr/statements/new", publish_on=today() + timedelta(days=1))
    row = statement(db, 2)
    page = admin.get(f"/admin/gdpr/statements/{row.id}/change").get_data(as_text=True)
    row.published_at = utcnow() - timedelta(seconds=1)  # midnight passes
    db.commit()
    posted = admin.post(f"/admin/gdpr/statements/{row.id}/change",
                        data={"csrf_token": csrf_token_from(page), "body_markdown": "Too late",
                              "agreement_text": "x", **date_fields("publish_on", today())})  # fmt: skip
    assert posted.status_code == 409
    assert statement(db, 2).body_markdown != "Too late"


def test_odd_ids_are_not_found(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    for url in ("/admin/gdpr/statements/999999", "/admin/gdpr/statements/999999/change",
                "/admin/gdpr/statements/abc", "/admin/gdpr/statements/-1/cancel",
                "/admin/gdpr/statements/99999999999999999999999"):  # fmt: skip
        assert admin.get(url).status_code == 404, url


def test_the_list_runs_the_same_queries_however_many_versions_and_agreements(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    admin.get("/admin/gdpr/statements")
    with count_queries(app) as few:
        assert admin.get("/admin/gdpr/statements").status_code == 200
    for number in range(3):
        parent = make_user(db, email=f"p{number}@example.com")
        assert parent.id
        post_statement(admin, "/admin/gdpr/statements/new", publish_on=today())
    admin.get("/admin/gdpr/statements")  # shows (and clears) the "published" notice
    with count_queries(app) as many:
        assert admin.get("/admin/gdpr/statements").status_code == 200
    assert len(many) == len(few)


def test_a_later_date_means_the_start_of_that_day_on_the_clock_in_england():
    from datetime import UTC, date, datetime

    now = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
    assert consent_admin.publication_moment(date(2027, 3, 1), now) == now  # today: at once
    assert consent_admin.publication_moment(date(2027, 7, 1), now) == datetime(2027, 6, 30, 23, 0, tzinfo=UTC)  # BST
    assert consent_admin.publication_moment(date(2027, 12, 1), now) == datetime(2027, 12, 1, 0, 0, tzinfo=UTC)
    late_evening = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)  # already 1 July in London
    assert consent_admin.london_date(late_evening) == date(2027, 7, 1)
    assert consent_admin.publication_moment(date(2027, 7, 1), late_evening) == late_evening
