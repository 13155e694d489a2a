"""The rollups' primary key carries their totals (PostgreSQL `INCLUDE`), so a summary reads
them from the index alone: a year of hourly rollups is 8,760 index entries on a few dozen
pages instead of as many heap pages.

Revision ID: 075
Revises: 070
"""

from alembic import op

revision = "075"
down_revision = "070"
branch_labels = None
depends_on = None

KEY = "patient_id, biomarker_type, slot_start"
TOTALS = "count, sum, min, max, in_range"


def _replace_key(include: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no INCLUDE; its rows live in the primary key's b-tree already
    op.execute("ALTER TABLE biomarker_rollups DROP CONSTRAINT pk_biomarker_rollups")
    op.execute(
        f"ALTER TABLE biomarker_rollups ADD CONSTRAINT pk_biomarker_rollups PRIMARY KEY ({KEY})"
        + include
    )
    op.execute("ANALYZE biomarker_rollups")


def upgrade():
    _replace_key(f" INCLUDE ({TOTALS})")


def downgrade():
    _replace_key("")
