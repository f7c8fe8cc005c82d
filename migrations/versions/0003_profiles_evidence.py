"""frameworks: requirement targets and evidence

Revision ID: 0003_profiles_evidence
Revises: 0002_frameworks
Create Date: 2026-11-23 10:46:44.213281

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_profiles_evidence'
down_revision = '0002_frameworks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('competence_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=True),
    sa.Column('issuer_label', sa.String(length=254), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("source IN ('course', 'quiz', 'rating', 'prior_learning')", name=op.f('ck_evidence_known_source')),
    sa.CheckConstraint('level >= 1', name=op.f('ck_evidence_positive_level')),
    sa.ForeignKeyConstraint(['competence_id'], ['competences.id'], name=op.f('fk_evidence_competence_id_competences')),
    sa.ForeignKeyConstraint(['issuer_id'], ['users.id'], name=op.f('fk_evidence_issuer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_evidence_revoked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_evidence_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_competence_id'), ['competence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_user_id'), ['user_id'], unique=False)

    op.create_table('requirement_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_role_id', sa.Integer(), nullable=False),
    sa.Column('competence_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.CheckConstraint('level >= 1', name=op.f('ck_requirement_targets_positive_level')),
    sa.ForeignKeyConstraint(['competence_id'], ['competences.id'], name=op.f('fk_requirement_targets_competence_id_competences')),
    sa.ForeignKeyConstraint(['job_role_id'], ['job_roles.id'], name=op.f('fk_requirement_targets_job_role_id_job_roles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requirement_targets')),
    sa.UniqueConstraint('job_role_id', 'competence_id', name=op.f('uq_requirement_targets_job_role_id'))
    )
    with op.batch_alter_table('requirement_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirement_targets_competence_id'), ['competence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requirement_targets_job_role_id'), ['job_role_id'], unique=False)



def downgrade():
    with op.batch_alter_table('requirement_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requirement_targets_job_role_id'))
        batch_op.drop_index(batch_op.f('ix_requirement_targets_competence_id'))

    op.drop_table('requirement_targets')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_user_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_competence_id'))

    op.drop_table('evidence')
