"""The background worker: delivers the email outbox and runs scheduled jobs.

Run it as a second process beside the web processes (`flask --app portal worker`); several workers
may run at once. Each scheduled job is claimed with one conditional UPDATE, so exactly one worker
runs it each time it falls due, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import db
from .models import OutboxMessage, OutboxStatus, ScheduledJob, utcnow
from .outbox import SmtpSettings, deliver_due
from .services.retention import RETENTION_JOB_NAME, RETENTION_RUN_EVERY
from .sessions import purge_expired_sessions

log = logging.getLogger(__name__)

SENT_EMAIL_RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[Session], object]


def purge_sent_emails(session: Session) -> int:
    """Sent emails hold names and addresses: keep them only as long as support needs them."""
    result = session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < utcnow() - SENT_EMAIL_RETENTION
        )
    )
    session.commit()
    return result.rowcount


def remind_expiring_drafts(session: Session) -> int:
    """Email parents whose unsent application will be deleted in 7 days (issue 6)."""
    from flask import current_app

    from .services.applications import remind_expiring_drafts as remind

    return remind(session, base_url=current_app.config["PORTAL_BASE_URL"])


def delete_expired_drafts(session: Session) -> int:
    """Unsent applications past their expiry date are deleted, with their uploaded files."""
    from flask import current_app

    from .services.applications import delete_expired_drafts as delete
    from .uploads import storage_from_config

    return delete(session, storage_from_config(current_app.config))


def apply_retention_rules(session: Session) -> object:
    """The administrators' data retention rules that are on delete old applications and their files."""
    from flask import current_app

    from .services.retention import apply_retention_rules as apply
    from .uploads import storage_from_config

    return apply(session, storage_from_config(current_app.config))


def deliver_triggered_alerts(session: Session) -> int:
    """Administrators' alerts on submissions and withdrawals, found by polling (portal.services.alert_jobs)."""
    from flask import current_app

    from .services.alert_jobs import deliver_triggered_alerts as deliver

    return deliver(session, base_url=current_app.config["PORTAL_BASE_URL"])


def deliver_scheduled_alerts(session: Session) -> int:
    """Administrators' daily alerts (drafts about to expire, submissions waiting), from ALERTS_DAILY_HOUR."""
    from flask import current_app

    from .services.alert_jobs import deliver_scheduled_alerts as deliver

    config = current_app.config
    return deliver(session, base_url=config["PORTAL_BASE_URL"], daily_hour=int(config["ALERTS_DAILY_HOUR"]))


SCHEDULED_JOBS: list[Job] = [
    Job("purge_sent_emails", timedelta(hours=1), purge_sent_emails),
    Job("purge_expired_sessions", timedelta(minutes=15), purge_expired_sessions),
    Job("remind_expiring_drafts", timedelta(hours=1), remind_expiring_drafts),
    Job("delete_expired_drafts", timedelta(hours=1), delete_expired_drafts),
    Job(RETENTION_JOB_NAME, RETENTION_RUN_EVERY, apply_retention_rules),
    # Every minute, so staff hear of a submission within a couple of minutes (a pass is a few indexed
    # queries per alert); the daily alerts are checked every 15 minutes and keyed by day, so they go out
    # once a day even when the worker was down at ALERTS_DAILY_HOUR.
    Job("deliver_triggered_alerts", timedelta(minutes=1), deliver_triggered_alerts),
    Job("deliver_scheduled_alerts", timedelta(minutes=15), deliver_scheduled_alerts),
]


def _claim_job(session: Session, job: Job) -> bool:
    """True when this worker won the right to run `job` now."""
    now = utcnow()
    try:
        session.execute(insert(ScheduledJob).values(name=job.name, next_run_at=now))
        session.commit()
    except IntegrityError:
        session.rollback()  # another worker, or an earlier pass, created the row
    won = session.execute(
        update(ScheduledJob)
        .where(ScheduledJob.name == job.name, ScheduledJob.next_run_at <= now)
        .values(next_run_at=now + job.every, last_run_at=now)
    ).rowcount
    session.commit()
    return won == 1


def run_pass(app: Flask, jobs: list[Job] | None = None) -> dict[str, object]:
    """One pass: deliver due emails, then run each scheduled job that is due."""
    results: dict[str, object] = {}
    with app.app_context():
        session = db.session()
        report = deliver_due(session, SmtpSettings.from_config(app.config))
        results["outbox"] = report
        for job in SCHEDULED_JOBS if jobs is None else jobs:
            if _claim_job(session, job):
                try:
                    results[job.name] = job.run(session)
                except Exception:
                    session.rollback()
                    log.exception("scheduled job failed", extra={"event": job.name})
    return results


def run_forever(app: Flask, interval_seconds: float = 5.0) -> None:
    log.info("worker started", extra={"event": "worker_start"})
    while True:
        try:
            run_pass(app)
        except Exception:
            # A database restart must not kill the worker: log, wait, try again.
            log.exception("worker pass failed")
        time.sleep(interval_seconds)
