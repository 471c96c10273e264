"""public copies of letters: the published copy's file, hash, size and pages on its letter's row

Revision ID: f3b8d1e6a2c4
Revises: f2b8d4e6a1c3
Create Date: 2026-12-02 14:00:00.000000

New nullable columns: safe while workers of the previous release run (they write letters
without copies, as before).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f3b8d1e6a2c4'
down_revision = 'f2b8d4e6a1c3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('documents') as batch_op:
        batch_op.add_column(sa.Column('public_stored_name', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('public_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('public_size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('public_page_count', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_documents_public_stored_name'),
                                          ['public_stored_name'])


def downgrade():
    with op.batch_alter_table('documents') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_documents_public_stored_name'), type_='unique')
        batch_op.drop_column('public_page_count')
        batch_op.drop_column('public_size')
        batch_op.drop_column('public_sha256')
        batch_op.drop_column('public_stored_name')
