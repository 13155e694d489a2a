"""The orjson encoder writes exactly what pydantic's JSON dump wrote, so the lean history path
(rows straight to the encoder) answers byte for byte like the validated one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

from healix.controllers import biomarker_controller
from healix.extensions import db
from healix.models.user import User
from healix.routes import page, rows_page
from healix.schemas.biomarker_read import ReadingRead
from healix.utils.periods import Period
from tests.factories.biomarkers import add_reading


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
