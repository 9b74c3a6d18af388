"""The caseworkers' review queue: submissions waiting for a decision, filtered, searched and paged by keyset.

Keyset pagination: a page is "the next N rows after (received, id)" in the chosen order, so the database
walks the `ix_applications_queue` index from the cursor instead of counting past OFFSET rows; page 500
costs what page 1 costs. The cursor in the URL is opaque (base64 of the last row's key) and a cursor that
does not parse is simply the first page.

Every page is one query for the rows (reference, form title, child, parent, assignee joined in), whatever
the number of rows; the filter choices (forms, caseworkers) are two more.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from ..models import Application, ApplicationStatus, Child, FormVersion, ReviewAssignment, Role, User, utcnow
from . import audit

LONDON = ZoneInfo("Europe/London")
S = ApplicationStatus

# Waiting for a caseworker. (A case waiting for the parent's answer can be listed with the status filter.)
AWAITING_DECISION = (S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED)
FILTERABLE_STATUSES = (S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED, S.MORE_INFORMATION_REQUESTED)
UNASSIGNED = "none"


@dataclass(frozen=True)
class QueueFilters:
    """What the caseworker chose above the queue; every field optional."""

    oldest_first: bool = True
    form_code: str | None = None
    status: ApplicationStatus | None = None
    received_from: date | None = None
    received_to: date | None = None
    assignee: int | str | None = None  # a user id, or UNASSIGNED
    search: str = ""

    def statuses(self) -> tuple[ApplicationStatus, ...]:
        return (self.status,) if self.status is not None else AWAITING_DECISION


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    form_title: str
    child_name: str
    parent_name: str
    received: datetime
    status: ApplicationStatus
    assignee_id: int | None
    assignee_name: str
    overdue: bool


@dataclass
class QueuePage:
    rows: list[QueueRow]
    next_cursor: str | None
    filters: QueueFilters
    first_page: bool
    age_warning_days: int
    extra: dict = field(default_factory=dict)


# --- the cursor ----------------------------------------------------------------------------------------


def encode_cursor(received: datetime, application_id: int) -> str:
    raw = json.dumps([received.isoformat(), application_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """The key a cursor holds, or None for a missing or unreadable one (the first page)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        received, application_id = json.loads(raw)
        moment = datetime.fromisoformat(received)
        if moment.tzinfo is None or not isinstance(application_id, int):
            return None
        return moment, application_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None


# --- the query -----------------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def queue_query(filters: QueueFilters, after: tuple[datetime, int] | None, limit: int) -> Select:
    """The rows of one page, as one SELECT (also what the bench times against raw SQL)."""
    assignee = aliased(User, name="assignee")
    parent = aliased(User, name="parent")
    query = (
        select(
            Application.id,
            Application.reference,
            FormVersion.title,
            Child.forename,
            Child.surname,
            parent.forename,
            parent.surname,
            Application.submitted_at,
            Application.status,
            ReviewAssignment.assignee_id,
            assignee.forename,
            assignee.surname,
        )
        .join(FormVersion, FormVersion.id == Application.form_version_id)
        .join(parent, parent.id == Application.user_id)
        .outerjoin(Child, Child.id == Application.child_id)
        .outerjoin(ReviewAssignment, ReviewAssignment.application_id == Application.id)
        .outerjoin(assignee, assignee.id == ReviewAssignment.assignee_id)
        .where(Application.status.in_(filters.statuses()))
    )
    if filters.form_code:
        query = query.where(Application.form_code == filters.form_code)
    if filters.received_from:
        query = query.where(Application.submitted_at >= _day_start(filters.received_from))
    if filters.received_to:
        query = query.where(Application.submitted_at < _day_start(filters.received_to + timedelta(days=1)))
    if filters.assignee == UNASSIGNED:
        query = query.where(ReviewAssignment.assignee_id.is_(None))
    elif isinstance(filters.assignee, int):
        query = query.where(ReviewAssignment.assignee_id == filters.assignee)
    term = " ".join(filters.search.split())
    if term:
        like = _escape_like(term.lower()) + "%"
        compact = term.replace(" ", "").upper()
        query = query.where(
            or_(
                Application.reference == term.upper(),
                func.lower(parent.surname).like(like, escape="\\"),
                func.lower(Child.forename).like(like, escape="\\"),
                func.lower(Child.surname).like(like, escape="\\"),
                func.lower(Child.forename + " " + Child.surname).like(like, escape="\\"),
                func.replace(func.upper(parent.postcode), " ", "") == compact,
            )
        )
    key = tuple_(Application.submitted_at, Application.id)
    if after is not None:
        query = query.where(key > tuple_(*after) if filters.oldest_first else key < tuple_(*after))
    if filters.oldest_first:
        query = query.order_by(Application.submitted_at.asc(), Application.id.asc())
    else:
        query = query.order_by(Application.submitted_at.desc(), Application.id.desc())
    return query.limit(limit)


def _row(values, overdue_before: datetime) -> QueueRow:
    (app_id, reference, title, child_forename, child_surname, parent_forename, parent_surname, received, status,
     assignee_id, assignee_forename, assignee_surname) = values  # fmt: skip
    return QueueRow(
        id=app_id,
        reference=reference or "",
        form_title=title,
        child_name=f"{child_forename} {child_surname}" if child_forename else "",
        parent_name=f"{parent_forename} {parent_surname}",
        received=received,
        status=status,
        assignee_id=assignee_id,
        assignee_name=f"{assignee_forename} {assignee_surname}" if assignee_id else "",
        overdue=received < overdue_before,
    )


def queue_page(
    db: Session, filters: QueueFilters, cursor: str | None, *, page_size: int, age_warning_days: int
) -> QueuePage:
    """One page of the queue and the cursor of the next (None on the last page)."""
    after = decode_cursor(cursor)
    found = db.execute(queue_query(filters, after, page_size + 1)).all()
    overdue_before = utcnow() - timedelta(days=age_warning_days)
    rows = [_row(values, overdue_before) for values in found[:page_size]]
    next_cursor = encode_cursor(rows[-1].received, rows[-1].id) if len(found) > page_size else None
    return QueuePage(rows, next_cursor, filters, after is None, age_warning_days)


def all_rows(db: Session, filters: QueueFilters, *, age_warning_days: int, batch: int = 1000) -> Iterator[QueueRow]:
    """Every row of the queue view, fetched a keyset batch at a time (for the CSV export)."""
    after = None
    overdue_before = utcnow() - timedelta(days=age_warning_days)
    while True:
        found = db.execute(queue_query(filters, after, batch)).all()
        for values in found:
            yield _row(values, overdue_before)
        if len(found) < batch:
            return
        after = (found[-1][7], found[-1][0])


def form_choices(db: Session) -> list[tuple[str, str]]:
    """(code, title) of every form that has versions, for the filter."""
    rows = db.execute(
        select(FormVersion.code, func.max(FormVersion.title)).group_by(FormVersion.code).order_by(FormVersion.code)
    ).all()
    return [(code, title) for code, title in rows]


def caseworkers(db: Session) -> list[User]:
    return list(
        db.scalars(
            select(User).where(User.role.in_((Role.CASEWORKER, Role.ADMIN))).order_by(User.surname, User.forename)
        )
    )


# --- assignment ----------------------------------------------------------------------------------------


class AssignmentRefused(ValueError):
    pass


def assign(
    db: Session, application_id: int, assignee_id: int, *, actor_id: int, client_address: str | None = None
) -> None:
    """Give the case to a caseworker (themself with "Assign to me"), replacing any earlier assignee."""
    application = db.get(Application, application_id)
    assignee = db.get(User, assignee_id)
    if application is None or application.status is S.DRAFT:
        raise LookupError(application_id)
    if assignee is None or not assignee.role.is_staff:
        raise AssignmentRefused("not a caseworker")
    current = db.get(ReviewAssignment, application_id)
    if current is None:
        db.add(ReviewAssignment(application_id=application_id, assignee_id=assignee_id, assigned_by_id=actor_id))
    else:
        current.assignee_id = assignee_id
        current.assigned_by_id = actor_id
        current.assigned_at = utcnow()
    audit.record(
        db,
        "submission_assigned",
        actor_id=actor_id,
        client_address=client_address,
        object_type="application",
        object_id=application_id,
        assignee_id=assignee_id,
    )
    db.commit()
