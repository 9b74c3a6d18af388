"""Form definitions as the portal stores them: each version of each form, immutable once used."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class FormStatus(enum.StrEnum):
    DRAFT = "draft"
    LIVE = "live"
    RETIRED = "retired"


class FormVersion(Base):
    """One version of a form definition; a changed definition is a new row, never an update."""

    __tablename__ = "form_versions"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_form_versions_code_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[FormStatus] = mapped_column(
        Enum(FormStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    fingerprint: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
