"""Message templates for caseworkers' decisions, with the three shipped defaults

Revision ID: 0004_message_templates
Revises: 0001
Create Date: 2026-11-23 11:30:00.000000

The defaults are written here, once, rather than by `flask --app portal demo`: every council (not only
a developer's demo) starts with a template for each decision, and because a migration runs once, a
council that edits or deletes a default keeps its change. The texts are frozen in this file on purpose,
as migrations must be; later wording changes to the defaults would come as a new migration.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = '0004_message_templates'
down_revision = '0001'
branch_labels = None
depends_on = None

DECISIONS = ('approve', 'reject', 'request_more_information')

DEFAULT_TEMPLATES = (
    {
        'shipped_key': 'approve',
        'decision': 'approve',
        'name': 'Approved',
        'subject': 'Your application {{Reference}} has been approved',
        'body_markdown': (
            'Dear {{Forename}} {{Surname}},\n'
            '\n'
            'We have approved your application for funded early education for {{ChildName}}.\n'
            '\n'
            '## What happens next\n'
            '\n'
            '{{ChildName}} can have a funded place from {{FundingStart}}.\n'
            '\n'
            'Sign in to your account to see the eligibility code. Give it to your childcare provider so they '
            'can check that {{ChildName}} can have a funded place.\n'
            '\n'
            'Your application reference is {{Reference}}. Quote it if you contact us.\n'
        ),
    },
    {
        'shipped_key': 'reject',
        'decision': 'reject',
        'name': 'Not approved',
        'subject': 'Your application {{Reference}} has not been approved',
        'body_markdown': (
            'Dear {{Forename}} {{Surname}},\n'
            '\n'
            'We have looked at your application for funded early education for {{ChildName}} and we cannot '
            'approve it.\n'
            '\n'
            'This is because your household does not meet the criteria for funded early education for '
            '2-year-olds.\n'
            '\n'
            '## If you think we have made a mistake\n'
            '\n'
            'Contact us and quote your application reference {{Reference}}.\n'
            '\n'
            'If your circumstances change, you can apply again.\n'
        ),
    },
    {
        'shipped_key': 'request_more_information',
        'decision': 'request_more_information',
        'name': 'More information needed',
        'subject': 'We need more information about your application {{Reference}}',
        'body_markdown': (
            'Dear {{Forename}} {{Surname}},\n'
            '\n'
            'We need more information before we can decide on your application for funded early education '
            'for {{ChildName}}.\n'
            '\n'
            'Sign in to your account and open your application to see what we need. You can change your '
            'answers and upload documents there, then send the application back to us.\n'
            '\n'
            'We cannot make a decision until you do this.\n'
            '\n'
            'Your application reference is {{Reference}}.\n'
        ),
    },
)


def upgrade() -> None:
    op.create_table('message_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body_markdown', sa.Text(), nullable=False),
    sa.Column('shipped_key', sa.String(length=60), nullable=True),
    sa.Column('created_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_message_templates_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_templates')),
    sa.UniqueConstraint('name', name=op.f('uq_message_templates_name')),
    sa.UniqueConstraint('shipped_key', name=op.f('uq_message_templates_shipped_key'))
    )
    op.create_table('message_template_decisions',
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum(*DECISIONS, name='decision', native_enum=False, length=30), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['message_templates.id'], name=op.f('fk_message_template_decisions_template_id_message_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('template_id', 'decision', name=op.f('pk_message_template_decisions'))
    )
    with op.batch_alter_table('message_template_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_template_decisions_decision'), ['decision'], unique=False)

    _insert_default_templates()


def _insert_default_templates() -> None:
    templates = sa.table(
        'message_templates',
        sa.column('id', sa.Integer()),
        sa.column('name', sa.String()),
        sa.column('subject', sa.String()),
        sa.column('body_markdown', sa.Text()),
        sa.column('shipped_key', sa.String()),
        sa.column('created_at', portal.models.base.UTCDateTime()),
        sa.column('updated_at', portal.models.base.UTCDateTime()),
    )
    decisions = sa.table('message_template_decisions', sa.column('template_id', sa.Integer()), sa.column('decision', sa.String()))
    connection = op.get_bind()
    now = datetime.now(UTC)
    for default in DEFAULT_TEMPLATES:
        # No explicit ids: on PostgreSQL they would leave the id sequence behind the rows.
        connection.execute(
            templates.insert().values(
                name=default['name'],
                subject=default['subject'],
                body_markdown=default['body_markdown'],
                shipped_key=default['shipped_key'],
                created_at=now,
                updated_at=now,
            )
        )
        template_id = connection.scalar(sa.select(templates.c.id).where(templates.c.shipped_key == default['shipped_key']))
        connection.execute(decisions.insert().values(template_id=template_id, decision=default['decision']))


def downgrade() -> None:
    with op.batch_alter_table('message_template_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_template_decisions_decision'))

    op.drop_table('message_template_decisions')
    op.drop_table('message_templates')
