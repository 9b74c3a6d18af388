"""The transactional email outbox and its delivery over SMTP.

`queue_email` adds a row in the caller's transaction, so an email exists exactly when the change that
caused it was committed. `deliver_due` (run by the worker) claims due rows with
`SELECT ... FOR UPDATE SKIP LOCKED`, so several workers never pick the same message, sends them over
one SMTP connection, and records the result. A failed send is retried with exponential backoff; while
the mail server is down, messages simply wait.

Delivery is at-least-once only in one narrow case: a worker that dies after the SMTP server accepted a
message but before it recorded that. Each message carries a stable Message-ID built from its row id,
so a duplicate in that case can be recognised by mail systems.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from .models import OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # with the backoff below, about two days of retrying
CLAIM_LEASE = timedelta(minutes=5)
BATCH_SIZE = 50


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes, capped at 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def queue_email(
    db: Session, *, to: str, subject: str, body_text: str, kind: str, body_html: str | None = None
) -> OutboxMessage:
    """Add an email to the outbox in the caller's transaction; nothing is sent until it commits."""
    message = OutboxMessage(to_address=to, subject=subject, body_text=body_text, body_html=body_html, kind=kind)
    db.add(message)
    return message


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    use_tls: bool
    timeout: int
    mail_from: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        return cls(
            host=config["SMTP_HOST"],
            port=int(config["SMTP_PORT"]),
            username=config["SMTP_USERNAME"],
            password=config["SMTP_PASSWORD"],
            use_tls=bool(config["SMTP_USE_TLS"]),
            timeout=int(config["SMTP_TIMEOUT_SECONDS"]),
            mail_from=config["MAIL_FROM"],
        )


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _due(now: datetime):
    return or_(
        (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= now),
        # A claim whose worker died: take it over once the lease has run out.
        (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_until < now),
    )


def _claim_due(db: Session, now: datetime, limit: int) -> list[OutboxMessage]:
    """Claim up to `limit` due messages for this worker alone.

    On PostgreSQL, FOR UPDATE SKIP LOCKED makes concurrent workers pick disjoint rows without waiting.
    SQLite ignores it, so the claim itself is a conditional UPDATE that re-checks due-ness under the
    write lock: whichever worker writes second finds nothing left to claim.
    """
    candidates = select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.id).limit(limit)
    ids = list(db.scalars(candidates.with_for_update(skip_locked=True)))
    if not ids:
        db.commit()
        return []
    token = secrets.token_hex(16)
    db.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), _due(now))
        .values(status=OutboxStatus.SENDING, claimed_until=now + CLAIM_LEASE, claimed_by=token)
    )
    db.commit()
    return list(db.scalars(select(OutboxMessage).where(OutboxMessage.claimed_by == token).order_by(OutboxMessage.id)))


def _as_email(message: OutboxMessage, settings: SmtpSettings) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    domain = settings.mail_from.rpartition("@")[2] or "portal.invalid"
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=domain)
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.use_tls:
        smtp.starttls(context=ssl.create_default_context())
    if settings.username:
        smtp.login(settings.username, settings.password)
    return smtp


def _record_failure(message: OutboxMessage, error: Exception, now: datetime) -> bool:
    """Schedule a retry, or give up after the last attempt. Returns True when it will be retried."""
    message.attempts += 1
    # The exception's class and SMTP code only: server replies can quote the recipient's address.
    code = getattr(error, "smtp_code", None)
    message.last_error = f"{type(error).__name__}{f' {code}' if code else ''}"
    message.claimed_until = message.claimed_by = None
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        return False
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = now + retry_delay(message.attempts)
    return True


def deliver_due(db: Session, settings: SmtpSettings, limit: int = BATCH_SIZE) -> DeliveryReport:
    """Send what is due now. Safe to run from several workers at once."""
    now = utcnow()
    messages = _claim_due(db, now, limit)
    if not messages:
        return DeliveryReport()
    sent = retried = failed = 0
    try:
        smtp = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP server unavailable; %d messages wait for the next attempt", len(messages))
        for message in messages:
            if _record_failure(message, error, now):
                retried += 1
            else:
                failed += 1
        db.commit()
        return DeliveryReport(retried=retried, failed=failed)
    try:
        for message in messages:
            try:
                smtp.send_message(_as_email(message, settings))
            except (OSError, smtplib.SMTPException) as error:
                if _record_failure(message, error, now):
                    retried += 1
                else:
                    failed += 1
            else:
                message.status = OutboxStatus.SENT
                message.sent_at = utcnow()
                message.claimed_until = message.claimed_by = None
                sent += 1
            db.commit()  # record each result at once, so a crash cannot resend what went out
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.quit()
    log.info("outbox delivery", extra={"event": f"sent={sent} retried={retried} failed={failed}"})
    return DeliveryReport(sent=sent, retried=retried, failed=failed)
