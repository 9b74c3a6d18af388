"""GDPR administration: the withdrawal alert list, and withdrawals marked as actioned.

Revision ID: 0011_gdpr
Revises: 0010_site_settings
Create Date: 2026-12-01 19:01:21.420835
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0011_gdpr"
down_revision = "0010_site_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "withdrawal_alert_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("email_normalised", sa.String(length=320), nullable=False),
        sa.Column("from_configuration", sa.Boolean(), nullable=False),
        sa.Column("added_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("removed_at", portal.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_withdrawal_alert_recipients_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"], ["users.id"], name=op.f("fk_withdrawal_alert_recipients_removed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_withdrawal_alert_recipients")),
    )
    with op.batch_alter_table("withdrawal_alert_recipients", schema=None) as batch_op:
        batch_op.create_index(
            "uq_withdrawal_alert_recipients_current_email",
            ["email_normalised"],
            unique=True,
            sqlite_where=sa.text("removed_at IS NULL"),
            postgresql_where=sa.text("removed_at IS NULL"),
        )

    op.create_table(
        "withdrawal_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consent_record_id", sa.Integer(), nullable=False),
        sa.Column("actioned_by_id", sa.Integer(), nullable=False),
        sa.Column("actioned_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actioned_by_id"], ["users.id"], name=op.f("fk_withdrawal_actions_actioned_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["consent_record_id"],
            ["consent_records.id"],
            name=op.f("fk_withdrawal_actions_consent_record_id_consent_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_withdrawal_actions")),
        sa.UniqueConstraint("consent_record_id", name=op.f("uq_withdrawal_actions_consent_record_id")),
    )


def downgrade() -> None:
    op.drop_table("withdrawal_actions")
    with op.batch_alter_table("withdrawal_alert_recipients", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_withdrawal_alert_recipients_current_email",
            sqlite_where=sa.text("removed_at IS NULL"),
            postgresql_where=sa.text("removed_at IS NULL"),
        )
    op.drop_table("withdrawal_alert_recipients")
