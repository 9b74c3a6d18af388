"""Parents' applications: starting a draft, saving pages, uploads, submitting, withdrawing, the home page.

Forms are run by ``formsengine``; this module only stores what it says. A draft is pinned to the form
version it began on. Every function that takes an application id looks it up through its owner, so
another family's id is simply not found (the page answers 404).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

import formsengine
from formsengine import Form

from ..form_runner import with_item, with_page, without_item
from ..models import (
    Application,
    ApplicationStatus,
    Child,
    FormStatus,
    FormVersion,
    Message,
    MessageDirection,
    Upload,
    User,
    utcnow,
)
from ..outbox import queue_email
from ..uploads import CheckedFile, Storage
from . import audit
from .application_status import IllegalTransition, can_withdraw, change_status, record_submission

log = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")

# --- forms, built once per version ---------------------------------------------------------------------

_forms: dict[tuple[str, int], Form] = {}
_forms_lock = threading.Lock()


def form_for(version: FormVersion) -> Form:
    """The ``formsengine.Form`` of a stored version. Versions never change, so each is built once."""
    key = (version.code, version.version)
    form = _forms.get(key)
    if form is None:
        form = formsengine.form_from_dict(version.definition, f"{version.code} v{version.version}")
        with _forms_lock:
            _forms[key] = form
    return form


def live_version(db: Session, form_code: str) -> FormVersion | None:
    return db.scalars(
        select(FormVersion).where(FormVersion.code == form_code, FormVersion.status == FormStatus.LIVE)
    ).first()


def live_citizen_forms(db: Session) -> list[FormVersion]:
    rows = db.scalars(
        select(FormVersion).where(FormVersion.status == FormStatus.LIVE).order_by(FormVersion.title)
    ).all()
    return [row for row in rows if row.definition.get("portal_type", "citizen") == "citizen"]


# --- the child record ----------------------------------------------------------------------------------

# Question codes that mean "the child" (contracts.md section 3) and the child record's field for each.
CHILD_RECORD_FIELDS = {
    "child_first_name": "forename",
    "child_last_name": "surname",
    "child_date_of_birth": "date_of_birth",
    "child_gender": "gender",
}


def asks_about_child(form: Form) -> bool:
    """A form that asks about "the child" lets the parent pick one of their children first."""
    return any(form.question(code) is not None for code in CHILD_RECORD_FIELDS)


def own_children(db: Session, user_id: int) -> list[Child]:
    return list(db.scalars(select(Child).where(Child.parent_id == user_id).order_by(Child.id)))


def own_child(db: Session, user_id: int, child_id: int) -> Child | None:
    return db.scalars(select(Child).where(Child.id == child_id, Child.parent_id == user_id)).first()


def _answers_from_child(child: Child) -> dict[str, Any]:
    return {code: getattr(child, attribute) for code, attribute in CHILD_RECORD_FIELDS.items()}


# --- drafts --------------------------------------------------------------------------------------------


class NotFound(LookupError):
    """Nothing of that id belongs to this parent: the page answers 404."""


def draft_expiry(now: datetime, expiry_days: int) -> datetime:
    return now + timedelta(days=expiry_days)


def find_draft(db: Session, user_id: int, form_code: str, child_id: int | None) -> Application | None:
    child_clause = Application.child_id.is_(None) if child_id is None else Application.child_id == child_id
    return db.scalars(
        select(Application).where(
            Application.user_id == user_id,
            Application.form_code == form_code,
            Application.status == ApplicationStatus.DRAFT,
            child_clause,
        )
    ).first()


def _earlier_answers(db: Session, user_id: int, child_id: int | None) -> dict[str, Any]:
    """Answers this parent gave before, oldest first so the newest wins; the same child's only for a child."""
    query = select(Application.answers).where(
        Application.user_id == user_id, Application.status != ApplicationStatus.DRAFT
    )
    if child_id is not None:
        query = query.where((Application.child_id == child_id) | Application.child_id.is_(None))
    merged: dict[str, Any] = {}
    for answers in db.scalars(query.order_by(Application.submitted_at, Application.id)):
        if isinstance(answers, Mapping):
            merged.update({k: v for k, v in answers.items() if not isinstance(v, list)})
    return merged


def start_draft(db: Session, user: User, form_code: str, child_id: int | None, *, expiry_days: int) -> Application:
    """The parent's draft of this form for this child: the existing one, or a new one pre-filled from the
    child record and from earlier applications (by question code)."""
    version = live_version(db, form_code)
    if version is None:
        raise NotFound(form_code)
    form = form_for(version)
    child = None
    if asks_about_child(form):
        if child_id is None:
            raise NotFound("child")
        child = own_child(db, user.id, child_id)
        if child is None:
            raise NotFound("child")
    existing = find_draft(db, user.id, form_code, child.id if child else None)
    if existing is not None:
        return existing
    earlier = _earlier_answers(db, user.id, child.id if child else None)
    if child is not None:
        earlier.update({k: v.isoformat() if isinstance(v, date) else v for k, v in _answers_from_child(child).items()})
    answers = formsengine.prefill(form, earlier)
    now = utcnow()
    draft = Application(
        user_id=user.id,
        child_id=child.id if child else None,
        form_version_id=version.id,
        form_code=form_code,
        status=ApplicationStatus.DRAFT,
        answers=formsengine.to_json(form, answers),
        created_at=now,
        updated_at=now,
        expires_at=draft_expiry(now, expiry_days),
    )
    db.add(draft)
    try:
        db.commit()
    except IntegrityError:  # the same parent started the same draft in another tab a moment ago
        db.rollback()
        existing = find_draft(db, user.id, form_code, child.id if child else None)
        if existing is None:
            raise
        return existing
    return draft


def own_draft(db: Session, user_id: int, application_id: int, form_code: str | None = None) -> Application:
    draft = db.scalars(
        select(Application)
        .options(joinedload(Application.form_version))
        .where(
            Application.id == application_id,
            Application.user_id == user_id,
            Application.status == ApplicationStatus.DRAFT,
        )
    ).first()
    if draft is None or (form_code is not None and draft.form_code != form_code):
        raise NotFound(application_id)
    return draft


def drafts_of(db: Session, user_id: int, form_code: str) -> list[Application]:
    return list(
        db.scalars(
            select(Application)
            .where(
                Application.user_id == user_id,
                Application.form_code == form_code,
                Application.status == ApplicationStatus.DRAFT,
            )
            .order_by(Application.updated_at.desc())
        )
    )


@dataclass
class Draft:
    """A draft with its form and typed answers, as the runner needs them."""

    application: Application
    form: Form
    answers: dict[str, Any]


def load_draft(db: Session, user_id: int, application_id: int, form_code: str) -> Draft:
    application = own_draft(db, user_id, application_id, form_code)
    form = form_for(application.form_version)
    return Draft(application, form, formsengine.from_json(form, application.answers))


def _store(db: Session, draft: Draft, answers: Mapping[str, Any], today: date, expiry_days: int) -> None:
    kept = formsengine.drop_hidden_answers(draft.form, answers, today)
    now = utcnow()
    application = draft.application
    application.answers = formsengine.to_json(draft.form, kept)
    application.updated_at = now
    application.expires_at = draft_expiry(now, expiry_days)
    application.reminder_sent_at = None
    db.commit()
    draft.answers = kept


def save_page(
    db: Session, draft: Draft, group_code: str, values: Mapping[str, Any], *, today: date, expiry_days: int
) -> None:
    """Store one (non-repeating) page's parsed values; answers the page now hides are dropped."""
    _store(db, draft, with_page(draft.form, draft.answers, group_code, values), today, expiry_days)


def touch(db: Session, draft: Draft, *, today: date, expiry_days: int) -> None:
    """Save and come back later: keep the answers, start the expiry period again."""
    _store(db, draft, draft.answers, today, expiry_days)


def add_item(
    db: Session, draft: Draft, group_code: str, values: Mapping[str, Any], *, today: date, expiry_days: int
) -> None:
    _store(db, draft, with_item(draft.answers, group_code, values), today, expiry_days)


def remove_item(
    db: Session, storage: Storage, draft: Draft, group_code: str, index: int, *, today: date, expiry_days: int
) -> bool:
    """Remove one item of a repeating group (and any file it held). False when there is no such item."""
    answers = without_item(draft.answers, group_code, index)
    if answers is None:
        return False
    upload_ids = _upload_ids(draft.answers[group_code][index])
    keys = _delete_upload_rows(db, draft.application, upload_ids)
    _store(db, draft, answers, today, expiry_days)
    _delete_files(storage, keys)
    return True


# --- uploads -------------------------------------------------------------------------------------------


def _upload_ids(value: Any) -> set[int]:
    """Every upload id referenced anywhere inside an answer, an item or a whole answers mapping."""
    found: set[int] = set()
    if isinstance(value, Mapping):
        upload_id = value.get("upload_id")
        if isinstance(upload_id, str) and upload_id.isdigit() and "filename" in value:
            found.add(int(upload_id))
        for item in value.values():
            found |= _upload_ids(item)
    elif isinstance(value, list):
        for item in value:
            found |= _upload_ids(item)
    return found


def _delete_upload_rows(db: Session, application: Application, upload_ids: set[int]) -> list[str]:
    if not upload_ids:
        return []
    rows = db.scalars(select(Upload).where(Upload.application_id == application.id, Upload.id.in_(upload_ids))).all()
    for row in rows:
        db.delete(row)
    return [row.storage_key for row in rows]


def _delete_files(storage: Storage, keys: list[str]) -> None:
    for key in keys:
        try:
            storage.delete(key)
        except Exception:  # a file left behind is tidied by an operator; the parent's action succeeded
            log.exception("could not delete an uploaded file")


def store_upload(
    db: Session, storage: Storage, draft: Draft, question_code: str, checked: CheckedFile
) -> dict[str, Any]:
    """Keep a checked file for this draft; returns the upload reference formsengine stores as the answer.

    The caller saves the answer (``add_item`` or ``save_page``), which commits this row with it.
    """
    return upload_reference(keep_upload(db, storage, draft.application, question_code, checked))


def keep_upload(
    db: Session, storage: Storage, application: Application, question_code: str, checked: CheckedFile
) -> Upload:
    """Store a checked file under a random key and add its row (flushed, not committed) to the application."""
    upload = Upload(
        user_id=application.user_id,
        application_id=application.id,
        question_code=question_code,
        original_filename=checked.filename,
        storage_key=storage.save(checked.data),
        size=checked.size,
        content_type=checked.content_type,
    )
    db.add(upload)
    db.flush()
    return upload


def upload_reference(upload: Upload) -> dict[str, Any]:
    return {
        "upload_id": str(upload.id),
        "filename": upload.original_filename,
        "content_type": upload.content_type,
        "size": upload.size,
    }


def upload_for_download(db: Session, user: User, upload_id: int) -> Upload:
    """The upload, for its owner or for staff only."""
    upload = db.get(Upload, upload_id)
    if upload is None or (upload.user_id != user.id and not user.role.is_staff):
        raise NotFound(upload_id)
    return upload


# --- check your answers and submission -----------------------------------------------------------------

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L or U/V confusions left
REFERENCE_PREFIXES = {
    "two_year_old_funding": "2YO",
    "thirty_hours_check": "30H",
    "thirty_hours_foster_carer": "30F",
    "send_request_for_assessment": "SEN",
}


def new_reference(form_code: str) -> str:
    """A reference a parent can read out on the phone, like 2YO-7K3M-Q9TD."""
    prefix = REFERENCE_PREFIXES.get(form_code) or "".join(w[:1] for w in form_code.split("_"))[:3].upper()
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"


def frozen_summary(form: Form, answers: Mapping[str, Any], today: date) -> dict[str, Any]:
    """Check-your-answers as plain data: what the parent saw, to keep with the submission."""
    sections = []
    for section in formsengine.summary(form, answers, today):
        rows = [
            {"question": row.question, "label": row.label, "lines": list(row.lines), "item": row.item}
            for row in section.rows
        ]
        sections.append({"group": section.group, "title": section.title, "repeating": section.repeating, "rows": rows})
    outcomes = {
        name: {"result": outcome.result, "message": outcome.message, "details": dict(outcome.details)}
        for name, outcome in formsengine.evaluate_outcomes(form, answers, today).items()
    }
    return {
        "form_title": form.title,
        "form_version": form.version,
        "sections": sections,
        "declarations": [{"code": d.code, "text": d.text} for d in form.declarations],
        "outcomes": outcomes,
    }


@dataclass
class SubmitResult:
    application: Application
    errors: list[formsengine.FieldError] = field(default_factory=list)
    incomplete: list[formsengine.FieldError] = field(default_factory=list)
    created: bool = False


def submit_application(
    db: Session,
    storage: Storage,
    user: User,
    application_id: int,
    raw: Mapping[str, Any],
    *,
    today: date,
    base_url: str,
) -> SubmitResult:
    """Accept and send, as one unit of work.

    A conditional UPDATE (status still draft, row version unchanged) turns the draft into the submission,
    so a second press of the button, or another tab, finds nothing left to submit and is shown the same
    confirmation: exactly one submission, one reference, one email.
    """
    application = db.scalars(
        select(Application)
        .options(joinedload(Application.form_version))
        .where(Application.id == application_id, Application.user_id == user.id)
    ).first()
    if application is None:
        raise NotFound(application_id)
    if application.status is not ApplicationStatus.DRAFT:
        return SubmitResult(application)
    form = form_for(application.form_version)
    answers = formsengine.drop_hidden_answers(form, formsengine.from_json(form, application.answers), today)
    incomplete = formsengine.validate_form(form, answers, today)
    declarations = formsengine.parse_declarations(form, raw)
    if incomplete or not declarations.is_valid:
        return SubmitResult(application, list(declarations.errors), incomplete)

    now = utcnow()
    reference = new_reference(form.code)
    while db.scalar(select(func.count()).where(Application.reference == reference)):
        reference = new_reference(form.code)  # pragma: no cover - one chance in 10^11
    won = db.execute(
        update(Application)
        .where(
            Application.id == application.id,
            Application.status == ApplicationStatus.DRAFT,
            Application.row_version == application.row_version,
        )
        .values(
            status=ApplicationStatus.SUBMITTED,
            reference=reference,
            answers=formsengine.to_json(form, answers),
            submitted_summary=frozen_summary(form, answers, today),
            submitted_at=now,
            updated_at=now,
            expires_at=None,
            row_version=Application.row_version + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        db.rollback()
        db.refresh(application)
        return SubmitResult(application)
    db.expire(application)
    record_submission(db, application, actor_id=user.id)
    if application.child_id is not None:
        _update_child_record(db, application.child_id, answers)
    kept_uploads = _upload_ids(answers)
    stale = db.scalars(
        select(Upload).where(Upload.application_id == application.id, Upload.id.not_in(kept_uploads or {0}))
    ).all()
    stale_keys = [row.storage_key for row in stale]
    for row in stale:
        db.delete(row)
    queue_email(
        db,
        to=user.email,
        subject=f"We have received your application {reference}",
        body_text=(
            f"Thank you. We have received your application: {form.title}.\n\n"
            f"Your reference is {reference}.\n\n"
            "We will email you when there is news. To see your application, sign in at "
            f"{base_url}/\n"
        ),
        kind="application_submitted",
    )
    audit.record(db, "application_submitted", actor_id=user.id, object_type="application", object_id=application.id)
    db.commit()
    _delete_files(storage, stale_keys)
    return SubmitResult(application, created=True)


def _update_child_record(db: Session, child_id: int, answers: Mapping[str, Any]) -> None:
    """What the parent said about the child becomes the record, now that they have sent it."""
    child = db.get(Child, child_id)
    if child is None:
        return
    for code, attribute in CHILD_RECORD_FIELDS.items():
        value = answers.get(code)
        if value is not None:
            setattr(child, attribute, value)


# --- after submission ----------------------------------------------------------------------------------


def own_application(db: Session, user_id: int, application_id: int) -> Application:
    """A sent application of this parent, with its history; drafts have the runner instead."""
    application = (
        db.scalars(
            select(Application)
            .options(joinedload(Application.history), joinedload(Application.child))
            .where(
                Application.id == application_id,
                Application.user_id == user_id,
                Application.status != ApplicationStatus.DRAFT,
            )
        )
        .unique()
        .first()
    )
    if application is None:
        raise NotFound(application_id)
    return application


def application_uploads(db: Session, application: Application) -> list[Upload]:
    return list(db.scalars(select(Upload).where(Upload.application_id == application.id).order_by(Upload.id)))


def withdraw(db: Session, user: User, application_id: int) -> Application:
    application = own_application(db, user.id, application_id)
    if not can_withdraw(application):
        raise IllegalTransition(application.status, ApplicationStatus.WITHDRAWN)
    change_status(db, application, ApplicationStatus.WITHDRAWN, actor_id=user.id, message="Withdrawn by the parent")
    audit.record(db, "application_withdrawn", actor_id=user.id, object_type="application", object_id=application.id)
    db.commit()
    return application


# --- the parent's home page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FormTile:
    code: str
    title: str
    description: str
    has_draft: bool


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    reference: str | None
    form_title: str
    child_name: str
    status: ApplicationStatus
    updated_at: datetime


@dataclass(frozen=True)
class Dashboard:
    tiles: list[FormTile]
    applications: list[ApplicationRow]
    unread_messages: int


def dashboard(db: Session, user_id: int) -> Dashboard:
    """Everything the parent's home page shows, in three queries whatever the numbers of rows."""
    forms = live_citizen_forms(db)
    rows = db.execute(
        select(Application, FormVersion.title, Child.forename, Child.surname)
        .join(FormVersion, FormVersion.id == Application.form_version_id)
        .outerjoin(Child, and_(Child.id == Application.child_id))
        .where(Application.user_id == user_id)
        .order_by(Application.updated_at.desc(), Application.id.desc())
    ).all()
    draft_codes = {a.form_code for a, *_ in rows if a.status is ApplicationStatus.DRAFT}
    tiles = [FormTile(f.code, f.title, str(f.definition.get("description", "")), f.code in draft_codes) for f in forms]
    applications = [
        ApplicationRow(a.id, a.reference, title, f"{forename} {surname}" if forename else "", a.status, a.updated_at)
        for a, title, forename, surname in rows
        if a.status is not ApplicationStatus.DRAFT
    ]
    return Dashboard(tiles, applications, unread_count(db, user_id))


def unread_count(db: Session, user_id: int) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(Message)
            .where(
                Message.user_id == user_id,
                Message.read_at.is_(None),
                Message.direction == MessageDirection.TO_PARENT,
            )
        )
        or 0
    )


# --- scheduled jobs ------------------------------------------------------------------------------------

REMINDER_BEFORE_EXPIRY = timedelta(days=7)


def remind_expiring_drafts(db: Session, *, base_url: str, now: datetime | None = None) -> int:
    """Email each parent whose draft expires within 7 days, once per expiry period."""
    now = now or utcnow()
    due = db.execute(
        select(Application, User.email, FormVersion.title)
        .join(User, User.id == Application.user_id)
        .join(FormVersion, FormVersion.id == Application.form_version_id)
        .where(
            Application.status == ApplicationStatus.DRAFT,
            Application.reminder_sent_at.is_(None),
            Application.expires_at <= now + REMINDER_BEFORE_EXPIRY,
            Application.expires_at > now,
        )
    ).all()
    for application, email, title in due:
        # Claimed with a conditional UPDATE, so two workers never both send the reminder.
        claimed = db.execute(
            update(Application)
            .where(Application.id == application.id, Application.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now, row_version=Application.row_version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue
        expires = application.expires_at
        queue_email(
            db,
            to=email,
            subject="Your application has not been sent yet",
            body_text=(
                f"You started an application ({title}) but have not sent it.\n\n"
                f"If you do not send it by {_day(expires)}, it will be deleted.\n\n"
                f"Sign in to continue: {base_url}/\n"
            ),
            kind="draft_reminder",
        )
    db.commit()
    return len(due)


def delete_expired_drafts(db: Session, storage: Storage, *, now: datetime | None = None) -> int:
    now = now or utcnow()
    expired = db.scalars(
        select(Application).where(Application.status == ApplicationStatus.DRAFT, Application.expires_at <= now)
    ).all()
    if not expired:
        return 0
    ids = [a.id for a in expired]
    uploads = db.scalars(select(Upload).where(Upload.application_id.in_(ids))).all()
    keys = [u.storage_key for u in uploads]
    for upload in uploads:
        db.delete(upload)
    for application in expired:
        db.delete(application)
    db.commit()
    _delete_files(storage, keys)
    return len(expired)


def _day(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y}"
