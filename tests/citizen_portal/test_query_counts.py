"""The parent's pages run the same number of SQL queries however many applications exist (no N+1)."""

from __future__ import annotations

from application_helpers import (
    load_shipped_forms,
    make_child,
    make_parent,
    make_submitted_application,
    post_page,
    signed_in_client,
)
from helpers import count_queries

from portal.services.messages import send_to_parent

PAGES = ["/", "/family", "/messages", "/apply/two_year_old_funding", "/apply/two_year_old_funding/parent"]


def add_applications(db, parent, child, start, count):
    for number in range(start, start + count):
        application = make_submitted_application(db, parent, child, reference=f"2YO-TEST-{number:04d}")
        send_to_parent(db, application, subject="Hello", body="Body", sender_id=None, base_url="http://x")


def queries_per_page(app, client):
    counts = {}
    for url in PAGES:
        with count_queries(app) as statements:
            assert client.get(url).status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_pages_run_the_same_queries_with_few_and_many_applications(app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent)
    client = signed_in_client(app, parent.email)
    post_page(client, "/apply/two_year_old_funding", {"child": str(child.id)})
    add_applications(db, parent, child, 0, 2)
    few = queries_per_page(app, client)
    add_applications(db, parent, make_child(db, parent, forename="Bo"), 2, 40)
    many = queries_per_page(app, client)
    assert "2YO-TEST-0041" in client.get("/").get_data(as_text=True)
    assert many == few
