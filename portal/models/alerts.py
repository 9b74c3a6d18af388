"""Alerts: what an administrator asked to be told (or to tell the applicant), and what was delivered.

An `Alert` is either triggered by an event (an application submitted, consent withdrawn) or scheduled
(daily conditions such as drafts about to expire). The worker finds the events and conditions by polling
(`portal.services.alerts`) and records one `AlertDelivery` per alert and subject, under a unique
constraint: that row, written in the same transaction as the emails or the message it stands for, is
what makes each event alerted exactly once, whatever the number of workers or wherever one crashed.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class AlertKind(enum.StrEnum):
    """What sets an alert off. The first two are events; the last two are conditions checked daily."""

    SUBMITTED = "submitted"  # an application for a form is submitted, or resubmitted after a request
    CONSENT_WITHDRAWN = "consent_withdrawn"  # someone withdraws their data protection consent
    DRAFTS_EXPIRING = "drafts_expiring"  # unsent applications that will be deleted within N days
    AWAITING_DECISION = "awaiting_decision"  # submissions waiting for a decision for more than N days

    @property
    def is_scheduled(self) -> bool:
        return self in (AlertKind.DRAFTS_EXPIRING, AlertKind.AWAITING_DECISION)


class AlertAction(enum.StrEnum):
    EMAIL_LIST = "email_list"  # a summary for staff, without parents' names or contact details
    MESSAGE_APPLICANT = "message_applicant"  # a portal message in the applicant's inbox, with its notification


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])


class Alert(Base):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The reason for the alert, as the handbook calls it: what the administrator will recognise in a list.
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[AlertKind] = mapped_column(_enum(AlertKind))
    action: Mapped[AlertAction] = mapped_column(_enum(AlertAction))
    form_code: Mapped[str | None] = mapped_column(String(100))  # required for SUBMITTED, optional when scheduled
    days: Mapped[int | None]  # N of the scheduled kinds
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)  # EMAIL_LIST: staff addresses
    subject: Mapped[str | None] = mapped_column(String(200))  # MESSAGE_APPLICANT: with placeholders
    body_markdown: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    # Triggered alerts read events after this id (status changes or consent records), and none from
    # before `active_since`: an alert starts from the moment it is created or turned back on.
    event_cursor: Mapped[int] = mapped_column(default=0)
    active_since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The random token of the page that created it, so a double-clicked "Save" makes one alert.
    creation_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    deliveries: Mapped[list[AlertDelivery]] = relationship(
        back_populates="alert", cascade="all, delete-orphan", passive_deletes=True
    )


class AlertDelivery(Base):
    """One alert delivered about one subject: an event, an application, or a day's summary.

    `subject_key` names the subject ("status_change:41", "draft:7:2027-03-02T10:00:00", "day:2027-03-02");
    the unique constraint on (alert, subject) is the exactly-once guarantee. The other columns are what
    the deliveries page shows, and hold no personal data: references, ids and counts only.
    """

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        UniqueConstraint("alert_id", "subject_key", name="uq_alert_deliveries_alert_subject"),
        Index("ix_alert_deliveries_alert_delivered", "alert_id", "delivered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    subject_key: Mapped[str] = mapped_column(String(80))
    # The application it was about (kept as a reference after a draft is deleted), or the account that
    # withdrew consent, or the number of items a daily summary listed.
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="SET NULL"))
    reference: Mapped[str | None] = mapped_column(String(20))
    account_id: Mapped[int | None]
    item_count: Mapped[int] = mapped_column(default=1)
    recipient_count: Mapped[int] = mapped_column(default=1)
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    alert: Mapped[Alert] = relationship(back_populates="deliveries")
