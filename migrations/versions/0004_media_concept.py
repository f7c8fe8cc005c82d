"""media concept goals

Revision ID: 0004_media_concept
Revises: 0003_profiles_evidence
Create Date: 2026-11-23 11:06:25.571340

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_media_concept'
down_revision = '0003_profiles_evidence'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('media_concepts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_media_concepts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_concepts'))
    )


def downgrade():
    op.drop_table('media_concepts')
