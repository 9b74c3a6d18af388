"""The review queue through the web client: rows, filters, search, keyset pages, assignment, access."""

from __future__ import annotations

import re

from application_helpers import load_shipped_forms, signed_in_client, text_of
from helpers import count_queries, csrf_token_from, make_user, page_title, sign_in, sign_in_staff
from review_helpers import submitted
from sqlalchemy import select

from portal.models import AuditEvent, ReviewAssignment, Role
from portal.services.review_queue import decode_cursor, encode_cursor


def references(html: str) -> list[str]:
    return re.findall(r">(2YO-TEST-[A-Z0-9]+)</a>", html)


def next_link(html: str) -> str | None:
    match = re.search(r'href="([^"]+)" rel="next"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_queue_lists_waiting_submissions_oldest_first_with_an_age_marker(make_app, db):
    app = make_app(QUEUE_AGE_WARNING_DAYS=5)
    load_shipped_forms(db)
    submitted(db, 3, start_days_ago=6)  # received 6, 5 and 4 days ago (and a moment)
    client = app.test_client()
    sign_in_staff(client, db)
    html = client.get("/admin/queue").get_data(as_text=True)
    assert page_title(html).startswith("Review queue")
    assert references(html) == ["2YO-TEST-PA000", "2YO-TEST-PA001", "2YO-TEST-PA002"]
    text = text_of(html)
    assert text.count("Over 5 days") == 2
    assert "Ada Parent" in text and "Submitted" in text and "No one" in text
    newest = client.get("/admin/queue?order=newest").get_data(as_text=True)
    assert references(newest) == ["2YO-TEST-PA002", "2YO-TEST-PA001", "2YO-TEST-PA000"]


def test_keyset_pages_walk_every_row_once_with_the_same_number_of_queries(make_app, db):
    app = make_app(QUEUE_PAGE_SIZE=4)
    load_shipped_forms(db)
    submitted(db, 10)
    client = app.test_client()
    sign_in_staff(client, db)
    seen, counts = [], []
    url = "/admin/queue?order=newest"
    while url:
        with count_queries(app) as statements:
            html = client.get(url).get_data(as_text=True)
        counts.append(len([s for s in statements if s.lstrip().upper().startswith("SELECT")]))
        seen += references(html)
        queue_sql = next(s for s in statements if "FROM applications" in s)
        assert ("(applications.submitted_at, applications.id) <" in queue_sql) == bool(seen[:-4])  # keyset
        url = next_link(html)
        if url:
            assert "order=newest" in url and "cursor=" in url
    assert len(seen) == 10 and len(set(seen)) == 10
    assert seen == sorted(seen, reverse=True)
    assert len(set(counts)) == 1, counts  # 3 pages, the same number of queries each


def test_an_unreadable_cursor_is_the_first_page():
    assert decode_cursor("not-a-cursor!") is None
    assert decode_cursor("") is None
    from datetime import UTC, datetime

    moment = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)
    assert decode_cursor(encode_cursor(moment, 42)) == (moment, 42)


def test_filters_and_search(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    submitted(db, 2, email="parent@example.com", surname="Parent")
    other, _child, apps = submitted(db, 1, email="okafor@example.com", surname="Okafor")
    other.postcode = "NN1 1AA"
    db.commit()
    client = app.test_client()
    sign_in_staff(client, db)
    assert references(client.get("/admin/queue?q=okafor").get_data(as_text=True)) == ["2YO-TEST-OK000"]
    assert references(client.get("/admin/queue?q=nn11aa").get_data(as_text=True)) == ["2YO-TEST-OK000"]
    assert references(client.get("/admin/queue?q=2yo-test-pa001").get_data(as_text=True)) == ["2YO-TEST-PA001"]
    assert len(references(client.get("/admin/queue?q=Ada+Parent").get_data(as_text=True))) == 3
    assert references(client.get("/admin/queue?q=%25").get_data(as_text=True)) == []  # LIKE wildcards are text
    assert len(references(client.get("/admin/queue?form=two_year_old_funding").get_data(as_text=True))) == 3
    assert references(client.get("/admin/queue?form=thirty_hours_check").get_data(as_text=True)) == []
    assert references(client.get("/admin/queue?status=resubmitted").get_data(as_text=True)) == []
    assert references(client.get("/admin/queue?from=2000-01-01&to=2000-01-02").get_data(as_text=True)) == []
    assert len(references(client.get("/admin/queue?assignee=none").get_data(as_text=True))) == 3
    assert references(client.get("/admin/queue?assignee=me").get_data(as_text=True)) == []


def test_assign_to_me_and_reassign(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    _parent, _child, apps = submitted(db, 2)
    colleague = make_user(db, role=Role.CASEWORKER, email="ali@example.com", forename="Ali", surname="Khan")
    client = app.test_client()
    me = sign_in_staff(client, db)
    page = client.get("/admin/queue").get_data(as_text=True)
    refused = client.post(f"/admin/submissions/{apps[0].id}/assign", data={"assignee": "me"})
    assert refused.status_code == 400  # no CSRF token
    done = client.post(
        f"/admin/submissions/{apps[0].id}/assign",
        data={"csrf_token": csrf_token_from(page), "assignee": "me", "back": "/admin/queue"},
    )
    assert done.headers["Location"] == "/admin/queue"
    mine = client.get("/admin/queue?assignee=me").get_data(as_text=True)
    assert references(mine) == ["2YO-TEST-PA000"] and "Jane Smith" in text_of(mine)
    client.post(
        f"/admin/submissions/{apps[0].id}/assign", data={"csrf_token": csrf_token_from(page), "assignee": colleague.id}
    )
    db.expire_all()
    assert db.get(ReviewAssignment, apps[0].id).assignee_id == colleague.id
    assert references(client.get(f"/admin/queue?assignee={colleague.id}").get_data(as_text=True)) == ["2YO-TEST-PA000"]
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == me.id)).all()
    assert actions.count("submission_assigned") == 2


def test_a_parent_cannot_open_any_admin_url(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    parent, _child, apps = submitted(db, 1)
    client = signed_in_client(app, parent.email)
    urls = [
        "/admin/", "/admin/queue", "/admin/queue.csv", f"/admin/submissions/{apps[0].id}",
        f"/admin/submissions/{apps[0].id}.pdf", f"/admin/submissions/{apps[0].id}/decide/approve",
        f"/admin/submissions/{apps[0].id}/audit", "/admin/templates", "/admin/templates/new",
    ]  # fmt: skip
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/admin/submissions/{apps[0].id}/assign", data={"assignee": "me"}).status_code in (400, 403)
    anonymous = app.test_client()
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url


def test_a_caseworker_without_two_step_verification_cannot_enter_the_queue(make_app, db):
    app = make_app()
    make_user(db, role=Role.CASEWORKER, email="case@example.com")
    client = app.test_client()
    sign_in(client, "case@example.com")
    refused = client.get("/admin/queue")
    assert refused.status_code == 403
    assert "You need to set up two-step verification" in text_of(refused.get_data(as_text=True))
