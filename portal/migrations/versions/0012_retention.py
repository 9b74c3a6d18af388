"""Data retention: rules, the log of their runs, deleted references kept for a while, files still to remove.

Revision ID: 0012_retention
Revises: 0007_matching
Create Date: 2026-12-01 19:02:51.730389
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0012_retention"
down_revision = "0007_matching"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retention_pending_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_pending_files")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_retention_pending_files_storage_key")),
    )
    op.create_table(
        "retention_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_code", sa.String(length=100), nullable=True),
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
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("report_viewed_version", sa.Integer(), nullable=True),
        sa.Column("report_viewed_at", portal.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("report_viewed_by_id", sa.Integer(), nullable=True),
        sa.Column("enabled_at", portal.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("enabled_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["enabled_by_id"], ["users.id"], name=op.f("fk_retention_rules_enabled_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["report_viewed_by_id"],
            ["users.id"],
            name=op.f("fk_retention_rules_report_viewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_retention_rules_updated_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_rules")),
    )
    with op.batch_alter_table("retention_rules", schema=None) as batch_op:
        batch_op.create_index(
            "uq_retention_rules_every_form_status",
            ["status"],
            unique=True,
            sqlite_where=sa.text("form_code IS NULL"),
            postgresql_where=sa.text("form_code IS NULL"),
        )
        batch_op.create_index(
            "uq_retention_rules_form_status",
            ["form_code", "status"],
            unique=True,
            sqlite_where=sa.text("form_code IS NOT NULL"),
            postgresql_where=sa.text("form_code IS NOT NULL"),
        )

    op.create_table(
        "retention_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("form_code", sa.String(length=100), nullable=True),
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
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("ran_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("applications_deleted", sa.Integer(), nullable=False),
        sa.Column("files_deleted", sa.Integer(), nullable=False),
        sa.Column("bytes_deleted", sa.BigInteger(), nullable=False),
        sa.Column("references_removed_at", portal.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["retention_rules.id"],
            name=op.f("fk_retention_runs_rule_id_retention_rules"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_runs")),
    )
    with op.batch_alter_table("retention_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retention_runs_ran_at"), ["ran_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_retention_runs_rule_id"), ["rule_id"], unique=False)

    op.create_table(
        "retention_deleted_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["retention_runs.id"],
            name=op.f("fk_retention_deleted_references_run_id_retention_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_deleted_references")),
    )
    with op.batch_alter_table("retention_deleted_references", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retention_deleted_references_reference"), ["reference"], unique=False)
        batch_op.create_index(batch_op.f("ix_retention_deleted_references_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("retention_deleted_references", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_deleted_references_run_id"))
        batch_op.drop_index(batch_op.f("ix_retention_deleted_references_reference"))

    op.drop_table("retention_deleted_references")
    with op.batch_alter_table("retention_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_runs_rule_id"))
        batch_op.drop_index(batch_op.f("ix_retention_runs_ran_at"))

    op.drop_table("retention_runs")
    with op.batch_alter_table("retention_rules", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_retention_rules_form_status",
            sqlite_where=sa.text("form_code IS NOT NULL"),
            postgresql_where=sa.text("form_code IS NOT NULL"),
        )
        batch_op.drop_index(
            "uq_retention_rules_every_form_status",
            sqlite_where=sa.text("form_code IS NULL"),
            postgresql_where=sa.text("form_code IS NULL"),
        )

    op.drop_table("retention_rules")
    op.drop_table("retention_pending_files")
