"""The email outbox: nothing is lost while the mail server is down, and nothing is sent twice."""

import threading
from datetime import timedelta

from portal.models import OutboxMessage, OutboxStatus, utcnow
from portal.outbox import SmtpSettings, deliver_due, queue_email, retry_delay


def settings_for(port: int) -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, "", "", False, 2, "portal@council.example")


def queue(db, count=1):
    for number in range(count):
        queue_email(db, to=f"person{number}@example.com", subject="Your application", body_text="Hello", kind="test")
    db.commit()


def test_a_queued_email_is_delivered_over_smtp_and_marked_sent(db, smtp_server):
    queue_email(
        db,
        to="parent@example.com",
        subject="Confirm your email address",
        body_text="Follow the link",
        body_html="<p>Follow the link</p>",
        kind="registration",
    )
    db.commit()
    report = deliver_due(db, settings_for(smtp_server.port))
    assert report.sent == 1
    [email] = smtp_server.messages
    assert email["To"] == "parent@example.com"
    assert email["From"] == "portal@council.example"
    assert email["Subject"] == "Confirm your email address"
    assert email.get_body(("plain",)).get_content().strip() == "Follow the link"
    assert email.get_body(("html",)).get_content().strip() == "<p>Follow the link</p>"
    row = db.query(OutboxMessage).one()
    assert row.status is OutboxStatus.SENT and row.sent_at is not None


def test_an_email_is_not_queued_when_its_transaction_rolls_back(db):
    queue_email(db, to="parent@example.com", subject="s", body_text="b", kind="test")
    db.rollback()
    assert db.query(OutboxMessage).count() == 0


def test_while_smtp_is_down_messages_wait_and_go_exactly_once_when_it_returns(db, smtp_server):
    queue(db, 2)
    smtp_server.stop()
    report = deliver_due(db, settings_for(smtp_server.port))
    assert (report.sent, report.retried) == (0, 2)
    rows = db.query(OutboxMessage).all()
    assert all(row.status is OutboxStatus.PENDING and row.attempts == 1 for row in rows)
    assert all(row.last_error == "ConnectionRefusedError" for row in rows)
    # Not due yet: the backoff holds them back.
    assert deliver_due(db, settings_for(smtp_server.port)).retried == 0
    for row in rows:
        row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.commit()
    smtp_server.start()
    assert deliver_due(db, settings_for(smtp_server.port)).sent == 2
    assert deliver_due(db, settings_for(smtp_server.port)).sent == 0
    assert sorted(m["To"] for m in smtp_server.messages) == ["person0@example.com", "person1@example.com"]


def test_a_message_is_given_up_after_the_last_attempt(db):
    from portal.outbox import MAX_ATTEMPTS

    queue(db)
    row = db.query(OutboxMessage).one()
    row.attempts = MAX_ATTEMPTS - 1
    db.commit()
    report = deliver_due(db, settings_for(1))
    assert report.failed == 1
    db.refresh(row)
    assert row.status is OutboxStatus.FAILED


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_its_lease(db, smtp_server):
    queue(db)
    row = db.query(OutboxMessage).one()
    row.status = OutboxStatus.SENDING
    row.claimed_until = utcnow() + timedelta(minutes=5)
    db.commit()
    assert deliver_due(db, settings_for(smtp_server.port)).sent == 0
    row.claimed_until = utcnow() - timedelta(seconds=1)
    db.commit()
    assert deliver_due(db, settings_for(smtp_server.port)).sent == 1


def test_backoff_grows_and_is_capped():
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert retry_delay(30) == timedelta(hours=6)


def test_two_workers_at_once_send_each_message_once(app, db, smtp_server):
    from portal import db as portal_db

    queue(db, 40)
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                deliver_due(portal_db.session(), settings_for(smtp_server.port), limit=25)
                deliver_due(portal_db.session(), settings_for(smtp_server.port), limit=25)
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    recipients = [m["To"] for m in smtp_server.messages]
    assert len(recipients) == 40
    assert len(set(recipients)) == 40
