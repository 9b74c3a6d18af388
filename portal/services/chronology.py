"""A child's chronology: every submission, status change and decision, message and document, across forms
and across every child record linked to the same known child (see record_matching), newest first.

The page runs the same queries however long the history is: one for the child and its record, then one
each for the submissions, status changes, messages and documents, each selected by a subquery of the
record's children.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from ..models import (
    Application,
    ApplicationStatus,
    Child,
    ChildRecordLink,
    Message,
    MessageDirection,
    StatusChange,
    Upload,
    User,
)
from . import audit

S = ApplicationStatus
DECISIONS = {S.APPROVED, S.REJECTED, S.MORE_INFORMATION_REQUESTED}


class NotFound(LookupError):
    pass


class EventKind(StrEnum):
    SUBMISSION = "submission"
    DECISION = "decision"
    STATUS = "status"
    MESSAGE = "message"
    DOCUMENT = "document"

    @property
    def label(self) -> str:
        return {
            EventKind.SUBMISSION: "Submission",
            EventKind.DECISION: "Decision",
            EventKind.STATUS: "Status change",
            EventKind.MESSAGE: "Message",
            EventKind.DOCUMENT: "Document",
        }[self]


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: EventKind
    what: str
    detail: str
    by: str
    application: Application
    upload_id: int | None = None
    order: int = 0  # the row id, so events at the same instant keep their order


@dataclass
class Chronology:
    child: Child
    record_id: int
    applications: list[Application]
    events: list[Event]


def _actor(forename: str | None, surname: str | None, role) -> str:
    if not forename:
        return ""
    return f"{forename} {surname}" if role.is_staff else "Parent"


def child_chronology(db: Session, child_id: int, *, actor_id: int, client_address: str | None) -> Chronology:
    row = db.execute(
        select(Child, ChildRecordLink.record_id)
        .outerjoin(ChildRecordLink, ChildRecordLink.child_id == Child.id)
        .where(Child.id == child_id)
    ).first()
    if row is None:
        raise NotFound(child_id)
    child, linked_to = row
    record_id = linked_to or child.id
    children = select(ChildRecordLink.child_id).where(ChildRecordLink.record_id == record_id)
    sent = (
        select(Application.id)
        .where(
            or_(Application.child_id == record_id, Application.child_id.in_(children)),
            Application.status != S.DRAFT,
        )
        .scalar_subquery()
    )
    applications = {
        a.id: a
        for a in db.scalars(
            select(Application).options(joinedload(Application.form_version)).where(Application.id.in_(sent))
        )
    }
    events: list[Event] = []
    changes = db.execute(
        select(StatusChange, User.forename, User.surname, User.role)
        .outerjoin(User, User.id == StatusChange.actor_id)
        .where(StatusChange.application_id.in_(sent))
    ).all()
    for change, forename, surname, role in changes:
        application = applications[change.application_id]
        if change.from_status in (None, S.DRAFT) and change.to_status is S.SUBMITTED:
            kind, what = EventKind.SUBMISSION, f"{application.form_version.title} sent"
        elif change.to_status is S.RESUBMITTED:
            kind, what = EventKind.SUBMISSION, f"{application.form_version.title} sent again"
        elif change.to_status in DECISIONS:
            kind, what = EventKind.DECISION, change.to_status.label
        else:
            kind, what = EventKind.STATUS, change.to_status.label
        by = _actor(forename, surname, role) if role else ""
        events.append(Event(change.at, kind, what, change.message, by, application, order=change.id))
    messages = db.execute(
        select(Message, User.forename, User.surname, User.role)
        .outerjoin(User, User.id == Message.sender_id)
        .where(Message.application_id.in_(sent))
    ).all()
    for message, forename, surname, role in messages:
        direction = "To the parent" if message.direction is MessageDirection.TO_PARENT else "From the parent"
        by = _actor(forename, surname, role) if role else ""
        events.append(
            Event(
                message.sent_at, EventKind.MESSAGE, f"{direction}: {message.subject}", message.body, by,
                applications[message.application_id], order=message.id,
            )
        )  # fmt: skip
    for upload in db.scalars(select(Upload).where(Upload.application_id.in_(sent))):
        events.append(
            Event(
                upload.created_at, EventKind.DOCUMENT, upload.original_filename, "", "Parent",
                applications[upload.application_id], upload_id=upload.id, order=upload.id,
            )
        )  # fmt: skip
    events.sort(key=lambda e: (e.at, e.order), reverse=True)
    audit.record(
        db, "chronology_viewed", actor_id=actor_id, client_address=client_address,
        object_type="child", object_id=record_id,
    )  # fmt: skip
    db.commit()
    ordered = sorted(applications.values(), key=lambda a: (a.submitted_at, a.id), reverse=True)
    return Chronology(child=child, record_id=record_id, applications=ordered, events=events)
