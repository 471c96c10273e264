"""documents by hash: /verify finds an issued document by its SHA-256

Revision ID: b8d3e6f2a417
Revises: e7a4c2d9b1f0
Create Date: 2026-12-02 14:20:00.000000

An index only: safe while workers of the previous release run.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8d3e6f2a417'
down_revision = 'e7a4c2d9b1f0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_sha256'), ['sha256'], unique=False)


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_sha256'))
