"""representations made online: who made them (address, e-mail) and how they came

Revision ID: e7a4c2b9d105
Revises: e4a7c2d9f153
Create Date: 2026-12-02 14:00:00.000000

Rows recorded before this came by an officer: the server default says so. A representation made
online on the public register has no officer who recorded it, so recorded_by_id may be empty.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e7a4c2b9d105'
down_revision = 'e4a7c2d9f153'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('representations') as batch_op:
        batch_op.add_column(sa.Column('address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column(
            'source', sa.Enum('online', 'officer', name='representation_source',
                              native_enum=False, create_constraint=True, length=40),
            server_default='officer', nullable=False))
        batch_op.alter_column('recorded_by_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    # Those made online have no officer to name: they cannot be kept in the older table.
    op.execute("DELETE FROM representations WHERE recorded_by_id IS NULL")
    with op.batch_alter_table('representations') as batch_op:
        batch_op.alter_column('recorded_by_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('source')
        batch_op.drop_column('email')
        batch_op.drop_column('address')
