"""Messages between the council and a parent about an application.

Each new message to a parent queues a notification email that carries no case detail: only the
reference and an invitation to sign in.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..models import Application, ApplicationStatus, Message, MessageDirection, User, utcnow
from ..outbox import queue_email
from . import audit
from .applications import NotFound


def notification_text(reference: str) -> str:
    return f"You have a new message about your application {reference}. Sign in to read it."


def send_to_parent(
    db: Session, application: Application, *, subject: str, body: str, sender_id: int | None, base_url: str
) -> Message:
    """A message from the council, with its notification email, in one unit of work."""
    if application.status is ApplicationStatus.DRAFT or not application.reference:
        raise ValueError("messages are about sent applications")
    message = Message(
        application_id=application.id,
        user_id=application.user_id,
        direction=MessageDirection.TO_PARENT,
        sender_id=sender_id,
        subject=subject,
        body=body,
    )
    db.add(message)
    parent = db.get(User, application.user_id)
    queue_email(
        db,
        to=parent.email,
        subject=f"New message about your application {application.reference}",
        body_text=f"{notification_text(application.reference)}\n\n{base_url}/messages\n",
        kind="application_message",
    )
    audit.record(db, "message_sent", actor_id=sender_id, object_type="application", object_id=application.id)
    db.commit()
    return message


def inbox(db: Session, user_id: int) -> list[Message]:
    return list(
        db.scalars(
            select(Message)
            .options(joinedload(Message.application))
            .where(Message.user_id == user_id)
            .order_by(Message.sent_at.desc(), Message.id.desc())
        )
    )


def read_message(db: Session, user_id: int, message_id: int) -> Message:
    """The parent's message, marked as read the first time it is opened."""
    message = db.scalars(
        select(Message)
        .options(joinedload(Message.application))
        .where(Message.id == message_id, Message.user_id == user_id)
    ).first()
    if message is None:
        raise NotFound(message_id)
    if message.read_at is None and message.direction is MessageDirection.TO_PARENT:
        message.read_at = utcnow()
        db.commit()
    return message
