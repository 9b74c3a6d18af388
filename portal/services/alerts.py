"""Alerts, for administrators: define, check, preview, turn on and off, delete; list with what each did.

The Capita One handbook (seed 004, "Alerts" and "Portal Message Alerts") has trigger alerts and
scheduled alerts, each a definition with a reason, a recipient list and an action, built from database
triggers and hand-written SQL. Here the triggers and conditions are a fixed, tested set that councils
asked for (`AlertKind`), chosen from a list, so no administrator writes SQL:

- triggered: an application for a form is submitted (or sent again after more information was asked
  for); someone withdraws their data protection consent;
- scheduled, daily: unsent applications that will be deleted within N days; submissions waiting for a
  decision for more than N days (either optionally for one form).

The action is an email to a list of staff addresses (a summary with references, counts and links: no
parent's name or contact details), or a portal message to the applicant whose subject and body are
written with the message templates' placeholders (`{{Forename}}`), checked when saved and filled in
safely by `portal.services.message_templates`. A withdrawal cannot message the applicant: their account
is closed.

The worker delivers them (`portal.services.alert_jobs`), polling for events, so the web requests that
cause the events are unchanged. A new alert (or one turned back on) starts from now: it never fires for
what happened before. Errors are returned as codes (`AlertErrorCode`) with the values their messages
need; the staff pages hold the wording, in GOV.UK style and translatable.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from formsengine.formats import normalise_email

from ..models import (
    Alert,
    AlertAction,
    AlertDelivery,
    AlertKind,
    ConsentRecord,
    StatusChange,
    utcnow,
)
from . import alert_jobs, audit, messages
from . import message_templates as templates
from .applications import new_reference
from .review_queue import form_choices

__all__ = [
    "AlertAction",
    "AlertDraft",
    "AlertEditor",
    "AlertError",
    "AlertErrorCode",
    "AlertKind",
    "AlertPreview",
    "AlertProblem",
    "AlertRow",
    "AlertView",
    "check_draft",
    "create_alert",
    "create_demo_alerts",
    "delete_alert",
    "editor",
    "list_alerts",
    "placeholders_for",
    "preview",
    "set_active",
    "update_alert",
    "view_alert",
]

NAME_MAX_LENGTH = 100
RECIPIENTS_MAX = 20
CREATION_TOKEN_MAX_LENGTH = 64
RECENT_DELIVERIES = 50
# N for the scheduled kinds: whole days, 1 up to a limit past which the alert would say nothing useful
# (drafts are deleted after DRAFT_EXPIRY_DAYS, 28 by default; a year is the longest wait worth watching).
DAYS_RANGE: Mapping[AlertKind, tuple[int, int]] = {
    AlertKind.DRAFTS_EXPIRING: (1, 90),
    AlertKind.AWAITING_DECISION: (1, 365),
}
FORM_REQUIRED = frozenset({AlertKind.SUBMITTED})
FORM_ALLOWED = frozenset({AlertKind.SUBMITTED, AlertKind.DRAFTS_EXPIRING, AlertKind.AWAITING_DECISION})
# Whose applicant can be sent a message: not someone who withdrew consent (their account is closed).
MESSAGE_ALLOWED = frozenset({AlertKind.SUBMITTED, AlertKind.DRAFTS_EXPIRING, AlertKind.AWAITING_DECISION})


def actions_for(kind: AlertKind) -> tuple[AlertAction, ...]:
    return tuple(AlertAction) if kind in MESSAGE_ALLOWED else (AlertAction.EMAIL_LIST,)


def placeholders_for(kind: AlertKind) -> tuple[templates.Placeholder, ...]:
    """The placeholders a message for this kind may use: an unsent application has no reference yet."""
    if kind is AlertKind.DRAFTS_EXPIRING:
        return tuple(p for p in templates.PLACEHOLDERS if p.name != "Reference")
    return templates.PLACEHOLDERS


# --- errors --------------------------------------------------------------------------------------------


class AlertErrorCode(enum.Enum):
    NAME_MISSING = "name_missing"
    NAME_TOO_LONG = "name_too_long"
    NAME_TAKEN = "name_taken"
    FORM_MISSING = "form_missing"
    FORM_UNKNOWN = "form_unknown"
    DAYS_MISSING = "days_missing"
    DAYS_NOT_WHOLE = "days_not_whole"
    DAYS_OUT_OF_RANGE = "days_out_of_range"
    ACTION_MISSING = "action_missing"
    ACTION_NOT_FOR_WITHDRAWAL = "action_not_for_withdrawal"
    RECIPIENTS_MISSING = "recipients_missing"
    RECIPIENT_INVALID = "recipient_invalid"
    RECIPIENTS_TOO_MANY = "recipients_too_many"
    SUBJECT_MISSING = "subject_missing"
    SUBJECT_TOO_LONG = "subject_too_long"
    SUBJECT_MULTIPLE_LINES = "subject_multiple_lines"
    BODY_MISSING = "body_missing"
    BODY_TOO_LONG = "body_too_long"
    PLACEHOLDER = "placeholder"  # message_templates' own problem, with its message (and suggestion)
    REFERENCE_NOT_FOR_DRAFTS = "reference_not_for_drafts"


@dataclass(frozen=True)
class AlertProblem:
    field: str  # the form field to link to: name, form_code, days, action, recipients, subject, body_markdown
    code: AlertErrorCode
    values: Mapping[str, Any] = field(default_factory=dict)  # what the message says, e.g. the bad address
    message: str | None = None  # already worded (placeholder problems from message_templates)


class AlertError(ValueError):
    """An alert the rules refuse; `problems` holds every reason, in the order of the page's fields."""

    def __init__(self, problems: list[AlertProblem]) -> None:
        super().__init__("; ".join(p.code.value for p in problems))
        self.problems = problems


# --- checking what the administrator typed -----------------------------------------------------------


@dataclass(frozen=True)
class AlertDraft:
    """The fields of the new and change pages, as typed. `kind` is chosen first and never changes."""

    name: str
    kind: AlertKind
    action: str = ""
    form_code: str = ""
    days: str = ""
    recipients: str = ""
    subject: str = ""
    body_markdown: str = ""


@dataclass(frozen=True)
class CheckedAlert:
    name: str
    kind: AlertKind
    action: AlertAction
    form_code: str | None
    days: int | None
    recipients: tuple[str, ...]
    subject: str | None
    body_markdown: str | None


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def parse_recipients(text: str) -> tuple[list[str], list[str]]:
    """(valid addresses, invalid entries) from one a line or separated by commas or semicolons; repeats
    are dropped, case-insensitively."""
    valid: list[str] = []
    invalid: list[str] = []
    seen: set[str] = set()
    for entry in (text or "").replace(";", "\n").replace(",", "\n").splitlines():
        entry = entry.strip()
        if not entry:
            continue
        address = normalise_email(entry)
        if address is None:
            invalid.append(entry[:80])
        elif address.lower() not in seen:
            seen.add(address.lower())
            valid.append(address)
    return valid, invalid


def _days(draft: AlertDraft, problems: list[AlertProblem]) -> int | None:
    if not draft.kind.is_scheduled:
        return None
    low, high = DAYS_RANGE[draft.kind]
    text = (draft.days or "").strip()
    if not text:
        problems.append(AlertProblem("days", AlertErrorCode.DAYS_MISSING))
        return None
    if not text.isascii() or not text.isdigit():
        problems.append(AlertProblem("days", AlertErrorCode.DAYS_NOT_WHOLE))
        return None
    days = int(text)
    if not low <= days <= high:
        problems.append(AlertProblem("days", AlertErrorCode.DAYS_OUT_OF_RANGE, {"low": low, "high": high}))
        return None
    return days


@dataclass(frozen=True)
class _TemplateText:
    subject: str
    body_markdown: str


def _message_problems(kind: AlertKind, subject: str, body: str) -> list[AlertProblem]:
    problems: list[AlertProblem] = []
    if not subject:
        problems.append(AlertProblem("subject", AlertErrorCode.SUBJECT_MISSING))
    elif "\n" in subject or "\r" in subject:
        problems.append(AlertProblem("subject", AlertErrorCode.SUBJECT_MULTIPLE_LINES))
    elif len(subject) > templates.SUBJECT_MAX_LENGTH:
        problems.append(AlertProblem("subject", AlertErrorCode.SUBJECT_TOO_LONG, {"max": templates.SUBJECT_MAX_LENGTH}))
    if not body:
        problems.append(AlertProblem("body_markdown", AlertErrorCode.BODY_MISSING))
    elif len(body) > templates.BODY_MAX_LENGTH:
        problems.append(AlertProblem("body_markdown", AlertErrorCode.BODY_TOO_LONG, {"max": templates.BODY_MAX_LENGTH}))
    try:  # the message templates' tokenizer: unknown placeholders refused, with a suggestion where it can
        templates.preview(_TemplateText(subject, body))
    except templates.TemplateError as error:
        problems.extend(AlertProblem(p.field, AlertErrorCode.PLACEHOLDER, message=p.message) for p in error.problems)
    if kind is AlertKind.DRAFTS_EXPIRING:
        for name, text in (("subject", subject), ("body_markdown", body)):
            if "Reference" in templates.placeholders_in(text):
                problems.append(AlertProblem(name, AlertErrorCode.REFERENCE_NOT_FOR_DRAFTS))
    return problems


def check_draft(draft: AlertDraft, form_codes: set[str]) -> CheckedAlert:
    """Every rule about an alert except the name's uniqueness (which needs the database); raises
    `AlertError` with every problem, in the order of the page's fields."""
    problems: list[AlertProblem] = []
    kind = draft.kind
    name = _one_line(draft.name)
    if not name:
        problems.append(AlertProblem("name", AlertErrorCode.NAME_MISSING))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(AlertProblem("name", AlertErrorCode.NAME_TOO_LONG, {"max": NAME_MAX_LENGTH}))
    form_code = (draft.form_code or "").strip() or None
    if kind not in FORM_ALLOWED:
        form_code = None
    elif form_code is None and kind in FORM_REQUIRED:
        problems.append(AlertProblem("form_code", AlertErrorCode.FORM_MISSING))
    elif form_code is not None and form_code not in form_codes:
        problems.append(AlertProblem("form_code", AlertErrorCode.FORM_UNKNOWN))
        form_code = None
    days = _days(draft, problems)
    action: AlertAction | None = None
    try:
        action = AlertAction(draft.action)
    except ValueError:
        problems.append(AlertProblem("action", AlertErrorCode.ACTION_MISSING))
    if action is not None and action not in actions_for(kind):
        problems.append(AlertProblem("action", AlertErrorCode.ACTION_NOT_FOR_WITHDRAWAL))
        action = None
    recipients: list[str] = []
    subject = body = None
    if action is AlertAction.EMAIL_LIST:
        recipients, invalid = parse_recipients(draft.recipients)
        if invalid:
            problems.append(AlertProblem("recipients", AlertErrorCode.RECIPIENT_INVALID, {"entry": invalid[0]}))
        elif not recipients:
            problems.append(AlertProblem("recipients", AlertErrorCode.RECIPIENTS_MISSING))
        elif len(recipients) > RECIPIENTS_MAX:
            problems.append(AlertProblem("recipients", AlertErrorCode.RECIPIENTS_TOO_MANY, {"max": RECIPIENTS_MAX}))
    elif action is AlertAction.MESSAGE_APPLICANT:
        subject = (draft.subject or "").strip()
        body = (draft.body_markdown or "").strip()
        problems.extend(_message_problems(kind, subject, body))
        body += "\n"
    if problems:
        raise AlertError(problems)
    assert action is not None
    return CheckedAlert(name, kind, action, form_code, days, tuple(recipients), subject, body)


def _name_taken(db: Session, name: str, *, other_than: int | None) -> bool:
    query = select(Alert.id).where(func.lower(Alert.name) == name.lower())
    if other_than is not None:
        query = query.where(Alert.id != other_than)
    return db.scalar(query.limit(1)) is not None


def _form_codes(db: Session) -> set[str]:
    return {code for code, _title in form_choices(db)}


def _checked(db: Session, draft: AlertDraft, *, alert_id: int | None) -> CheckedAlert:
    try:
        checked = check_draft(draft, _form_codes(db))
    except AlertError as error:
        problems = error.problems
        name = _one_line(draft.name)
        if name and not any(p.field == "name" for p in problems) and _name_taken(db, name, other_than=alert_id):
            problems.insert(0, AlertProblem("name", AlertErrorCode.NAME_TAKEN, {"name": name}))
        raise AlertError(problems) from None
    if _name_taken(db, checked.name, other_than=alert_id):
        raise AlertError([AlertProblem("name", AlertErrorCode.NAME_TAKEN, {"name": checked.name})])
    return checked


# --- the pages' data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    form_title: str | None
    delivery_count: int
    last_delivered_at: datetime | None


def list_alerts(db: Session) -> list[AlertRow]:
    """Every alert by name, with how often it fired and when last: two queries, whatever the numbers."""
    fired = (
        select(
            AlertDelivery.alert_id,
            func.count(AlertDelivery.id).label("count"),
            func.max(AlertDelivery.delivered_at).label("last"),
        )
        .group_by(AlertDelivery.alert_id)
        .subquery()
    )
    rows = db.execute(
        select(Alert, fired.c.count, fired.c.last)
        .outerjoin(fired, fired.c.alert_id == Alert.id)
        .order_by(func.lower(Alert.name), Alert.id)
    ).all()
    titles = dict(form_choices(db)) if rows else {}
    return [
        AlertRow(alert, titles.get(alert.form_code) if alert.form_code else None, count or 0, last)
        for alert, count, last in rows
    ]


@dataclass(frozen=True)
class AlertView:
    alert: Alert
    form_title: str | None
    deliveries: list[AlertDelivery]
    delivery_count: int


def view_alert(db: Session, alert_id: int) -> AlertView | None:
    """One alert with its latest deliveries, newest first."""
    alert = db.get(Alert, alert_id)
    if alert is None:
        return None
    deliveries = list(
        db.scalars(
            select(AlertDelivery)
            .where(AlertDelivery.alert_id == alert_id)
            .order_by(AlertDelivery.delivered_at.desc(), AlertDelivery.id.desc())
            .limit(RECENT_DELIVERIES)
        )
    )
    count = db.scalar(select(func.count()).select_from(AlertDelivery).where(AlertDelivery.alert_id == alert_id))
    title = dict(form_choices(db)).get(alert.form_code) if alert.form_code else None
    return AlertView(alert, title, deliveries, count or 0)


@dataclass(frozen=True)
class AlertEditor:
    """What the new and change pages offer: the alert (when changing one) and the forms to choose from."""

    alert: Alert | None
    forms: list[tuple[str, str]]


def editor(db: Session, alert_id: int | None = None) -> AlertEditor | None:
    """None when there is no alert of that id."""
    alert = None
    if alert_id is not None:
        alert = db.get(Alert, alert_id)
        if alert is None:
            return None
    return AlertEditor(alert, form_choices(db))


# --- preview ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertPreview:
    """What the alert would send, filled in with sample values. Nothing is saved or sent."""

    action: AlertAction
    recipients: tuple[str, ...]
    subject: str
    body_text: str  # a staff email, or the message's text
    body_html: Markup | None = None  # the applicant's message as their inbox shows it
    notification: alert_jobs.Email | None = None  # the email that tells the applicant about the message


SAMPLE_APPLICATION_ID = 1234
SAMPLE_ACCOUNT_ID = 5678
SAMPLE_ALERT_ID = 12
SAMPLE_CONSENT_RECORD_ID = 910


def _sample_reference(form_code: str | None, ending: str = "7K3M-Q9TD") -> str:
    prefix = new_reference(form_code or "two_year_old_funding").split("-")[0]
    return f"{prefix}-{ending}"


def preview(db: Session, draft: AlertDraft, *, base_url: str, alert_id: int | None = None) -> AlertPreview:
    """The email or message this alert would send, with sample references, dates and names. Raises
    `AlertError` when the draft could not be saved either."""
    checked = _checked(db, draft, alert_id=alert_id)
    links = alert_jobs.Links(base_url.rstrip("/"))
    if checked.action is AlertAction.MESSAGE_APPLICANT:
        rendered = templates.preview(_TemplateText(checked.subject or "", checked.body_markdown or ""))
        if checked.kind is AlertKind.DRAFTS_EXPIRING:
            notification = alert_jobs.Email(
                "New message about your application",
                f"{alert_jobs.draft_notification_text()}\n\n{links.base_url}{alert_jobs.INBOX_PATH}\n",
            )
        else:
            reference = templates.SAMPLE_VALUES["Reference"]
            notification = alert_jobs.Email(
                f"New message about your application {reference}",
                f"{messages.notification_text(reference)}\n\n{links.base_url}{alert_jobs.INBOX_PATH}\n",
            )
        return AlertPreview(checked.action, (), rendered.subject, rendered.body_text, rendered.body_html, notification)
    email = _sample_email(db, checked, links, alert_id or SAMPLE_ALERT_ID)
    return AlertPreview(checked.action, checked.recipients, email.subject, email.body_text)


def _sample_email(db: Session, checked: CheckedAlert, links: alert_jobs.Links, alert_id: int) -> alert_jobs.Email:
    titles = dict(form_choices(db))
    title = titles.get(checked.form_code or "") or next(iter(sorted(titles.values())), "")
    now = utcnow()
    alert_link = links.alert(alert_id)
    sample = alert_jobs.ListedSubmission(
        _sample_reference(checked.form_code), title, now, links.submission(SAMPLE_APPLICATION_ID)
    )
    if checked.kind is AlertKind.SUBMITTED:
        return alert_jobs.submission_email(
            alert_name=checked.name, form_title=title, reference=sample.reference, resubmitted=False, at=now,
            link=sample.link, alert_link=alert_link,
        )  # fmt: skip
    if checked.kind is AlertKind.CONSENT_WITHDRAWN:
        return alert_jobs.withdrawal_email(
            alert_name=checked.name, account_id=SAMPLE_ACCOUNT_ID, at=now, submissions=[sample],
            withdrawal_link=links.withdrawal(SAMPLE_CONSENT_RECORD_ID), alert_link=alert_link,
        )  # fmt: skip
    if checked.kind is AlertKind.DRAFTS_EXPIRING:
        # For one form, that form; for any form, a line for each of (up to three of) the portal's forms.
        counts = [(title, 3)] if checked.form_code or not titles else [(t, 2) for t in sorted(titles.values())[:3]]
        return alert_jobs.drafts_summary_email(
            alert_name=checked.name, days=checked.days or 0, counts=counts, alert_link=alert_link
        )
    days = checked.days or 0
    listed = [
        sample._replace(received=now - timedelta(days=days + 3)),
        sample._replace(
            reference=_sample_reference(checked.form_code, "4HX2-N8WB"), received=now - timedelta(days=days + 1)
        ),
    ]
    return alert_jobs.awaiting_summary_email(
        alert_name=checked.name, days=days, total=len(listed), listed=listed, now=now,
        queue_link=links.queue, alert_link=alert_link,
    )  # fmt: skip


# --- changes, each audited with before and after -------------------------------------------------------


def _snapshot(alert: Alert) -> dict[str, Any]:
    return {
        "name": alert.name,
        "kind": alert.kind.value,
        "action": alert.action.value,
        "form_code": alert.form_code,
        "days": alert.days,
        "recipients": list(alert.recipients or []),
        "subject": alert.subject,
        "body_markdown": alert.body_markdown,
        "active": alert.active,
    }


def _apply(alert: Alert, checked: CheckedAlert, actor_id: int | None) -> None:
    alert.name = checked.name
    alert.action = checked.action
    alert.form_code = checked.form_code
    alert.days = checked.days
    alert.recipients = list(checked.recipients)
    alert.subject = checked.subject
    alert.body_markdown = checked.body_markdown
    alert.updated_by_id = actor_id


def _start_from_now(db: Session, alert: Alert) -> None:
    """An alert fires for what happens after this moment only: the cursor goes past every event so far."""
    table = ConsentRecord if alert.kind is AlertKind.CONSENT_WITHDRAWN else StatusChange
    alert.event_cursor = db.scalar(select(func.max(table.id))) or 0
    alert.active_since = utcnow()


def _by_token(db: Session, token: str | None) -> Alert | None:
    if not token:
        return None
    return db.scalars(select(Alert).where(Alert.creation_token == token)).first()


def _usable_token(token: str | None) -> str | None:
    token = (token or "").strip()
    return token if token and len(token) <= CREATION_TOKEN_MAX_LENGTH and token.isascii() else None


def create_alert(
    db: Session,
    draft: AlertDraft,
    *,
    creation_token: str | None = None,
    actor_id: int | None = None,
    client_address: str | None = None,
) -> Alert:
    """Save a new, active alert, or raise `AlertError` and save nothing. The page's `creation_token` makes
    a repeated post (a double click, a retry) return the alert the first one made."""
    token = _usable_token(creation_token)
    existing = _by_token(db, token)
    if existing is not None:
        return existing
    checked = _checked(db, draft, alert_id=None)
    alert = Alert(kind=checked.kind, active=True, creation_token=token, recipients=[])
    _apply(alert, checked, actor_id)
    _start_from_now(db, alert)
    db.add(alert)
    try:
        db.flush()
    except IntegrityError:  # the same page posted twice at once, or the same name saved a moment ago
        db.rollback()
        existing = _by_token(db, token)
        if existing is not None:
            return existing
        raise AlertError([AlertProblem("name", AlertErrorCode.NAME_TAKEN, {"name": checked.name})]) from None
    audit.record(
        db, "alert.created", actor_id=actor_id, client_address=client_address, object_type="alert",
        object_id=alert.id, before=None, after=_snapshot(alert),
    )  # fmt: skip
    db.commit()
    return alert


def update_alert(
    db: Session, alert_id: int, draft: AlertDraft, *, actor_id: int | None = None, client_address: str | None = None
) -> Alert:
    """Change an alert (not its kind), or raise `AlertError` and change nothing. What it already
    delivered stays delivered; events since its cursor are judged by the new settings."""
    alert = db.get(Alert, alert_id)
    if alert is None:
        raise LookupError(f"no alert {alert_id}")
    checked = _checked(db, replace(draft, kind=alert.kind), alert_id=alert_id)
    before = _snapshot(alert)
    _apply(alert, checked, actor_id)
    after = _snapshot(alert)
    if after == before:
        db.rollback()
        return alert
    audit.record(
        db, "alert.changed", actor_id=actor_id, client_address=client_address, object_type="alert",
        object_id=alert.id, before=before, after=after,
    )  # fmt: skip
    try:
        db.commit()
    except IntegrityError:  # another alert took the name a moment ago
        db.rollback()
        raise AlertError([AlertProblem("name", AlertErrorCode.NAME_TAKEN, {"name": checked.name})]) from None
    return alert


def set_active(
    db: Session, alert_id: int, active: bool, *, actor_id: int | None = None, client_address: str | None = None
) -> Alert:
    """Turn an alert on or off. Turning it on starts it from now (nothing that happened while it was off
    is alerted). Asking for the state it is already in changes nothing, so a repeated post is harmless."""
    alert = db.get(Alert, alert_id)
    if alert is None:
        raise LookupError(f"no alert {alert_id}")
    if alert.active is active:
        return alert
    before = _snapshot(alert)
    alert.active = active
    alert.updated_by_id = actor_id
    if active:
        _start_from_now(db, alert)
    audit.record(
        db, "alert.activated" if active else "alert.deactivated", actor_id=actor_id, client_address=client_address,
        object_type="alert", object_id=alert.id, before=before, after=_snapshot(alert),
    )  # fmt: skip
    db.commit()
    return alert


def delete_alert(db: Session, alert_id: int, *, actor_id: int | None = None, client_address: str | None = None) -> bool:
    """Delete an alert and its delivery history (the audit trail keeps what it was). False if it was
    already gone, so a repeated post is harmless."""
    alert = db.get(Alert, alert_id)
    if alert is None:
        return False
    audit.record(
        db, "alert.deleted", actor_id=actor_id, client_address=client_address, object_type="alert",
        object_id=alert.id, before=_snapshot(alert), after=None,
    )  # fmt: skip
    db.delete(alert)
    db.commit()
    return True


# --- demo data -------------------------------------------------------------------------------------------

DEMO_ALERTS = (
    AlertDraft("Consent withdrawn: tell the data protection officer", AlertKind.CONSENT_WITHDRAWN,
               action="email_list", recipients="admin@example.com"),
    AlertDraft("New SEND requests", AlertKind.SUBMITTED, action="email_list",
               form_code="send_request_for_assessment", recipients="admin@example.com; caseworker@example.com"),
    AlertDraft("Unsent applications about to be deleted", AlertKind.DRAFTS_EXPIRING, action="message_applicant",
               days="3", subject="{{Forename}}, your application has not been sent",
               body_markdown="Dear {{Forename}},\n\nYou started an application but have not sent it yet. "
               "It will be deleted in the next few days unless you send it or save it again."),
)  # fmt: skip


def create_demo_alerts(db: Session) -> None:
    """A few alerts for `make run`, so a council trying the portal sees what they do. Idempotent; one
    about a form that is not loaded is left out."""
    for draft in DEMO_ALERTS:
        if not _name_taken(db, draft.name, other_than=None):
            try:
                create_alert(db, draft)
            except AlertError:
                db.rollback()
