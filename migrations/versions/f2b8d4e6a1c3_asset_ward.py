"""asset ward: the electoral ward an asset is in, by name

Revision ID: f2b8d4e6a1c3
Revises: e7a4c2d9b1f0
Create Date: 2026-12-02 13:50:00.000000

A nullable column: safe while workers of the previous release run.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f2b8d4e6a1c3'
down_revision = 'e7a4c2d9b1f0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assets') as batch_op:
        batch_op.add_column(sa.Column('ward', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('assets') as batch_op:
        batch_op.drop_column('ward')
