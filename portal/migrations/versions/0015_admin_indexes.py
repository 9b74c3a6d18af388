"""Indexes for the staff area's reads: audit trails by object, consent records by action, and the
applications of a form version (the form builder asks which questions have answers).

Revision ID: 0015_admin_indexes
Revises: 0009_languages
Create Date: 2026-12-01 23:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0015_admin_indexes"
down_revision = "0009_languages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_events_object", "audit_events", ["object_type", "object_id"])
    op.create_index("ix_consent_records_action_at", "consent_records", ["action", "at"])
    op.create_index("ix_applications_form_version_id", "applications", ["form_version_id"])


def downgrade() -> None:
    op.drop_index("ix_applications_form_version_id", table_name="applications")
    op.drop_index("ix_consent_records_action_at", table_name="consent_records")
    op.drop_index("ix_audit_events_object", table_name="audit_events")
