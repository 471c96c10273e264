"""documents by hash: /verify finds an issued document (or its published copy) by its SHA-256

Revision ID: b8d3e6f2a417
Revises: f3b8d1e6a2c4
Create Date: 2026-12-02 14:20:00.000000

An index only: safe while workers of the previous release run.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8d3e6f2a417'
down_revision = 'f3b8d1e6a2c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_public_sha256'), ['public_sha256'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_public_sha256'))
        batch_op.drop_index(batch_op.f('ix_documents_sha256'))
