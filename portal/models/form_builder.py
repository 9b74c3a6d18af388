"""The form builder's own data: one working copy per form, and the named option lists.

A working copy is never a ``FormVersion``: a version's definition must not change once stored (the
portal caches each version's built form, and submissions point at it), while a working copy changes
with every edit. Publishing turns the working copy into a new version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class FormDraft(Base):
    """The working copy of one form: a definition dict in the canonical shape of ``Form.to_dict()``."""

    __tablename__ = "form_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    # formsengine.editing.fingerprint of the definition: equal to a version's when nothing was changed.
    fingerprint: Mapped[str] = mapped_column(String(64))
    based_on_version: Mapped[int | None] = mapped_column(Integer)
    # Question code -> code of the named option list its options are copied from.
    option_list_links: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # Optimistic concurrency: two administrators editing one form cannot silently overwrite each other.
    __mapper_args__ = {"version_id_col": row_version}


class OptionList(Base):
    """A named list of options ("constrained list"), managed on its own pages and copied into questions."""

    __tablename__ = "option_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    options: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __mapper_args__ = {"version_id_col": row_version}
