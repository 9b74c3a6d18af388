"""Caseworker review: assignments, internal notes, decisions, requests for more information, queue indexes.

The indexes on applications let the review queue page by keyset (received time, id) in either
order, with or without a form or status filter (a partial index for the default "waiting for a decision"
view), at the same cost on page 500 as on page 1.

Revision ID: 0006_review
Revises: 0005_join
Create Date: 2026-11-23 11:47:02.509712
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0006_review"
down_revision = "0005_join"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "information_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("open_groups", sa.JSON(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("resubmitted_at", portal.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("new_upload_ids", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_information_requests_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_information_requests_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_information_requests")),
    )
    with op.batch_alter_table("information_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_information_requests_application_id"), ["application_id"], unique=False)

    op.create_table(
        "review_assignments",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_review_assignments_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"], ["users.id"], name=op.f("fk_review_assignments_assigned_by_id_users")
        ),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"], name=op.f("fk_review_assignments_assignee_id_users")),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_review_assignments")),
    )
    with op.batch_alter_table("review_assignments", schema=None) as batch_op:
        batch_op.create_index("ix_review_assignments_assignee", ["assignee_id", "application_id"], unique=False)

    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum("approve", "reject", "request_more_information", name="decision", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("on_version", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("funding_start", sa.Date(), nullable=True),
        sa.Column("eligibility_reference", sa.String(length=20), nullable=True),
        sa.Column("eligibility_reference_expires", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_review_decisions_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_review_decisions_decided_by_id_users")),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["message_templates.id"],
            name=op.f("fk_review_decisions_template_id_message_templates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
        sa.UniqueConstraint("eligibility_reference", name=op.f("uq_review_decisions_eligibility_reference")),
    )
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_decisions_application_id"), ["application_id"], unique=False)

    op.create_table(
        "review_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_review_notes_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_review_notes_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_notes")),
    )
    with op.batch_alter_table("review_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_notes_application_id"), ["application_id"], unique=False)

    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index("ix_applications_queue", ["status", "submitted_at", "id"], unique=False)
        batch_op.create_index(
            "ix_applications_awaiting_decision",
            ["submitted_at", "id"],
            unique=False,
            sqlite_where=sa.text("status IN ('submitted', 'in_review', 'resubmitted')"),
            postgresql_where=sa.text("status IN ('submitted', 'in_review', 'resubmitted')"),
        )
        batch_op.create_index(
            "ix_applications_queue_by_form", ["form_code", "status", "submitted_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index("ix_applications_queue_by_form")
        batch_op.drop_index("ix_applications_queue")
        batch_op.drop_index("ix_applications_awaiting_decision")

    with op.batch_alter_table("review_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_notes_application_id"))

    op.drop_table("review_notes")
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_decisions_application_id"))

    op.drop_table("review_decisions")
    with op.batch_alter_table("review_assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_review_assignments_assignee")

    op.drop_table("review_assignments")
    with op.batch_alter_table("information_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_information_requests_application_id"))

    op.drop_table("information_requests")
