"""when each user's e-mail address was confirmed

Revision ID: c5e2f8a1d9b3
Revises: a9343ac00ba1
Create Date: 2026-12-02 11:00:00

Accounts made before addresses were confirmed count as confirmed from when they were made: they
were already acting on bids, and must not be stopped by the upgrade.
"""
import sqlalchemy as sa
from alembic import op

import assettransfer.models.types

revision = 'c5e2f8a1d9b3'
down_revision = 'a9343ac00ba1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', assettransfer.models.types.UTCDateTime(timezone=True), nullable=True))

    users = sa.table(
        'users',
        sa.column('created_at', assettransfer.models.types.UTCDateTime(timezone=True)),
        sa.column('email_confirmed_at', assettransfer.models.types.UTCDateTime(timezone=True)),
    )
    op.execute(users.update().where(users.c.email_confirmed_at.is_(None))
               .values(email_confirmed_at=users.c.created_at))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
