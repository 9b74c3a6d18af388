"""Data retention: the administrators' rules for deleting old applications, and what each run deleted.

A rule names a form (or every form), an application status and a number of months. The worker deletes
the applications the rule selects (`portal.services.retention`); the rows here record the rule itself,
whether its dry run report was looked at before it was turned on, and a log of each run.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Enum, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from .applications import ApplicationStatus
from .base import Base, UTCDateTime, utcnow


def _status_enum() -> Enum:
    return Enum(ApplicationStatus, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e])


class RetentionRule(Base):
    """Delete applications to `form_code` (None: every form) in `status`, `months` after their decision.

    `row_version` goes up with every change an administrator makes (details, turning on or off); looking
    at the dry run report records the version it was made for (`report_viewed_version`) without changing
    it. A rule can be turned on only while the two are equal: the report seen is the rule's current one.
    """

    __tablename__ = "retention_rules"
    __table_args__ = (
        # One rule per form and status, and one "every form" rule per status. NULLs never collide in a
        # unique index, so the "every form" rules get an index of their own.
        Index(
            "uq_retention_rules_form_status",
            "form_code",
            "status",
            unique=True,
            sqlite_where=text("form_code IS NOT NULL"),
            postgresql_where=text("form_code IS NOT NULL"),
        ),
        Index(
            "uq_retention_rules_every_form_status",
            "status",
            unique=True,
            sqlite_where=text("form_code IS NULL"),
            postgresql_where=text("form_code IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_code: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[ApplicationStatus] = mapped_column(_status_enum())
    months: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    report_viewed_version: Mapped[int | None] = mapped_column(Integer)
    report_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    report_viewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enabled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class RetentionRun(Base):
    """What one rule deleted in one pass of the worker (written only when it deleted something).

    The rule's form, status and months are copied, so the log still reads true after the rule is changed
    or deleted.
    """

    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("retention_rules.id", ondelete="SET NULL"), index=True)
    form_code: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[ApplicationStatus] = mapped_column(_status_enum())
    months: Mapped[int] = mapped_column(Integer)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    applications_deleted: Mapped[int] = mapped_column(Integer, default=0)
    files_deleted: Mapped[int] = mapped_column(Integer, default=0)
    bytes_deleted: Mapped[int] = mapped_column(BigInteger, default=0)
    # When the references of the deleted applications were removed (they are kept for a while only).
    references_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RetentionDeletedReference(Base):
    """The reference of an application a run deleted, kept for a limited time to answer questions about it."""

    __tablename__ = "retention_deleted_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("retention_runs.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(20), index=True)


class RetentionPendingFile(Base):
    """An uploaded file whose row was deleted and whose bytes are still to be removed from storage.

    Written in the same transaction that deletes the upload rows; the file goes after the commit and
    then this row. A crash in between leaves this row, and the next run finishes the job: no row ever
    points to a missing file, and no file is forgotten.
    """

    __tablename__ = "retention_pending_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
