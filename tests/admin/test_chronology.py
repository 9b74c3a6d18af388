"""A child's chronology: submissions, decisions, messages and documents across every linked record,
newest first, in London time, at a constant number of queries."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from application_helpers import load_shipped_forms, make_child, make_parent, make_submitted_application, text_of
from helpers import count_queries, page_title, sign_in_staff
from sqlalchemy import select

from portal.models import (
    ApplicationStatus,
    AuditEvent,
    ChildRecordLink,
    Message,
    MessageDirection,
    StatusChange,
    Upload,
)

S = ApplicationStatus
SUMMER = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # 9:00am in London (BST)


def history(db, email: str, reference: str, start: datetime, *, staff=None, events: int = 1):
    """A sent application with `events` rounds of decision, message and document after it."""
    parent = make_parent(db, email=email)
    child = make_child(db, parent, dob=date(2024, 3, 15))
    application = make_submitted_application(db, parent, child, reference=reference)
    application.submitted_at = start
    db.scalars(select(StatusChange).where(StatusChange.application_id == application.id)).one().at = start
    for n in range(events):
        at = start + timedelta(days=1 + n, minutes=1)
        db.add(StatusChange(application_id=application.id, from_status=S.SUBMITTED,
                            to_status=S.MORE_INFORMATION_REQUESTED, at=at, actor_id=staff.id if staff else None,
                            message=f"Please send proof {n}"))  # fmt: skip
        db.add(Message(application_id=application.id, user_id=parent.id, direction=MessageDirection.TO_PARENT,
                       sender_id=staff.id if staff else None, subject=f"More information needed {n}",
                       body="Please send a letter.", sent_at=at + timedelta(minutes=1)))  # fmt: skip
        db.add(Upload(user_id=parent.id, application_id=application.id, question_code="additional_evidence",
                      original_filename=f"letter-{n}.pdf", storage_key=f"{reference}-{n}", size=10,
                      content_type="application/pdf", created_at=at + timedelta(minutes=2)))  # fmt: skip
    db.commit()
    return parent, child, application


def rows(html: str) -> list[str]:
    block = re.search(r'id="chronology".*?<tbody[^>]*>(.*?)</tbody>', html, re.S)
    return [text_of(r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", block.group(1), re.S)] if block else []


def test_the_timeline_gathers_linked_records_newest_first_in_london_time(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    staff = app.test_client()
    jane = sign_in_staff(staff, db)
    _, first_child, _ = history(db, "mum@example.com", "2YO-TEST-OLD", SUMMER, staff=jane)
    _, second_child, _ = history(db, "dad@example.com", "2YO-TEST-NEW", datetime(2026, 12, 1, 15, 30, tzinfo=UTC))
    history(db, "other@example.com", "2YO-TEST-ELSE", SUMMER)  # another child: never in this chronology
    db.add(ChildRecordLink(child_id=second_child.id, record_id=first_child.id, linked_by_id=jane.id))
    db.commit()

    for child in (first_child, second_child):  # either record shows the whole child
        html = staff.get(f"/admin/children/{child.id}/chronology").get_data(as_text=True)
        assert page_title(html).startswith("Chronology for Ada Parent")
        timeline = rows(html)
        assert len(timeline) == 8
        assert timeline[0].startswith("2 December 2026, 3:33pm Document: letter-0.pdf 2YO-TEST-NEW Parent")
        assert timeline[1].startswith("2 December 2026, 3:32pm Message: To the parent: More information needed 0")
        assert timeline[2].startswith("2 December 2026, 3:31pm Decision: More information requested 2YO-TEST-NEW")
        assert timeline[3].startswith("1 December 2026, 3:30pm Submission: ")
        assert timeline[3].endswith("sent 2YO-TEST-NEW Parent")
        assert timeline[5] == ("2 June 2026, 9:02am Message: To the parent: More information needed 0 2YO-TEST-OLD "
                               "Jane Smith Please send a letter.")  # fmt: skip
        assert timeline[6] == (
            "2 June 2026, 9:01am Decision: More information requested 2YO-TEST-OLD Jane Smith Please send proof 0"
        )
        assert timeline[7].startswith("1 June 2026, 9:00am Submission: ")
        assert "2YO-TEST-ELSE" not in html
    viewed = db.scalars(select(AuditEvent).where(AuditEvent.action == "chronology_viewed")).all()
    assert [(e.object_type, e.object_id, e.actor_id) for e in viewed] == [("child", str(first_child.id), jane.id)] * 2


def test_the_chronology_costs_the_same_queries_however_long_the_history(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    staff = app.test_client()
    jane = sign_in_staff(staff, db)
    _, short, _ = history(db, "a@example.com", "2YO-TEST-A", SUMMER, staff=jane, events=1)
    _, long, _ = history(db, "b@example.com", "2YO-TEST-B", SUMMER, staff=jane, events=12)
    counts = []
    for child, expected in ((short, 4), (long, 37)):
        with count_queries(app) as statements:
            html = staff.get(f"/admin/children/{child.id}/chronology").get_data(as_text=True)
        assert len(rows(html)) == expected
        counts.append(len([s for s in statements if s.lstrip().upper().startswith("SELECT")]))
    assert counts[0] == counts[1], counts


def test_a_child_with_nothing_sent_and_an_unknown_child(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    staff = app.test_client()
    sign_in_staff(staff, db)
    child = make_child(db, make_parent(db))
    html = staff.get(f"/admin/children/{child.id}/chronology").get_data(as_text=True)
    assert "Nothing has been sent about this child yet." in html
    assert staff.get("/admin/children/999999/chronology").status_code == 404


def test_the_submission_page_links_to_matching_and_the_chronology(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    staff = app.test_client()
    sign_in_staff(staff, db)
    _, child, application = history(db, "mum@example.com", "2YO-TEST-LINK", SUMMER)
    html = staff.get(f"/admin/submissions/{application.id}").get_data(as_text=True)
    assert f'href="/admin/children/{child.id}/chronology"' in html
    assert f'href="/admin/submissions/{application.id}/matching"' in html
