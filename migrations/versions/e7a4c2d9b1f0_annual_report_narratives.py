"""annual report narratives: what the authority did each year to promote and support requests

Revision ID: e7a4c2d9b1f0
Revises: e7a4c2b9d105
Create Date: 2026-12-02 13:30:00.000000

A new table: safe while workers of the previous release run.
"""
import sqlalchemy as sa
from alembic import op

from assettransfer.models.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'e7a4c2d9b1f0'
down_revision = 'e7a4c2b9d105'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'annual_report_narratives',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('year'),
    )


def downgrade():
    op.drop_table('annual_report_narratives')
