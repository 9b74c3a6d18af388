"""Languages: the language each person reads the portal and their emails in (English or Cymraeg).

Revision ID: 0009_languages
Revises: 0008_form_builder
Create Date: 2026-12-01 22:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_languages"
down_revision = "0008_form_builder"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every existing account reads English, as it always has; the server default fills their rows.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=5), server_default="en", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
