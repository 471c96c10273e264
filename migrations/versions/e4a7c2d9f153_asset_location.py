"""asset location: a point in WGS84 and an optional GeoJSON boundary

Revision ID: e4a7c2d9f153
Revises: c5e2b7d41f93
Create Date: 2026-12-02 13:40:00.000000

Nullable columns: safe while workers of the previous release run.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e4a7c2d9f153'
down_revision = 'c5e2b7d41f93'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assets') as batch_op:
        batch_op.add_column(sa.Column('latitude', sa.Numeric(9, 6), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Numeric(9, 6), nullable=True))
        batch_op.add_column(sa.Column('boundary', sa.JSON(), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_assets_point_complete'),
                                         '(latitude IS NULL) = (longitude IS NULL)')


def downgrade():
    with op.batch_alter_table('assets') as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_assets_point_complete'), type_='check')
        batch_op.drop_column('boundary')
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
