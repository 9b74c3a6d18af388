"""Form builder: one working copy per form (optimistic concurrency), and named option lists.

Revision ID: 0008_form_builder
Revises: 0011_gdpr
Create Date: 2026-12-01 19:04:32.511773
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0008_form_builder"
down_revision = "0011_gdpr"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("based_on_version", sa.Integer(), nullable=True),
        sa.Column("option_list_links", sa.JSON(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_form_drafts_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_drafts")),
        sa.UniqueConstraint("code", name=op.f("uq_form_drafts_code")),
    )
    op.create_table(
        "option_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_option_lists_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_option_lists")),
        sa.UniqueConstraint("code", name=op.f("uq_option_lists_code")),
    )


def downgrade() -> None:
    op.drop_table("option_lists")
    op.drop_table("form_drafts")
