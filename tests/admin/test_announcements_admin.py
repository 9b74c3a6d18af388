"""Announcements administration: an administrator's announcement reaches parents after sign-in on its
dates, validation refuses bad input and changes nothing, caseworkers are refused, every change is
audited with before and after, and Markdown cannot smuggle script into the preview."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from helpers import (
    admin_client,
    csrf_token_from,
    date_fields,
    error_summary,
    make_user,
    page_title,
    sign_in,
    sign_in_staff,
)
from sqlalchemy import select

from portal.models import Announcement, AuditEvent
from portal.services.announcements_admin import london_today


def post_announcement(client, url: str, *, starts: date | None = None, ends: date | None = None, **fields):
    page = client.get(url).get_data(as_text=True)
    today = london_today()
    data = {
        "csrf_token": csrf_token_from(page),
        "title": "Office closed on Friday",
        "body_markdown": "The office is **closed** on Friday.",
        **date_fields("starts_on", starts or today),
        **date_fields("ends_on", ends or today),
        **fields,
    }
    return client.post(url, data=data)


def test_an_announcement_for_today_is_shown_to_a_parent_after_sign_in(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    assert 'href="/admin/announcements"' in client.get("/admin/").get_data(as_text=True)
    new_page = client.get("/admin/announcements/new")
    assert new_page.status_code == 200 and page_title(new_page.get_data(as_text=True)).startswith(
        "Create an announcement"
    )
    assert 'id="starts_on-day"' in new_page.get_data(as_text=True)
    saved = post_announcement(client, "/admin/announcements/new")
    assert saved.status_code == 302 and saved.headers["Location"] == "/admin/announcements"
    listing = client.get("/admin/announcements").get_data(as_text=True)
    assert "Office closed on Friday" in listing and "Showing now" in listing

    make_user(db)
    parent = app.test_client()
    response = sign_in(parent, "parent@example.com", next_url="/account")
    assert response.headers["Location"] == "/announcements"
    html = parent.get("/announcements").get_data(as_text=True)
    assert page_title(html).startswith("Announcements")
    assert "Office closed on Friday" in html and "<strong>closed</strong>" in html
    assert re.search(r'<a href="/announcements/continue"[^>]*class="govuk-button"[^>]*>\s*Continue', html)
    assert parent.get("/announcements/continue").headers["Location"] == "/account"


def test_an_announcement_that_ended_yesterday_is_not_shown(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    today = london_today()
    post_announcement(client, "/admin/announcements/new", title="Old news",
                      starts=today - timedelta(days=5), ends=today - timedelta(days=1))  # fmt: skip
    post_announcement(client, "/admin/announcements/new", title="Next week",
                      starts=today + timedelta(days=7), ends=today + timedelta(days=8))  # fmt: skip
    listing = client.get("/admin/announcements").get_data(as_text=True)
    assert re.search(r"Old news.*?Ended", listing, re.S) and re.search(r"Next week.*?Scheduled", listing, re.S)
    make_user(db)
    parent = app.test_client()
    assert sign_in(parent, "parent@example.com").headers["Location"] == "/"
    assert "Old news" not in parent.get("/announcements").get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "Enter a title"),
        ({"body_markdown": ""}, "Enter the announcement"),
        ({"starts_on": ["31", "2", "2027"]}, "Start date must be a real date"),
        ({"starts_on": ["", "", ""]}, "Enter the start date"),
        ({"ends_on": ["3", "", "2027"]}, "End date must include a month"),
        ({"starts_on": ["10", "3", "2027"], "ends_on": ["9", "3", "2027"]},
         "End date must be the same as or after the start date"),
    ],
)  # fmt: skip
def test_validation_errors_are_shown_and_change_nothing(make_app, db, fields, message):
    app = make_app()
    client = admin_client(app, db)
    refused = post_announcement(client, "/admin/announcements/new", **fields)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and page_title(html).startswith("Error:")
    assert error_summary(html) == [message]
    assert db.scalar(select(Announcement.id)) is None
    assert db.scalar(select(AuditEvent.id).where(AuditEvent.action.like("announcement.%"))) is None

    post_announcement(client, "/admin/announcements/new", title="Kept")
    kept = db.scalars(select(Announcement)).one()
    refused = post_announcement(client, f"/admin/announcements/{kept.id}", **fields)
    assert error_summary(refused.get_data(as_text=True)) == [message]
    db.expire_all()
    assert db.get(Announcement, kept.id).title == "Kept"


def test_changes_are_audited_with_who_and_before_and_after(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    today = london_today()
    post_announcement(client, "/admin/announcements/new")
    announcement = db.scalars(select(Announcement)).one()
    edit_page = client.get(f"/admin/announcements/{announcement.id}").get_data(as_text=True)
    assert 'value="Office closed on Friday"' in edit_page and f'value="{today.year}"' in edit_page
    post_announcement(client, f"/admin/announcements/{announcement.id}", title="Office closed on Monday",
                      ends=today + timedelta(days=2))  # fmt: skip
    confirm = client.get(f"/admin/announcements/{announcement.id}/delete").get_data(as_text=True)
    assert page_title(confirm).startswith("Are you sure you want to delete this announcement?")
    deleted = client.post(
        f"/admin/announcements/{announcement.id}/delete", data={"csrf_token": csrf_token_from(confirm)}
    )
    assert deleted.headers["Location"] == "/admin/announcements"
    assert db.scalar(select(Announcement.id)) is None

    admin_id = db.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "announcement.created"))
    events = db.scalars(select(AuditEvent).where(AuditEvent.action.like("announcement.%")).order_by(AuditEvent.id))
    events = list(events)
    assert [e.action for e in events] == ["announcement.created", "announcement.changed", "announcement.deleted"]
    assert all(e.actor_id == admin_id and e.at is not None for e in events) and admin_id is not None
    assert all(e.object_id == str(announcement.id) for e in events)
    created, changed, removed = (e.details for e in events)
    assert created["before"] is None and created["after"]["title"] == "Office closed on Friday"
    assert changed["before"]["title"] == "Office closed on Friday" and changed["before"]["ends_on"] == today.isoformat()
    assert changed["after"]["title"] == "Office closed on Monday"
    assert changed["after"]["ends_on"] == (today + timedelta(days=2)).isoformat()
    assert removed["before"]["title"] == "Office closed on Monday" and removed["after"] is None


def test_caseworkers_and_parents_cannot_manage_announcements_and_unknown_ids_are_404(make_app, db):
    app = make_app()
    caseworker = app.test_client()
    sign_in_staff(caseworker, db)
    assert caseworker.get("/admin/announcements").status_code == 403
    assert caseworker.get("/admin/announcements/new").status_code == 403
    assert 'href="/admin/announcements"' not in caseworker.get("/admin/").get_data(as_text=True)
    admin = admin_client(app, db)
    post_announcement(admin, "/admin/announcements/new")
    announcement = db.scalars(select(Announcement)).one()
    assert caseworker.get(f"/admin/announcements/{announcement.id}").status_code == 403
    token = csrf_token_from(caseworker.get("/admin/").get_data(as_text=True))
    assert (
        caseworker.post(f"/admin/announcements/{announcement.id}/delete", data={"csrf_token": token}).status_code == 403
    )
    assert db.get(Announcement, announcement.id) is not None
    assert admin.get(f"/admin/announcements/{announcement.id + 999}").status_code == 404
    make_user(db)
    parent = app.test_client()
    sign_in(parent, "parent@example.com")
    assert parent.get("/admin/announcements").status_code == 403
    assert admin.get(f"/admin/announcements/{announcement.id + 999}/delete").status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "[click me](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)" onclick="alert(2)">x</a>',
    ],
)
def test_markdown_xss_payloads_are_inert_in_the_preview_and_for_parents(make_app, db, payload):
    app = make_app()
    client = admin_client(app, db)
    previewed = post_announcement(client, "/admin/announcements/new", body_markdown=payload, preview="Preview")
    html = previewed.get_data(as_text=True)
    assert previewed.status_code == 200 and db.scalar(select(Announcement.id)) is None  # a preview saves nothing
    preview = re.search(r'<div class="app-preview-body">(.*?)</div>', html, re.S).group(1)
    post_announcement(client, "/admin/announcements/new", body_markdown=payload)
    make_user(db)
    parent = app.test_client()
    sign_in(parent, "parent@example.com")
    shown = parent.get("/announcements").get_data(as_text=True)
    assert "Office closed on Friday" in shown
    for fragment in (preview, shown):
        assert "<script>alert" not in fragment
        assert 'href="javascript' not in fragment.lower()
        assert not re.search(r"<[^>]+\son\w+\s*=", fragment)
        assert "<img" not in fragment
