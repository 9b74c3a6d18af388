"""Parents' applications: drafts and submissions, their status history, uploads and messages.

A draft and the submission it becomes are one row: submitting freezes the answers (with the question
texts as shown) and moves the status on. Every row is owned by one parent; pages look rows up through
the owner so that another family's id is simply not found.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .forms import FormVersion
from .users import Child


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    MORE_INFORMATION_REQUESTED = "more_information_requested"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_decided(self) -> bool:
        return self in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)


_LABELS = {
    ApplicationStatus.DRAFT: "Not sent",
    ApplicationStatus.SUBMITTED: "Submitted",
    ApplicationStatus.IN_REVIEW: "In review",
    ApplicationStatus.MORE_INFORMATION_REQUESTED: "More information requested",
    ApplicationStatus.RESUBMITTED: "Resubmitted",
    ApplicationStatus.APPROVED: "Approved",
    ApplicationStatus.REJECTED: "Rejected",
    ApplicationStatus.WITHDRAWN: "Withdrawn",
}


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e])


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        # At most one draft per parent, form and child. NULLs never collide in a unique index, so forms
        # that are not about a child get an index of their own.
        Index(
            "uq_applications_draft_per_child",
            "user_id",
            "form_code",
            "child_id",
            unique=True,
            sqlite_where=text("status = 'draft' AND child_id IS NOT NULL"),
            postgresql_where=text("status = 'draft' AND child_id IS NOT NULL"),
        ),
        Index(
            "uq_applications_draft_without_child",
            "user_id",
            "form_code",
            unique=True,
            sqlite_where=text("status = 'draft' AND child_id IS NULL"),
            postgresql_where=text("status = 'draft' AND child_id IS NULL"),
        ),
        Index("ix_applications_draft_expiry", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_versions.id"), index=True)  # builder: "has answers"
    form_code: Mapped[str] = mapped_column(String(100))
    status: Mapped[ApplicationStatus] = mapped_column(_enum(ApplicationStatus), default=ApplicationStatus.DRAFT)
    # Typed answers through formsengine.to_json; frozen at submission.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What the parent saw and agreed to when sending: the check-your-answers sections with the question
    # texts, the declarations' texts and the outcome message. A later form version never changes it.
    submitted_summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    form_version: Mapped[FormVersion] = relationship()
    child: Mapped[Child | None] = relationship()
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="application", order_by="StatusChange.id", cascade="all, delete-orphan"
    )

    # Optimistic concurrency: every ORM UPDATE carries "WHERE row_version = <read>", so two tabs saving
    # the same draft at once cannot silently overwrite each other.
    __mapper_args__ = {"version_id_col": row_version}

    @property
    def is_draft(self) -> bool:
        return self.status is ApplicationStatus.DRAFT


class StatusChange(Base):
    """One step in an application's life: who moved it, when, from what, to what, and why."""

    __tablename__ = "application_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[ApplicationStatus | None] = mapped_column(_enum(ApplicationStatus))
    to_status: Mapped[ApplicationStatus] = mapped_column(_enum(ApplicationStatus))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="history")


class Upload(Base):
    """A file a parent uploaded. The bytes live in the storage backend under a random key."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    question_code: Mapped[str] = mapped_column(String(100))
    original_filename: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MessageDirection(enum.StrEnum):
    TO_PARENT = "to_parent"
    FROM_PARENT = "from_parent"


class Message(Base):
    """A message about an application (the council's to the parent, or a reply)."""

    __tablename__ = "application_messages"
    __table_args__ = (Index("ix_application_messages_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    # The parent the message concerns (denormalised from the application so the inbox is one query).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    direction: Mapped[MessageDirection] = mapped_column(_enum(MessageDirection))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application: Mapped[Application] = relationship()
