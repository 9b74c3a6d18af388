"""The worker's draft jobs: a reminder 7 days before a draft expires (once), and expired drafts deleted."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "citizen_portal"))
from application_helpers import load_shipped_forms, make_child, make_parent  # noqa: E402
from sqlalchemy import select  # noqa: E402

from portal.models import Application, OutboxMessage, Upload, utcnow  # noqa: E402
from portal.services.applications import start_draft  # noqa: E402
from portal.uploads import storage_from_config  # noqa: E402
from portal.worker import run_pass  # noqa: E402


def draft_expiring_in(db, days: float, email: str = "parent@example.com"):
    parent = make_parent(db, email=email)
    draft = start_draft(db, parent, "two_year_old_funding", make_child(db, parent).id, expiry_days=28)
    draft.expires_at = utcnow() + timedelta(days=days)
    db.commit()
    return draft


def test_a_reminder_goes_7_days_before_expiry_once(make_app, smtp_server):
    app = make_app(SMTP_PORT=smtp_server.port, PORTAL_BASE_URL="https://portal.example")
    db = app.extensions["db_sessionmaker"]()
    load_shipped_forms(db)
    soon = draft_expiring_in(db, 6.5)
    draft_expiring_in(db, 20, email="later@example.com")
    run_pass(app)
    run_pass(app)  # the next pass: the email goes out, and no second reminder is queued
    reminders = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "draft_reminder")).all()
    assert [m.to_address for m in reminders] == ["parent@example.com"]
    assert "Apply for free childcare for 2-year-olds" in reminders[0].body_text
    assert "https://portal.example/" in reminders[0].body_text
    db.expire_all()
    assert db.get(Application, soon.id).reminder_sent_at is not None
    assert [m["To"] for m in smtp_server.messages] == ["parent@example.com"]
    db.close()


def test_expired_drafts_are_deleted_with_their_files(make_app):
    app = make_app()
    db = app.extensions["db_sessionmaker"]()
    load_shipped_forms(db)
    expired = draft_expiring_in(db, -0.1)
    kept = draft_expiring_in(db, 3, email="kept@example.com")
    storage = storage_from_config(app.config)
    key = storage.save(b"%PDF-1.4")
    db.add(
        Upload(
            user_id=expired.user_id,
            application_id=expired.id,
            question_code="evidence_file",
            original_filename="a.pdf",
            storage_key=key,
            size=8,
            content_type="application/pdf",
        )
    )
    db.commit()
    run_pass(app)
    db.expire_all()
    assert db.scalars(select(Application.id)).all() == [kept.id]
    assert db.scalars(select(Upload)).all() == []
    try:
        storage.read(key)
        raise AssertionError("the file should be gone")
    except FileNotFoundError:
        pass
    db.close()
