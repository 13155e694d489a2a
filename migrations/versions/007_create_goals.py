"""Create goals.

Revision ID: 007
Revises: 006
"""

import sqlalchemy as sa
from alembic import op

revision = "007"
down_revision = "006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "goals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("goal_type", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("target_value", sa.Double(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("direction IN ('at_least', 'at_most')", name=op.f("ck_goals_direction")),
        sa.CheckConstraint(
            "goal_type IN ('steps', 'calories', 'sleep', 'heart_rate', 'water_intake', 'custom')",
            name=op.f("ck_goals_goal_type"),
        ),
        sa.CheckConstraint(
            "period IN ('daily', 'weekly', 'monthly')", name=op.f("ck_goals_period")
        ),
        sa.CheckConstraint(
            "status IN ('active', 'paused', 'completed', 'abandoned')", name=op.f("ck_goals_status")
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_goals_end_after_start")
        ),
        sa.CheckConstraint("target_value > 0", name=op.f("ck_goals_target_positive")),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["users.id"], name=op.f("fk_goals_patient_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goals_patient_id"), ["patient_id"], unique=False)


def downgrade():
    op.drop_table("goals")
