"""Site settings an administrator changed (issue 8): one row per setting that differs from its default.

The defaults are the values the portal was started with (environment variables, portal/config.py); a
row here overrides one of them, and "Reset to default" deletes the row. Which keys exist, their types
and their bounds are defined in `portal.services.site_settings`, the only code that reads this table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class SiteSetting(Base):
    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)  # a string, a whole number or a list of strings, by key
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
