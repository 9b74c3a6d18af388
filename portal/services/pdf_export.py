"""A submission as a printable PDF: the council's name, the answers as sent and the status history.

The input is a plain data structure (`SubmissionSummary`), so this module knows nothing about how
applications are stored; the caller turns a submission into one. The layout (fpdf2, Source Sans Pro
embedded as a subset, a character the font lacks printed as "?", never fpdf2's Markdown) is
`pdf_layout`'s, shared with the subject access export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .pdf_layout import LayoutPDF, printable, uk_time

__all__ = [
    "Answer",
    "AnswerSection",
    "StatusHistoryRow",
    "SubmissionSummary",
    "printable",
    "submission_pdf",
    "uk_time",
]


@dataclass(frozen=True)
class StatusHistoryRow:
    at: datetime  # aware; shown in UK time
    status: str  # as a person reads it, e.g. "More information requested"
    by: str = ""  # who made the change, e.g. "Jane Smith"; empty for the parent or the system
    note: str = ""


@dataclass(frozen=True)
class Answer:
    question: str  # the question's text as the parent saw it
    lines: Sequence[str]  # the answer, one line each (an address, a list of choices)


@dataclass(frozen=True)
class AnswerSection:
    title: str
    answers: Sequence[Answer]


@dataclass(frozen=True)
class SubmissionSummary:
    council_name: str
    form_title: str
    reference: str
    submitted_at: datetime  # aware; shown in UK time
    status_history: Sequence[StatusHistoryRow] = field(default_factory=tuple)
    sections: Sequence[AnswerSection] = field(default_factory=tuple)


def submission_pdf(summary: SubmissionSummary, *, generated_at: datetime) -> bytes:
    """The PDF of one submission, as bytes to send with `application/pdf`."""
    pdf = LayoutPDF(
        council=summary.council_name,
        title=f"{summary.form_title}: {summary.reference}",
        footer_reference=f"Reference {summary.reference}",
        generated_at=generated_at,
    )
    pdf.add_page()
    pdf.heading(summary.form_title, 22)
    pdf.key_values([("Reference", summary.reference), ("Submitted", uk_time(summary.submitted_at))])
    if summary.status_history:
        pdf.heading("Status history", 16)
        pdf.rows(
            ("Date", "Status", "By", "Note"),
            [(uk_time(change.at), change.status, change.by, change.note) for change in summary.status_history],
            (30, 26, 20, 34),
        )
    for section in summary.sections:
        pdf.heading(section.title, 16)
        pdf.key_values([(answer.question, "\n".join(answer.lines)) for answer in section.answers])
    return bytes(pdf.output())
