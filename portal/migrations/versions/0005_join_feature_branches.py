"""Join the accounts, applications and message-template branches into one head.

They were built side by side on top of 0001 and touch different tables, so joining them needs no
schema change; from here on migrations form one line again.

Revision ID: 0005_join
Revises: 0002_accounts, 0003_applications, 0004_message_templates
"""

from __future__ import annotations

revision = "0005_join"
down_revision = ("0002_accounts", "0003_applications", "0004_message_templates")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
