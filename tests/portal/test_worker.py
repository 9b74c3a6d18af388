from datetime import timedelta

from portal.models import OutboxMessage, OutboxStatus, ScheduledJob, utcnow
from portal.worker import SENT_EMAIL_RETENTION, Job, run_pass


def test_a_due_job_runs_once_per_period_however_many_passes(app, db):
    calls = []
    job = Job("count_calls", timedelta(hours=1), lambda session: calls.append(1))
    run_pass(app, [job])
    run_pass(app, [job])
    assert calls == [1]
    row = db.get(ScheduledJob, "count_calls")
    assert row.next_run_at > utcnow() + timedelta(minutes=59)
    row.next_run_at = utcnow() - timedelta(seconds=1)
    db.commit()
    run_pass(app, [job])
    assert calls == [1, 1]


def test_a_failing_job_does_not_stop_the_others(app):
    ran = []

    def broken(session):
        raise RuntimeError("job failed")

    run_pass(app, [Job("broken", timedelta(hours=1), broken), Job("fine", timedelta(hours=1), lambda s: ran.append(1))])
    assert ran == [1]


def test_sent_emails_are_purged_after_the_retention_period(app, db):
    old = OutboxMessage(
        to_address="a@example.com",
        subject="s",
        body_text="b",
        kind="t",
        status=OutboxStatus.SENT,
        sent_at=utcnow() - SENT_EMAIL_RETENTION - timedelta(days=1),
    )
    recent = OutboxMessage(
        to_address="b@example.com", subject="s", body_text="b", kind="t", status=OutboxStatus.SENT, sent_at=utcnow()
    )
    pending = OutboxMessage(to_address="c@example.com", subject="s", body_text="b", kind="t")
    db.add_all([old, recent, pending])
    db.commit()
    results = run_pass(app)
    assert results["purge_sent_emails"] == 1
    assert sorted(m.to_address for m in db.query(OutboxMessage)) == ["b@example.com", "c@example.com"]
