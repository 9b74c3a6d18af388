"""Matching: which known child record a child named in a submission is (linked by a caseworker).

Revision ID: 0007_matching
Revises: 0006_review
Create Date: 2026-11-23 12:37:21.596556
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0007_matching"
down_revision = "0006_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "child_record_links",
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_child_record_links_child_id_children"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["linked_by_id"], ["users.id"], name=op.f("fk_child_record_links_linked_by_id_users")),
        sa.ForeignKeyConstraint(
            ["record_id"], ["children.id"], name=op.f("fk_child_record_links_record_id_children"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("child_id", name=op.f("pk_child_record_links")),
    )
    with op.batch_alter_table("child_record_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_record_links_record_id"), ["record_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("child_record_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_record_links_record_id"))
    op.drop_table("child_record_links")
