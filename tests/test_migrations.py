"""The Alembic migrations and the SQLAlchemy models describe the same schema."""

from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import insert, select, text

from healix.controllers import latest_controller, threshold_controller
from healix.extensions import db
from healix.models.biomarker import BiomarkerReading
from healix.models.biomarker_latest import BiomarkerLatest
from healix.models.biomarker_rollup import BiomarkerRollup
from healix.models.biomarker_threshold import BiomarkerThreshold
from tests.factories.biomarkers import reading_row
from tests.factories.users import create_user


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_migrations_print_postgres_ddl(make_app):
    """`flask db upgrade --sql` renders the PostgreSQL DDL offline (no server needed)."""
    offline = make_app(database_url="postgresql+psycopg://nobody@127.0.0.1:1/offline")
    result = offline.test_cli_runner().invoke(args=["db", "upgrade", "--sql"])
    assert result.exit_code == 0, result.output
    assert "CREATE TABLE users" in result.output
    assert "EXCLUDE USING gist" in result.output
    assert "CREATE TRIGGER audit_logs_append_only" in result.output


def test_the_rollups_migration_backfills_what_the_controller_would_build(make_app, tmp_path):
    """Readings stored before migration 040 get their hourly rollups, with in-range counts
    under the thresholds in force (personal where set), exactly as a rebuild computes them."""
    fresh = make_app(database_url=f"sqlite:///{tmp_path / 'backfill.db'}")
    with fresh.app_context():
        upgrade(revision="040")
    patient = create_user(fresh, role="patient")
    start = datetime(2026, 3, 29, tzinfo=UTC)
    rows = [
        reading_row(patient.id, code, value, start + timedelta(minutes=17 * i), status=status)
        for i, (code, value, status) in enumerate(
            [
                ("heart_rate", 70, "ok"),
                ("heart_rate", 120, "ok"),
                ("heart_rate", 300, "faulty"),
                ("heart_rate", 45, "ok"),
                ("steps", 500, "ok"),
                ("blood_glucose", 90, "ok"),
                ("blood_glucose", 200, "ok"),
            ]
        )
    ]

    def snapshot() -> list[tuple[object, ...]]:
        return [
            tuple(row)
            for row in db.session.execute(
                select(BiomarkerRollup.__table__).order_by(
                    BiomarkerRollup.biomarker_type, BiomarkerRollup.slot_start
                )
            )
        ]

    with fresh.app_context():
        db.session.execute(insert(BiomarkerReading), rows)
        db.session.add(
            BiomarkerThreshold(patient_id=patient.id, biomarker_type="heart_rate", warning_max=130)
        )
        db.session.commit()
        downgrade(revision="-1")  # drops the rollups only; the readings stay
        upgrade(revision="040")
        backfilled = snapshot()
        threshold_controller.rebuild_rollups(db.session)
        rebuilt = snapshot()
        db.session.rollback()
        db.session.remove()
    assert backfilled == rebuilt
    by_type = {row[1]: row for row in backfilled}
    assert sorted(by_type) == ["blood_glucose", "heart_rate", "steps"]  # one hour each
    # count, sum, min, max, in range; the faulty reading is left out
    assert by_type["heart_rate"][3:] == (3, 235.0, 45.0, 120.0, 3)  # personal: no lower bound
    assert by_type["blood_glucose"][3:] == (2, 290.0, 90.0, 200.0, 1)  # catalog: 70..180


def test_the_rollups_key_carries_the_totals_on_postgres(app, is_postgres):
    """Migration 075: summaries read the totals from the primary key's index alone."""
    if not is_postgres:
        pytest.skip("INCLUDE columns are PostgreSQL's; SQLite keeps the rows in the key's b-tree")
    with app.app_context():
        definition = db.session.scalar(
            text("SELECT pg_get_indexdef('pk_biomarker_rollups'::regclass)")
        )
    assert definition.endswith(
        "(patient_id, biomarker_type, slot_start) INCLUDE (count, sum, min, max, in_range)"
    )


def test_the_latest_migration_backfills_what_a_rebuild_computes(make_app, tmp_path):
    """Readings stored before migration 080 get their latest row per patient and type: the
    newest non-faulty reading by (measured_at, id), exactly as a rebuild computes it."""
    fresh = make_app(database_url=f"sqlite:///{tmp_path / 'latest.db'}")
    with fresh.app_context():
        upgrade(revision="070")
    patient = create_user(fresh, role="patient")
    start = datetime(2026, 3, 29, tzinfo=UTC)
    tie = start + timedelta(hours=2)
    rows = [
        reading_row(patient.id, "heart_rate", 70, start),
        reading_row(patient.id, "heart_rate", 300, start + timedelta(hours=3), status="faulty"),
        reading_row(patient.id, "heart_rate", 75, tie),
        reading_row(patient.id, "heart_rate", 76, tie),
        reading_row(patient.id, "blood_glucose", 90, start),
        reading_row(patient.id, "steps", 5000, start + timedelta(hours=1), status="faulty"),
    ]

    def snapshot() -> list[tuple[object, ...]]:
        return [
            tuple(row)
            for row in db.session.execute(
                select(BiomarkerLatest.__table__).order_by(BiomarkerLatest.biomarker_type)
            )
        ]

    with fresh.app_context():
        db.session.execute(insert(BiomarkerReading), rows)
        db.session.commit()
        upgrade(revision="080")
        backfilled = snapshot()
        latest_controller.rebuild(db.session)
        rebuilt = snapshot()
        db.session.rollback()
        db.session.remove()
    assert backfilled == rebuilt
    newest_tie = max(rows[2:4], key=lambda row: row["id"])
    assert [(row[1], row[2], row[3]) for row in backfilled] == [
        ("blood_glucose", rows[4]["id"], 90.0),
        ("heart_rate", newest_tie["id"], newest_tie["value"]),
    ]
