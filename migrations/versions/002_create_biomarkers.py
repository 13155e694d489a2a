"""Create biomarkers.

Revision ID: 002
Revises: 001
"""

import sqlalchemy as sa
from alembic import op

revision = "002"
down_revision = "001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "biomarker_readings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("biomarker_type", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("fault_reason", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "biomarker_type IN ('heart_rate', 'spo2', 'steps', 'calories', 'sleep', 'environmental_noise', 'respiratory_rate', 'body_temperature', 'blood_glucose', 'body_weight', 'blood_pressure_systolic', 'blood_pressure_diastolic')",
            name=op.f("ck_biomarker_readings_biomarker_type"),
        ),
        sa.CheckConstraint(
            "source IN ('device', 'manual')", name=op.f("ck_biomarker_readings_source")
        ),
        sa.CheckConstraint("status IN ('ok', 'faulty')", name=op.f("ck_biomarker_readings_status")),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_biomarker_readings_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biomarker_readings")),
    )
    with op.batch_alter_table("biomarker_readings", schema=None) as batch_op:
        batch_op.create_index("ix_biomarker_readings_received_at", ["received_at"], unique=False)
        batch_op.create_index(
            "uq_biomarker_readings_device_sample",
            ["device_id", "biomarker_type", "measured_at"],
            unique=True,
            sqlite_where=sa.text("device_id IS NOT NULL"),
            postgresql_where=sa.text("device_id IS NOT NULL"),
        )
        batch_op.create_index(
            "uq_biomarker_readings_external_id",
            ["patient_id", "external_id"],
            unique=True,
            sqlite_where=sa.text("external_id IS NOT NULL"),
            postgresql_where=sa.text("external_id IS NOT NULL"),
        )
        batch_op.create_index(
            "uq_biomarker_readings_manual_sample",
            ["patient_id", "biomarker_type", "measured_at"],
            unique=True,
            sqlite_where=sa.text("source = 'manual'"),
            postgresql_where=sa.text("source = 'manual'"),
        )
    op.create_index(
        "ix_biomarker_readings_history",
        "biomarker_readings",
        ["patient_id", "biomarker_type", "measured_at", "id"],
        unique=False,
    )


def downgrade():
    op.drop_table("biomarker_readings")
