"""Messages from the council: inbox with unread marker, reading marks read, a notification without case detail."""

from __future__ import annotations

from application_helpers import (
    load_shipped_forms,
    make_child,
    make_parent,
    make_submitted_application,
    signed_in_client,
    text_of,
)
from sqlalchemy import select

from portal.models import OutboxMessage
from portal.services.messages import send_to_parent


def test_a_new_message_is_notified_listed_unread_and_marked_read_when_opened(app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    application = make_submitted_application(db, parent, make_child(db, parent))
    message = send_to_parent(
        db,
        application,
        subject="We need your DLA award letter",
        body="Please upload your child's Disability Living Allowance award letter.",
        sender_id=None,
        base_url="https://portal.example",
    )
    email = db.scalars(select(OutboxMessage)).one()
    assert email.to_address == parent.email
    assert "You have a new message about your application 2YO-7K3M-Q9TD. Sign in to read it." in email.body_text
    assert "Disability" not in email.body_text and "DLA" not in email.subject

    client = signed_in_client(app, parent.email)
    home = text_of(client.get("/").get_data(as_text=True))
    assert "Messages 1 unread" in home
    inbox = client.get("/messages").get_data(as_text=True)
    assert "Unread" in inbox and "We need your DLA award letter" in inbox

    page = text_of(client.get(f"/messages/{message.id}").get_data(as_text=True))
    assert "Please upload your child's Disability Living Allowance award letter." in page
    assert "About application 2YO-7K3M-Q9TD" in page
    assert "Unread" not in client.get("/messages").get_data(as_text=True)
    assert "no unread messages" in text_of(client.get("/").get_data(as_text=True))
