"""POST/GET /api/imports: uploads, the import job (run in-process after commit, as without a
broker), the format mappings, re-imports, hostile files, cancellation and access."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from healix.config import current_settings
from healix.controllers import import_controller, job_controller
from healix.extensions import db
from healix.models import (
    Alert,
    AuditLog,
    BiomarkerReading,
    DataImport,
    ImportFileChunk,
    Job,
    User,
)
from healix.models.data_import import ImportStatus
from healix.models.job import JobStatus
from tests.factories.biomarkers import set_profile, set_threshold
from tests.factories.imports import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    AppleExport,
    csv_file,
    fit_file,
    fitbit_takeout,
    fitbit_time,
    traversal_zip,
    zip_bomb,
    zip_of,
)

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2024, 3, 5, 8, 0, tzinfo=UTC)


def upload(client, caller, data: bytes, filename: str = "export.xml", **form):
    return client.post(
        "/api/imports",
        data={"file": (io.BytesIO(data), filename), **form},
        headers=caller.headers,
        content_type="multipart/form-data",
    )


def imported(client, caller, data: bytes, filename: str = "export.xml", **form) -> dict:
    """Upload and return the finished import (the job ran right after the upload)."""
    response = upload(client, caller, data, filename, **form)
    assert response.status_code == 202, response.get_json()
    created = response.get_json()
    assert created["status"] == "queued"
    answer = client.get(f"/api/imports/{created['id']}", headers=caller.headers)
    assert answer.status_code == 200
    return answer.get_json()


def readings(app, patient_id) -> list[BiomarkerReading]:
    with app.app_context():
        rows = db.session.scalars(
            select(BiomarkerReading)
            .where(BiomarkerReading.patient_id == patient_id)
            .order_by(BiomarkerReading.biomarker_type, BiomarkerReading.measured_at)
        ).all()
        db.session.expunge_all()
        return list(rows)


def by_type(rows: list[BiomarkerReading]) -> dict[str, list[BiomarkerReading]]:
    grouped: dict[str, list[BiomarkerReading]] = {}
    for row in rows:
        grouped.setdefault(row.biomarker_type, []).append(row)
    return grouped


def sample_export() -> AppleExport:
    export = AppleExport()
    export.record("HKQuantityTypeIdentifierHeartRate", 61, "count/min", T0)
    export.record("HKQuantityTypeIdentifierRestingHeartRate", 55, "count/min", T0 + timedelta(1))
    export.record("HKQuantityTypeIdentifierOxygenSaturation", 0.97, "%", T0)
    export.record("HKQuantityTypeIdentifierRespiratoryRate", 14, "count/min", T0)
    export.record("HKQuantityTypeIdentifierBodyTemperature", 98.6, "degF", T0)
    export.record("HKQuantityTypeIdentifierBodyMass", 154, "lb", T0, source="Withings", device=None)
    export.record("HKQuantityTypeIdentifierBloodGlucose", 99, "mg/dL", T0)
    export.record(
        "HKQuantityTypeIdentifierBloodGlucose", 5.5, "mmol<180.1558800000541>/L", T0 + timedelta(1)
    )
    for minute in (0, 20, 40):
        at = T0 + timedelta(minutes=minute)
        export.record(
            "HKQuantityTypeIdentifierStepCount", 100, "count", at, at + timedelta(minutes=5)
        )
        export.record("HKQuantityTypeIdentifierActiveEnergyBurned", 10, "kcal", at)
        export.record("HKQuantityTypeIdentifierBasalEnergyBurned", 20, "Cal", at)
    export.record("HKQuantityTypeIdentifierStepCount", 7, "count", T0 + timedelta(hours=1))
    export.blood_pressure(121, 79, T0)
    export.record("HKQuantityTypeIdentifierBloodPressureSystolic", 121, "mmHg", T0, source="Omron")
    export.record("HKQuantityTypeIdentifierDietaryWater", 250, "mL", T0)
    export.raw('<Workout workoutActivityType="HKWorkoutActivityTypeRunning"/>')
    return export


def test_an_apple_health_export_is_imported_with_the_catalogs_rules(app, client, signed_in):
    patient = signed_in(role="patient")
    result = imported(client, patient, sample_export().zip(), "export.zip")

    assert result["status"] == "done", result
    assert result["format"] == "apple_health"
    grouped = by_type(readings(app, patient.id))
    assert [r.value for r in grouped["heart_rate"]] == [61, 55]
    assert grouped["spo2"][0].value == pytest.approx(97)
    assert grouped["respiratory_rate"][0].value == 14
    assert grouped["body_temperature"][0].value == pytest.approx(37.0)
    assert grouped["body_weight"][0].value == pytest.approx(69.85, abs=0.01)
    assert grouped["body_weight"][0].provenance == "Withings"
    assert [r.value for r in grouped["blood_glucose"]] == pytest.approx([99, 99])
    # steps and energy: summed per hour, at the start of the hour
    assert [(r.measured_at, r.value) for r in grouped["steps"]] == [
        (T0, 300),
        (T0 + timedelta(hours=1), 7),
    ]
    assert [r.value for r in grouped["calories"]] == [90]
    # the correlation's pair, at the correlation's time; the loose copy is a duplicate
    systolic, diastolic = grouped["blood_pressure_systolic"], grouped["blood_pressure_diastolic"]
    assert [(r.value, r.measured_at) for r in systolic] == [(121, T0)]
    assert [(r.value, r.measured_at) for r in diastolic] == [(79, T0)]
    assert systolic[0].provenance == "Omron"
    assert grouped["heart_rate"][0].provenance == "Jo's Apple Watch / Apple Watch"
    assert {r.source for r in readings(app, patient.id)} == {"import"}
    assert result["skipped_by_type"] == {
        "HKQuantityTypeIdentifierDietaryWater": 1,
        "Workout": 1,
    }
    assert result["duplicates"] == 1
    assert result["accepted"] == len(readings(app, patient.id))
    assert result["invalid"] == 0
    assert result["finished_at"] is not None


def test_importing_the_same_file_again_adds_nothing(app, client, signed_in):
    patient = signed_in(role="patient")
    data = sample_export().xml()
    first = imported(client, patient, data)
    stored = len(readings(app, patient.id))

    again = imported(client, patient, data)

    assert again["status"] == "done"
    assert again["accepted"] == 0
    assert again["duplicates"] == first["accepted"] + first["duplicates"]
    assert len(readings(app, patient.id)) == stored


def test_a_later_overlapping_export_adds_only_the_new_records(app, client, signed_in):
    patient = signed_in(role="patient")
    early = AppleExport().record("HKQuantityTypeIdentifierHeartRate", 60, "count/min", T0)
    imported(client, patient, early.xml())
    later = early.record("HKQuantityTypeIdentifierHeartRate", 70, "count/min", T0 + timedelta(1))

    result = imported(client, patient, later.xml())

    assert (result["accepted"], result["duplicates"]) == (1, 1)


def test_sleep_is_summed_per_night_in_the_patients_zone_across_midnight_and_dst(
    app, client, signed_in
):
    patient = signed_in(role="patient")
    set_profile(app, patient.id, timezone="Europe/London")
    export = AppleExport()

    def local(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2024, 3, day, hour, minute, tzinfo=LONDON)

    # the night of 30 to 31 March 2024: clocks go forward at 01:00 UTC
    export.sleep("InBed", local(30, 22, 30), local(31, 7))
    export.sleep("AsleepCore", local(30, 23), local(31, 0, 30))  # 1.5 h, across midnight
    export.sleep("AsleepDeep", local(31, 0, 30), local(31, 3))  # 1.5 h of wall clock, 1.5 real
    export.sleep("Awake", local(31, 3), local(31, 3, 15))
    export.sleep("AsleepREM", local(31, 3, 15), local(31, 6, 15))  # 3 h
    # the next night, and a nap the next afternoon (its own "night")
    export.sleep("Asleep", local(31, 23), local(31, 23, 59))
    nap = datetime(2024, 4, 1, 13, tzinfo=LONDON)
    export.sleep("AsleepUnspecified", nap, nap + timedelta(hours=1))

    result = imported(client, patient, export.xml())

    assert result["status"] == "done", result
    nights = by_type(readings(app, patient.id))["sleep"]
    assert [(round(r.value, 3), r.measured_at) for r in nights] == [
        (6.0, local(31, 6, 15).astimezone(UTC)),
        (round(59 / 60, 3), local(31, 23, 59).astimezone(UTC)),
        (1.0, datetime(2024, 4, 1, 13, tzinfo=UTC)),
    ]


def test_an_import_of_old_data_raises_one_alert_per_type_for_the_newest_breach(
    app, client, signed_in
):
    patient = signed_in(role="patient")
    set_threshold(app, patient.id, "heart_rate", warning_max=100)
    export = AppleExport()
    for day in range(30):
        export.record(
            "HKQuantityTypeIdentifierHeartRate", 120 + day, "count/min", T0 + timedelta(day)
        )
    export.record("HKQuantityTypeIdentifierHeartRate", 500, "count/min", T0 + timedelta(40))

    result = imported(client, patient, export.xml())

    assert (result["accepted"], result["faulty"], result["alerts_created"]) == (30, 1, 1)
    with app.app_context():
        alerts = db.session.scalars(select(Alert).where(Alert.patient_id == patient.id)).all()
        assert [(a.biomarker_type, a.occurrences, a.last_value) for a in alerts] == [
            ("heart_rate", 1, 149)
        ]


def test_one_audit_row_per_import_with_counts_only(app, client, signed_in):
    patient = signed_in(role="patient")
    result = imported(client, patient, sample_export().xml())

    with app.app_context():
        rows = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "BIOMARKER_READINGS_IMPORTED")
        ).all()
        assert len(rows) == 1
        assert rows[0].resource_id == result["id"]
        assert rows[0].actor_id == patient.id
        assert rows[0].details["accepted"] == result["accepted"]
        assert set(rows[0].details) == {
            "format",
            "status",
            "records_read",
            "accepted",
            "faulty",
            "duplicates",
            "invalid",
            "skipped",
            "alerts_created",
        }
        assert db.session.scalar(select(func.count()).select_from(ImportFileChunk)) == 0


def test_a_csv_file_is_imported_and_its_bad_lines_reported_by_line(app, client, signed_in):
    patient = signed_in(role="patient")
    data = csv_file(
        [
            ("heart_rate", 72, "bpm", "2024-03-05T08:00:00+01:00", "mine-1"),
            ("blood_glucose", 6, "mmol/L", "2024-03-05T08:00:00Z", ""),
            ("heart_rate", "fast", "bpm", "2024-03-05T09:00:00Z", ""),
            ("heart_rate", 72, "furlongs", "2024-03-05T10:00:00Z", ""),
            ("heart_rate", 72, "bpm", "2024-03-05 10:00", ""),
            ("mood", 3, "points", "2024-03-05T10:00:00Z", ""),
            ("heart_rate", 72, "bpm", "2999-01-01T00:00:00Z", ""),
        ],
        header="type,value,unit,timestamp,external_id",
    )

    result = imported(client, patient, data, "readings.csv")

    assert result["format"] == "csv"
    assert (result["accepted"], result["invalid"]) == (2, 4)
    assert result["skipped_by_type"] == {"mood": 1}
    assert [error["position"] for error in result["errors"]] == [
        "line 4",
        "line 5",
        "line 6",
        "line 8",
    ]
    glucose = by_type(readings(app, patient.id))["blood_glucose"][0]
    assert glucose.value == pytest.approx(108)
    assert {r.external_id for r in readings(app, patient.id)} >= {"mine-1"}
    assert imported(client, patient, data, "readings.csv")["accepted"] == 0


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (BILLION_LAUGHS, "export.xml", "entities"),
        (EXTERNAL_ENTITY, "export.xml", "entities"),
        (
            AppleExport()
            .record("HKQuantityTypeIdentifierHeartRate", 60, "count/min", T0)
            .xml()[:-40],
            "export.xml",
            "truncated",
        ),
        (b"<NotHealth><Record/></NotHealth>", "export.xml", "not an Apple Health export"),
        (zip_of({"apple_health_export/export.xml": b"PK garbage"}), "export.zip", "malformed"),
    ],
    ids=["billion-laughs", "external-entity", "truncated-xml", "other-xml", "corrupt-entry"],
)
def test_hostile_or_broken_files_fail_the_import_with_a_clear_error(
    app, client, signed_in, data, filename, message
):
    patient = signed_in(role="patient")
    result = imported(client, patient, data, filename)

    assert result["status"] == "failed"
    assert message in result["error"]
    assert "passwd" not in result["error"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportFileChunk)) == 0


def test_a_failed_import_keeps_its_committed_chunks_and_a_repaired_file_completes_it(
    app, client, signed_in, make_app
):
    patient = signed_in(role="patient")
    export = AppleExport()
    for minute in range(5):
        export.record(
            "HKQuantityTypeIdentifierHeartRate",
            60 + minute,
            "count/min",
            T0 + timedelta(minutes=minute),
        )
    whole = export.xml()
    small = make_app(import_commit_readings=2)
    small_client = small.test_client()

    broken = imported(small_client, patient, whole[: whole.rindex(b"<Record")] + b"<Rec")

    assert broken["status"] == "failed"
    assert broken["accepted"] == 4  # two committed chunks of two
    repaired = imported(small_client, patient, whole)
    assert (repaired["accepted"], repaired["duplicates"]) == (1, 4)


@pytest.mark.parametrize(
    ("data", "filename", "field", "message"),
    [
        (b"just some text", "notes.txt", "file", "not a recognised export"),
        (traversal_zip(), "export.zip", "file", "unsafe path"),
        (zip_bomb(), "export.zip", "file", "zip bomb"),
        (b"PK\x03\x04 truncated", "export.zip", "file", "not a valid zip"),
        (b"", "export.xml", "file", "empty"),
    ],
    ids=["wrong-format", "path-traversal", "zip-bomb", "truncated-zip", "empty"],
)
def test_files_that_are_no_export_are_refused_at_upload(
    app, client, signed_in, data, filename, field, message
):
    patient = signed_in(role="patient")
    response = upload(client, patient, data, filename)

    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert problem["errors"][0]["loc"] == field
    assert message in problem["detail"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DataImport)) == 0


def test_a_zip_exceeding_the_unpacked_size_limit_is_refused(app, client, signed_in, make_app):
    patient = signed_in(role="patient")
    strict = make_app(import_max_unpacked_bytes=1000).test_client()
    response = upload(strict, patient, sample_export().zip(), "export.zip")
    assert response.status_code == 422
    assert "unpacks to more than" in response.get_json()["detail"]


def test_an_upload_over_the_size_limit_is_413(app, signed_in, make_app):
    patient = signed_in(role="patient")
    strict = make_app(import_max_upload_bytes=1000).test_client()
    response = upload(strict, patient, b"type,value,unit,timestamp\n" + b"x" * 5000, "a.csv")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_uploads_beyond_the_apis_body_limit_are_accepted_up_to_the_import_limit(
    app, signed_in, make_app
):
    patient = signed_in(role="patient")
    roomy = make_app(max_content_length=1024).test_client()
    rows = [("heart_rate", 60, "bpm", (T0 + timedelta(minutes=i)).isoformat()) for i in range(100)]
    response = upload(roomy, patient, csv_file(rows), "a.csv")
    assert response.status_code == 202


def test_the_format_can_be_given(app, client, signed_in):
    patient = signed_in(role="patient")
    response = upload(client, patient, b"<HealthData/>", "x.bin", format="csv")
    assert response.status_code == 202
    result = client.get(f"/api/imports/{response.get_json()['id']}", headers=patient.headers)
    assert result.get_json()["status"] == "failed"
    assert "Not a Healix CSV file" in result.get_json()["error"]


def test_a_running_import_is_cancelled_at_its_next_commit(app, client, signed_in, dbs):
    patient = signed_in(role="patient")
    export = AppleExport().record("HKQuantityTypeIdentifierHeartRate", 60, "count/min", T0)
    with dbs() as session:
        actor = session.get_one(User, patient.id)
        data_import = import_controller.create_import(
            session,
            actor=actor,
            upload=io.BytesIO(export.xml()),
            filename="export.xml",
            file_format=None,
            settings=current_settings(),
        )
        session.info.pop(job_controller.HANDOFF_KEY)  # run it by hand below
        import_id = data_import.id
        job_id = session.scalar(select(Job.id).where(Job.subject_id == import_id))
    with dbs() as session:
        session.get_one(DataImport, import_id).status = ImportStatus.RUNNING
    response = client.post(f"/api/imports/{import_id}/cancel", headers=patient.headers)
    assert response.status_code == 200
    assert response.get_json()["cancel_requested"] is True

    with app.app_context():
        outcome = job_controller.execute(job_id, settings=current_settings(), worker="test")

    assert outcome.status == JobStatus.DONE
    result = client.get(f"/api/imports/{import_id}", headers=patient.headers).get_json()
    assert result["status"] == "cancelled"
    assert readings(app, patient.id) == []
    again = client.post(f"/api/imports/{import_id}/cancel", headers=patient.headers)
    assert again.status_code == 409


def test_a_queued_import_is_cancelled_at_once(app, client, signed_in, dbs):
    patient = signed_in(role="patient")
    with dbs() as session:
        data_import = import_controller.create_import(
            session,
            actor=session.get_one(User, patient.id),
            upload=io.BytesIO(sample_export().xml()),
            filename="export.xml",
            file_format=None,
            settings=current_settings(),
        )
        session.info.pop(job_controller.HANDOFF_KEY)
        import_id = data_import.id

    response = client.post(f"/api/imports/{import_id}/cancel", headers=patient.headers)

    assert response.get_json()["status"] == "cancelled"
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.subject_id == import_id))
        assert job.status == JobStatus.CANCELLED
        assert db.session.scalar(select(func.count()).select_from(ImportFileChunk)) == 0


def test_a_retried_job_resumes_after_its_checkpoint(app, client, signed_in, dbs, make_app):
    patient = signed_in(role="patient")
    export = AppleExport()
    for minute in range(5):
        export.record(
            "HKQuantityTypeIdentifierHeartRate",
            60 + minute,
            "count/min",
            T0 + timedelta(minutes=minute),
        )
    with dbs() as session:
        data_import = import_controller.create_import(
            session,
            actor=session.get_one(User, patient.id),
            upload=io.BytesIO(export.xml()),
            filename="export.xml",
            file_format=None,
            settings=current_settings(),
        )
        session.info.pop(job_controller.HANDOFF_KEY)
        import_id = data_import.id
        job_id = session.scalar(select(Job.id).where(Job.subject_id == import_id))
    # an earlier attempt committed the first three readings, then its worker died
    with dbs() as session:
        row = session.get_one(DataImport, import_id)
        row.status, row.checkpoint, row.accepted = ImportStatus.RUNNING, 3, 3
    small = make_app(import_commit_readings=2)
    with small.app_context():
        job_controller.execute(job_id, settings=current_settings(), worker="test")

    result = client.get(f"/api/imports/{import_id}", headers=patient.headers).get_json()
    assert (result["status"], result["accepted"], result["duplicates"]) == ("done", 5, 0)
    assert [r.value for r in readings(app, patient.id)] == [63, 64]


def test_imports_are_listed_newest_first_and_only_your_own(app, client, signed_in):
    patient, other = signed_in(role="patient"), signed_in(role="patient")
    first = imported(client, patient, csv_file([]), "a.csv")
    second = imported(client, patient, csv_file([]), "b.csv")
    imported(client, other, csv_file([]), "c.csv")

    listed = client.get("/api/imports", headers=patient.headers).get_json()

    assert [item["id"] for item in listed["items"]] == [second["id"], first["id"]]
    assert client.get(f"/api/imports/{first['id']}", headers=other.headers).status_code == 404
    cancel = client.post(f"/api/imports/{uuid.uuid4()}/cancel", headers=patient.headers)
    assert cancel.status_code == 404


def test_a_fitbit_takeout_is_imported(app, client, signed_in):
    patient = signed_in(role="patient")
    set_profile(app, patient.id, timezone="Europe/London")
    minute = timedelta(minutes=1)
    data = fitbit_takeout(
        {
            "heart_rate-2024-03-05": [
                {"dateTime": fitbit_time(T0), "value": {"bpm": 62, "confidence": 2}},
                {"dateTime": fitbit_time(T0 + minute), "value": {"bpm": 64, "confidence": 3}},
            ],
            "steps-2024-03-05": [
                {"dateTime": fitbit_time(T0 + i * minute), "value": "10"} for i in range(61)
            ],
            "sleep-2024-03-05": [
                {
                    "logId": 1,
                    "dateOfSleep": "2024-03-05",
                    "startTime": "2024-03-04T23:00:00.000",
                    "endTime": "2024-03-05T06:30:00.000",
                    "minutesAsleep": 420,
                },
                {
                    "logId": 2,
                    "dateOfSleep": "2024-03-05",
                    "startTime": "2024-03-05T14:00:00.000",
                    "endTime": "2024-03-05T14:30:00.000",
                    "minutesAsleep": 30,
                },
            ],
            "weight-2024-03-05": [
                {"logId": 9, "weight": 154.0, "date": "03/05/24", "time": "07:00:00"}
            ],
            "calories-2024-03-05": [{"dateTime": fitbit_time(T0), "value": "1.2"}],
        }
    )

    result = imported(client, patient, data, "takeout.zip")

    assert (result["status"], result["format"]) == ("done", "fitbit"), result
    grouped = by_type(readings(app, patient.id))
    assert [r.value for r in grouped["heart_rate"]] == [62, 64]
    assert [(r.measured_at, r.value) for r in grouped["steps"]] == [
        (T0, 600),
        (T0 + timedelta(hours=1), 10),
    ]
    assert [(r.value, r.measured_at) for r in grouped["sleep"]] == [
        (7.5, datetime(2024, 3, 5, 14, 30, tzinfo=UTC))
    ]
    assert grouped["body_weight"][0].value == pytest.approx(69.85, abs=0.01)
    assert result["skipped_by_type"] == {"calories": 1}
    assert imported(client, patient, data, "takeout.zip")["accepted"] == 0


def test_a_truncated_fitbit_file_fails_the_import(app, client, signed_in):
    patient = signed_in(role="patient")
    broken = zip_of({"Takeout/Fitbit/Global Export Data/heart_rate-2024-03-05.json": b'[{"dateT'})
    result = imported(client, patient, broken, "takeout.zip")
    assert result["status"] == "failed"
    assert "not valid JSON" in result["error"]


def test_a_fit_monitoring_file_is_imported(app, client, signed_in):
    patient = signed_in(role="patient")
    data = fit_file(
        heart_rates=[(T0, 58), (T0 + timedelta(minutes=1), 59)],
        steps=[(T0 + timedelta(minutes=15), 400), (T0 + timedelta(minutes=75), 1000)],
        weights=[(T0, 70.5)],
    )

    result = imported(client, patient, data, "monitor.fit")

    assert (result["status"], result["format"]) == ("done", "fit"), result
    grouped = by_type(readings(app, patient.id))
    assert [r.value for r in grouped["heart_rate"]] == [58, 59]
    assert grouped["heart_rate"][0].provenance == "garmin / fr945"
    assert [(r.measured_at, r.value) for r in grouped["steps"]] == [
        (T0, 400),
        (T0 + timedelta(hours=1), 600),
    ]
    assert grouped["body_weight"][0].value == pytest.approx(70.5)
    assert imported(client, patient, zip_of({"a/monitor.fit": data}), "fit.zip")["accepted"] == 0


def test_a_corrupt_fit_file_fails_the_import(app, client, signed_in):
    patient = signed_in(role="patient")
    data = bytearray(fit_file(heart_rates=[(T0, 58)]))
    data[-5] ^= 0xFF  # breaks the CRC
    result = imported(client, patient, bytes(data), "monitor.fit")
    assert result["status"] == "failed"
    assert "FIT file is corrupt" in result["error"]
