"""Create devices.

Revision ID: 005
Revises: 004
"""

import sqlalchemy as sa
from alembic import op

revision = "005"
down_revision = "004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "devices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("device_type", sa.String(length=22), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("model", sa.String(length=120), nullable=True),
        sa.Column("manufacturer", sa.String(length=120), nullable=True),
        sa.Column("api_key_hash", sa.String(length=64), nullable=False),
        sa.Column("api_key_prefix", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "device_type IN ('smartwatch', 'fitness_tracker', 'blood_pressure_monitor', 'glucose_meter', 'pulse_oximeter', 'scale', 'thermometer', 'sleep_tracker', 'other')",
            name=op.f("ck_devices_device_type"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'inactive', 'error')", name=op.f("ck_devices_status")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_devices_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("api_key_hash", name=op.f("uq_devices_api_key_hash")),
    )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_devices_owner_id"), ["owner_id"], unique=False)
    with op.batch_alter_table("biomarker_readings", schema=None) as batch_op:
        batch_op.create_foreign_key(
            op.f("fk_biomarker_readings_device_id_devices"),
            "devices",
            ["device_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("biomarker_readings", schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f("fk_biomarker_readings_device_id_devices"), type_="foreignkey"
        )
    op.drop_table("devices")
