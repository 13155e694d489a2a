"""Ingestion: conversion, validation of whole batches, faulty values, dedup, idempotency."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from healix.audit.events import AuditAction
from healix.models.biomarker import BiomarkerReading
from healix.models.idempotency_key import IdempotencyKey
from healix.utils.time import utcnow
from tests.concurrency import responses_in_parallel
from tests.factories.audit import audit_rows
from tests.factories.db import count
from tests.factories.devices import at, ingest, reading, register_device


def stored(session, patient_id, **filters):
    query = session.query(BiomarkerReading).filter_by(patient_id=patient_id, **filters)
    return query.order_by(BiomarkerReading.measured_at).all()


@pytest.fixture
def device_key(client, patient):
    return register_device(client, patient)[1]


@pytest.mark.parametrize(
    ("type_", "value", "unit", "expected", "canonical"),
    [
        ("body_temperature", 98.6, "[degF]", 37.0, "Cel"),
        ("body_temperature", 100.4, "°F", 38.0, "Cel"),
        ("body_temperature", 36.6, "celsius", 36.6, "Cel"),
        ("body_weight", 154, "lb", 69.85322498, "kg"),
        ("body_weight", 70, "kg", 70.0, "kg"),
        ("blood_glucose", 5.5, "mmol/L", 99.0, "mg/dL"),
        ("blood_glucose", 5.5, "mmol/l", 99.0, "mg/dL"),
        ("sleep", 450, "min", 7.5, "h"),
        ("sleep", 90, "minutes", 1.5, "h"),
        ("heart_rate", 72, "bpm", 72.0, "/min"),
        ("steps", 1200, "steps", 1200.0, "{steps}"),
        ("blood_pressure_systolic", 120, "mmHg", 120.0, "mm[Hg]"),
    ],
)
def test_values_are_stored_in_canonical_unit(
    client, dbs, patient, device_key, type_, value, unit, expected, canonical
):
    response = ingest(client, device_key, [reading(type_, value, unit)])
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["accepted"] == 1
    with dbs() as session:
        (row,) = stored(session, patient.id)
        assert row.value == pytest.approx(expected)
        assert row.unit == canonical
        assert row.source == "device"
        assert row.status == "ok"


def test_batch_result_and_audit_counts_only(client, dbs, patient, device_key):
    readings = [reading(value=60 + n, external_id=f"ext-{n}", notes="rest") for n in range(5)]
    response = ingest(client, device_key, readings)
    assert response.status_code == 201
    assert response.get_json() == {"accepted": 5, "faulty": 0, "duplicates": 0, "alerts_created": 0}
    with dbs() as session:
        rows = stored(session, patient.id)
        assert len(rows) == 5
        assert {row.external_id for row in rows} == {f"ext-{n}" for n in range(5)}
        assert all(row.device_id is not None and row.notes == "rest" for row in rows)
        (audit,) = audit_rows(session, AuditAction.BIOMARKER_READINGS_INGESTED)
        assert audit.patient_id == patient.id
        assert audit.details["accepted"] == 5
        assert audit.details["source"] == "device"
        assert set(audit.details) == {
            "source",
            "device_id",
            "accepted",
            "faulty",
            "duplicates",
            "alerts_created",
        }


class TestMalformedBatchIsRefusedWhole:
    @pytest.mark.parametrize(
        ("bad", "loc"),
        [
            ({"type": "cholesterol"}, "readings[1].type"),
            ({"unit": "kg"}, "readings[1].unit"),
            ({"unit": "furlongs"}, "readings[1].unit"),
            ({"value": "NaN"}, "readings[1].value"),
            ({"value": "Infinity"}, "readings[1].value"),
            ({"value": "72"}, "readings[1].value"),
            ({"value": True}, "readings[1].value"),
            ({"value": None}, "readings[1].value"),
            ({"timestamp": "2026-01-01T10:00:00"}, "readings[1].timestamp"),
            ({"timestamp": "yesterday"}, "readings[1].timestamp"),
            ({"external_id": ""}, "readings[1].external_id"),
            ({"colour": "red"}, "readings[1].colour"),
        ],
    )
    def test_bad_item(self, client, dbs, patient, device_key, bad, loc):
        readings = [reading(), {**reading(value=75), **bad}, reading(value=80)]
        response = ingest(client, device_key, readings)
        assert response.status_code == 422, response.get_json()
        problem = response.get_json()
        assert loc in [error["loc"] for error in problem["errors"]]
        assert response.mimetype == "application/problem+json"
        with dbs() as session:
            assert count(session, BiomarkerReading) == 0
            assert audit_rows(session, AuditAction.BIOMARKER_READINGS_INGESTED) == []

    @pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
    def test_non_finite_json_literals(self, client, dbs, device_key, literal):
        raw = json.dumps({"readings": [reading(value="PLACEHOLDER")]})
        raw = raw.replace('"PLACEHOLDER"', literal)
        response = client.post(
            "/api/devices/ingest",
            data=raw,
            content_type="application/json",
            headers={"X-Device-Key": device_key},
        )
        assert response.status_code == 422
        assert response.get_json()["errors"][0]["loc"] == "readings[0].value"
        with dbs() as session:
            assert count(session, BiomarkerReading) == 0

    def test_future_timestamp(self, client, dbs, device_key):
        soon = (utcnow() + timedelta(minutes=4)).isoformat()
        later = (utcnow() + timedelta(minutes=6)).isoformat()
        assert ingest(client, device_key, [reading(timestamp=soon)]).status_code == 201
        response = ingest(client, device_key, [reading(), reading(timestamp=later)])
        assert response.status_code == 422
        assert response.get_json()["errors"] == [
            {
                "loc": "readings[1].timestamp",
                "msg": "Value error, must not be more than 5 minutes in the future",
            }
        ]
        with dbs() as session:
            assert count(session, BiomarkerReading) == 1

    def test_every_bad_item_is_reported(self, client, device_key):
        readings = [reading(), reading(type="nope"), reading(), reading(unit="kg")]
        response = ingest(client, device_key, readings)
        locs = [error["loc"] for error in response.get_json()["errors"]]
        assert locs == ["readings[1].type", "readings[3].unit"]

    @pytest.mark.parametrize("body", [{"readings": []}, {}, {"readings": "x"}, [reading()]])
    def test_bad_envelope(self, client, device_key, body):
        response = client.post(
            "/api/devices/ingest", json=body, headers={"X-Device-Key": device_key}
        )
        assert response.status_code == 422

    def test_too_many_readings_is_413(self, client, dbs, device_key):
        start = datetime(2026, 1, 1, tzinfo=UTC)
        readings = [reading(timestamp=start + timedelta(seconds=n)) for n in range(5001)]
        response = ingest(client, device_key, readings)
        assert response.status_code == 413
        assert response.mimetype == "application/problem+json"
        with dbs() as session:
            assert count(session, BiomarkerReading) == 0


def test_max_batch_is_stored_in_bulk(client, dbs, patient, device_key):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    readings = [
        reading(value=60 + n % 40, timestamp=start + timedelta(seconds=n)) for n in range(5000)
    ]
    response = ingest(client, device_key, readings)
    assert response.status_code == 201
    assert response.get_json()["accepted"] == 5000
    again = ingest(client, device_key, readings)
    assert again.get_json() == {"accepted": 0, "faulty": 0, "duplicates": 5000, "alerts_created": 0}
    with dbs() as session:
        assert count(session, BiomarkerReading) == 5000


@pytest.mark.parametrize(
    ("type_", "value", "unit"),
    [
        ("heart_rate", 400, "/min"),
        ("spo2", 120, "%"),
        ("steps", -5, "{steps}"),
        ("body_temperature", 150, "[degF]"),
    ],
)
def test_implausible_values_are_stored_faulty_without_alerts(
    client, dbs, patient, device_key, type_, value, unit
):
    response = ingest(client, device_key, [reading(type_, value, unit)])
    assert response.status_code == 201
    assert response.get_json() == {"accepted": 0, "faulty": 1, "duplicates": 0, "alerts_created": 0}
    with dbs() as session:
        (row,) = stored(session, patient.id)
        assert row.status == "faulty"
        assert row.fault_reason == "out_of_range"
    assert client.get("/api/alerts", headers=patient.headers).get_json()["items"] == []


class TestDuplicates:
    def test_resent_batch_is_all_duplicates(self, client, dbs, patient, device_key):
        readings = [reading(value=70), reading(value=71), reading(value=300)]
        first = ingest(client, device_key, readings)
        assert first.get_json() == {
            "accepted": 2,
            "faulty": 1,
            "duplicates": 0,
            "alerts_created": 0,
        }
        again = ingest(client, device_key, readings)
        assert again.status_code == 201
        assert again.get_json() == {
            "accepted": 0,
            "faulty": 0,
            "duplicates": 3,
            "alerts_created": 0,
        }
        with dbs() as session:
            assert count(session, BiomarkerReading) == 3

    def test_same_instant_in_another_offset_is_a_duplicate(self, client, device_key):
        instant = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
        plus_two = instant.astimezone(datetime.fromisoformat("2026-03-01T14:00:00+02:00").tzinfo)
        assert ingest(client, device_key, [reading(timestamp=instant)]).get_json()["accepted"] == 1
        again = ingest(client, device_key, [reading(timestamp=plus_two)])
        assert again.get_json()["duplicates"] == 1

    def test_within_batch_duplicates(self, client, dbs, device_key):
        stamp = at()
        readings = [
            reading(value=70, timestamp=stamp),
            reading(value=71, timestamp=stamp),
            reading(value=72, external_id="a"),
            reading(value=73, external_id="a"),
            reading("spo2", 97, "%", timestamp=stamp),
        ]
        response = ingest(client, device_key, readings)
        assert response.get_json() == {
            "accepted": 3,
            "faulty": 0,
            "duplicates": 2,
            "alerts_created": 0,
        }
        with dbs() as session:
            values = sorted(row.value for row in session.query(BiomarkerReading))
            assert values == [70, 72, 97]

    def test_external_id_dedup_across_devices_of_a_patient(self, client, patient, device_key):
        _, second_key = register_device(client, patient, name="Second")
        assert ingest(client, device_key, [reading(external_id="x-1")]).get_json()["accepted"] == 1
        response = ingest(client, second_key, [reading(external_id="x-1")])
        assert response.get_json()["duplicates"] == 1

    def test_same_sample_from_two_devices_is_kept_twice(self, client, patient, device_key):
        _, second_key = register_device(client, patient, name="Second")
        stamp = at()
        assert ingest(client, device_key, [reading(timestamp=stamp)]).get_json()["accepted"] == 1
        assert ingest(client, second_key, [reading(timestamp=stamp)]).get_json()["accepted"] == 1

    def test_external_ids_are_per_patient(self, client, signed_in, device_key):
        other = signed_in(role="patient")
        _, other_key = register_device(client, other)
        assert ingest(client, device_key, [reading(external_id="same")]).get_json()["accepted"] == 1
        assert ingest(client, other_key, [reading(external_id="same")]).get_json()["accepted"] == 1


class TestIdempotency:
    def test_replay_returns_first_response(self, client, dbs, device_key):
        readings = [reading(value=70), reading(value=150)]
        first = ingest(client, device_key, readings, **{"Idempotency-Key": "batch-1"})
        assert first.status_code == 201
        assert first.headers["Idempotent-Replayed"] == "false"
        replay = ingest(client, device_key, readings, **{"Idempotency-Key": "batch-1"})
        assert replay.status_code == 201
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert replay.get_json() == first.get_json()
        assert first.get_json()["alerts_created"] == 1
        with dbs() as session:
            assert count(session, BiomarkerReading) == 2
            assert count(session, IdempotencyKey) == 1
            assert len(audit_rows(session, AuditAction.BIOMARKER_READINGS_INGESTED)) == 1

    def test_same_key_other_body_is_409(self, client, dbs, device_key):
        headers = {"Idempotency-Key": "batch-2"}
        assert ingest(client, device_key, [reading(value=70)], **headers).status_code == 201
        conflict = ingest(client, device_key, [reading(value=71)], **headers)
        assert conflict.status_code == 409
        with dbs() as session:
            assert count(session, BiomarkerReading) == 1

    def test_keys_are_scoped_per_device(self, client, patient, device_key):
        _, second_key = register_device(client, patient, name="Second")
        headers = {"Idempotency-Key": "shared"}
        assert ingest(client, device_key, [reading()], **headers).status_code == 201
        other = ingest(client, second_key, [reading(value=90)], **headers)
        assert other.status_code == 201
        assert other.headers["Idempotent-Replayed"] == "false"

    def test_concurrent_replays_store_once(self, app, dbs, device_key):
        readings = [reading(value=70), reading(value=71)]

        def upload(client):
            return ingest(client, device_key, readings, **{"Idempotency-Key": "c"})

        responses = responses_in_parallel(app, [upload] * 4)
        assert [response.status_code for response in responses] == [201] * 4
        assert {response.headers["Idempotent-Replayed"] for response in responses} == {
            "true",
            "false",
        }
        assert all(response.get_json()["accepted"] == 2 for response in responses)
        with dbs() as session:
            assert count(session, BiomarkerReading) == 2
            assert count(session, IdempotencyKey) == 1

    def test_overlong_key_is_422(self, client, device_key):
        response = ingest(client, device_key, [reading()], **{"Idempotency-Key": "k" * 256})
        assert response.status_code == 422


class TestManualEntry:
    def test_single_reading(self, client, dbs, patient):
        body = reading("body_weight", 165, "lbs", notes="after breakfast")
        response = client.post("/api/biomarkers", json=body, headers=patient.headers)
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["accepted"] == 1
        with dbs() as session:
            (row,) = stored(session, patient.id)
            assert row.source == "manual"
            assert row.device_id is None
            assert row.value == pytest.approx(74.8427)
            (audit,) = audit_rows(session, AuditAction.BIOMARKER_READINGS_INGESTED)
            assert audit.details["source"] == "manual"
            assert audit.actor_id == patient.id

    def test_batch_and_duplicates(self, client, patient):
        readings = [reading(value=70), reading(value=71)]
        first = client.post("/api/biomarkers", json={"readings": readings}, headers=patient.headers)
        assert first.get_json()["accepted"] == 2
        again = client.post("/api/biomarkers", json={"readings": readings}, headers=patient.headers)
        assert again.get_json()["duplicates"] == 2

    def test_invalid_single_reading(self, client, dbs, patient):
        body = reading(unit="kg")
        response = client.post("/api/biomarkers", json=body, headers=patient.headers)
        assert response.status_code == 422
        assert response.get_json()["errors"][0]["loc"] == "readings[0].unit"

    def test_idempotent_replay(self, client, patient):
        headers = {**patient.headers, "Idempotency-Key": "manual-1"}
        body = reading()
        first = client.post("/api/biomarkers", json=body, headers=headers)
        replay = client.post("/api/biomarkers", json=body, headers=headers)
        assert replay.get_json() == first.get_json()
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert client.post("/api/biomarkers", json=reading(), headers=headers).status_code == 409

    @pytest.mark.parametrize("role", ["provider", "admin"])
    def test_only_patients(self, client, signed_in, role):
        user = signed_in(role=role)
        assert (
            client.post("/api/biomarkers", json=reading(), headers=user.headers).status_code == 403
        )

    def test_requires_sign_in(self, client):
        assert client.post("/api/biomarkers", json=reading()).status_code == 401
