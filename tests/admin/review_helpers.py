"""Factories for the review tests (imported by name; file names stay unique across tests/)."""

from __future__ import annotations

from datetime import timedelta

from application_helpers import make_child, make_parent, make_submitted_application
from sqlalchemy.orm import Session

from portal.models import Decision, MessageTemplate, utcnow


def submitted(db: Session, n: int, *, email: str = "parent@example.com", surname: str = "Parent", start_days_ago=30):
    """`n` sent two-year-old applications of one parent, received a day apart (oldest first)."""
    parent = make_parent(db, email=email, surname=surname)
    child = make_child(db, parent)
    made = []
    for index in range(n):
        reference = f"2YO-TEST-{email[:2].upper()}{index:03d}"
        application = make_submitted_application(db, parent, child, reference=reference)
        application.submitted_at = utcnow() - timedelta(days=start_days_ago - index)
        made.append(application)
    db.commit()
    return parent, child, made


def make_template(db: Session, decision: Decision, name: str, subject: str, body: str) -> MessageTemplate:
    template = MessageTemplate(name=name, subject=subject, body_markdown=body)
    template.decisions = {decision}
    db.add(template)
    db.commit()
    return template
