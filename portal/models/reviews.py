"""Caseworkers' review of submissions: who has a case, their notes, decisions and requests for more information.

These tables sit beside `applications` (the parent's side) and never change what the parent sent; an
application's status still moves only through `portal.services.application_status`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Enum, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .applications import Application
from .base import Base, UTCDateTime, utcnow
from .message_templates import Decision

# The review queue reads applications in received order, newest or oldest first, filtered by status
# and optionally by form: keyset pagination walks these indexes, so page 500 costs what page 1 does.
Index("ix_applications_queue", Application.status, Application.submitted_at, Application.id)
# The default view (every status waiting for a decision) is three statuses: a partial index in received
# order lets it walk the index instead of sorting the matching rows.
_AWAITING = text("status IN ('submitted', 'in_review', 'resubmitted')")
Index(
    "ix_applications_awaiting_decision",
    Application.submitted_at,
    Application.id,
    sqlite_where=_AWAITING,
    postgresql_where=_AWAITING,
)
Index(
    "ix_applications_queue_by_form",
    Application.form_code,
    Application.status,
    Application.submitted_at,
    Application.id,
)


class ReviewAssignment(Base):
    """The caseworker a submission is assigned to (at most one)."""

    __tablename__ = "review_assignments"
    __table_args__ = (Index("ix_review_assignments_assignee", "assignee_id", "application_id"),)

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReviewNote(Base):
    """An internal note about a submission. Staff only: never shown to the parent."""

    __tablename__ = "review_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReviewDecision(Base):
    """A decision made on a submission, with what approving a two-year-old application issued."""

    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    decision: Mapped[Decision] = mapped_column(
        Enum(Decision, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])
    )
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The application's row version the decision was made on.
    on_version: Mapped[int]
    template_id: Mapped[int | None] = mapped_column(ForeignKey("message_templates.id", ondelete="SET NULL"))
    funding_start: Mapped[date | None] = mapped_column(Date)
    eligibility_reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    eligibility_reference_expires: Mapped[date | None] = mapped_column(Date)


class InformationRequest(Base):
    """A caseworker's request for more information, and the parent's amendment until they resubmit."""

    __tablename__ = "information_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    message: Mapped[str] = mapped_column(Text)
    # The form pages (group codes) the parent may change; None means every page.
    open_groups: Mapped[list[str] | None] = mapped_column(JSON)
    # The parent's working copy of the answers while amending (formsengine JSON), so the submission the
    # caseworker reads stays exactly as sent until the parent resubmits.
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    resubmitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What changed on resubmission: [{"section", "question", "before": [...], "after": [...]}].
    changes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    new_upload_ids: Mapped[list[int] | None] = mapped_column(JSON)
