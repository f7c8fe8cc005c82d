"""frameworks: scales, frameworks, competences

Revision ID: 0002_frameworks
Revises: 0001_accounts
Create Date: 2026-11-23 10:34:16.206341

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_frameworks'
down_revision = '0001_accounts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scales'))
    )
    op.create_table('frameworks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lineage', sa.String(length=64), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('version_label', sa.String(length=40), nullable=False),
    sa.Column('identifier', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('scale_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'retired')", name=op.f('ck_frameworks_known_status')),
    sa.ForeignKeyConstraint(['scale_id'], ['scales.id'], name=op.f('fk_frameworks_scale_id_scales')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_frameworks')),
    sa.UniqueConstraint('lineage', 'version_number', name=op.f('uq_frameworks_lineage'))
    )
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_frameworks_lineage'), ['lineage'], unique=False)
        batch_op.create_index(batch_op.f('ix_frameworks_scale_id'), ['scale_id'], unique=False)

    op.create_table('scale_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scale_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['scale_id'], ['scales.id'], name=op.f('fk_scale_levels_scale_id_scales'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scale_levels')),
    sa.UniqueConstraint('scale_id', 'position', name=op.f('uq_scale_levels_scale_id'))
    )
    with op.batch_alter_table('scale_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scale_levels_scale_id'), ['scale_id'], unique=False)

    op.create_table('competences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=80), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('title_en', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['frameworks.id'], name=op.f('fk_competences_framework_id_frameworks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['competences.id'], name=op.f('fk_competences_parent_id_competences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competences')),
    sa.UniqueConstraint('framework_id', 'identifier', name=op.f('uq_competences_framework_id'))
    )
    with op.batch_alter_table('competences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competences_framework_id'), ['framework_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competences_parent_id'), ['parent_id'], unique=False)



def downgrade():
    with op.batch_alter_table('competences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competences_parent_id'))
        batch_op.drop_index(batch_op.f('ix_competences_framework_id'))

    op.drop_table('competences')
    with op.batch_alter_table('scale_levels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scale_levels_scale_id'))

    op.drop_table('scale_levels')
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_frameworks_scale_id'))
        batch_op.drop_index(batch_op.f('ix_frameworks_lineage'))

    op.drop_table('frameworks')
    op.drop_table('scales')
