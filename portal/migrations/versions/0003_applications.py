"""Applications: drafts and submissions, status history, uploads and messages

Revision ID: 0003_applications
Revises: 0001
Create Date: 2026-11-23 11:16:35.056191
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0003_applications"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("form_version_id", sa.Integer(), nullable=False),
        sa.Column("form_code", sa.String(length=100), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "in_review",
                "more_information_requested",
                "resubmitted",
                "approved",
                "rejected",
                "withdrawn",
                name="applicationstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("submitted_summary", sa.JSON(), nullable=True),
        sa.Column("reference", sa.String(length=20), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", portal.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", portal.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminder_sent_at", portal.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name=op.f("fk_applications_child_id_children")),
        sa.ForeignKeyConstraint(
            ["form_version_id"], ["form_versions.id"], name=op.f("fk_applications_form_version_id_form_versions")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_applications_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("reference", name=op.f("uq_applications_reference")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applications_child_id"), ["child_id"], unique=False)
        batch_op.create_index("ix_applications_draft_expiry", ["status", "expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_applications_draft_per_child",
            ["user_id", "form_code", "child_id"],
            unique=True,
            sqlite_where=sa.text("status = 'draft' AND child_id IS NOT NULL"),
            postgresql_where=sa.text("status = 'draft' AND child_id IS NOT NULL"),
        )
        batch_op.create_index(
            "uq_applications_draft_without_child",
            ["user_id", "form_code"],
            unique=True,
            sqlite_where=sa.text("status = 'draft' AND child_id IS NULL"),
            postgresql_where=sa.text("status = 'draft' AND child_id IS NULL"),
        )

    op.create_table(
        "application_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "direction",
            sa.Enum("to_parent", "from_parent", name="messagedirection", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", portal.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_messages_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["sender_id"], ["users.id"], name=op.f("fk_application_messages_sender_id_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_application_messages_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_messages")),
    )
    with op.batch_alter_table("application_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_application_messages_application_id"), ["application_id"], unique=False)
        batch_op.create_index("ix_application_messages_unread", ["user_id", "read_at"], unique=False)

    op.create_table(
        "application_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "draft",
                "submitted",
                "in_review",
                "more_information_requested",
                "resubmitted",
                "approved",
                "rejected",
                "withdrawn",
                name="applicationstatus",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "draft",
                "submitted",
                "in_review",
                "more_information_requested",
                "resubmitted",
                "approved",
                "rejected",
                "withdrawn",
                name="applicationstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_application_status_changes_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_status_changes_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_status_changes")),
    )
    with op.batch_alter_table("application_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_status_changes_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("question_code", sa.String(length=100), nullable=False),
        sa.Column("original_filename", sa.String(length=255), nullable=False),
        sa.Column("storage_key", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_uploads_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_uploads_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_uploads_storage_key")),
    )
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_uploads_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_uploads_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_uploads_user_id"))
        batch_op.drop_index(batch_op.f("ix_uploads_application_id"))

    op.drop_table("uploads")
    with op.batch_alter_table("application_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_status_changes_application_id"))

    op.drop_table("application_status_changes")
    with op.batch_alter_table("application_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_application_messages_unread")
        batch_op.drop_index(batch_op.f("ix_application_messages_application_id"))

    op.drop_table("application_messages")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_applications_draft_without_child",
            sqlite_where=sa.text("status = 'draft' AND child_id IS NULL"),
            postgresql_where=sa.text("status = 'draft' AND child_id IS NULL"),
        )
        batch_op.drop_index(
            "uq_applications_draft_per_child",
            sqlite_where=sa.text("status = 'draft' AND child_id IS NOT NULL"),
            postgresql_where=sa.text("status = 'draft' AND child_id IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_applications_user_id"))
        batch_op.drop_index("ix_applications_draft_expiry")
        batch_op.drop_index(batch_op.f("ix_applications_child_id"))

    op.drop_table("applications")
