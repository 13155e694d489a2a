"""Create biomarker_rollups (hourly UTC totals per patient and type) and backfill them.

`in_range` counts the readings inside the normal band in force: the patient's own
thresholds where they set them, else the catalog defaults of today (snapshotted below, as a
migration must not follow later changes of the code).

Revision ID: 040
Revises: 035
"""

import sqlalchemy as sa
from alembic import op

revision = "040"
down_revision = "035"
branch_labels = None
depends_on = None

#: the catalog's default (warning_min, warning_max, critical_min, critical_max) at this revision
DEFAULT_BOUNDS = {
    "heart_rate": (50, 110, 40, 140),
    "spo2": (94, None, 90, None),
    "sleep": (5, None, 3, None),
    "environmental_noise": (None, 85, None, 100),
    "respiratory_rate": (10, 22, 8, 30),
    "body_temperature": (35.5, 38.0, 35, 39.5),
    "blood_glucose": (70, 180, 54, 250),
    "blood_pressure_systolic": (90, 140, 80, 180),
    "blood_pressure_diastolic": (60, 90, 50, 120),
}


def _inside(bounds, value="r.value"):
    lower = [f"{value} >= {bound}" for bound in (bounds[0], bounds[2]) if bound is not None]
    upper = [f"{value} <= {bound}" for bound in (bounds[1], bounds[3]) if bound is not None]
    return " AND ".join(lower + upper) or "1 = 1"


def _in_band_sql():
    personal = " AND ".join(
        [
            "(t.warning_min IS NULL OR r.value >= t.warning_min)",
            "(t.critical_min IS NULL OR r.value >= t.critical_min)",
            "(t.warning_max IS NULL OR r.value <= t.warning_max)",
            "(t.critical_max IS NULL OR r.value <= t.critical_max)",
        ]
    )
    defaults = " ".join(
        f"WHEN r.biomarker_type = '{code}' THEN ({_inside(bounds)})"
        for code, bounds in DEFAULT_BOUNDS.items()
    )
    return f"CASE WHEN t.id IS NOT NULL THEN ({personal}) {defaults} ELSE 1 = 1 END"


def upgrade():
    op.create_table(
        "biomarker_rollups",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("biomarker_type", sa.String(length=40), nullable=False),
        sa.Column("slot_start", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("sum", sa.Double(), nullable=False),
        sa.Column("min", sa.Double(), nullable=False),
        sa.Column("max", sa.Double(), nullable=False),
        sa.Column("in_range", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "slot_start % 3600 = 0", name=op.f("ck_biomarker_rollups_slot_is_an_hour")
        ),
        sa.CheckConstraint(
            "count >= 1 AND in_range >= 0 AND in_range <= count",
            name=op.f("ck_biomarker_rollups_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_biomarker_rollups_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "patient_id", "biomarker_type", "slot_start", name=op.f("pk_biomarker_rollups")
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        slot = "(floor(extract(epoch FROM r.measured_at) / 3600) * 3600)::bigint"
    else:
        slot = "(CAST(strftime('%s', r.measured_at) AS INTEGER) / 3600) * 3600"
    # the SQL is built from this file's constants only; nothing comes from outside
    op.execute(
        f"""
        INSERT INTO biomarker_rollups
            (patient_id, biomarker_type, slot_start, count, sum, min, max, in_range)
        SELECT r.patient_id, r.biomarker_type, {slot}, count(*), sum(r.value), min(r.value),
               max(r.value), sum(CASE WHEN {_in_band_sql()} THEN 1 ELSE 0 END)
        FROM biomarker_readings r
        LEFT JOIN biomarker_thresholds t
            ON t.patient_id = r.patient_id AND t.biomarker_type = r.biomarker_type
        WHERE r.status <> 'faulty'
        GROUP BY r.patient_id, r.biomarker_type, {slot}
        """  # noqa: S608
    )


def downgrade():
    op.drop_table("biomarker_rollups")
