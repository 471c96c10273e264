"""session epoch on users, expiry on API tokens

Revision ID: b8e4d0c5a1f7
Revises: 7c41d2a9e8b3
Create Date: 2026-12-02 09:00:00

Tokens issued before tokens expired get a year from when they were made, the default lifetime.
"""
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

import assettransfer.models.types

revision = 'b8e4d0c5a1f7'
down_revision = '7c41d2a9e8b3'
branch_labels = None
depends_on = None

EXISTING_TOKEN_LIFETIME = timedelta(days=365)


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', assettransfer.models.types.UTCDateTime(timezone=True), nullable=True))

    tokens = sa.table(
        'api_tokens',
        sa.column('id', sa.Integer()),
        sa.column('created_at', assettransfer.models.types.UTCDateTime(timezone=True)),
        sa.column('expires_at', assettransfer.models.types.UTCDateTime(timezone=True)),
    )
    connection = op.get_bind()
    for token_id, created_at in connection.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        connection.execute(
            tokens.update().where(tokens.c.id == token_id)
            .values(expires_at=created_at + EXISTING_TOKEN_LIFETIME)
        )

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=assettransfer.models.types.UTCDateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
