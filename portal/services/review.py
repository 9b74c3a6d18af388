"""A caseworker's work on one submission: reading it, notes, decisions with a templated message, and the
parent's amendment after a request for more information.

Decisions are safe under concurrency. Each decision form carries the application's row version; the
status change is written by the ORM as ``UPDATE applications ... WHERE row_version = <read>`` (the
model's ``version_id_col``), so of two caseworkers deciding at once exactly one UPDATE matches. The other
is refused with the name of whoever changed the case and when, and nothing of it is stored or sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import desc, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

import earlyyears
import formsengine
from earlyyears.formatting import format_date

from ..models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    Decision,
    InformationRequest,
    Message,
    MessageTemplate,
    ReviewAssignment,
    ReviewDecision,
    ReviewNote,
    StatusChange,
    Upload,
    User,
    utcnow,
)
from ..uploads import CheckedFile, Storage
from . import audit, messages
from .application_status import IllegalTransition, can_change, change_status
from .applications import application_uploads, form_for, frozen_summary, keep_upload
from .message_templates import compose_message, render, templates_for_decision

LONDON = ZoneInfo("Europe/London")
S = ApplicationStatus
TWO_YEAR_OLD_FORM = "two_year_old_funding"
ADDITIONAL_EVIDENCE = "additional_evidence"

DECISION_STATUS = {
    Decision.APPROVE: S.APPROVED,
    Decision.REJECT: S.REJECTED,
    Decision.REQUEST_MORE_INFORMATION: S.MORE_INFORMATION_REQUESTED,
}


class NotFound(LookupError):
    pass


class StaleDecision(Exception):
    """The application changed since the caseworker read it; `message` says who and when."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DecisionNotAllowed(Exception):
    """The application's status does not allow this decision (it is decided, or waiting for the parent)."""


# --- reading a submission ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    status: ApplicationStatus
    by: str
    note: str


@dataclass(frozen=True)
class NoteRow:
    at: datetime
    author: str
    body: str


@dataclass
class Submission:
    application: Application
    parent: User
    summary: dict[str, Any]
    history: list[HistoryRow]
    uploads: list[Upload]
    messages: list[Message]
    notes: list[NoteRow]
    assignee: User | None
    decisions: list[ReviewDecision]
    information_request: InformationRequest | None
    changed_questions: set[tuple[str, str]] = field(default_factory=set)

    @property
    def outcomes(self) -> dict[str, Any]:
        return dict(self.summary.get("outcomes") or {})

    @property
    def approval(self) -> ReviewDecision | None:
        return next((d for d in reversed(self.decisions) if d.decision is Decision.APPROVE), None)


def _application(db: Session, application_id: int) -> Application:
    application = db.scalars(
        select(Application)
        .options(joinedload(Application.form_version), joinedload(Application.child))
        .where(Application.id == application_id, Application.status != S.DRAFT)
        .execution_options(populate_existing=True)
    ).first()
    if application is None:
        raise NotFound(application_id)
    return application


def history_of(db: Session, application_id: int) -> list[HistoryRow]:
    rows = db.execute(
        select(StatusChange, User.forename, User.surname, User.role)
        .outerjoin(User, User.id == StatusChange.actor_id)
        .where(StatusChange.application_id == application_id)
        .order_by(StatusChange.at, StatusChange.id)
    ).all()
    return [
        HistoryRow(c.at, c.to_status, f"{f} {s}" if f and role.is_staff else ("Parent" if f else ""), c.message)
        for c, f, s, role in rows
    ]


def latest_request(db: Session, application_id: int) -> InformationRequest | None:
    return db.scalars(
        select(InformationRequest)
        .where(InformationRequest.application_id == application_id)
        .order_by(desc(InformationRequest.id))
        .limit(1)
    ).first()


def load_submission(db: Session, application_id: int) -> Submission:
    application = _application(db, application_id)
    notes = db.execute(
        select(ReviewNote, User.forename, User.surname)
        .join(User, User.id == ReviewNote.author_id)
        .where(ReviewNote.application_id == application_id)
        .order_by(ReviewNote.created_at, ReviewNote.id)
    ).all()
    assignment = db.get(ReviewAssignment, application_id)
    request = latest_request(db, application_id)
    changed = {(c["section"], c["question"]) for c in (request.changes or [])} if request else set()
    return Submission(
        application=application,
        parent=db.get(User, application.user_id),
        summary=application.submitted_summary or {},
        history=history_of(db, application_id),
        uploads=application_uploads(db, application),
        messages=list(
            db.scalars(select(Message).where(Message.application_id == application_id).order_by(Message.sent_at))
        ),
        notes=[NoteRow(n.created_at, f"{f} {s}", n.body) for n, f, s in notes],
        assignee=db.get(User, assignment.assignee_id) if assignment else None,
        decisions=list(
            db.scalars(
                select(ReviewDecision)
                .where(ReviewDecision.application_id == application_id)
                .order_by(ReviewDecision.id)
            )
        ),
        information_request=request,
        changed_questions=changed if request and request.resubmitted_at else set(),
    )


def view_submission(db: Session, application_id: int, *, actor_id: int, client_address: str | None) -> Submission:
    """The submission as the caseworker's page shows it; the view is recorded in the audit trail."""
    submission = load_submission(db, application_id)
    audit.record(
        db, "submission_viewed", actor_id=actor_id, client_address=client_address,
        object_type="application", object_id=application_id,
    )  # fmt: skip
    db.commit()
    return submission


def record_access(
    db: Session, action: str, application_id: int, *, actor_id: int, client_address: str | None, **details: Any
) -> None:
    """An export or a download of a submission, in the audit trail."""
    audit.record(
        db, action, actor_id=actor_id, client_address=client_address,
        object_type="application", object_id=application_id, **details,
    )  # fmt: skip
    db.commit()


def staff_upload(db: Session, upload_id: int) -> Upload:
    upload = db.get(Upload, upload_id)
    if upload is None:
        raise NotFound(upload_id)
    return upload


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]


def audit_trail(db: Session, application_id: int) -> list[AuditRow]:
    rows = db.execute(
        select(AuditEvent, User.forename, User.surname)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.object_type == "application", AuditEvent.object_id == str(application_id))
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return [AuditRow(e.at, f"{f} {s}" if f else "", e.action, dict(e.details or {})) for e, f, s in rows]


def add_note(db: Session, application_id: int, body: str, *, actor_id: int, client_address: str | None) -> ReviewNote:
    _application(db, application_id)
    note = ReviewNote(application_id=application_id, author_id=actor_id, body=body.strip())
    db.add(note)
    audit.record(
        db, "note_added", actor_id=actor_id, client_address=client_address,
        object_type="application", object_id=application_id,
    )  # fmt: skip
    db.commit()
    return note


# --- decisions -----------------------------------------------------------------------------------------


def _status_path(current: ApplicationStatus, target: ApplicationStatus) -> list[ApplicationStatus]:
    """The steps from `current` to `target` through the status machine: direct, or by way of in review."""
    if can_change(current, target):
        return [target]
    if can_change(current, S.IN_REVIEW) and can_change(S.IN_REVIEW, target):
        return [S.IN_REVIEW, target]
    raise IllegalTransition(current, target)


def allowed_decisions(application: Application) -> list[Decision]:
    allowed = []
    for decision, status in DECISION_STATUS.items():
        try:
            _status_path(application.status, status)
        except IllegalTransition:
            continue
        allowed.append(decision)
    return allowed


def stale_message(db: Session, application_id: int) -> str:
    """ "This application was updated by Jane Smith at 10:42. ..." from the latest change."""
    row = db.execute(
        select(StatusChange.at, User.forename, User.surname)
        .outerjoin(User, User.id == StatusChange.actor_id)
        .where(StatusChange.application_id == application_id)
        .order_by(desc(StatusChange.at), desc(StatusChange.id))
        .limit(1)
    ).first()
    if row is None:  # pragma: no cover - every sent application has its submission row
        return "This application was updated. Review the changes before deciding."
    at, forename, surname = row
    who = f"{forename} {surname}" if forename else "someone"
    return (
        f"This application was updated by {who} at {at.astimezone(LONDON):%H:%M}. Review the changes before deciding."
    )


def funding_start_for(application: Application) -> date | None:
    """The term a two-year-old's funded place can start (seed 001, Table A); None for other forms."""
    if application.form_code != TWO_YEAR_OLD_FORM or application.child is None:
        return None
    return earlyyears.funding_start_date(application.child.date_of_birth, 2)


def placeholder_values(db: Session, application: Application) -> dict[str, str | None]:
    parent = db.get(User, application.user_id)
    child = application.child
    start = funding_start_for(application)
    return {
        "Title": parent.title,
        "Forename": parent.forename,
        "Surname": parent.surname,
        "BusPhone": parent.work_phone,
        "Mobile": parent.mobile_phone,
        "HomePhone": parent.home_phone,
        "Reference": application.reference,
        "ChildName": f"{child.forename} {child.surname}" if child else "",
        "FundingStart": format_date(start) if start else "",
    }


@dataclass(frozen=True)
class DraftMessage:
    templates: list[MessageTemplate]
    template: MessageTemplate | None
    subject: str
    body_markdown: str


def draft_message(db: Session, application_id: int, decision: Decision, template_id: int | None) -> DraftMessage:
    """The chosen template (or the first for the decision) filled in for this application, to edit."""
    application = _application(db, application_id)
    templates = templates_for_decision(db, decision)
    template = next((t for t in templates if t.id == template_id), templates[0] if templates else None)
    if template is None:
        return DraftMessage(templates, None, "", "")
    rendered = render(template, placeholder_values(db, application))
    return DraftMessage(templates, template, rendered.subject, rendered.body_markdown)


def amendable_groups(application: Application) -> list[tuple[str, str]]:
    """(code, title) of the pages a caseworker can open up: the non-repeating pages the parent answered."""
    return [
        (section["group"], section["title"])
        for section in (application.submitted_summary or {}).get("sections", [])
        if not section.get("repeating")
    ]


def _new_eligibility_reference(db: Session) -> str:
    alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(8))
        reference = f"ELG-{body[:4]}-{body[4:]}"
        if db.scalar(select(ReviewDecision.id).where(ReviewDecision.eligibility_reference == reference)) is None:
            return reference


@dataclass(frozen=True)
class DecisionInput:
    decision: Decision
    version: int
    subject: str
    body_markdown: str
    template_id: int | None = None
    open_groups: list[str] | None = None  # for a request for more information; None means every page


def decide(
    db: Session,
    application_id: int,
    given: DecisionInput,
    *,
    actor: User,
    client_address: str | None,
    base_url: str,
    today: date,
) -> ReviewDecision:
    """Record the decision, move the status, and send the parent the message with its notification email,
    as one unit of work. Raises `StaleDecision` when the application changed since `given.version`."""
    application = _application(db, application_id)
    if application.row_version != given.version:
        raise StaleDecision(stale_message(db, application_id))
    target = DECISION_STATUS[given.decision]
    try:
        path = _status_path(application.status, target)
    except IllegalTransition as error:
        raise DecisionNotAllowed(str(error)) from error
    message = compose_message(given.subject, given.body_markdown)
    try:
        # Loading the history to append to it autoflushes the status, so the UPDATE ... WHERE row_version =
        # <read> may run inside change_status as well as at the flush: both are inside this block.
        for status in path:
            change_status(
                db, application, status, actor_id=actor.id, message=given.decision.label if status is target else ""
            )
        db.flush()  # exactly one of two concurrent decisions matches its UPDATE
    except StaleDataError:
        db.rollback()
        raise StaleDecision(stale_message(db, application_id)) from None
    decision = ReviewDecision(
        application_id=application.id,
        decision=given.decision,
        decided_by_id=actor.id,
        on_version=given.version,
        template_id=given.template_id,
    )
    if given.decision is Decision.APPROVE:
        decision.funding_start = funding_start_for(application)
        if decision.funding_start is not None:
            decision.eligibility_reference = _new_eligibility_reference(db)
            decision.eligibility_reference_expires = earlyyears.eligibility_reference_expires(today)
    db.add(decision)
    if given.decision is Decision.REQUEST_MORE_INFORMATION:
        db.add(
            InformationRequest(
                application_id=application.id,
                requested_by_id=actor.id,
                message=message.body_text,
                open_groups=given.open_groups,
                answers=dict(application.answers or {}),
            )
        )
    audit.record(
        db, "decision_made", actor_id=actor.id, client_address=client_address,
        object_type="application", object_id=application.id, decision=given.decision.value,
        template_id=given.template_id,
    )  # fmt: skip
    # send_to_parent adds the message, its notification email and an audit row, and commits them all.
    messages.send_to_parent(
        db, application, subject=message.subject, body=message.body_text, sender_id=actor.id, base_url=base_url
    )
    return decision


# --- the parent's side: what was decided, what was asked, amending and resubmitting -------------------------


@dataclass(frozen=True)
class ParentView:
    approval: ReviewDecision | None
    request: InformationRequest | None  # the open request for more information, if any


def parent_view(db: Session, application: Application) -> ParentView:
    approval = db.scalars(
        select(ReviewDecision)
        .where(ReviewDecision.application_id == application.id, ReviewDecision.decision == Decision.APPROVE)
        .order_by(desc(ReviewDecision.id))
        .limit(1)
    ).first()
    request = None
    if application.status is S.MORE_INFORMATION_REQUESTED:
        request = latest_request(db, application.id)
    return ParentView(approval, request)


@dataclass
class Amendment:
    application: Application
    request: InformationRequest
    form: formsengine.Form
    answers: dict[str, Any]
    groups: list[tuple[str, str]]  # (code, title) the parent may change


def _owned(db: Session, user_id: int, application_id: int) -> Application:
    application = _application(db, application_id)
    if application.user_id != user_id:
        raise NotFound(application_id)
    return application


def load_amendment(db: Session, user_id: int, application_id: int, *, amend_scope: str, today: date) -> Amendment:
    """The parent's open request for more information, with their working answers; NotFound if none."""
    application = _owned(db, user_id, application_id)
    request = latest_request(db, application_id) if application.status is S.MORE_INFORMATION_REQUESTED else None
    if request is None or request.resubmitted_at is not None:
        raise NotFound(application_id)
    form = form_for(application.form_version)
    answers = formsengine.from_json(form, request.answers or application.answers or {})
    visible = [g for g in formsengine.visible_groups(form, answers, today) if g.repeat is None]
    opened = None if amend_scope == "all" or request.open_groups is None else set(request.open_groups)
    groups = [(g.code, g.name) for g in visible if opened is None or g.code in opened]
    return Amendment(application, request, form, answers, groups)


def save_amended_page(
    db: Session, amendment: Amendment, group_code: str, values: Mapping[str, Any], today: date
) -> None:
    answers = dict(amendment.answers)
    group = amendment.form.group(group_code)
    if group is not None:
        for question in group.questions:
            answers.pop(question.code, None)
    answers.update({k: v for k, v in values.items() if v is not None})
    kept = formsengine.drop_hidden_answers(amendment.form, answers, today)
    amendment.request.answers = formsengine.to_json(amendment.form, kept)
    amendment.answers = kept
    db.commit()


def add_evidence(db: Session, storage: Storage, amendment: Amendment, checked: CheckedFile) -> Upload:
    """More evidence the parent sends with their answer: kept with the application, listed as new."""
    upload = keep_upload(db, storage, amendment.application, ADDITIONAL_EVIDENCE, checked)
    amendment.request.new_upload_ids = [*(amendment.request.new_upload_ids or []), upload.id]
    db.commit()
    return upload


def summary_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The answers that differ between two frozen summaries, by section and question, in the new order."""

    def rows(summary: Mapping[str, Any]) -> dict[tuple[str, str, Any], tuple[str, str, list[str]]]:
        found = {}
        for section in summary.get("sections", []):
            for row in section.get("rows", []):
                found[(section["group"], row["question"], row.get("item"))] = (
                    section["title"],
                    row["label"],
                    list(row.get("lines") or []),
                )
        return found

    old, new = rows(before), rows(after)
    changes = []
    for key in list(new) + [k for k in old if k not in new]:
        title, label, lines = new.get(key) or old[key]
        was = old[key][2] if key in old else []
        now = new[key][2] if key in new else []
        if was != now:
            changes.append({"section": key[0], "question": key[1], "title": title, "label": label,
                            "before": was, "after": now})  # fmt: skip
    return changes


@dataclass
class ResubmitResult:
    application: Application
    errors: list[formsengine.FieldError] = field(default_factory=list)
    resubmitted: bool = False


def resubmit(db: Session, user: User, application_id: int, *, amend_scope: str, today: date) -> ResubmitResult:
    """Send the amended answers back: the submission is re-frozen, the changes kept for the caseworker,
    and the case returns to the queue as resubmitted."""
    amendment = load_amendment(db, user.id, application_id, amend_scope=amend_scope, today=today)
    form = amendment.form
    answers = formsengine.drop_hidden_answers(form, amendment.answers, today)
    errors = formsengine.validate_form(form, answers, today)
    if errors:
        return ResubmitResult(amendment.application, errors)
    application = amendment.application
    before = application.submitted_summary or {}
    after = frozen_summary(form, answers, today)
    new_uploads = amendment.request.new_upload_ids or []
    changes = summary_changes(before, after)
    if new_uploads:
        names = db.scalars(select(Upload.original_filename).where(Upload.id.in_(new_uploads))).all()
        changes.append({"section": "", "question": ADDITIONAL_EVIDENCE, "title": "Documents",
                        "label": "New documents", "before": [], "after": list(names)})  # fmt: skip
    application.answers = formsengine.to_json(form, answers)
    application.submitted_summary = after
    try:
        change_status(db, application, S.RESUBMITTED, actor_id=user.id, message="Resubmitted with more information")
        amendment.request.resubmitted_at = utcnow()
        amendment.request.changes = changes
        db.flush()
    except StaleDataError:  # pressed twice: the first press resubmitted
        db.rollback()
        return ResubmitResult(_application(db, application_id))
    audit.record(
        db, "application_resubmitted", actor_id=user.id, object_type="application", object_id=application.id,
        changed=len(changes),
    )  # fmt: skip
    db.commit()
    return ResubmitResult(application, resubmitted=True)
