"""stage tallies: how many applications are at each stage, for the council dashboard

Revision ID: 7c41d2a9e8b3
Revises: 39e990df0731
Create Date: 2026-11-28 18:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = '7c41d2a9e8b3'
down_revision = '39e990df0731'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stage_tallies',
    sa.Column('workflow', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('applications', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('workflow', 'state', name=op.f('pk_stage_tallies'))
    )
    op.execute(
        "INSERT INTO stage_tallies (workflow, state, applications) "
        "SELECT workflow, state, count(*) FROM applications GROUP BY workflow, state"
    )


def downgrade():
    op.drop_table('stage_tallies')
