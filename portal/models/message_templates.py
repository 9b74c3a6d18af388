"""Message templates: the text a caseworker's decision sends to a parent, controlled by the council.

A template applies to one or more decisions (the council may keep several per decision, such as
"Rejected: income above limit"). Its subject and Markdown body may hold placeholders like
`{{Forename}}`; `portal/services/message_templates.py` checks them at save time and fills them in.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Decision(enum.StrEnum):
    """What a caseworker decides about a submission. Defined once; the application status module maps
    each decision onto the status it leads to."""

    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_MORE_INFORMATION = "request_more_information"

    @property
    def label(self) -> str:
        return _DECISION_LABELS[self]


_DECISION_LABELS = {
    Decision.APPROVE: "Approve",
    Decision.REJECT: "Reject",
    Decision.REQUEST_MORE_INFORMATION: "Request more information",
}


class MessageTemplate(Base):
    __tablename__ = "message_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    subject: Mapped[str] = mapped_column(String(200))
    body_markdown: Mapped[str] = mapped_column(Text)
    # The shipped default this template began as ("approve", ...); None for a council's own template.
    shipped_key: Mapped[str | None] = mapped_column(String(60), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    decision_rows: Mapped[list[MessageTemplateDecision]] = relationship(
        back_populates="template", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """The decisions this template is offered for, in the order `Decision` lists them."""
        chosen = {row.decision for row in self.decision_rows}
        return tuple(decision for decision in Decision if decision in chosen)

    @decisions.setter
    def decisions(self, decisions: set[Decision] | frozenset[Decision] | tuple[Decision, ...]) -> None:
        wanted = set(decisions)
        self.decision_rows = [row for row in self.decision_rows if row.decision in wanted] + [
            MessageTemplateDecision(decision=decision)
            for decision in Decision
            if decision in wanted and decision not in {row.decision for row in self.decision_rows}
        ]


class MessageTemplateDecision(Base):
    """One decision a template applies to (a row per decision, so the queue lists a decision's templates
    with an indexed query)."""

    __tablename__ = "message_template_decisions"

    template_id: Mapped[int] = mapped_column(ForeignKey("message_templates.id", ondelete="CASCADE"), primary_key=True)
    decision: Mapped[Decision] = mapped_column(
        Enum(Decision, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e]),
        primary_key=True,
        index=True,
    )

    template: Mapped[MessageTemplate] = relationship(back_populates="decision_rows")
