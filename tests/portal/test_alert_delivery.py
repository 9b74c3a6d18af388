"""Alerts delivered by the worker: read from a real SMTP server (and the parent's inbox) after worker passes.

Triggered alerts fire once per submission of their form, never for other forms, never twice, never for
what happened before they existed or while they were off; withdrawal alerts carry no personal data;
scheduled alerts message the applicant once or list the right references once a day; several workers
at once, or a crash between steps, still deliver exactly once. On SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "citizen_portal"))
from application_helpers import (  # noqa: E402
    load_shipped_forms,
    make_child,
    make_parent,
    make_submitted_application,
    post_page,
    signed_in_client,
    text_of,
)
from helpers import sign_in_staff  # noqa: E402
from sqlalchemy import func, select, update  # noqa: E402

from portal.models import (  # noqa: E402
    Alert,
    AlertDelivery,
    AlertKind,
    Application,
    ApplicationStatus,
    Message,
    OutboxMessage,
    Role,
    ScheduledJob,
    StatusChange,
    utcnow,
)
from portal.services.alert_jobs import (  # noqa: E402
    AlertSpec,
    deliver_once,
    deliver_scheduled_alerts,
    deliver_triggered_alerts,
)
from portal.services.alerts import AlertDraft, create_alert, set_active  # noqa: E402
from portal.services.application_status import change_status  # noqa: E402
from portal.services.applications import start_draft  # noqa: E402
from portal.worker import run_pass  # noqa: E402

TEAM = ("early.years@council.example", "team.lead@council.example")
BASE_URL = "https://portal.example"
TODAY = date.today()
CHILD_DOB = date(TODAY.year - 2, 1, 15) if TODAY.month > 3 else date(TODAY.year - 3, 12, 15)
TWO_YEAR_OLD = "/apply/two_year_old_funding"
THIRTY_HOURS = "/apply/thirty_hours_check"


def worker_app(make_app, smtp_server, **config):
    return make_app(SMTP_PORT=smtp_server.port, PORTAL_BASE_URL=BASE_URL, **config)


def session_of(app):
    return app.extensions["db_sessionmaker"]()


def alert(db, kind: AlertKind, name: str = "New two-year-old applications", **fields) -> Alert:
    return create_alert(db, AlertDraft(name=name, kind=kind, **fields))


def email_alert(db, kind: AlertKind, name: str = "New two-year-old applications", **fields) -> Alert:
    return alert(db, kind, name, action="email_list", recipients="\n".join(TEAM), **fields)


def emails_to(smtp_server, address: str) -> list:
    return [m for m in smtp_server.messages if m["To"] == address]


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def make_jobs_due(db) -> None:
    """As if the jobs' intervals had passed: the next pass runs them again."""
    db.execute(update(ScheduledJob).values(next_run_at=utcnow() - timedelta(seconds=1)))
    db.commit()


def send_two_year_old_application(client, child_id: int) -> None:
    """The two-year-old form through its pages (a looked-after child: no evidence to upload)."""
    post_page(client, TWO_YEAR_OLD, {"child": str(child_id)})
    post_page(client, f"{TWO_YEAR_OLD}/parent", {
        "parent_title": "ms", "parent_first_name": "Sam", "parent_last_name": "Parent",
        "parent_date_of_birth-day": "27", "parent_date_of_birth-month": "3", "parent_date_of_birth-year": "1990",
        "parent_id_type": "ni", "parent_ni_number": "JG 10 37 59 A", "relationship_to_child": "mother",
        "parental_responsibility": "yes",
    })  # fmt: skip
    post_page(client, f"{TWO_YEAR_OLD}/address", {
        "address_line_1": "1 High Street", "address_town": "Northampton", "address_postcode": "nn1 1aa",
        "email": "parent@example.com", "phone": "01604 000000",
    })  # fmt: skip
    post_page(client, f"{TWO_YEAR_OLD}/child", {
        "child_first_name": "Ada", "child_last_name": "Parent", "child_date_of_birth-day": str(CHILD_DOB.day),
        "child_date_of_birth-month": str(CHILD_DOB.month), "child_date_of_birth-year": str(CHILD_DOB.year),
        "child_gender": "female", "child_first_language": "English",
    })  # fmt: skip
    post_page(client, f"{TWO_YEAR_OLD}/claim", {"claim_route": "non_economic"})
    post_page(client, f"{TWO_YEAR_OLD}/circumstances", {"non_economic_reason": "looked_after"})
    sent = post_page(client, f"{TWO_YEAR_OLD}/check", {"declarations": ["truthful", "checks", "changes"]})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/sent"), sent.get_data(as_text=True)


def send_thirty_hours_check(client, child_id: int) -> None:
    post_page(client, THIRTY_HOURS, {"child": str(child_id)})
    post_page(client, f"{THIRTY_HOURS}/code", {"eligibility_code": "50012345678", "parent_ni_number": "JG103759A"})
    post_page(client, f"{THIRTY_HOURS}/child", {
        "child_date_of_birth-day": "15", "child_date_of_birth-month": "3", "child_date_of_birth-year": "2024",
    })  # fmt: skip
    sent = post_page(client, f"{THIRTY_HOURS}/check", {"declarations": ["truthful"]})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/sent"), sent.get_data(as_text=True)


def reference_of(db, form_code: str) -> list[str]:
    db.expire_all()
    return list(
        db.scalars(
            select(Application.reference)
            .where(Application.form_code == form_code, Application.reference.is_not(None))
            .order_by(Application.id)
        )
    )


# --- triggered: a submission ----------------------------------------------------------------------------


def test_a_submission_alert_emails_the_list_once_per_submission_of_its_form_only(make_app, smtp_server):
    app = worker_app(make_app, smtp_server)
    db = session_of(app)
    load_shipped_forms(db)
    parent = make_parent(db)
    ada = make_child(db, parent, dob=CHILD_DOB)
    before = make_submitted_application(db, parent, ada, reference="2YO-BEFO-RE01")  # before the alert existed
    email_alert(db, AlertKind.SUBMITTED, form_code="two_year_old_funding")

    client = signed_in_client(app, parent.email)
    send_two_year_old_application(client, ada.id)
    send_thirty_hours_check(client, make_child(db, parent, forename="Bo", dob=date(2024, 3, 15)).id)
    make_submitted_application(db, parent, make_child(db, parent, forename="Cy"), reference="2YO-SECO-ND02")
    (sent_online,) = [
        r for r in reference_of(db, "two_year_old_funding") if r not in ("2YO-BEFO-RE01", "2YO-SECO-ND02")
    ]

    run_pass(app)  # the jobs find the submissions and queue the alerts
    run_pass(app)  # the next pass sends them
    for address in TEAM:
        received = emails_to(smtp_server, address)
        assert sorted(m["Subject"] for m in received) == sorted(
            f"New two-year-old applications: {reference}" for reference in (sent_online, "2YO-SECO-ND02")
        )
        for message in received:
            text = body(message)
            assert "An application for Apply for free childcare for 2-year-olds was submitted." in text
            assert re.search(rf"{BASE_URL}/admin/submissions/\d+", text)
            for personal in ("Sam", "Parent", "parent@example.com", "Ada", "NN1", "01604", "JG"):
                assert personal not in text, personal
        assert before.reference not in " ".join(m["Subject"] for m in received)
    assert not [m for m in smtp_server.messages if "30H-" in str(m["Subject"]) and m["To"] in TEAM]

    # Running the job again, even with its interval passed, sends nothing more.
    count = len(smtp_server.messages)
    make_jobs_due(db)
    run_pass(app)
    run_pass(app)
    assert len(smtp_server.messages) == count
    deliveries = db.scalars(select(AlertDelivery).order_by(AlertDelivery.id)).all()
    assert sorted(d.reference for d in deliveries) == sorted([sent_online, "2YO-SECO-ND02"])
    assert {d.recipient_count for d in deliveries} == {2}

    # The link in the email opens the submission in the staff area.
    staff = app.test_client()
    sign_in_staff(staff, db, role=Role.CASEWORKER, email="case@example.com")
    link = re.search(rf"{BASE_URL}(/admin/submissions/\d+)", body(emails_to(smtp_server, TEAM[0])[0])).group(1)
    page = staff.get(link).get_data(as_text=True)
    assert emails_to(smtp_server, TEAM[0])[0]["Subject"].split(": ")[1] in page
    db.close()


def test_a_resubmission_is_alerted_as_sent_again(make_app, smtp_server):
    app = worker_app(make_app, smtp_server)
    db = session_of(app)
    load_shipped_forms(db)
    parent = make_parent(db)
    application = make_submitted_application(db, parent, make_child(db, parent), reference="2YO-AGAI-N001")
    email_alert(db, AlertKind.SUBMITTED, form_code="two_year_old_funding")
    for status in (ApplicationStatus.IN_REVIEW, ApplicationStatus.MORE_INFORMATION_REQUESTED):
        change_status(db, application, status, actor_id=None)
    db.commit()
    assert deliver_triggered_alerts(db, base_url=BASE_URL) == 0  # asking for more information is not a submission
    change_status(db, application, ApplicationStatus.RESUBMITTED, actor_id=parent.id)
    db.commit()
    assert deliver_triggered_alerts(db, base_url=BASE_URL) == 1
    run_pass(app, jobs=[])
    (email,) = emails_to(smtp_server, TEAM[0])
    assert email["Subject"] == "New two-year-old applications: 2YO-AGAI-N001"
    assert "was sent again with the information asked for" in body(email)
    db.close()


def test_a_submission_alert_can_message_the_applicant_with_placeholders_filled_safely(make_app, smtp_server):
    app = worker_app(make_app, smtp_server)
    db = session_of(app)
    load_shipped_forms(db)
    parent = make_parent(db, forename="*Sam* [x](javascript:alert(1))", surname="<script>bad()</script>")
    alert(
        db, AlertKind.SUBMITTED, "What happens next", form_code="two_year_old_funding", action="message_applicant",
        subject="{{Forename}}, we have your application {{Reference}}",
        body_markdown="Dear {{Forename}} {{Surname}},\n\nWe will look at application **{{Reference}}** soon.",
    )  # fmt: skip
    make_submitted_application(db, parent, make_child(db, parent), reference="2YO-NEXT-STEP")
    run_pass(app)
    run_pass(app)
    (notification,) = emails_to(smtp_server, parent.email)
    assert notification["Subject"] == "New message about your application 2YO-NEXT-STEP"
    assert "You have a new message about your application 2YO-NEXT-STEP. Sign in to read it." in body(notification)
    assert "Sam" not in body(notification) and "look at" not in body(notification)
    (message,) = db.scalars(select(Message)).all()
    assert message.subject == "*Sam* [x](javascript:alert(1)), we have your application 2YO-NEXT-STEP"

    client = signed_in_client(app, parent.email)
    inbox = client.get("/messages").get_data(as_text=True)
    assert "we have your application 2YO-NEXT-STEP" in inbox
    page = client.get(f"/messages/{message.id}").get_data(as_text=True)
    assert "&lt;script&gt;bad()&lt;/script&gt;" in page and "<script>bad()" not in page
    assert 'href="javascript:' not in page
    assert "We will look at application **2YO-NEXT-STEP** soon." in text_of(page)  # messages are plain text
    db.close()


# --- triggered: a withdrawal ------------------------------------------------------------------------------


def withdraw_consent(app, email: str) -> None:
    client = signed_in_client(app, email)
    assert post_page(client, "/account/withdraw-consent/confirm", {}).headers["Location"] == "/consent-withdrawn"


def test_a_withdrawal_alert_emails_the_list_without_personal_data(make_app, smtp_server):
    app = worker_app(make_app, smtp_server)
    db = session_of(app)
    load_shipped_forms(db)
    earlier = make_parent(db, email="earlier@example.com", forename="Eve")
    withdraw_consent(app, earlier.email)  # before the alert existed: not alerted
    email_alert(db, AlertKind.CONSENT_WITHDRAWN, "Consent withdrawn")
    parent = make_parent(db, email="priya@example.com", forename="Priya", surname="Shah")
    parent.mobile_phone, parent.postcode = "07700 900982", "NN1 1AA"
    db.commit()
    make_submitted_application(db, parent, make_child(db, parent, forename="Ravi"), reference="2YO-WITH-DRAW")
    withdraw_consent(app, parent.email)
    run_pass(app)
    run_pass(app)
    for address in TEAM:
        (email,) = emails_to(smtp_server, address)
        assert email["Subject"] == f"Consent withdrawn: someone withdrew consent (account {parent.id})"
        text = body(email)
        assert f"Account reference: {parent.id}" in text
        assert "2YO-WITH-DRAW (Apply for free childcare for 2-year-olds)" in text
        assert re.search(rf"{BASE_URL}/admin/submissions/\d+", text)
        withdrawal = re.search(rf"{BASE_URL}(/admin/gdpr/withdrawals/\d+)", text)
        assert withdrawal, text  # where the council records what it decided
        for personal in ("Priya", "Shah", "priya@example.com", "07700", "NN1", "Ravi", "Eve", "earlier@"):
            assert personal not in text and personal not in email["Subject"], personal
    make_jobs_due(db)
    run_pass(app)
    run_pass(app)
    assert len(emails_to(smtp_server, TEAM[0])) == 1
    db.close()


# --- scheduled ------------------------------------------------------------------------------------------------


def test_a_drafts_expiring_alert_sends_the_applicant_a_template_message_once(make_app, smtp_server):
    app = worker_app(make_app, smtp_server, ALERTS_DAILY_HOUR=0)
    db = session_of(app)
    load_shipped_forms(db)
    parent = make_parent(db, forename="Siân", surname="O'Neill")
    child = make_child(db, parent, forename="Zoë", dob=CHILD_DOB)
    soon = start_draft(db, parent, "two_year_old_funding", child.id, expiry_days=28)
    later_parent = make_parent(db, email="later@example.com")
    later = start_draft(db, later_parent, "two_year_old_funding", make_child(db, later_parent).id, expiry_days=28)
    soon.expires_at = utcnow() + timedelta(days=2)
    later.expires_at = utcnow() + timedelta(days=10)
    db.commit()
    alert(
        db, AlertKind.DRAFTS_EXPIRING, "Drafts about to be deleted", days="3", action="message_applicant",
        subject="{{Forename}}, your application is not sent yet",
        body_markdown="Dear {{Title}} {{Surname}},\n\nYour application for {{ChildName}} will be deleted soon.",
    )  # fmt: skip
    run_pass(app)
    run_pass(app)

    def notifications(address: str) -> list:  # (the portal's own 7-day reminder goes too: not an alert)
        return [m for m in emails_to(smtp_server, address) if m["Subject"] == "New message about your application"]

    (notification,) = notifications(parent.email)
    assert body(notification).startswith(
        "You have a new message about an application you have not sent yet. Sign in to read it."
    )
    assert f"{BASE_URL}/messages" in body(notification) and "Zoë" not in body(notification)
    assert notifications("later@example.com") == []

    client = signed_in_client(app, parent.email)
    inbox = text_of(client.get("/messages").get_data(as_text=True))
    assert "Unread Siân, your application is not sent yet Not sent yet" in inbox
    (message,) = db.scalars(select(Message)).all()
    page = text_of(client.get(f"/messages/{message.id}").get_data(as_text=True))
    assert "About an application you have not sent yet" in page
    assert "Dear O'Neill," in page  # no title given: the placeholder is left empty
    assert "Your application for Zoë Parent will be deleted soon." in page
    assert "Continue your application" in page

    # Later passes, and the next day, send nothing more about this draft and this expiry date.
    make_jobs_due(db)
    run_pass(app)
    assert deliver_scheduled_alerts(db, base_url=BASE_URL, daily_hour=0, now=utcnow() + timedelta(days=1)) == 0
    run_pass(app, jobs=[])
    assert len(notifications(parent.email)) == 1
    assert db.scalar(select(func.count()).select_from(Message)) == 1

    # When the draft expires and is deleted, its message goes with it; the delivery is still listed.
    from portal.services.applications import delete_expired_drafts
    from portal.uploads import storage_from_config

    db.expire_all()  # (the worker's reminder moved the draft's row version on)
    assert delete_expired_drafts(db, storage_from_config(app.config), now=utcnow() + timedelta(days=3)) == 1
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Message)) == 0
    (delivery,) = db.scalars(select(AlertDelivery)).all()
    assert delivery.application_id is None and delivery.subject_key.startswith(f"draft:{soon.id}:")
    db.close()


def test_a_drafts_expiring_alert_for_staff_counts_them_by_form(make_app, smtp_server):
    app = worker_app(make_app, smtp_server, ALERTS_DAILY_HOUR=0)
    db = session_of(app)
    load_shipped_forms(db)
    for index in range(3):
        parent = make_parent(db, email=f"p{index}@example.com", forename="Private")
        draft = start_draft(db, parent, "two_year_old_funding", make_child(db, parent).id, expiry_days=28)
        draft.expires_at = utcnow() + timedelta(days=1 + index * 2)  # 1, 3 and 5 days
    db.commit()
    email_alert(db, AlertKind.DRAFTS_EXPIRING, "Drafts", days="3")
    run_pass(app)
    run_pass(app)
    (email,) = emails_to(smtp_server, TEAM[0])
    assert email["Subject"] == "Drafts: 2 unsent applications will be deleted within 3 days"
    assert "- Apply for free childcare for 2-year-olds: 2" in body(email) and "Private" not in body(email)
    db.close()


def test_a_waiting_alert_lists_the_right_references_once_a_day(make_app, smtp_server):
    app = worker_app(make_app, smtp_server, ALERTS_DAILY_HOUR=0)
    db = session_of(app)
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent)

    def received(reference: str, days_ago: int, status=ApplicationStatus.SUBMITTED, form="two_year_old_funding"):
        application = make_submitted_application(db, parent, child, reference=reference)
        application.submitted_at = utcnow() - timedelta(days=days_ago)
        application.status, application.form_code = status, form
        db.commit()

    received("2YO-WAIT-0012", 12)
    received("2YO-WAIT-0008", 8)
    received("2YO-WAIT-0030", 30, ApplicationStatus.IN_REVIEW)
    received("2YO-WAIT-0020", 20, ApplicationStatus.RESUBMITTED)
    received("2YO-DONE-0040", 40, ApplicationStatus.APPROVED)
    received("2YO-ASKD-0025", 25, ApplicationStatus.MORE_INFORMATION_REQUESTED)  # waiting for the parent
    received("30H-WAIT-0015", 15, form="thirty_hours_check")
    email_alert(db, AlertKind.AWAITING_DECISION, "Waiting too long", days="10")
    email_alert(db, AlertKind.AWAITING_DECISION, "Two-year-olds waiting", days="10", form_code="two_year_old_funding")
    run_pass(app)
    run_pass(app)

    def listed(subject_start: str) -> list[str]:
        (email,) = [m for m in emails_to(smtp_server, TEAM[0]) if m["Subject"].startswith(subject_start)]
        return re.findall(r"^- (\S+) ", body(email), re.M)

    assert listed("Waiting too long:") == ["2YO-WAIT-0030", "2YO-WAIT-0020", "30H-WAIT-0015", "2YO-WAIT-0012"]
    assert listed("Two-year-olds waiting:") == ["2YO-WAIT-0030", "2YO-WAIT-0020", "2YO-WAIT-0012"]
    subjects = sorted(m["Subject"] for m in emails_to(smtp_server, TEAM[0]))
    assert subjects == [
        "Two-year-olds waiting: 3 submissions have waited more than 10 days",
        "Waiting too long: 4 submissions have waited more than 10 days",
    ]
    text = body(emails_to(smtp_server, TEAM[0])[0])
    assert f"{BASE_URL}/admin/queue" in text and "Sam" not in text

    # Once a day: not again today, again tomorrow.
    assert deliver_scheduled_alerts(db, base_url=BASE_URL, daily_hour=0) == 0
    assert deliver_scheduled_alerts(db, base_url=BASE_URL, daily_hour=0, now=utcnow() + timedelta(days=1)) == 2
    db.close()


def test_scheduled_alerts_wait_for_the_daily_hour(make_app, db):
    from zoneinfo import ZoneInfo

    load_shipped_forms(db)
    parent = make_parent(db)
    make_submitted_application(db, parent, make_child(db, parent)).submitted_at = utcnow() - timedelta(days=20)
    db.commit()
    email_alert(db, AlertKind.AWAITING_DECISION, "Waiting", days="10")
    from datetime import datetime

    early = datetime.combine(TODAY, datetime.min.time().replace(hour=6, minute=59), ZoneInfo("Europe/London"))
    assert deliver_scheduled_alerts(db, base_url=BASE_URL, daily_hour=7, now=early) == 0
    assert deliver_scheduled_alerts(db, base_url=BASE_URL, daily_hour=7, now=early + timedelta(minutes=1)) == 1


# --- exactly once, off means off ---------------------------------------------------------------------------


def test_deactivated_alerts_do_nothing_and_start_from_now_when_turned_back_on(make_app, smtp_server):
    app = worker_app(make_app, smtp_server, ALERTS_DAILY_HOUR=0)
    db = session_of(app)
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent)
    submissions = email_alert(db, AlertKind.SUBMITTED, form_code="two_year_old_funding")
    waiting = email_alert(db, AlertKind.AWAITING_DECISION, "Waiting", days="1")
    set_active(db, submissions.id, False)
    set_active(db, waiting.id, False)
    make_submitted_application(db, parent, child, reference="2YO-WHIL-EOFF").submitted_at = utcnow() - timedelta(days=5)
    db.commit()
    run_pass(app)
    run_pass(app)
    assert emails_to(smtp_server, TEAM[0]) == []
    assert db.scalar(select(func.count()).select_from(AlertDelivery)) == 0

    set_active(db, submissions.id, True)  # from now: the submission made while it was off is not alerted
    make_submitted_application(db, parent, child, reference="2YO-AFTE-RON1")
    make_jobs_due(db)
    run_pass(app)
    run_pass(app)
    assert [m["Subject"] for m in emails_to(smtp_server, TEAM[0])] == ["New two-year-old applications: 2YO-AFTE-RON1"]
    db.close()


def test_an_alert_turned_off_during_a_pass_delivers_nothing_more(make_app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    created = email_alert(db, AlertKind.SUBMITTED, form_code="two_year_old_funding")
    make_submitted_application(db, parent, make_child(db, parent))
    spec = AlertSpec.of(created)  # read at the start of a pass...
    set_active(db, created.id, False)  # ...and turned off by an administrator meanwhile
    assert not deliver_once(db, spec, "status_change:1", lambda: None)
    assert db.scalar(select(func.count()).select_from(AlertDelivery)) == 0


@pytest.mark.parametrize("kind", [AlertKind.SUBMITTED, AlertKind.AWAITING_DECISION])
def test_two_workers_delivering_at_the_same_moment_deliver_once(make_app, kind):
    """Both read the same events before either writes (a barrier lines them up), bypassing the job claim:
    the unique delivery row alone decides, on SQLite and PostgreSQL."""
    app = make_app(ALERTS_DAILY_HOUR=0)
    db = session_of(app)
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent)
    if kind is AlertKind.SUBMITTED:
        email_alert(db, kind, form_code="two_year_old_funding")
    else:
        email_alert(db, kind, "Waiting", days="1")
        alert(db, kind, "Still waiting", days="1", action="message_applicant", subject="Still with us",
              body_markdown="We are still looking at {{Reference}}.")  # fmt: skip
    for index in range(5):
        made = make_submitted_application(db, parent, child, reference=f"2YO-RACE-{index:04d}")
        made.submitted_at = utcnow() - timedelta(days=3)
    db.commit()
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        session = session_of(app)
        try:
            barrier.wait()
            if kind is AlertKind.SUBMITTED:
                results.append(deliver_triggered_alerts(session, base_url=BASE_URL))
            else:
                results.append(deliver_scheduled_alerts(session, base_url=BASE_URL, daily_hour=0))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            session.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    db.expire_all()
    expected = 5 if kind is AlertKind.SUBMITTED else 1 + 5  # a summary, and a message per submission
    assert sum(results) == expected
    assert db.scalar(select(func.count()).select_from(AlertDelivery)) == expected
    alert_emails = db.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "alert"))
    assert alert_emails == (5 * len(TEAM) if kind is AlertKind.SUBMITTED else len(TEAM))
    if kind is AlertKind.AWAITING_DECISION:
        assert db.scalar(select(func.count()).select_from(Message)) == 5
    db.close()


def test_two_worker_passes_in_two_threads_send_each_alert_once(make_app, smtp_server):
    app = worker_app(make_app, smtp_server)
    db = session_of(app)
    load_shipped_forms(db)
    parent = make_parent(db)
    email_alert(db, AlertKind.SUBMITTED, form_code="two_year_old_funding")
    make_submitted_application(db, parent, make_child(db, parent), reference="2YO-TWOW-ORK1")

    def one_pass(barrier: threading.Barrier) -> None:
        barrier.wait()
        run_pass(app)

    for _round in range(2):  # the first pair queues the alerts, the second sends them
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=one_pass, args=(barrier,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        make_jobs_due(db)
    for address in TEAM:
        assert [m["Subject"] for m in emails_to(smtp_server, address)] == [
            "New two-year-old applications: 2YO-TWOW-ORK1"
        ]
    db.close()


def test_a_draft_deleted_before_its_message_goes_gets_none(make_app, db):
    from portal.services.alert_jobs import _message_applicant

    load_shipped_forms(db)
    parent = make_parent(db)
    created = alert(db, AlertKind.DRAFTS_EXPIRING, "Soon", days="3", action="message_applicant", subject="Hello",
                    body_markdown="Send it soon.")  # fmt: skip
    draft = start_draft(db, parent, "two_year_old_funding", make_child(db, parent).id, expiry_days=28)
    send = _message_applicant(db, AlertSpec.of(created), draft.id, BASE_URL)
    db.delete(draft)
    db.commit()
    assert not deliver_once(db, AlertSpec.of(created), f"draft:{draft.id}:x", send, application_id=None)
    assert db.scalar(select(func.count()).select_from(AlertDelivery)) == 0
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_crash_before_commit_leaves_nothing_and_the_next_pass_delivers(make_app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    created = email_alert(db, AlertKind.SUBMITTED, form_code="two_year_old_funding")
    make_submitted_application(db, parent, make_child(db, parent), reference="2YO-CRAS-HED1")
    change_id = db.scalar(select(func.max(StatusChange.id)))

    def crash() -> None:
        raise RuntimeError("the worker died here")

    with pytest.raises(RuntimeError):
        deliver_once(db, AlertSpec.of(created), f"status_change:{change_id}", crash)
    db.rollback()  # what the worker does with a failed job
    assert db.scalar(select(func.count()).select_from(AlertDelivery)) == 0
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert deliver_triggered_alerts(db, base_url=BASE_URL) == 1
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == len(TEAM)


def test_the_cursor_moves_over_settled_events_and_a_lost_cursor_sends_nothing_twice(make_app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    created = email_alert(db, AlertKind.SUBMITTED, form_code="two_year_old_funding")
    start = created.event_cursor
    make_submitted_application(db, parent, make_child(db, parent), reference="2YO-CURS-OR01")
    assert deliver_triggered_alerts(db, base_url=BASE_URL) == 1
    db.expire_all()
    assert db.get(Alert, created.id).event_cursor == start  # too young to pass: it is read again next time
    assert deliver_triggered_alerts(db, base_url=BASE_URL) == 0
    assert deliver_triggered_alerts(db, base_url=BASE_URL, now=utcnow() + timedelta(minutes=11)) == 0
    db.expire_all()
    latest = db.scalar(select(func.max(StatusChange.id)))
    assert db.get(Alert, created.id).event_cursor == latest
    # A crash after delivering but before moving the cursor: the events are read again, and skipped.
    db.execute(update(Alert).values(event_cursor=start))
    db.commit()
    assert deliver_triggered_alerts(db, base_url=BASE_URL, now=utcnow() + timedelta(minutes=11)) == 0
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == len(TEAM)
