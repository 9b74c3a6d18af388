"""Site settings: the values administrators changed, each overriding the default from the environment.

Revision ID: 0010_site_settings
Revises: 0014_alerts
Create Date: 2026-12-01 19:03:41.587904
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0010_site_settings"
down_revision = "0014_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_site_settings_updated_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_site_settings")),
    )


def downgrade() -> None:
    op.drop_table("site_settings")
