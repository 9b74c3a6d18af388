"""Delivering alerts: the worker's two scheduled jobs, and the emails they write.

Triggered alerts poll. The submission and withdrawal code paths (`applications.submit_application`,
`review.resubmit`, `consent.withdraw`) know nothing about alerts and are not changed by them: they already
write a `StatusChange` or a `ConsentRecord` row in their own transaction, and every minute the worker
reads the rows after each alert's cursor. So a parent's "Send" never waits for, or fails because of, an
alert, and an alert added tomorrow needs no change to those paths.

Exactly once. Each delivery is one unit of work: an `AlertDelivery` row for (alert, subject) under a
unique constraint, plus the outbox emails or the portal message it stands for, committed together. A
second worker delivering the same subject at the same moment fails on the constraint (PostgreSQL makes
it wait for the first to commit; SQLite serialises writers) and sends nothing; a worker that crashes
before committing leaves neither the row nor the email, and the next pass delivers it.

The cursor only saves work; the delivery rows are the guarantee. It advances over events that are at
least `CURSOR_SETTLE` old: an id is taken when a row is inserted, but rows become visible when their
transaction commits, so a younger event with a smaller id may still appear. Younger events are read
again on each pass and skipped if already delivered.

Scheduled alerts are conditions, checked by a job every 15 minutes from `daily_hour` (Europe/London)
each day: staff summaries are keyed by the day (one a day), messages to applicants by the application
(one per application, or per expiry period for a draft), so a worker that was down at that hour catches
up on its next pass and nobody is told twice.

The staff emails carry references, counts, dates and links to the staff area only: no parent's name,
contact details or answers (they travel over ordinary email and sit in mailboxes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import (
    AccountStatus,
    Alert,
    AlertAction,
    AlertDelivery,
    AlertKind,
    Application,
    ApplicationStatus,
    ConsentAction,
    ConsentRecord,
    FormVersion,
    Message,
    MessageDirection,
    StatusChange,
    User,
    utcnow,
)
from ..outbox import queue_email
from . import audit, messages
from .message_templates import RenderedMessage, render
from .review import placeholder_values
from .review_queue import AWAITING_DECISION
from .withdrawals import WITHDRAWAL_PATH

log = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")

CURSOR_SETTLE = timedelta(minutes=10)
EVENT_BATCH = 500  # events read per alert and pass; the cursor carries on from there next pass
MESSAGES_PER_PASS = 200  # applicant messages per alert and pass, so one big alert cannot hold a pass up
SUMMARY_REFERENCE_LIMIT = 100  # references listed in a daily summary; the count always covers them all
KEY_LOOKUP_CHUNK = 500

SUBMITTED_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.RESUBMITTED)

# Pages of the staff area that the emails link to (the worker has no request to build URLs from).
SUBMISSION_PATH = "/admin/submissions/{id}"
QUEUE_PATH = "/admin/queue"
ALERT_PATH = "/admin/alerts/{id}"
INBOX_PATH = "/messages"


# --- the emails ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Email:
    subject: str
    body_text: str


class ListedSubmission(NamedTuple):
    reference: str
    form_title: str
    received: datetime
    link: str


def london_time(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y}, {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _footer(alert_name: str, alert_link: str) -> str:
    return (
        f'You get this email because you are on the list of the alert "{alert_name}". '
        f"An administrator can change or turn off the alert at {alert_link}\n"
    )


def submission_email(
    *, alert_name: str, form_title: str, reference: str, resubmitted: bool, at: datetime, link: str, alert_link: str
) -> Email:
    what = "sent again with the information asked for" if resubmitted else "submitted"
    return Email(
        subject=f"{alert_name}: {reference}",
        body_text=(
            f"An application for {form_title} was {what}.\n\n"
            f"Reference: {reference}\n"
            f"{'Sent again' if resubmitted else 'Submitted'}: {london_time(at)}\n\n"
            f"See it in the staff area: {link}\n\n" + _footer(alert_name, alert_link)
        ),
    )


def withdrawal_email(
    *, alert_name: str, account_id: int, at: datetime, submissions: Sequence[ListedSubmission],
    withdrawal_link: str, alert_link: str,
) -> Email:  # fmt: skip
    if submissions:
        listed = "\n".join(f"- {s.reference} ({s.form_title}): {s.link}" for s in submissions)
        held = f"They have sent {_plural(len(submissions), 'application', 'applications')}:\n{listed}\n\n"
    else:
        held = "They have not sent any applications.\n\n"
    return Email(
        subject=f"{alert_name}: someone withdrew consent (account {account_id})",
        body_text=(
            "Someone has withdrawn their data protection consent, and their account has been closed. "
            "Nothing has been deleted.\n\n"
            f"Account reference: {account_id}\n"
            f"Withdrawn: {london_time(at)}\n\n" + held + "Decide what happens to the information they gave. "
            f"Record what you decide on the withdrawal's page: {withdrawal_link}\n\n" + _footer(alert_name, alert_link)
        ),
    )


def drafts_summary_email(*, alert_name: str, days: int, counts: Sequence[tuple[str, int]], alert_link: str) -> Email:
    total = sum(count for _, count in counts)
    lines = "\n".join(f"- {title}: {count}" for title, count in counts)
    return Email(
        subject=f"{alert_name}: {_plural(total, 'unsent application', 'unsent applications')} "
        f"will be deleted within {_plural(days, 'day', 'days')}",
        body_text=(
            f"{_plural(total, 'application has', 'applications have')} not been sent and will be deleted "
            f"within {_plural(days, 'day', 'days')} unless the applicant sends or saves it:\n\n{lines}\n\n"
            + _footer(alert_name, alert_link)
        ),
    )


def awaiting_summary_email(
    *, alert_name: str, days: int, total: int, listed: Sequence[ListedSubmission], now: datetime, queue_link: str,
    alert_link: str,
) -> Email:  # fmt: skip
    rows = "\n".join(
        f"- {s.reference} ({s.form_title}), received {london_time(s.received)}, "
        f"{_plural((now - s.received).days, 'day', 'days')} ago: {s.link}"
        for s in listed
    )
    more = f"\nand {total - len(listed)} more: see the review queue.\n" if total > len(listed) else "\n"
    return Email(
        subject=f"{alert_name}: {_plural(total, 'submission has', 'submissions have')} waited more than "
        f"{_plural(days, 'day', 'days')}",
        body_text=(
            f"{_plural(total, 'submission has', 'submissions have')} waited more than "
            f"{_plural(days, 'day', 'days')} for a decision:\n\n{rows}\n{more}\n"
            f"The review queue: {queue_link}\n\n" + _footer(alert_name, alert_link)
        ),
    )


def draft_notification_text() -> str:
    """The email that tells a parent of a message about a draft: no detail, as for every message."""
    return "You have a new message about an application you have not sent yet. Sign in to read it."


# --- one delivery, exactly once ------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertSpec:
    """An alert as read at the start of a pass (plain values survive the rollbacks of lost races)."""

    id: int
    name: str
    kind: AlertKind
    action: AlertAction
    form_code: str | None
    days: int | None
    recipients: tuple[str, ...]
    subject: str
    body_markdown: str
    event_cursor: int
    active_since: datetime

    @classmethod
    def of(cls, alert: Alert) -> AlertSpec:
        return cls(
            alert.id, alert.name, alert.kind, alert.action, alert.form_code, alert.days,
            tuple(alert.recipients or ()), alert.subject or "", alert.body_markdown or "",
            alert.event_cursor, alert.active_since,
        )  # fmt: skip


@dataclass(frozen=True)
class Links:
    base_url: str

    def submission(self, application_id: int) -> str:
        return self.base_url + SUBMISSION_PATH.format(id=application_id)

    def alert(self, alert_id: int) -> str:
        return self.base_url + ALERT_PATH.format(id=alert_id)

    @property
    def queue(self) -> str:
        return self.base_url + QUEUE_PATH

    def withdrawal(self, consent_record_id: int) -> str:
        return self.base_url + WITHDRAWAL_PATH + str(consent_record_id)


class SubjectGone(LookupError):
    """What the alert was about no longer exists (a draft deleted a moment ago): nothing to deliver."""


def deliver_once(
    db: Session,
    alert: AlertSpec,
    subject_key: str,
    send: Callable[[], None],
    *,
    application_id: int | None = None,
    reference: str | None = None,
    account_id: int | None = None,
    item_count: int = 1,
) -> bool:
    """Record the delivery of `alert` about `subject_key` and do `send` (which queues what it stands
    for), as one unit of work. False when it was delivered already, by this worker or another, when the
    alert was turned off or deleted meanwhile, or when its subject has gone."""
    if not db.scalar(select(Alert.active).where(Alert.id == alert.id)):
        db.rollback()
        return False
    delivery = AlertDelivery(
        alert_id=alert.id,
        subject_key=subject_key,
        application_id=application_id,
        reference=reference,
        account_id=account_id,
        item_count=item_count,
        recipient_count=len(alert.recipients) if alert.action is AlertAction.EMAIL_LIST else 1,
    )
    db.add(delivery)
    try:
        db.flush()  # a concurrent delivery of the same subject fails here, before anything is queued
    except IntegrityError:
        db.rollback()
        return False
    try:
        send()
    except SubjectGone:
        db.rollback()
        return False
    db.commit()  # (a no-op when `send` went through messages.send_to_parent, which commits)
    return True


def _email_list(db: Session, alert: AlertSpec, email: Email) -> Callable[[], None]:
    def send() -> None:
        for address in alert.recipients:
            queue_email(db, to=address, subject=email.subject, body_text=email.body_text, kind="alert")

    return send


@dataclass(frozen=True)
class _TemplateText:
    subject: str
    body_markdown: str


def _message_applicant(db: Session, alert: AlertSpec, application_id: int, base_url: str) -> Callable[[], None]:
    """A portal message in the applicant's inbox with the usual notification email (no detail in it)."""

    def send() -> None:
        # Fresh from the database: the pass's session may hold an older copy (the draft reminder job's).
        application = db.get(Application, application_id, populate_existing=True)
        if application is None:
            raise SubjectGone(application_id)
        rendered = render(_TemplateText(alert.subject, alert.body_markdown), placeholder_values(db, application))
        if application.status is ApplicationStatus.DRAFT:
            _message_about_draft(db, application, rendered, base_url)
        else:
            # send_to_parent adds the message, its notification and an audit row, and commits them with
            # the delivery row already flushed in this transaction.
            messages.send_to_parent(
                db, application, subject=rendered.subject, body=rendered.body_text, sender_id=None, base_url=base_url
            )

    return send


def _message_about_draft(db: Session, application: Application, rendered: RenderedMessage, base_url: str) -> None:
    """`messages.send_to_parent` for an application not sent yet, which has no reference to name."""
    db.add(
        Message(
            application_id=application.id,
            user_id=application.user_id,
            direction=MessageDirection.TO_PARENT,
            sender_id=None,
            subject=rendered.subject,
            body=rendered.body_text,
        )
    )
    parent = db.get(User, application.user_id)
    queue_email(
        db,
        to=parent.email,
        subject="New message about your application",
        body_text=f"{draft_notification_text()}\n\n{base_url}{INBOX_PATH}\n",
        kind="application_message",
    )
    audit.record(db, "message_sent", object_type="application", object_id=application.id)


# --- triggered alerts ------------------------------------------------------------------------------------


class _Event(NamedTuple):
    id: int
    at: datetime


def _advance_cursor(db: Session, alert: AlertSpec, table, events: Sequence[_Event], now: datetime) -> None:
    """Move the cursor over events old enough that no smaller id can still be committed (see the module
    docstring), never past an event not yet read, and never backwards (another worker may be ahead)."""
    settled = db.scalar(
        select(func.max(table.id)).where(table.id > alert.event_cursor, table.at <= now - CURSOR_SETTLE)
    )
    if settled is None:
        db.commit()
        return
    if len(events) >= EVENT_BATCH:
        settled = min(settled, events[-1].id)
    db.execute(update(Alert).where(Alert.id == alert.id, Alert.event_cursor < settled).values(event_cursor=settled))
    db.commit()


def _delivered_keys(db: Session, alert_id: int, keys: Iterable[str]) -> set[str]:
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), KEY_LOOKUP_CHUNK):
        chunk = keys[start : start + KEY_LOOKUP_CHUNK]
        found.update(
            db.scalars(
                select(AlertDelivery.subject_key).where(
                    AlertDelivery.alert_id == alert_id, AlertDelivery.subject_key.in_(chunk)
                )
            )
        )
    return found


def _form_titles(db: Session) -> dict[str, str]:
    """Each form's title (its newest version's), for emails."""
    rows = db.execute(select(FormVersion.code, FormVersion.title).order_by(FormVersion.code, FormVersion.version))
    return {code: title for code, title in rows}


def _on_submission(db: Session, alert: AlertSpec, links: Links, now: datetime) -> int:
    rows = db.execute(
        select(
            StatusChange.id,
            StatusChange.at,
            StatusChange.to_status,
            Application.id,
            Application.reference,
            Application.status,
        )  # fmt: skip
        .join(Application, Application.id == StatusChange.application_id)
        .where(
            StatusChange.id > alert.event_cursor,
            StatusChange.at >= alert.active_since,
            StatusChange.to_status.in_(SUBMITTED_STATUSES),
            Application.form_code == alert.form_code,
        )
        .order_by(StatusChange.id)
        .limit(EVENT_BATCH)
    ).all()
    done = _delivered_keys(db, alert.id, (f"status_change:{row[0]}" for row in rows))
    title = _form_titles(db).get(alert.form_code or "", alert.form_code or "")
    delivered = 0
    for change_id, at, to_status, application_id, reference, status in rows:
        key = f"status_change:{change_id}"
        if key in done:
            continue
        if alert.action is AlertAction.EMAIL_LIST:
            email = submission_email(
                alert_name=alert.name, form_title=title, reference=reference or "",
                resubmitted=to_status is ApplicationStatus.RESUBMITTED, at=at,
                link=links.submission(application_id), alert_link=links.alert(alert.id),
            )  # fmt: skip
            send = _email_list(db, alert, email)
        elif status is ApplicationStatus.WITHDRAWN or not _applicant_can_be_messaged(db, application_id):
            continue
        else:
            send = _message_applicant(db, alert, application_id, links.base_url)
        delivered += deliver_once(db, alert, key, send, application_id=application_id, reference=reference)
    _advance_cursor(db, alert, StatusChange, [_Event(row[0], row[1]) for row in rows], now)
    return delivered


def _applicant_can_be_messaged(db: Session, application_id: int) -> bool:
    """A closed account (consent withdrawn) is never messaged: nobody can sign in to read it."""
    status = db.scalar(
        select(User.status).join(Application, Application.user_id == User.id).where(Application.id == application_id)
    )
    return status is AccountStatus.ACTIVE


def _on_withdrawal(db: Session, alert: AlertSpec, links: Links, now: datetime) -> int:
    rows = db.execute(
        select(ConsentRecord.id, ConsentRecord.at, ConsentRecord.user_id)
        .where(
            ConsentRecord.id > alert.event_cursor,
            ConsentRecord.at >= alert.active_since,
            ConsentRecord.action == ConsentAction.WITHDRAWN,
        )
        .order_by(ConsentRecord.id)
        .limit(EVENT_BATCH)
    ).all()
    done = _delivered_keys(db, alert.id, (f"consent_record:{row[0]}" for row in rows))
    titles = _form_titles(db)
    delivered = 0
    for record_id, at, user_id in rows:
        key = f"consent_record:{record_id}"
        if key in done:
            continue
        sent = db.execute(
            select(Application.id, Application.reference, Application.form_code, Application.submitted_at)
            .where(Application.user_id == user_id, Application.status != ApplicationStatus.DRAFT)
            .order_by(Application.submitted_at, Application.id)
        ).all()
        submissions = [
            ListedSubmission(reference or "", titles.get(code, code), submitted_at or at, links.submission(app_id))
            for app_id, reference, code, submitted_at in sent
        ]
        email = withdrawal_email(
            alert_name=alert.name, account_id=user_id, at=at, submissions=submissions,
            withdrawal_link=links.withdrawal(record_id), alert_link=links.alert(alert.id),
        )  # fmt: skip
        delivered += deliver_once(db, alert, key, _email_list(db, alert, email), account_id=user_id)
    _advance_cursor(db, alert, ConsentRecord, [_Event(row[0], row[1]) for row in rows], now)
    return delivered


# --- scheduled alerts ------------------------------------------------------------------------------------


def _expiring_drafts(alert: AlertSpec, now: datetime):
    query = (
        select(Application.id, Application.expires_at, Application.form_code)
        .join(User, User.id == Application.user_id)
        .where(
            Application.status == ApplicationStatus.DRAFT,
            Application.expires_at > now,
            Application.expires_at <= now + timedelta(days=alert.days or 0),
            User.status == AccountStatus.ACTIVE,
        )
        .order_by(Application.expires_at, Application.id)
    )
    return query.where(Application.form_code == alert.form_code) if alert.form_code else query


def _on_drafts_expiring(db: Session, alert: AlertSpec, links: Links, now: datetime) -> int:
    rows = db.execute(_expiring_drafts(alert, now)).all()
    if not rows:
        return 0
    if alert.action is AlertAction.EMAIL_LIST:
        titles = _form_titles(db)
        counts: dict[str, int] = {}
        for _id, _expires, code in rows:
            counts[titles.get(code, code)] = counts.get(titles.get(code, code), 0) + 1
        email = drafts_summary_email(
            alert_name=alert.name, days=alert.days or 0, counts=sorted(counts.items()), alert_link=links.alert(alert.id)
        )
        key = f"day:{now.astimezone(LONDON).date().isoformat()}"
        return int(deliver_once(db, alert, key, _email_list(db, alert, email), item_count=len(rows)))
    # One message per draft and expiry date: saving the draft starts a new expiry period (and a new message
    # when that one nears its end too).
    keyed = {f"draft:{app_id}:{expires.isoformat(timespec='seconds')}": app_id for app_id, expires, _ in rows}
    return _message_each(db, alert, keyed, links)


def _waiting_submissions(alert: AlertSpec, now: datetime):
    query = (
        select(Application.id, Application.reference, Application.form_code, Application.submitted_at)
        .where(
            Application.status.in_(AWAITING_DECISION),
            Application.submitted_at < now - timedelta(days=alert.days or 0),
        )
        .order_by(Application.submitted_at, Application.id)
    )
    return query.where(Application.form_code == alert.form_code) if alert.form_code else query


def _on_awaiting_decision(db: Session, alert: AlertSpec, links: Links, now: datetime) -> int:
    query = _waiting_submissions(alert, now)
    if alert.action is AlertAction.EMAIL_LIST:
        total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        if not total:
            return 0
        titles = _form_titles(db)
        listed = [
            ListedSubmission(reference or "", titles.get(code, code), received, links.submission(app_id))
            for app_id, reference, code, received in db.execute(query.limit(SUMMARY_REFERENCE_LIMIT))
        ]
        email = awaiting_summary_email(
            alert_name=alert.name, days=alert.days or 0, total=total, listed=listed, now=now,
            queue_link=links.queue, alert_link=links.alert(alert.id),
        )  # fmt: skip
        key = f"day:{now.astimezone(LONDON).date().isoformat()}"
        return int(deliver_once(db, alert, key, _email_list(db, alert, email), item_count=total))
    rows = db.execute(query.join(User, User.id == Application.user_id).where(User.status == AccountStatus.ACTIVE))
    keyed = {f"application:{app_id}": app_id for app_id, _reference, _code, _received in rows}
    return _message_each(db, alert, keyed, links)


def _message_each(db: Session, alert: AlertSpec, keyed: dict[str, int], links: Links) -> int:
    done = _delivered_keys(db, alert.id, keyed)
    delivered = 0
    for key, application_id in keyed.items():
        if key in done:
            continue
        if delivered >= MESSAGES_PER_PASS:
            break
        reference = db.scalar(select(Application.reference).where(Application.id == application_id))
        send = _message_applicant(db, alert, application_id, links.base_url)
        delivered += deliver_once(db, alert, key, send, application_id=application_id, reference=reference)
    return delivered


# --- the jobs ----------------------------------------------------------------------------------------------

_TRIGGERED = {AlertKind.SUBMITTED: _on_submission, AlertKind.CONSENT_WITHDRAWN: _on_withdrawal}
_SCHEDULED = {AlertKind.DRAFTS_EXPIRING: _on_drafts_expiring, AlertKind.AWAITING_DECISION: _on_awaiting_decision}


def _run(db: Session, handlers, *, base_url: str, now: datetime) -> int:
    active = select(Alert).where(Alert.active.is_(True), Alert.kind.in_(handlers)).order_by(Alert.id)
    alerts = [AlertSpec.of(alert) for alert in db.scalars(active)]
    db.commit()
    links = Links(base_url.rstrip("/"))
    delivered = 0
    for alert in alerts:
        try:
            delivered += handlers[alert.kind](db, alert, links, now)
        except Exception:
            # One broken alert must not stop the others; it is tried again on the next pass.
            db.rollback()
            log.exception("alert delivery failed", extra={"event": f"alert={alert.id}"})
    return delivered


def deliver_triggered_alerts(db: Session, *, base_url: str, now: datetime | None = None) -> int:
    """Alert on the submissions and withdrawals since each active alert's cursor. Returns deliveries made."""
    return _run(db, _TRIGGERED, base_url=base_url, now=now or utcnow())


def deliver_scheduled_alerts(db: Session, *, base_url: str, daily_hour: int, now: datetime | None = None) -> int:
    """Check each active scheduled alert's condition, from `daily_hour` (Europe/London) each day."""
    now = now or utcnow()
    if now.astimezone(LONDON).hour < daily_hour:
        return 0
    return _run(db, _SCHEDULED, base_url=base_url, now=now)
