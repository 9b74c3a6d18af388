"""Consent history and subject access in the admin area: an administrator finds a parent's account,
sees every agreement and withdrawal, and exports everything held about it as JSON and as PDF. The
export holds every kind of record about that family and nothing of another's; reading it costs one
query per table however much there is; exporting is audited."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

from account_helpers import submit as account_submit
from application_helpers import load_shipped_forms, make_child, make_submitted_application, make_upload, text_of
from gdpr_helpers import post_statement
from helpers import admin_client, count_queries, error_summary, make_user, page_title, sign_in, sign_in_staff
from pypdf import PdfReader
from sqlalchemy import select

from portal.models import (
    ApplicationStatus,
    AuditEvent,
    Decision,
    InformationRequest,
    Message,
    MessageDirection,
    ReviewDecision,
    ReviewNote,
    Role,
    StatusChange,
    User,
    utcnow,
)
from portal.services import consent_admin
from portal.services.messages import send_to_parent


def make_family(app, db, caseworker: User, *, email: str, forename: str, surname: str, child: str, prefix: str,
                applications: int = 1):  # fmt: skip
    """A parent with a child, sent applications each with every kind of record a caseworker leaves."""
    parent = make_user(db, email=email, forename=forename, surname=surname)
    parent.mobile_phone = "07700 900" + str(len(surname)).zfill(3)
    db.commit()
    kid = make_child(db, parent, forename=child)
    made = []
    for index in range(applications):
        application = make_submitted_application(db, parent, kid, reference=f"2YO-{prefix}-{index:04d}")
        make_upload(db, app, application, filename=f"{prefix.lower()}-letter-{index}.pdf")
        db.add(StatusChange(application_id=application.id, from_status=ApplicationStatus.SUBMITTED,
                            to_status=ApplicationStatus.IN_REVIEW, actor_id=caseworker.id,
                            message=f"Checking {prefix}"))  # fmt: skip
        application.status = ApplicationStatus.IN_REVIEW
        db.add(ReviewNote(application_id=application.id, author_id=caseworker.id, body=f"Note about {prefix}"))
        db.add(InformationRequest(application_id=application.id, requested_by_id=caseworker.id,
                                  message=f"Please send the {prefix} letter"))  # fmt: skip
        db.add(ReviewDecision(application_id=application.id, decision=Decision.APPROVE, decided_by_id=caseworker.id,
                              on_version=1, funding_start=date(2026, 9, 1),
                              eligibility_reference=f"EL{prefix}{index:04d}"))  # fmt: skip
        db.add(Message(application_id=application.id, user_id=parent.id, direction=MessageDirection.FROM_PARENT,
                       sender_id=parent.id, subject=f"Reply from {prefix}", body=f"My {prefix} reply"))  # fmt: skip
        db.commit()
        send_to_parent(db, application, subject=f"About {prefix}", body=f"Dear {forename}, thank you",
                       sender_id=caseworker.id, base_url="http://portal.example")  # fmt: skip
        made.append(application)
    return parent, kid, made


def two_families(app, db):
    caseworker = make_user(db, role=Role.CASEWORKER, email="case@example.com", forename="Jane", surname="Smith")
    load_shipped_forms(db)
    ours = make_family(app, db, caseworker, email="siân@example.com", forename="Siân", surname="Nguyễn",
                       child="Zoë", prefix="SARA")  # fmt: skip
    theirs = make_family(app, db, caseworker, email="other@example.com", forename="Olwen", surname="Otherfamily",
                         child="Bryn", prefix="OTHR")  # fmt: skip
    return caseworker, ours, theirs


def test_the_export_holds_every_kind_of_record_of_one_family_and_nothing_of_another(make_app, db):
    app = make_app(SIGN_IN_ADDRESS_LIMIT="100 per minute")
    caseworker, (parent, child, (application,)), _ = two_families(app, db)
    admin = admin_client(app, db)

    # Activity on the account: a sign-in, a new statement agreed to, a caseworker opening the submission.
    parent_client = app.test_client()
    sign_in(parent_client, "siân@example.com")
    post_statement(admin, "/admin/gdpr/statements/new", publish_on=consent_admin.london_date(utcnow()))
    assert account_submit(parent_client, "/consent/new", {"agree": "y", "statement_version": "2"}).status_code == 302
    worker = app.test_client()
    sign_in_staff(worker, db, email="case@example.com")
    assert worker.get(f"/admin/submissions/{application.id}").status_code == 200

    # Finding the account.
    search = admin.get("/admin/gdpr/people?q=SIÂN@").get_data(as_text=True)
    assert page_title(search).startswith("Consent history and subject access")
    assert "1 account found" in text_of(search) and "Siân Nguyễn" in search and "Otherfamily" not in search
    by_reference = text_of(admin.get(f"/admin/gdpr/people?q={parent.id}").get_data(as_text=True))
    assert "Siân Nguyễn" in by_reference

    history = admin.get(f"/admin/gdpr/people/{parent.id}").get_data(as_text=True)
    assert page_title(history).startswith(f"Consent history: account {parent.id}")
    assert re.search(r"Agreed 2 .*Agreed 1", text_of(history))
    assert f'href="/admin/gdpr/people/{parent.id}/subject-access"' in history

    page = admin.get(f"/admin/gdpr/people/{parent.id}/subject-access").get_data(as_text=True)
    assert page_title(page).startswith(f"Subject access: account {parent.id}")
    assert "sara-letter-0.pdf" in page and "othr-letter" not in page
    assert f'href="/admin/gdpr/people/{parent.id}/subject-access.pdf"' in page

    response = admin.get(f"/admin/gdpr/people/{parent.id}/subject-access.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert f"subject-access-{parent.id}-" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    raw = response.get_data(as_text=True)
    export = json.loads(raw)

    assert export["about_this_export"]["account_reference"] == parent.id
    account = export["account"]
    assert (account["forename"], account["surname"], account["email"]) == ("Siân", "Nguyễn", "siân@example.com")
    assert account["mobile_phone"].startswith("07700")
    assert [c["forename"] for c in export["children"]] == ["Zoë"]
    (sent,) = export["applications"]
    assert sent["reference"] == "2YO-SARA-0000" and sent["status"] == "In review"
    assert sent["answers"]["claim_route"] == "non_economic"
    assert sent["answers_as_sent"]["sections"][0]["rows"][0]["lines"] == ["Because of my child's circumstances"]
    assert [c["to"] for c in sent["status_history"]] == ["Submitted", "In review"]
    assert sent["status_history"][1]["by"] == "Jane Smith (council staff)"
    assert sent["status_history"][0]["by"] == "the account holder"
    assert {m["subject"] for m in sent["messages"]} == {"Reply from SARA", "About SARA"}
    (upload,) = sent["uploads"]
    assert upload["file_name"] == "sara-letter-0.pdf" and upload["size_bytes"] > 0 and upload["uploaded_at"]
    assert [n["note"] for n in sent["staff_notes"]] == ["Note about SARA"]
    assert sent["decisions"][0]["eligibility_reference"] == "ELSARA0000"
    assert sent["information_requests"][0]["message"] == "Please send the SARA letter"
    assert [(c["action"], c["statement_version"]) for c in export["consent_history"]] == [("agreed", 2), ("agreed", 1)]
    assert export["announcements_dismissed"] == []
    assert any(e["subject"] == "New message about your application 2YO-SARA-0000" for e in export["emails_sent"])
    assert [e["action"] for e in export["sign_in_records"]] == ["sign_in"]
    assert export["sessions"] and export["sessions"][0]["started_at"]
    actions = {e["action"] for e in export["audit_events"]}
    assert {"consent_agreed", "message_sent", "submission_viewed"} <= actions
    viewed = next(e for e in export["audit_events"] if e["action"] == "submission_viewed")
    assert viewed["by"] == "Jane Smith (council staff)" and viewed["client_address"] is None

    for other in ("Olwen", "Otherfamily", "other@example.com", "Bryn", "OTHR", "oth-letter"):
        assert other not in raw, other
    assert "password" not in raw and "totp" not in raw  # secrets are never part of it

    pdf = admin.get(f"/admin/gdpr/people/{parent.id}/subject-access.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment;") and "no-store" in pdf.headers["Cache-Control"]
    reader = PdfReader(io.BytesIO(pdf.data))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Siân Nguyễn" in text and "2YO-SARA-0000" in text and "Zoë" in text
    assert "sara-letter-0.pdf" in text and "Note about SARA" in text
    assert "Olwen" not in text and "OTHR" not in text

    exports = db.scalars(select(AuditEvent).where(AuditEvent.action == "gdpr.subject_access_exported")).all()
    assert [(e.details["format"], e.object_id) for e in exports] == [("json", str(parent.id)), ("pdf", str(parent.id))]
    again = json.loads(admin.get(f"/admin/gdpr/people/{parent.id}/subject-access.json").get_data(as_text=True))
    assert {"gdpr.subject_access_exported"} <= {e["action"] for e in again["audit_events"]}


def test_reading_the_export_costs_one_query_per_table_however_much_there_is(make_app, db):
    app = make_app()
    caseworker = make_user(db, role=Role.CASEWORKER, email="case@example.com", forename="Jane", surname="Smith")
    load_shipped_forms(db)
    small, _, _ = make_family(app, db, caseworker, email="small@example.com", forename="Sam", surname="Small",
                              child="Ada", prefix="SMAL")  # fmt: skip
    large, _, _ = make_family(app, db, caseworker, email="large@example.com", forename="Lee", surname="Large",
                              child="Bo", prefix="LARG", applications=4)  # fmt: skip
    admin = admin_client(app, db)
    admin.get(f"/admin/gdpr/people/{small.id}/subject-access.json")
    counts = {}
    for user in (small, large):
        for kind in ("json", "pdf"):
            with count_queries(app) as queries:
                assert admin.get(f"/admin/gdpr/people/{user.id}/subject-access.{kind}").status_code == 200
            counts[(user.id, kind)] = len(queries)
    assert counts[(small.id, "json")] == counts[(large.id, "json")]
    assert counts[(small.id, "pdf")] == counts[(large.id, "pdf")]
    large_export = json.loads(admin.get(f"/admin/gdpr/people/{large.id}/subject-access.json").get_data(as_text=True))
    assert len(large_export["applications"]) == 4


def test_a_search_that_finds_nothing_says_so_and_bad_searches_are_refused(make_app, db):
    app = make_app()
    make_user(db, email="parent@example.com")
    admin = admin_client(app, db)
    start = admin.get("/admin/gdpr/people").get_data(as_text=True)
    assert error_summary(start) == [] and "No accounts found" not in start
    nothing = text_of(admin.get("/admin/gdpr/people?q=nobody-here").get_data(as_text=True))
    assert "No accounts found" in nothing and "‘nobody-here’" in nothing
    staff = text_of(admin.get("/admin/gdpr/people?q=admin@example.com").get_data(as_text=True))
    assert "No accounts found" in staff  # staff accounts are not parents' records
    wildcard = text_of(admin.get("/admin/gdpr/people?q=%25").get_data(as_text=True))
    assert "No accounts found" in wildcard  # % is a character searched for, not a wildcard
    refusals = (
        ("", "Enter an email address or account reference"),
        ("   ", "Enter an email address or account reference"),
        ("x" * 321, "Email address or account reference must be 320 characters or fewer"),
    )
    for query, message in refusals:
        html = admin.get("/admin/gdpr/people", query_string={"q": query}).get_data(as_text=True)
        assert page_title(html).startswith("Error:") and error_summary(html) == [message], query
    for odd in ("?q=%00", "?q=99999999999999999999999", "?q=<script>", "?q=1&q=2"):
        assert admin.get("/admin/gdpr/people" + odd).status_code == 200, odd


def test_staff_accounts_and_unknown_ids_are_not_found(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    staff = db.scalars(select(User).where(User.role == Role.ADMIN)).one()
    for url in (f"/admin/gdpr/people/{staff.id}", f"/admin/gdpr/people/{staff.id}/subject-access.json",
                "/admin/gdpr/people/999999/subject-access.pdf", "/admin/gdpr/people/999999/subject-access",
                "/admin/gdpr/people/abc", "/admin/gdpr/people/2147483648/subject-access.json",
                "/admin/gdpr/people/99999999999999999999"):  # fmt: skip
        assert admin.get(url).status_code == 404, url
    assert db.scalar(select(AuditEvent.id).where(AuditEvent.action == "gdpr.subject_access_exported")) is None


def test_a_withdrawn_account_is_found_and_exported_with_its_withdrawal(make_app, db):
    from portal.config import AccountSettings
    from portal.services import consent

    app = make_app()
    parent = make_user(db, email="gone@example.com", forename="Gwen", surname="Gone")
    consent.withdraw(db, parent, "192.0.2.9", AccountSettings.from_config(app.config))
    admin = admin_client(app, db)
    found = text_of(admin.get("/admin/gdpr/people?q=gone@").get_data(as_text=True))
    assert "Gwen Gone" in found and "Closed" in found
    history = admin.get(f"/admin/gdpr/people/{parent.id}").get_data(as_text=True)
    assert re.search(r'href="/admin/gdpr/withdrawals/\d+">Withdrew', history)
    export = json.loads(admin.get(f"/admin/gdpr/people/{parent.id}/subject-access.json").get_data(as_text=True))
    assert export["account"]["status"] == "closed"
    assert [c["action"] for c in export["consent_history"]] == ["withdrawn", "agreed"]
    assert export["consent_history"][0]["client_address"] == "192.0.2.9"
    assert export["applications"] == [] and export["children"] == []
    pdf = admin.get(f"/admin/gdpr/people/{parent.id}/subject-access.pdf")
    assert "Gwen Gone" in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert timedelta(0) <= utcnow() - db.get(User, parent.id).created_at
