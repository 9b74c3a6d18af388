"""A parent's sent application: status history, answers as sent, downloads and withdrawing."""

from __future__ import annotations

from application_helpers import (
    load_shipped_forms,
    location,
    make_child,
    make_parent,
    make_submitted_application,
    make_upload,
    post_page,
    signed_in_client,
    text_of,
    tiny_pdf,
)
from helpers import make_user, page_title
from sqlalchemy import select

from portal.models import ApplicationStatus, Role, StatusChange
from portal.services.application_status import change_status


def test_the_application_page_shows_history_answers_as_sent_and_uploads(app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent)
    application = make_submitted_application(db, parent, child)
    upload = make_upload(db, app, application, filename="DLA letter.pdf")
    change_status(db, application, ApplicationStatus.IN_REVIEW, actor_id=None, message="We are checking your details")
    db.commit()
    client = signed_in_client(app, parent.email)

    html = client.get(f"/applications/{application.id}").get_data(as_text=True)
    page = text_of(html)
    assert page_title(html).startswith("Application 2YO-7K3M-Q9TD")
    assert "Status: In review" in page
    assert "Submitted" in page and "We are checking your details" in page
    assert "Why are you applying? Because of my child's circumstances" in page
    assert "Withdraw application" in page
    assert f'href="/uploads/{upload.id}"' in html

    download = client.get(f"/uploads/{upload.id}")
    assert download.status_code == 200
    assert download.data == tiny_pdf()
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "DLA" in download.headers["Content-Disposition"]
    assert download.headers["Content-Type"] == "application/pdf"


def test_staff_can_download_but_another_parent_cannot(app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    application = make_submitted_application(db, parent, make_child(db, parent))
    upload = make_upload(db, app, application)
    make_user(db, email="caseworker@council.example", role=Role.CASEWORKER)
    make_parent(db, email="other@example.com")
    assert signed_in_client(app, "caseworker@council.example").get(f"/uploads/{upload.id}").status_code == 200
    assert signed_in_client(app, "other@example.com").get(f"/uploads/{upload.id}").status_code == 404
    assert app.test_client().get(f"/uploads/{upload.id}").status_code == 302  # to sign in


def test_a_parent_can_withdraw_an_undecided_application_and_the_step_is_recorded(app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    application = make_submitted_application(db, parent, make_child(db, parent))
    client = signed_in_client(app, parent.email)
    confirm = client.get(f"/applications/{application.id}/withdraw").get_data(as_text=True)
    assert "Are you sure you want to withdraw your application?" in confirm
    response = post_page(client, f"/applications/{application.id}/withdraw", {})
    assert location(response) == f"/applications/{application.id}"
    db.expire_all()
    steps = db.scalars(select(StatusChange).order_by(StatusChange.id)).all()
    assert [(s.from_status, s.to_status, s.actor_id) for s in steps][-1] == (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.WITHDRAWN,
        parent.id,
    )
    page = text_of(client.get(f"/applications/{application.id}").get_data(as_text=True))
    assert "Status: Withdrawn" in page
    assert "Withdraw application" not in page


def test_a_decided_application_cannot_be_withdrawn(app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    application = make_submitted_application(db, parent, make_child(db, parent))
    change_status(db, application, ApplicationStatus.APPROVED, actor_id=None, message="Approved")
    db.commit()
    client = signed_in_client(app, parent.email)
    assert "Withdraw application" not in client.get(f"/applications/{application.id}").get_data(as_text=True)
    response = client.get(f"/applications/{application.id}/withdraw")
    assert location(response) == f"/applications/{application.id}"
    db.expire_all()
    assert db.get(type(application), application.id).status is ApplicationStatus.APPROVED
