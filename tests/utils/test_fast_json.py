"""The orjson encoder writes exactly what pydantic's JSON dump wrote, so the lean history path
(rows straight to the encoder) answers byte for byte like the validated one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from healix.controllers import biomarker_controller
from healix.extensions import db
from healix.models.user import User
from healix.routes import dump, page, rows_page, summary_body
from healix.schemas.biomarker_read import ReadingRead, SummaryRead
from healix.utils.periods import Period
from tests.factories.biomarkers import add_reading, bulk_readings, set_profile


def test_rows_page_equals_the_validated_page(app, patient):
    moment = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    add_reading(app, patient.id, "heart_rate", 72.0, measured_at=moment)
    add_reading(app, patient.id, "heart_rate", 72.5, measured_at=moment + timedelta(minutes=1))
    add_reading(
        app,
        patient.id,
        "heart_rate",
        400,
        measured_at=moment.replace(microsecond=0),
        status="faulty",
    )
    with app.test_request_context():
        for biomarker_type in ("heart_rate", None):
            rows = biomarker_controller.history(
                db.session,
                actor=db.session.get(User, patient.id),
                patient_id=None,
                biomarker_type=biomarker_type,
                period=Period(None, None),
                include_faulty=True,
                limit=2,
                cursor=None,
            )
            lean, _ = rows_page(ReadingRead, rows)
            validated, _ = page(ReadingRead, rows)
            assert app.json.dumps(lean) == app.json.dumps(validated)
            assert lean["next_cursor"] is not None
        db.session.remove()


def test_times_and_ids_are_written_as_pydantic_writes_them(app):
    some_id = uuid.uuid4()
    values = {
        "utc": datetime(2026, 1, 1, tzinfo=UTC),
        "offset": datetime(2026, 1, 1, 9, 0, 0, 5, tzinfo=timezone(timedelta(hours=-5))),
        "id": some_id,
        "b": 1.0,
        "a": None,
    }
    assert app.json.dumps(values) == (
        '{"a":null,"b":1.0,"id":"' + str(some_id) + '","offset":"2026-01-01T09:00:00.000005-05:00",'
        '"utc":"2026-01-01T00:00:00Z"}'
    )


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kolkata", "America/New_York"])
@pytest.mark.parametrize(("code", "bucket"), [("heart_rate", "hour"), ("steps", "day")])
def test_summary_body_equals_the_validated_summary(app, patient, zone, code, bucket):
    set_profile(app, patient.id, timezone=zone)
    # across the March change of both zones that observe one, integral and fractional values
    start = datetime(2026, 3, 7, 22, 17, tzinfo=UTC)
    points = [(start + timedelta(minutes=41 * n), 60 + n % 37 + (n % 4) / 4) for n in range(600)]
    bulk_readings(app, patient.id, code, points)
    add_reading(app, patient.id, code, 80.25, measured_at=start + timedelta(hours=5, minutes=3))
    with app.test_request_context():
        result = biomarker_controller.summary(
            db.session,
            actor=db.session.get(User, patient.id),
            patient_id=None,
            biomarker_type=code,
            bucket=bucket,
            period=Period(start - timedelta(hours=3), start + timedelta(days=19, minutes=7)),
        )
        lean, _ = summary_body(result)
        validated, _ = dump(SummaryRead.model_validate(result))
        assert any(item["count"] == 0 for item in validated["items"])
        assert any(item["count"] > 1 for item in validated["items"])
        assert app.json.dumps(lean) == app.json.dumps(validated)
        db.session.remove()
