"""Decisions through the web client: request more information, the parent amends and resubmits, the
caseworker sees the change and approves; stale and concurrent decisions."""

from __future__ import annotations

import re
import threading
from datetime import date

from account_helpers import body, deliver, emails_to
from application_helpers import (
    load_shipped_forms,
    location,
    make_child,
    make_parent,
    post_page,
    signed_in_client,
    text_of,
    tiny_pdf,
)
from helpers import csrf_token_from, page_title, sign_in_staff
from review_helpers import make_template, submitted
from sqlalchemy import func, select

import earlyyears
from portal.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    Decision,
    Message,
    OutboxMessage,
    ReviewDecision,
    StatusChange,
)

FORM = "/apply/two_year_old_funding"
TODAY = date.today()
CHILD_DOB = date(TODAY.year - 2, 1, 15) if TODAY.month > 3 else date(TODAY.year - 3, 12, 15)
PARENT_PAGE = {
    "parent_title": "ms", "parent_first_name": "Sam", "parent_last_name": "Parent",
    "parent_date_of_birth-day": "27", "parent_date_of_birth-month": "3", "parent_date_of_birth-year": "1990",
    "parent_id_type": "ni", "parent_ni_number": "JG 10 37 59 A", "relationship_to_child": "mother",
    "parental_responsibility": "yes",
}  # fmt: skip
ADDRESS_PAGE = {
    "address_line_1": "1 High Street", "address_town": "Northampton", "address_postcode": "nn1 1aa",
    "email": "parent@example.com", "phone": "01604 000000",
}  # fmt: skip


def parent_sends_an_application(app, db) -> tuple:
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent, dob=CHILD_DOB)
    client = signed_in_client(app, parent.email)
    post_page(client, FORM, {"child": str(child.id)})
    post_page(client, f"{FORM}/parent", PARENT_PAGE)
    post_page(client, f"{FORM}/address", ADDRESS_PAGE)
    post_page(
        client,
        f"{FORM}/child",
        {
            "child_first_name": "Ada", "child_last_name": "Parent", "child_date_of_birth-day": str(CHILD_DOB.day),
            "child_date_of_birth-month": str(CHILD_DOB.month), "child_date_of_birth-year": str(CHILD_DOB.year),
            "child_gender": "female", "child_first_language": "English",
        },
    )  # fmt: skip
    post_page(client, f"{FORM}/claim", {"claim_route": "non_economic"})
    post_page(client, f"{FORM}/circumstances", {"non_economic_reason": "looked_after"})
    sent = post_page(client, f"{FORM}/check", {"declarations": ["truthful", "checks", "changes"]})
    assert "/sent" in location(sent)
    application = db.scalars(select(Application).where(Application.user_id == parent.id)).one()
    return parent, client, application


def decide(staff, application_id: int, decision: str, **fields):
    """Open the decision page (the template filled in) and send it, changing `fields`."""
    url = f"/admin/submissions/{application_id}/decide/{decision}"
    page = staff.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "version": re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1),
        "template_id": re.search(r'id="template_id" name="template_id" type="hidden" value="(\d*)"', html).group(1),
        "subject": re.search(r'name="subject" type="text" value="([^"]*)"', html).group(1).replace("&#39;", "'"),
        "body": re.search(r'<textarea[^>]*name="body"[^>]*>\n?(.*?)</textarea>', html, re.S).group(1),
        "action": "send",
        **fields,
    }
    return staff.post(url, data=data), html


def test_request_more_information_amend_resubmit_and_approve(make_app, db, smtp_server):
    app = make_app(SMTP_PORT=smtp_server.port)
    parent, parent_client, application = parent_sends_an_application(app, db)
    parent.title = "Ms"
    db.commit()
    make_template(
        db, Decision.REQUEST_MORE_INFORMATION, "Need proof of address",
        "More information needed for {{Reference}}",
        "Dear {{Title}} {{Surname}},\n\nPlease check the address you gave for {{ChildName}}.",
    )  # fmt: skip
    make_template(
        db, Decision.APPROVE, "Approved", "Your application {{Reference}} is approved",
        "Dear {{Forename}},\n\n{{ChildName}} can start from {{FundingStart}}.",
    )  # fmt: skip
    staff = app.test_client()
    sign_in_staff(staff, db)

    queue = staff.get("/admin/queue").get_data(as_text=True)
    assert application.reference in queue
    page = staff.get(f"/admin/submissions/{application.id}").get_data(as_text=True)
    assert "Which of these applies to your child?" in page  # the question as the parent saw it
    assert "Looked after by a local council" in page

    sent, form_html = decide(staff, application.id, "request_more_information", open_groups=["address"])
    assert f"More information needed for {application.reference}" in form_html
    assert "Dear Ms Parent," in form_html and "Please check the address you gave for Ada Parent." in form_html
    assert sent.status_code == 302, sent.get_data(as_text=True)

    deliver(app)
    [email] = [m for m in emails_to(smtp_server, parent.email) if "New message" in m["Subject"]]
    assert application.reference in body(email)

    mine = parent_client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "We need more information" in mine and "Please check the address you gave for Ada Parent." in mine
    overview = parent_client.get(f"/applications/{application.id}/amend")
    assert overview.status_code == 200
    assert "Please check the address you gave for Ada Parent." in text_of(overview.get_data(as_text=True))
    assert parent_client.get(f"/applications/{application.id}/amend/claim").status_code == 404  # not opened up
    changed = post_page(
        parent_client,
        f"/applications/{application.id}/amend/address",
        {**ADDRESS_PAGE, "address_line_1": "2 Mill Lane"},
    )
    assert location(changed) == f"/applications/{application.id}/amend"
    overview_html = parent_client.get(f"/applications/{application.id}/amend").get_data(as_text=True)
    import io

    added = parent_client.post(
        f"/applications/{application.id}/amend/evidence",
        data={"csrf_token": csrf_token_from(overview_html), "evidence": (io.BytesIO(tiny_pdf()), "tenancy.pdf")},
        content_type="multipart/form-data",
    )
    assert added.status_code == 302
    resubmitted = post_page(parent_client, f"/applications/{application.id}/amend", {})
    assert location(resubmitted).startswith(f"/applications/{application.id}")

    db.expire_all()
    assert db.get(Application, application.id).status is ApplicationStatus.RESUBMITTED
    queue = staff.get("/admin/queue?status=resubmitted").get_data(as_text=True)
    assert application.reference in queue
    page = staff.get(f"/admin/submissions/{application.id}").get_data(as_text=True)
    assert "What the parent changed" in page
    assert "<del>1 High Street" in page and '<ins class="app-changed">2 Mill Lane' in page
    assert "app-changed-row" in page and "tenancy.pdf" in page

    approved, approve_html = decide(staff, application.id, "approve")
    assert approved.status_code == 302
    start = earlyyears.funding_start_date(CHILD_DOB, 2)
    from earlyyears.formatting import format_date

    assert f"Ada Parent can start from {format_date(start)}." in approve_html
    decision = db.scalars(select(ReviewDecision).where(ReviewDecision.decision == Decision.APPROVE)).one()
    assert decision.funding_start == start
    assert decision.eligibility_reference_expires == earlyyears.eligibility_reference_expires(TODAY)
    mine = text_of(parent_client.get(f"/applications/{application.id}").get_data(as_text=True))
    assert "Approved" in mine and decision.eligibility_reference in mine
    assert f"can start from {format_date(start)}" in mine
    assert f"must check it by {format_date(decision.eligibility_reference_expires)}" in mine
    actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(application.id))))
    assert {"submission_viewed", "decision_made", "message_sent", "application_resubmitted"} <= actions


def test_a_decision_on_a_stale_version_is_refused_with_who_and_when(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    _parent, _child, [application] = submitted(db, 1)
    first, second = app.test_client(), app.test_client()
    sign_in_staff(first, db)
    sign_in_staff(second, db, email="ali@example.com", forename="Ali", surname="Khan")
    second_page = second.get(f"/admin/submissions/{application.id}/decide/reject").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', second_page).group(1)
    assert decide(first, application.id, "approve", subject="Approved", body="Approved")[0].status_code == 302
    refused = second.post(
        f"/admin/submissions/{application.id}/decide/reject",
        data={"csrf_token": csrf_token_from(second_page), "version": version, "subject": "No", "body": "No",
              "action": "send"},
    )  # fmt: skip
    assert refused.status_code == 409
    when = db.scalars(select(StatusChange.at).order_by(StatusChange.id.desc())).first()
    from zoneinfo import ZoneInfo

    expected = (
        f"This application was updated by Jane Smith at {when.astimezone(ZoneInfo('Europe/London')):%H:%M}. "
        "Review the changes before deciding."
    )
    assert expected in text_of(refused.get_data(as_text=True))
    db.expire_all()
    assert db.get(Application, application.id).status is ApplicationStatus.APPROVED
    assert db.scalar(select(func.count()).select_from(ReviewDecision)) == 1


def test_two_caseworkers_deciding_at_the_same_moment_make_one_decision(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    _parent, _child, [application] = submitted(db, 1)
    clients = [app.test_client(), app.test_client()]
    sign_in_staff(clients[0], db)
    sign_in_staff(clients[1], db, email="ali@example.com", forename="Ali", surname="Khan")
    url = f"/admin/submissions/{application.id}/decide/"
    forms = []
    for client, decision in zip(clients, ("approve", "reject"), strict=True):
        html = client.get(url + decision).get_data(as_text=True)
        version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
        forms.append({"csrf_token": csrf_token_from(html), "version": version, "subject": decision, "body": decision,
                      "action": "send"})  # fmt: skip
    barrier = threading.Barrier(2)
    responses = [None, None]

    def send(index: int) -> None:
        barrier.wait()
        responses[index] = clients[index].post(url + ("approve", "reject")[index], data=forms[index])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409], [
        re.findall(r"app-stale-message\">([^<]*)", r.get_data(as_text=True)) for r in responses
    ]
    refused = next(r for r in responses if r.status_code == 409)
    assert "Review the changes before deciding." in text_of(refused.get_data(as_text=True))
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(ReviewDecision)) == 1
    assert db.scalar(select(func.count()).select_from(Message)) == 1
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    status = db.get(Application, application.id).status
    assert status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)


def test_notes_are_staff_only_and_the_audit_trail_is_for_administrators(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    parent, _child, [application] = submitted(db, 1)
    staff = app.test_client()
    sign_in_staff(staff, db)
    page = staff.get(f"/admin/submissions/{application.id}").get_data(as_text=True)
    empty = staff.post(f"/admin/submissions/{application.id}/notes", data={"csrf_token": csrf_token_from(page)})
    assert page_title(empty.get_data(as_text=True)).startswith("Error:")
    staff.post(
        f"/admin/submissions/{application.id}/notes",
        data={"csrf_token": csrf_token_from(page), "body": "Phoned the parent <b>today</b>"},
    )
    page = staff.get(f"/admin/submissions/{application.id}").get_data(as_text=True)
    assert "Phoned the parent &lt;b&gt;today&lt;/b&gt;" in page
    assert staff.get(f"/admin/submissions/{application.id}/audit").status_code == 403  # a caseworker
    parent_client = signed_in_client(app, parent.email)
    assert "Phoned the parent" not in parent_client.get(f"/applications/{application.id}").get_data(as_text=True)
    admin = app.test_client()
    from portal.models import Role

    sign_in_staff(admin, db, role=Role.ADMIN, email="admin@example.com", forename="Ada", surname="Admin")
    trail = text_of(admin.get(f"/admin/submissions/{application.id}/audit").get_data(as_text=True))
    assert "Submission viewed" in trail and "Note added" in trail and "Jane Smith" in trail
