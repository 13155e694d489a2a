"""Create biomarker_latest (the newest non-faulty reading per patient and type) and backfill
it from the readings.

Revision ID: 080
Revises: 075
"""

import sqlalchemy as sa
from alembic import op

revision = "080"
down_revision = "075"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "biomarker_latest",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("biomarker_type", sa.String(length=40), nullable=False),
        sa.Column("reading_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_biomarker_latest_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", "biomarker_type", name=op.f("pk_biomarker_latest")),
    )
    op.execute(
        """
        INSERT INTO biomarker_latest
            (patient_id, biomarker_type, reading_id, value, unit, measured_at)
        SELECT patient_id, biomarker_type, id, value, unit, measured_at
        FROM (
            SELECT r.*, row_number() OVER (
                PARTITION BY r.patient_id, r.biomarker_type
                ORDER BY r.measured_at DESC, r.id DESC
            ) AS position
            FROM biomarker_readings r
            WHERE r.status <> 'faulty'
        ) AS ranked
        WHERE position = 1
        """
    )


def downgrade():
    op.drop_table("biomarker_latest")
