"""Exports of the review work: a submission as PDF, the queue view as CSV. Each export is audited."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy.orm import Session

from ..models import utcnow
from . import audit
from .csv_export import stream_csv
from .pdf_export import Answer, AnswerSection, StatusHistoryRow, SubmissionSummary
from .pdf_export import submission_pdf as render_pdf
from .review import load_submission, record_access
from .review_queue import QueueRow

QUEUE_HEADER = ("Reference", "Form", "Child", "Parent", "Received", "Status", "Assigned to", "Overdue")


def submission_pdf(
    db: Session, application_id: int, *, council_name: str, actor_id: int, client_address: str | None
) -> tuple[bytes, str]:
    """The PDF's bytes and the reference (for the file name); the export is recorded."""
    found = load_submission(db, application_id)
    application = found.application
    summary = SubmissionSummary(
        council_name=council_name,
        form_title=str(found.summary.get("form_title") or application.form_version.title),
        reference=application.reference or "",
        submitted_at=application.submitted_at or application.created_at,
        status_history=[StatusHistoryRow(h.at, h.status.label, h.by, h.note) for h in found.history],
        sections=[
            AnswerSection(
                section["title"],
                [Answer(row["label"], row.get("lines") or ["Not answered"]) for row in section.get("rows", [])],
            )
            for section in found.summary.get("sections", [])
        ],
    )
    data = render_pdf(summary, generated_at=utcnow())
    record_access(db, "submission_exported_pdf", application_id, actor_id=actor_id, client_address=client_address)
    return data, application.reference or str(application.id)


def record_queue_export(db: Session, *, actor_id: int, client_address: str | None, filters: dict[str, str]) -> None:
    audit.record(
        db, "queue_exported_csv", actor_id=actor_id, client_address=client_address, object_type="queue", **filters
    )
    db.commit()


def queue_csv(rows: Iterable[QueueRow]) -> Iterator[str]:
    """The queue as CSV chunks (formula injection neutralised by `csv_export`)."""
    return stream_csv(
        QUEUE_HEADER,
        (
            (r.reference, r.form_title, r.child_name, r.parent_name, r.received, r.status.label, r.assignee_name,
             r.overdue)
            for r in rows
        ),
    )  # fmt: skip
