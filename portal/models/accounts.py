"""Citizen accounts: server-side sessions, single-use tokens, recovery codes, consent and announcements."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .users import User


class WebSession(Base):
    """One browser session. The cookie holds a random token; only its SHA-256 is stored, so a copy of
    this table cannot be replayed as cookies. Deleting a row ends that session at once."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # hex SHA-256 of the cookie's token
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class TokenPurpose(enum.StrEnum):
    ACTIVATION = "activation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a password
    EMAIL_CHANGE = "email_change"
    SIGN_IN_CODE = "sign_in_code"  # the emailed two-step verification code
    STAFF_INVITATION = "staff_invitation"  # the link an invited member of staff accepts


class AccountToken(Base):
    """A single-use secret sent by email (a link or a code). Stored hashed; used at most once."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(
        Enum(TokenPurpose, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    token_hash: Mapped[str] = mapped_column(String(64), index=True)
    new_email: Mapped[str | None] = mapped_column(String(320))  # for a change of email only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """One of the ten codes that stand in for an authenticator app once each. Stored hashed."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ConsentStatement(Base):
    """A version of the council's data protection consent statement. Published versions never change."""

    __tablename__ = "consent_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    body_markdown: Mapped[str] = mapped_column(Text)
    # The words beside the tick box, e.g. "I agree to ... as described in this statement".
    agreement_text: Mapped[str] = mapped_column(String(500))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ConsentAction(enum.StrEnum):
    AGREED = "agreed"
    WITHDRAWN = "withdrawn"


class ConsentRecord(Base):
    """Each agreement or withdrawal, with the statement version it concerned. Append-only."""

    __tablename__ = "consent_records"
    # A person's history by user; the withdrawal list and the withdrawal alerts by action, newest first.
    __table_args__ = (
        Index("ix_consent_records_user_at", "user_id", "at"),
        Index("ix_consent_records_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    statement_id: Mapped[int] = mapped_column(ForeignKey("consent_statements.id"))
    action: Mapped[ConsentAction] = mapped_column(
        Enum(ConsentAction, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    client_address: Mapped[str | None] = mapped_column(String(45))

    statement: Mapped[ConsentStatement] = relationship()


class Announcement(Base):
    """A notice shown after sign-in on each day from `starts_on` to `ends_on`, inclusive."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body_markdown: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
