"""Create biomarker thresholds.

Revision ID: 012
Revises: 011
"""

import sqlalchemy as sa
from alembic import op

revision = "012"
down_revision = "011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "biomarker_thresholds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("biomarker_type", sa.String(length=40), nullable=False),
        sa.Column("warning_min", sa.Double(), nullable=True),
        sa.Column("warning_max", sa.Double(), nullable=True),
        sa.Column("critical_min", sa.Double(), nullable=True),
        sa.Column("critical_max", sa.Double(), nullable=True),
        sa.Column("updated_by_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "biomarker_type IN ('heart_rate', 'spo2', 'steps', 'calories', 'sleep', 'environmental_noise', 'respiratory_rate', 'body_temperature', 'blood_glucose', 'body_weight', 'blood_pressure_systolic', 'blood_pressure_diastolic')",
            name=op.f("ck_biomarker_thresholds_biomarker_type"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_biomarker_thresholds_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_biomarker_thresholds_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biomarker_thresholds")),
        sa.UniqueConstraint(
            "patient_id",
            "biomarker_type",
            name=op.f("uq_biomarker_thresholds_patient_id_biomarker_type"),
        ),
    )


def downgrade():
    op.drop_table("biomarker_thresholds")
