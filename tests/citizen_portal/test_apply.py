"""The form runner through the web client: the two-year-old application from the home page to sending it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from application_helpers import (
    SHIPPED,
    elf_executable,
    load_shipped_forms,
    location,
    make_child,
    make_parent,
    post_page,
    signed_in_client,
    text_of,
    tiny_pdf,
    tiny_png,
)
from helpers import csrf_token_from, error_summary, page_title
from sqlalchemy import select

from portal.models import Application, ApplicationStatus, Child, StatusChange, Upload
from portal.outbox import SmtpSettings, deliver_due

FORM = "/apply/two_year_old_funding"
TODAY = date.today()
CHILD_DOB = date(TODAY.year - 2, 1, 15) if TODAY.month > 3 else date(TODAY.year - 3, 12, 15)

PARENT_PAGE = {
    "parent_title": "ms",
    "parent_first_name": "Sam",
    "parent_last_name": "Parent",
    "parent_date_of_birth-day": "27",
    "parent_date_of_birth-month": "3",
    "parent_date_of_birth-year": "1990",
    "parent_id_type": "ni",
    "parent_ni_number": "JG 10 37 59 A",
    "relationship_to_child": "mother",
    "parental_responsibility": "yes",
}
ADDRESS_PAGE = {
    "address_line_1": "1 High Street",
    "address_town": "Northampton",
    "address_postcode": "nn1 1aa",
    "email": "parent@example.com",
    "phone": "01604 000000",
}


@pytest.fixture
def family(app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent, dob=CHILD_DOB)
    return parent, child


def start(client, child_id: int) -> str:
    response = post_page(client, FORM, {"child": str(child_id)})
    assert response.status_code == 302
    return location(response)


def answer_to_claim_page(client, child_id: int) -> None:
    assert start(client, child_id) == f"{FORM}/parent"
    assert location(post_page(client, f"{FORM}/parent", PARENT_PAGE)) == f"{FORM}/address"
    assert location(post_page(client, f"{FORM}/address", ADDRESS_PAGE)) == f"{FORM}/child"
    # The child page is pre-filled from the child record: Continue with only the missing answer.
    page = client.get(f"{FORM}/child").get_data(as_text=True)
    assert 'value="Ada"' in page and f'value="{CHILD_DOB.year}"' in page
    response = post_page(
        client,
        f"{FORM}/child",
        {
            "child_first_name": "Ada",
            "child_last_name": "Parent",
            "child_date_of_birth-day": str(CHILD_DOB.day),
            "child_date_of_birth-month": str(CHILD_DOB.month),
            "child_date_of_birth-year": str(CHILD_DOB.year),
            "child_gender": "female",
            "child_first_language": "English",
        },
    )
    assert location(response) == f"{FORM}/claim"


def test_the_two_year_old_application_from_the_home_page_to_the_confirmation_email(make_app, smtp_server, tmp_path):
    app = make_app(SMTP_PORT=smtp_server.port)
    db = app.extensions["db_sessionmaker"]()
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent, dob=CHILD_DOB)
    client = signed_in_client(app, "parent@example.com")

    home = client.get("/").get_data(as_text=True)
    assert "Apply for free childcare for 2-year-olds" in home
    assert f'href="{FORM}"' in home and "Start" in home

    answer_to_claim_page(client, child.id)

    # The first page checks what it is given, with a GOV.UK error summary linked to the fields.
    page = client.get(f"{FORM}/claim").get_data(as_text=True)
    assert "Page 4 of" in page
    empty = post_page(client, f"{FORM}/claim", {})
    assert page_title(empty.get_data(as_text=True)).startswith("Error: ")
    assert error_summary(empty.get_data(as_text=True)) == ["Select why you are applying"]
    assert 'href="#claim_route"' in empty.get_data(as_text=True)

    # Economic route: benefits, then income.
    assert location(post_page(client, f"{FORM}/claim", {"claim_route": "economic"})) == f"{FORM}/benefits"
    assert location(post_page(client, f"{FORM}/benefits", {"benefit": "universal_credit"})) == f"{FORM}/income"
    back = client.get(f"{FORM}/income").get_data(as_text=True)
    assert f'href="{FORM}/benefits"' in back  # the Back link
    post_page(client, f"{FORM}/income", {"universal_credit_income": "12000"})

    # Going back, the answer is kept; changing it hides the benefit and income pages and drops their answers.
    claim = client.get(f"{FORM}/claim").get_data(as_text=True)
    assert 'value="economic" checked' in claim
    assert location(post_page(client, f"{FORM}/claim", {"claim_route": "non_economic"})) == f"{FORM}/circumstances"
    draft = db.scalars(select(Application)).one()
    assert "benefit" not in draft.answers and "universal_credit_income" not in draft.answers
    assert client.get(f"{FORM}/benefits").status_code == 404

    assert location(post_page(client, f"{FORM}/circumstances", {"non_economic_reason": "dla"})) == f"{FORM}/evidence"

    # Leave and come back: the draft keeps its answers and says when it expires.
    saved = post_page(client, f"{FORM}/evidence", {"action": "save"}, follow=True)
    expires = (date.today() + timedelta(days=28)).strftime("%B %Y")
    assert "Your application has been saved" in saved.get_data(as_text=True)
    assert expires in saved.get_data(as_text=True)
    client = signed_in_client(app, "parent@example.com")
    home = client.get("/").get_data(as_text=True)
    assert "Continue" in home
    assert start(client, child.id) == f"{FORM}/evidence"

    # Uploads: a renamed program, an oversized file and an empty file are refused; a PDF and a PNG are kept.
    evidence = f"{FORM}/evidence"
    refused = post_page(client, evidence, {"action": "add"}, files={"evidence_file": ("letter.pdf", elf_executable())})
    assert error_summary(refused.get_data(as_text=True)) == ["The selected file must be a PDF, Word document or image"]
    big = tiny_pdf() + b"0" * (10 * 1024 * 1024)
    refused = post_page(client, evidence, {"action": "add"}, files={"evidence_file": ("big.pdf", big)})
    assert error_summary(refused.get_data(as_text=True)) == ["The selected file must be smaller than 10MB"]
    refused = post_page(client, evidence, {"action": "add"}, files={"evidence_file": ("empty.pdf", b"")})
    assert error_summary(refused.get_data(as_text=True)) == ["The selected file is empty"]
    assert db.scalars(select(Upload)).all() == []

    nothing = post_page(client, evidence, {"action": "continue"})
    assert error_summary(nothing.get_data(as_text=True)) == ["Add at least 1 document"]

    added = post_page(client, evidence, {"action": "add"}, files={"evidence_file": ("DLA letter.pdf", tiny_pdf())})
    assert location(added) == evidence
    post_page(client, evidence, {"action": "add"}, files={"evidence_file": ("photo.png", tiny_png())})
    page = client.get(evidence).get_data(as_text=True)
    assert "You have added 2 documents" in page
    assert "DLA letter.pdf" in page and "photo.png" in page
    # Remove the photo before sending: its row and its file go.
    removed = client.post(f"{evidence}/remove/1", data={"csrf_token": csrf_token_from(page)})
    assert location(removed) == evidence
    uploads = db.scalars(select(Upload)).all()
    assert [u.original_filename for u in uploads] == ["DLA letter.pdf"]

    assert location(post_page(client, evidence, {"action": "continue"})) == f"{FORM}/check"

    # Check your answers: every page's answers with Change links, and what the rules say.
    check = client.get(f"{FORM}/check").get_data(as_text=True)
    assert page_title(check).startswith("Check your answers before sending your application")
    assert f'href="{FORM}/claim?change=1#claim_route"' in check
    assert "Based on your answers, your child may be eligible" in text_of(check)
    assert "DLA letter.pdf" in check

    # A Change link comes back to the summary after Continue.
    assert location(post_page(client, f"{FORM}/address?change=1", {**ADDRESS_PAGE, "change": "1"})) == f"{FORM}/check"

    # Every declaration must be ticked.
    unticked = post_page(client, f"{FORM}/check", {"declarations": ["truthful"]})
    assert error_summary(unticked.get_data(as_text=True)) == [
        "Confirm that you understand the council will check your information",
        "Confirm that you will tell the council if your circumstances change",
    ]
    sent = post_page(client, f"{FORM}/check", {"declarations": ["truthful", "checks", "changes"]})
    db.expire_all()
    application = db.scalars(select(Application)).one()
    assert location(sent) == f"/applications/{application.id}/sent"
    assert application.status is ApplicationStatus.SUBMITTED
    assert application.reference.startswith("2YO-")
    confirmation = client.get(location(sent)).get_data(as_text=True)
    assert application.reference in confirmation

    # The frozen answers carry the question texts as shown.
    sections = {s["group"]: s for s in application.submitted_summary["sections"]}
    assert sections["circumstances"]["rows"][0]["label"] == "Which of these applies to your child?"
    assert sections["circumstances"]["rows"][0]["lines"] == ["Gets Disability Living Allowance"]
    assert db.scalars(select(StatusChange.to_status)).all() == [ApplicationStatus.SUBMITTED]

    # The confirmation email goes through the outbox, with the reference and no case detail.
    deliver_due(db, SmtpSettings.from_config(app.config))
    assert len(smtp_server.messages) == 1
    email = smtp_server.messages[0]
    body = email.get_content()
    assert application.reference in email["Subject"] and application.reference in body
    assert "Disability" not in body and "Ada" not in body

    home = client.get("/").get_data(as_text=True)
    assert application.reference in home and "Submitted" in home
    db.close()


def test_a_page_that_hides_on_a_changed_answer_is_skipped_by_continue(client, db, family):
    parent, child = family
    client = signed_in_client(client.application, parent.email)
    answer_to_claim_page(client, child.id)
    assert location(post_page(client, f"{FORM}/claim", {"claim_route": "other_council"})) == f"{FORM}/other_council"
    page = client.get(f"{FORM}/other_council").get_data(as_text=True)
    assert "Page 5 of 6" in page


def test_the_child_record_changes_only_when_the_application_is_sent(client, db, family):
    parent, child = family
    client = signed_in_client(client.application, parent.email)
    answer_to_claim_page(client, child.id)
    post_page(
        client,
        f"{FORM}/child?change=1",
        {
            "child_first_name": "Adeline",
            "child_last_name": "Parent",
            "child_date_of_birth-day": str(CHILD_DOB.day),
            "child_date_of_birth-month": str(CHILD_DOB.month),
            "child_date_of_birth-year": str(CHILD_DOB.year),
            "child_gender": "female",
            "child_first_language": "English",
        },
    )
    db.expire_all()
    assert db.get(Child, child.id).forename == "Ada"
    post_page(client, f"{FORM}/claim", {"claim_route": "non_economic"})
    post_page(client, f"{FORM}/circumstances", {"non_economic_reason": "looked_after"})
    sent = post_page(client, f"{FORM}/check", {"declarations": ["truthful", "checks", "changes"]})
    assert sent.status_code == 302 and "/sent" in location(sent)
    db.expire_all()
    assert db.get(Child, child.id).forename == "Adeline"


def test_one_draft_per_form_and_child(client, db, family):
    parent, child = family
    client = signed_in_client(client.application, parent.email)
    start(client, child.id)
    start(client, child.id)
    assert db.scalars(select(Application)).all().__len__() == 1
    other = make_child(db, parent, forename="Bo")
    start(client, other.id)
    assert {a.child_id for a in db.scalars(select(Application))} == {child.id, other.id}


def test_a_draft_stays_on_the_form_version_it_began_on(client, db, family, tmp_path):
    from portal.services.forms import load_definitions

    parent, child = family
    client = signed_in_client(client.application, parent.email)
    start(client, child.id)
    source = SHIPPED / "two_year_old_funding.yaml"
    changed = tmp_path / "two_year_old_funding.yaml"
    changed.write_text(source.read_text().replace("name: Your details", "name: About you", 1))
    assert load_definitions(db, [changed]).created == ["two_year_old_funding v2"]
    page = client.get(f"{FORM}/parent").get_data(as_text=True)
    assert "Your details" in page and "About you" not in page
