"""Pressing "Accept and send" twice, or in two tabs at once, makes exactly one submission."""

from __future__ import annotations

import threading

from application_helpers import load_shipped_forms, make_child, make_parent, post_page, signed_in_client
from helpers import csrf_token_from
from sqlalchemy import func, select

from portal.models import Application, ApplicationStatus, OutboxMessage, StatusChange
from portal.services.applications import start_draft, submit_application
from portal.uploads import LocalStorage

FORM = "/apply/thirty_hours_check"
DECLARED = {"declarations": ["truthful"]}


def ready_to_send(app, db):
    """A parent whose 30 hours check draft is complete, signed in twice (two tabs)."""
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent)
    first = signed_in_client(app, parent.email)
    post_page(first, FORM, {"child": str(child.id)})
    post_page(first, f"{FORM}/code", {"eligibility_code": "50012345678", "parent_ni_number": "JG103759A"})
    dob = {"child_date_of_birth-day": "15", "child_date_of_birth-month": "3", "child_date_of_birth-year": "2024"}
    assert post_page(first, f"{FORM}/child", dob).headers["Location"] == f"{FORM}/check"
    second = signed_in_client(app, parent.email)
    return parent, first, second


def counts(db):
    db.expire_all()
    return (
        db.scalar(select(func.count()).select_from(Application).where(Application.reference.is_not(None))),
        db.scalar(select(func.count()).select_from(StatusChange)),
        db.scalar(select(func.count()).select_from(OutboxMessage)),
    )


def test_two_tabs_posting_at_the_same_moment_make_one_submission(app, db):
    _parent, first, second = ready_to_send(app, db)
    tokens = [csrf_token_from(c.get(f"{FORM}/check").get_data(as_text=True)) for c in (first, second)]
    barrier = threading.Barrier(2)
    responses = [None, None]

    def send(index, client):
        barrier.wait()
        responses[index] = client.post(f"{FORM}/check", data={"csrf_token": tokens[index], **DECLARED})

    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert responses[0].headers["Location"].endswith("/sent")
    assert counts(db) == (1, 1, 1)


def test_pressing_accept_and_send_again_shows_the_same_confirmation(app, db):
    _parent, first, _second = ready_to_send(app, db)
    page = first.get(f"{FORM}/check").get_data(as_text=True)
    token = csrf_token_from(page)
    one = first.post(f"{FORM}/check", data={"csrf_token": token, **DECLARED})
    two = first.post(f"{FORM}/check", data={"csrf_token": token, **DECLARED})
    assert one.status_code == 302
    assert two.status_code in (302, 404)
    assert counts(db) == (1, 1, 1)


def test_a_stale_read_of_the_draft_loses_the_conditional_update(app, db, tmp_path):
    """Two units of work read the draft before either writes: only the first write counts."""
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent)
    draft = start_draft(db, parent, "thirty_hours_check", child.id, expiry_days=28)
    draft.answers = {**draft.answers, "eligibility_code": "50012345678", "parent_ni_number": "JG103759A"}
    db.commit()
    other = app.extensions["db_sessionmaker"]()
    stale = other.get(Application, draft.id)  # read now, before the first submission
    assert stale.status is ApplicationStatus.DRAFT
    storage = LocalStorage(tmp_path)
    from datetime import date

    first = submit_application(db, storage, parent, draft.id, DECLARED, today=date.today(), base_url="http://x")
    second = submit_application(
        other, storage, other.merge(parent), draft.id, DECLARED, today=date.today(), base_url="http://x"
    )
    other.close()
    assert first.created and not second.created
    assert second.application.reference == first.application.reference
    assert counts(db) == (1, 1, 1)
