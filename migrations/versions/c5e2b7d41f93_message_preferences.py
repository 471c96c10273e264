"""message preferences: the kinds of message each person turned off

Revision ID: c5e2b7d41f93
Revises: c5e2f8a1d9b3
Create Date: 2026-12-02 11:05:00.000000

A new column with a server default: safe while workers of the previous release run.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c5e2b7d41f93'
down_revision = 'c5e2f8a1d9b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('message_preferences', sa.JSON(), server_default='{}',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('message_preferences')
