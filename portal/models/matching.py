"""Which known child record a child named in a submission is: the caseworker's matching decision.

Parents create their own child records, so one real child can exist several times (two parents' accounts,
or the same child added twice). A caseworker links a child to the record the council already knows
(`record_id`), or confirms it as new (`record_id` is the child itself). Every child linked to one record
is one child for the council: their submissions together are that family's history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class ChildRecordLink(Base):
    __tablename__ = "child_record_links"

    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), primary_key=True)
    # The known record: always a child whose own link (if any) points at itself, never a chain.
    record_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    linked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
