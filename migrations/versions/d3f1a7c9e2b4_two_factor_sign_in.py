"""two-factor sign-in: TOTP secret on users, recovery codes, the staff policy

Revision ID: d3f1a7c9e2b4
Revises: b8e4d0c5a1f7
Create Date: 2026-12-02 08:30:00
"""
import sqlalchemy as sa
from alembic import op

import assettransfer.models.types

revision = 'd3f1a7c9e2b4'
down_revision = 'b8e4d0c5a1f7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('two_factor_enabled_at', assettransfer.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))

    op.create_table(
        'recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', assettransfer.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', assettransfer.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)

    op.create_table(
        'two_factor_policy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('required_for_staff', sa.Boolean(), nullable=False),
        sa.Column('changed_at', assettransfer.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_two_factor_policy_changed_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_two_factor_policy')),
    )


def downgrade():
    op.drop_table('two_factor_policy')
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))
    op.drop_table('recovery_codes')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('two_factor_enabled_at')
        batch_op.drop_column('totp_secret')
