"""Subject access: finding a parent's account, their consent history, and a copy of everything the
portal holds about that account, as JSON and as PDF (UK GDPR Article 15).

What the export holds: the account's details; children; every application with its answers as stored
and as sent (the check-your-answers the parent saw), status history, messages, caseworkers' notes,
decisions and requests for more information; uploads; consent history; emails sent to the account's
address that the outbox still keeps (subject and dates, never the body: bodies hold one-time links and
codes); audit events about the account, its applications and children; sign-in records and sessions.
Announcements seen are not recorded per person, so that section is always empty and says why.

Uploaded files are listed (name, type, size, date, the application they belong to), not embedded. The
ICO's guidance on supplying a subject access response says a file may mix the requester's personal
data with other people's, and each document may need considering before it is disclosed: a payslip or
a benefit letter often names a partner. So the export gives the council a complete inventory, and each
file is downloaded from its submission's page (audited) to be checked and sent with the response. A
JSON file of base64 blobs would also be neither a "commonly used electronic format" for the person nor
reviewable by the council.

Reading is one query per table, whatever the amount of data, and every query is filtered by the
account, so nothing of another family can appear. Exporting is audited (who, when, which format).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from ..models import (
    Application,
    AuditEvent,
    Child,
    ConsentRecord,
    ConsentStatement,
    FormVersion,
    InformationRequest,
    Message,
    OutboxMessage,
    ReviewDecision,
    ReviewNote,
    Role,
    StatusChange,
    Upload,
    User,
    WebSession,
    utcnow,
)
from . import audit
from .gdpr_errors import ProblemCode, refuse
from .subject_access_pdf import subject_access_pdf

SEARCH_MAX_LENGTH = 320
SEARCH_LIMIT = 50
MAX_ID = 2_147_483_647  # the largest id the database holds (a 32-bit integer column)
FORMAT_VERSION = 1
SIGN_IN_ACTIONS = frozenset(
    {"sign_in", "sign_in_failed", "sign_in_password_accepted", "two_step_failed", "locked", "recovery_code_used"}
)
ACCOUNT_HOLDER = "the account holder"


class ExportFormat(enum.Enum):
    JSON = "json"
    PDF = "pdf"


# --- finding an account ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountMatch:
    id: int  # the account reference
    name: str
    email: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class SearchResult:
    query: str
    matches: list[AccountMatch]
    more: bool  # more than SEARCH_LIMIT matched: the administrator should narrow the search


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_accounts(db: Session, query: str) -> SearchResult:
    """Parents' accounts whose reference is `query`, or whose email address contains it.

    Only administrators search, so finding partial matches is a help here rather than a leak. Closed
    accounts are included: a withdrawn person's data is exactly what a subject access request is about.
    """
    query = " ".join("".join(c for c in (query or "") if c.isprintable() or c.isspace()).split())
    if not query:
        raise refuse("q", ProblemCode.SEARCH_MISSING)
    if len(query) > SEARCH_MAX_LENGTH:
        raise refuse("q", ProblemCode.SEARCH_TOO_LONG, max=SEARCH_MAX_LENGTH)
    reference = query.removeprefix("#")
    condition = User.email_normalised.like(f"%{_escape_like(query.lower())}%", escape="\\")
    if reference.isascii() and reference.isdigit() and int(reference) <= MAX_ID:
        condition = or_(condition, User.id == int(reference))
    users = db.scalars(
        select(User).where(User.role == Role.PARENT, condition).order_by(User.id).limit(SEARCH_LIMIT + 1)
    ).all()
    matches = [AccountMatch(u.id, u.full_name, u.email, u.status.value, u.created_at) for u in users]
    return SearchResult(query, matches[:SEARCH_LIMIT], more=len(matches) > SEARCH_LIMIT)


def parent_account(db: Session, user_id: int) -> User | None:
    user = db.get(User, user_id)
    return user if user is not None and user.role is Role.PARENT else None


@dataclass(frozen=True)
class ConsentEvent:
    action: str  # "agreed" or "withdrawn"
    version: int
    statement_id: int
    at: datetime
    client_address: str | None
    withdrawal_id: int | None  # the withdrawal's page in the staff area, for a withdrawal


def consent_history(db: Session, user_id: int) -> list[ConsentEvent]:
    """Each agreement and withdrawal, newest first, with the statement version it concerned."""
    rows = db.execute(
        select(ConsentRecord, ConsentStatement.version)
        .join(ConsentStatement, ConsentStatement.id == ConsentRecord.statement_id)
        .where(ConsentRecord.user_id == user_id)
        .order_by(ConsentRecord.at.desc(), ConsentRecord.id.desc())
    ).all()
    return [
        ConsentEvent(
            r.action.value,
            version,
            r.statement_id,
            r.at,
            r.client_address,
            r.id if r.action.value == "withdrawn" else None,
        )
        for r, version in rows
    ]


@dataclass(frozen=True)
class UploadRow:
    id: int
    application_id: int
    application_reference: str | None
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime


def upload_inventory(db: Session, user_id: int) -> list[UploadRow]:
    """Every file the account uploaded, with its application: to check and send with the response."""
    rows = db.execute(
        select(Upload, Application.reference)
        .join(Application, Application.id == Upload.application_id)
        .where(Upload.user_id == user_id)
        .order_by(Upload.created_at, Upload.id)
    ).all()
    return [
        UploadRow(u.id, u.application_id, ref, u.original_filename, u.content_type, u.size, u.created_at)
        for u, ref in rows
    ]


# --- the export -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectAccessExport:
    """Everything held about one account, as plain data (datetimes stay datetimes until written)."""

    account_reference: int
    name: str
    generated_at: datetime
    data: dict[str, Any]

    def to_json(self) -> bytes:
        return json.dumps(self.data, indent=2, ensure_ascii=False, default=_json_value).encode("utf-8")

    @property
    def application_references(self) -> list[str]:
        return [a["reference"] for a in self.data["applications"] if a["reference"]]


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _by(user_id: int | None, names: dict[int, str], account_id: int) -> str | None:
    """Who did something, as the person reads it: themselves, a named member of staff, or the system."""
    if user_id is None:
        return None
    if user_id == account_id:
        return ACCOUNT_HOLDER
    return names.get(user_id, "council staff")


def _staff_names(db: Session, ids: set[int]) -> dict[int, str]:
    """Names of the staff who appear in the records, in one query."""
    if not ids:
        return {}
    rows = db.execute(select(User.id, User.forename, User.surname).where(User.id.in_(ids))).all()
    return {r.id: f"{r.forename} {r.surname} (council staff)" for r in rows}


def _grouped(rows: Sequence[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def build_export(db: Session, user_id: int, *, council_name: str, now: datetime | None = None) -> SubjectAccessExport:
    """Collect the export. One query per table; raises LookupError for an unknown or staff account."""
    user = parent_account(db, user_id)
    if user is None:
        raise LookupError(user_id)
    now = now or utcnow()
    own_applications = select(Application.id).where(Application.user_id == user.id)

    def of_own_applications(model, *order):
        """Every row of ``model`` about the account's applications, in one query."""
        return db.scalars(select(model).where(model.application_id.in_(own_applications)).order_by(*order)).all()

    children = db.scalars(select(Child).where(Child.parent_id == user.id).order_by(Child.id)).all()
    applications = db.execute(
        select(Application, FormVersion.title, FormVersion.version)
        .join(FormVersion, FormVersion.id == Application.form_version_id)
        .where(Application.user_id == user.id)
        .order_by(Application.created_at, Application.id)
    ).all()
    history = of_own_applications(StatusChange, StatusChange.at, StatusChange.id)
    messages = of_own_applications(Message, Message.sent_at, Message.id)
    uploads = db.scalars(select(Upload).where(Upload.user_id == user.id).order_by(Upload.created_at, Upload.id)).all()
    notes = of_own_applications(ReviewNote, ReviewNote.created_at, ReviewNote.id)
    decisions = of_own_applications(ReviewDecision, ReviewDecision.decided_at, ReviewDecision.id)
    requests = of_own_applications(InformationRequest, InformationRequest.requested_at, InformationRequest.id)
    consent = consent_history(db, user.id)
    events = db.scalars(
        select(AuditEvent)
        .where(
            or_(
                AuditEvent.actor_id == user.id,
                (AuditEvent.object_type == "user") & (AuditEvent.object_id == str(user.id)),
                (AuditEvent.object_type == "application")
                & AuditEvent.object_id.in_(select(cast(Application.id, String)).where(Application.user_id == user.id)),
                (AuditEvent.object_type == "child")
                & AuditEvent.object_id.in_(select(cast(Child.id, String)).where(Child.parent_id == user.id)),
            )
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    sessions = db.scalars(select(WebSession).where(WebSession.user_id == user.id).order_by(WebSession.created_at)).all()
    emails = db.scalars(
        select(OutboxMessage)
        .where(func.lower(OutboxMessage.to_address) == user.email_normalised)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()

    people = {c.actor_id for c in history} | {m.sender_id for m in messages} | {n.author_id for n in notes}
    people |= {d.decided_by_id for d in decisions} | {r.requested_by_id for r in requests}
    people |= {e.actor_id for e in events}
    names = _staff_names(db, {p for p in people if p is not None and p != user.id})
    by = lambda actor_id: _by(actor_id, names, user.id)  # noqa: E731 - a short local helper

    history_of = _grouped(history, "application_id")
    messages_of = _grouped(messages, "application_id")
    uploads_of = _grouped(uploads, "application_id")
    notes_of = _grouped(notes, "application_id")
    decisions_of = _grouped(decisions, "application_id")
    requests_of = _grouped(requests, "application_id")

    def application_data(application: Application, title: str, version: int) -> dict[str, Any]:
        return {
            "reference": application.reference,
            "form": title,
            "form_code": application.form_code,
            "form_version": version,
            "status": application.status.label,
            "child_id": application.child_id,
            "started_at": application.created_at,
            "last_saved_at": application.updated_at,
            "submitted_at": application.submitted_at,
            "answers": application.answers,
            "answers_as_sent": application.submitted_summary,
            "status_history": [
                {
                    "at": c.at,
                    "from": c.from_status.label if c.from_status else None,
                    "to": c.to_status.label,
                    "by": by(c.actor_id),
                    "message": c.message,
                }
                for c in history_of.get(application.id, [])
            ],  # fmt: skip
            "messages": [
                {
                    "sent_at": m.sent_at,
                    "direction": "to you" if m.direction.value == "to_parent" else "from you",
                    "from": by(m.sender_id),
                    "subject": m.subject,
                    "body": m.body,
                    "read_at": m.read_at,
                }
                for m in messages_of.get(application.id, [])
            ],  # fmt: skip
            "uploads": [_upload(u) for u in uploads_of.get(application.id, [])],
            "staff_notes": [
                {"at": n.created_at, "by": by(n.author_id), "note": n.body} for n in notes_of.get(application.id, [])
            ],
            "decisions": [
                {
                    "at": d.decided_at,
                    "decision": d.decision.value,
                    "by": by(d.decided_by_id),
                    "funding_start": d.funding_start,
                    "eligibility_reference": d.eligibility_reference,
                    "eligibility_reference_expires": d.eligibility_reference_expires,
                }
                for d in decisions_of.get(application.id, [])
            ],  # fmt: skip
            "information_requests": [
                {
                    "requested_at": r.requested_at,
                    "by": by(r.requested_by_id),
                    "message": r.message,
                    "resubmitted_at": r.resubmitted_at,
                    "changes": r.changes,
                }
                for r in requests_of.get(application.id, [])
            ],  # fmt: skip
        }

    def event_data(event: AuditEvent) -> dict[str, Any]:
        own = event.actor_id == user.id
        return {
            "at": event.at,
            "action": event.action,
            "by": by(event.actor_id),
            "about": f"{event.object_type} {event.object_id}" if event.object_type else None,
            "client_address": event.client_address if own else None,  # staff addresses are not theirs
            "details": event.details,
        }

    sign_ins = [e for e in events if e.action in SIGN_IN_ACTIONS and e.actor_id == user.id]
    other_events = [e for e in events if not (e.action in SIGN_IN_ACTIONS and e.actor_id == user.id)]
    data = {
        "about_this_export": {
            "council": council_name,
            "account_reference": user.id,
            "generated_at": now,
            "format_version": FORMAT_VERSION,
            "notes": [
                "Times are in UTC (ISO 8601).",
                "Uploaded files are listed, not included: the council sends copies of them separately.",
                "Emails list only those the portal still keeps; their text is not kept for long.",
                "The portal does not record which announcements a person has seen: announcements_dismissed is empty.",
            ],
        },
        "account": {
            "reference": user.id,
            "title": user.title,
            "forename": user.forename,
            "surname": user.surname,
            "email": user.email,
            "status": user.status.value,
            "postcode": user.postcode,
            "address_line_1": user.address_line_1,
            "address_line_2": user.address_line_2,
            "town": user.town,
            "home_phone": user.home_phone,
            "mobile_phone": user.mobile_phone,
            "work_phone": user.work_phone,
            "registered_at": user.created_at,
            "activated_at": user.activated_at,
            "last_signed_in_at": user.last_signed_in_at,
            "two_step_verification": user.two_step_method.value,
        },
        "children": [
            {
                "id": c.id,
                "forename": c.forename,
                "surname": c.surname,
                "date_of_birth": c.date_of_birth,
                "gender": c.gender,
                "added_at": c.created_at,
            }
            for c in children
        ],  # fmt: skip
        "applications": [application_data(a, title, version) for a, title, version in applications],
        "consent_history": [
            {"at": c.at, "action": c.action, "statement_version": c.version, "client_address": c.client_address}
            for c in consent
        ],
        "announcements_dismissed": [],  # not recorded per person: see the module's docstring
        "emails_sent": [
            {
                "subject": m.subject,
                "kind": m.kind,
                "status": m.status.value,
                "queued_at": m.created_at,
                "sent_at": m.sent_at,
            }
            for m in emails
        ],  # fmt: skip
        "sign_in_records": [
            {"at": e.at, "action": e.action, "client_address": e.client_address, "details": e.details} for e in sign_ins
        ],
        "sessions": [{"started_at": s.created_at, "last_seen_at": s.last_seen_at} for s in sessions],
        "audit_events": [event_data(e) for e in other_events],
    }
    return SubjectAccessExport(user.id, user.full_name, now, data)


def _upload(upload: Upload) -> dict[str, Any]:
    return {
        "id": upload.id,
        "file_name": upload.original_filename,
        "content_type": upload.content_type,
        "size_bytes": upload.size,
        "uploaded_at": upload.created_at,
        "question": upload.question_code,
    }


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    file_name: str
    mimetype: str


def export_account(
    db: Session,
    user_id: int,
    export_format: ExportFormat,
    *,
    council_name: str,
    actor_id: int,
    client_address: str | None,
) -> ExportFile:
    """The export as a file to download. Exporting someone's data is itself a use of it, so it is
    audited, about the account: the next export lists this one."""
    export = build_export(db, user_id, council_name=council_name)
    if export_format is ExportFormat.PDF:
        content, mimetype = subject_access_pdf(export), "application/pdf"
    else:
        content, mimetype = export.to_json(), "application/json"
    audit.record(
        db, "gdpr.subject_access_exported", actor_id=actor_id, client_address=client_address,
        object_type="user", object_id=export.account_reference, format=export_format.value,
    )  # fmt: skip
    db.commit()
    stamp = f"{export.generated_at:%Y-%m-%d}"
    return ExportFile(content, f"subject-access-{export.account_reference}-{stamp}.{export_format.value}", mimetype)
