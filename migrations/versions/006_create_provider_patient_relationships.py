"""Create provider patient relationships.

Revision ID: 006
Revises: 005
"""

import sqlalchemy as sa
from alembic import op

revision = "006"
down_revision = "005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "provider_patient_relationships",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("granted_by_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('care', 'emergency')", name=op.f("ck_provider_patient_relationships_kind")
        ),
        sa.CheckConstraint(
            "provider_id <> patient_id",
            name=op.f("ck_provider_patient_relationships_distinct_parties"),
        ),
        sa.CheckConstraint(
            "valid_until IS NULL OR valid_until > valid_from",
            name=op.f("ck_provider_patient_relationships_valid_until_after_from"),
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"],
            ["users.id"],
            name=op.f("fk_provider_patient_relationships_ended_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"],
            ["users.id"],
            name=op.f("fk_provider_patient_relationships_granted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_provider_patient_relationships_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["users.id"],
            name=op.f("fk_provider_patient_relationships_provider_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_patient_relationships")),
    )
    with op.batch_alter_table("provider_patient_relationships", schema=None) as batch_op:
        batch_op.create_index(
            "ix_provider_patient_relationships_pair", ["provider_id", "patient_id"], unique=False
        )
        batch_op.create_index(
            "ix_provider_patient_relationships_patient", ["patient_id"], unique=False
        )


def downgrade():
    op.drop_table("provider_patient_relationships")
