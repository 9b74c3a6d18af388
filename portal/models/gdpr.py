"""GDPR administration: who is told of consent withdrawals, and the council's record of acting on each.

Consent statements and each person's agreements and withdrawals are in `accounts` (ConsentStatement,
ConsentRecord); this module holds what only administrators keep about them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class WithdrawalAlertRecipient(Base):
    """An address emailed whenever someone withdraws consent (the handbook's "GDPR Email Alert").

    Removing an address keeps its row with `removed_at` set, so the list's history stays readable and a
    list that has been emptied on purpose is told apart from one nobody has managed yet (which falls
    back to the CONSENT_WITHDRAWAL_ALERT_EMAILS setting: see `portal.services.withdrawals`).
    """

    __tablename__ = "withdrawal_alert_recipients"
    __table_args__ = (
        # An address is on the list at most once at a time.
        Index(
            "uq_withdrawal_alert_recipients_current_email",
            "email_normalised",
            unique=True,
            sqlite_where=text("removed_at IS NULL"),
            postgresql_where=text("removed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    email_normalised: Mapped[str] = mapped_column(String(320))
    # True for the addresses copied from the server's configuration when the list was first managed.
    from_configuration: Mapped[bool] = mapped_column(default=False)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class WithdrawalAction(Base):
    """A withdrawal of consent marked as actioned: who, when, and what they did. At most one each."""

    __tablename__ = "withdrawal_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: a second "mark as actioned" fails in the database even when two administrators race.
    consent_record_id: Mapped[int] = mapped_column(ForeignKey("consent_records.id"), unique=True)
    actioned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    actioned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str] = mapped_column(Text)
