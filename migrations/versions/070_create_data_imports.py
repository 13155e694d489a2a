"""Data imports: the import jobs, their uploaded files in chunks, reading source 'import'
and the readings' provenance.

Revision ID: 070
Revises: 060
"""

import sqlalchemy as sa
from alembic import op

revision = "070"
down_revision = "060"
branch_labels = None
depends_on = None

SOURCES = ("device", "manual")


def _sources(values: tuple[str, ...]) -> str:
    return f"source IN ({', '.join(repr(value) for value in values)})"


def upgrade():
    op.create_table(
        "data_imports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("records_read", sa.Integer(), nullable=False),
        sa.Column("readings_read", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("faulty", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("invalid", sa.Integer(), nullable=False),
        sa.Column("alerts_created", sa.Integer(), nullable=False),
        sa.Column("skipped_by_type", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("checkpoint", sa.Integer(), nullable=False),
        sa.Column("pending_alerts", sa.JSON(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')",
            name=op.f("ck_data_imports_status"),
        ),
        sa.CheckConstraint(
            "format IN ('apple_health', 'fitbit', 'fit', 'csv')",
            name=op.f("ck_data_imports_format"),
        ),
        sa.CheckConstraint("size_bytes >= 0", name=op.f("ck_data_imports_size_bytes_non_negative")),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_data_imports_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_imports")),
    )
    op.create_index(
        "ix_data_imports_patient_created", "data_imports", ["patient_id", "created_at", "id"]
    )
    op.create_table(
        "import_file_chunks",
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["data_imports.id"],
            name=op.f("fk_import_file_chunks_import_id_data_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("import_id", "seq", name=op.f("pk_import_file_chunks")),
    )
    with op.batch_alter_table("biomarker_readings") as batch:
        batch.add_column(sa.Column("provenance", sa.String(length=200), nullable=True))
        batch.drop_constraint(op.f("ck_biomarker_readings_source"), type_="check")
        batch.create_check_constraint(
            op.f("ck_biomarker_readings_source"), _sources((*SOURCES, "import"))
        )


def downgrade():
    op.execute("DELETE FROM biomarker_readings WHERE source = 'import'")
    with op.batch_alter_table("biomarker_readings") as batch:
        batch.drop_constraint(op.f("ck_biomarker_readings_source"), type_="check")
        batch.create_check_constraint(op.f("ck_biomarker_readings_source"), _sources(SOURCES))
        batch.drop_column("provenance")
    op.drop_table("import_file_chunks")
    op.drop_index("ix_data_imports_patient_created", table_name="data_imports")
    op.drop_table("data_imports")
