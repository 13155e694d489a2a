"""Create appointments.

Revision ID: 003
Revises: 002
"""

import sqlalchemy as sa
from alembic import op

revision = "003"
down_revision = "002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "appointments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("provider_notes", sa.Text(), nullable=True),
        sa.Column("cancellation_reason", sa.Text(), nullable=True),
        sa.Column("cancelled_by_id", sa.Uuid(), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reschedule_count", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('scheduled', 'completed', 'cancelled', 'no_show', 'rescheduled')",
            name=op.f("ck_appointments_status"),
        ),
        sa.CheckConstraint("end_time > start_time", name=op.f("ck_appointments_end_after_start")),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["users.id"],
            name=op.f("fk_appointments_cancelled_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_appointments_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_appointments_patient_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["users.id"],
            name=op.f("fk_appointments_provider_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_appointments_patient_start", ["patient_id", "start_time"], unique=False
        )
        batch_op.create_index(
            "ix_appointments_provider_start", ["provider_id", "start_time"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        # No two scheduled appointments of one provider (or of one patient) may overlap.
        # Half-open ranges '[)' let back-to-back slots (10:00-10:30, 10:30-11:00) coexist.
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for party in ("provider", "patient"):
            op.execute(
                f"ALTER TABLE appointments ADD CONSTRAINT ex_appointments_{party}_overlap "
                f"EXCLUDE USING gist ({party}_id WITH =, "
                "tstzrange(start_time, end_time, '[)') WITH &&) "
                "WHERE (status = 'scheduled')"
            )


def downgrade():
    op.drop_table("appointments")
