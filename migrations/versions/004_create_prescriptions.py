"""Create prescriptions.

Revision ID: 004
Revises: 003
"""

import sqlalchemy as sa
from alembic import op

revision = "004"
down_revision = "003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "prescriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("medication_name", sa.String(length=200), nullable=False),
        sa.Column("dosage", sa.String(length=200), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("refills_allowed", sa.Integer(), nullable=False),
        sa.Column("refills_left", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'completed', 'expired', 'cancelled')",
            name=op.f("ck_prescriptions_status"),
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date",
            name=op.f("ck_prescriptions_end_after_start"),
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_prescriptions_quantity_positive")),
        sa.CheckConstraint(
            "refills_allowed >= 0", name=op.f("ck_prescriptions_refills_allowed_non_negative")
        ),
        sa.CheckConstraint(
            "refills_left >= 0 AND refills_left <= refills_allowed",
            name=op.f("ck_prescriptions_refills_left_range"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_prescriptions_patient_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["users.id"],
            name=op.f("fk_prescriptions_provider_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prescriptions")),
    )
    with op.batch_alter_table("prescriptions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_prescriptions_patient_status", ["patient_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_prescriptions_provider_status", ["provider_id", "status"], unique=False
        )


def downgrade():
    op.drop_table("prescriptions")
