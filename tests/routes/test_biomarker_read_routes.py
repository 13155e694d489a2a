"""Reading biomarker data: access rules, current values, history pages, summaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from healix.models.provider_patient_relationship import RelationshipKind
from healix.utils.time import utcnow
from tests.factories.audit import audit_rows

URL = "/api/biomarkers"


def _outcomes(rows):
    return [(row.resource_type, row.patient_id, row.outcome) for row in rows]


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["current", "history", "summary?type=heart_rate"])
def test_provider_without_relationship_gets_404_and_denial_is_audited(
    app, client, dbs, patient, provider, endpoint
):
    sep = "&" if "?" in endpoint else "?"
    response = client.get(f"{URL}/{endpoint}{sep}patient_id={patient.id}", headers=provider.headers)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    denied = _outcomes(audit_rows(app, "ACCESS_DENIED", actor_id=provider.id))
    assert denied == [("biomarker_readings", patient.id, "denied")]


def test_ended_relationship_gives_no_access(client, dbs, patient, provider, care_link):
    care_link(provider, patient, ended_at=utcnow() - timedelta(hours=1))
    response = client.get(f"{URL}/current?patient_id={patient.id}", headers=provider.headers)
    assert response.status_code == 404


def test_provider_in_care_reads_and_the_read_is_audited(
    app, client, dbs, patient, provider, care_link, add_readings
):
    care_link(provider, patient)
    add_readings(patient.id, [("heart_rate", 70, utcnow() - timedelta(minutes=5))])
    response = client.get(f"{URL}/history?patient_id={patient.id}", headers=provider.headers)
    assert response.status_code == 200
    assert len(response.get_json()["items"]) == 1
    assert _outcomes(audit_rows(app, "PROVIDER_VIEW_HEALTH_DATA", actor_id=provider.id)) == [
        ("biomarker_readings", patient.id, "success")
    ]


def test_emergency_access_is_allowed(client, patient, provider, care_link):
    care_link(
        provider,
        patient,
        kind=RelationshipKind.EMERGENCY,
        valid_until=utcnow() + timedelta(minutes=30),
    )
    response = client.get(f"{URL}/current?patient_id={patient.id}", headers=provider.headers)
    assert response.status_code == 200


def test_patient_cannot_read_another_patient(app, client, dbs, patient, signed_in):
    other = signed_in(role="patient")
    response = client.get(f"{URL}/history?patient_id={other.id}", headers=patient.headers)
    assert response.status_code == 404
    assert _outcomes(audit_rows(app, "ACCESS_DENIED", actor_id=patient.id)) == [
        ("biomarker_readings", other.id, "denied")
    ]


def test_own_read_is_not_audited(app, client, dbs, patient):
    assert client.get(f"{URL}/current", headers=patient.headers).status_code == 200
    assert _outcomes(audit_rows(app, "PROVIDER_VIEW_HEALTH_DATA")) == []


def test_provider_must_name_the_patient(client, provider):
    response = client.get(f"{URL}/current", headers=provider.headers)
    assert response.status_code == 422


def test_requires_sign_in(client):
    assert client.get(f"{URL}/current").status_code == 401


# --- current ------------------------------------------------------------------------------


def test_current_picks_latest_non_faulty_reading_per_type_with_levels(
    client, patient, add_readings, personal_threshold
):
    now = utcnow().replace(microsecond=0)
    add_readings(
        patient.id,
        [
            ("heart_rate", 72, now - timedelta(hours=2)),
            ("heart_rate", 120, now - timedelta(hours=1)),
            ("spo2", 97, now - timedelta(hours=3)),
            ("spo2", 88, now - timedelta(hours=1)),
            ("steps", 500, now - timedelta(hours=1)),
            ("respiratory_rate", 18, now - timedelta(hours=1)),
        ],
    )
    add_readings(patient.id, [("heart_rate", 249, now - timedelta(minutes=1))], status="faulty")
    personal_threshold(patient.id, "respiratory_rate", warning_max=16, critical_max=25)
    response = client.get(f"{URL}/current", headers=patient.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["patient_id"] == str(patient.id)
    latest = {item["biomarker_type"]: item for item in body["readings"]}
    assert set(latest) == {"heart_rate", "spo2", "steps", "respiratory_rate"}
    assert latest["heart_rate"]["value"] == 120
    assert latest["heart_rate"]["level"] == "warning"
    assert latest["spo2"]["value"] == 88
    assert latest["spo2"]["level"] == "critical"
    assert latest["steps"]["level"] == "normal"
    assert latest["respiratory_rate"]["level"] == "warning"  # personal threshold applies


def test_current_is_empty_without_readings(client, patient):
    body = client.get(f"{URL}/current", headers=patient.headers).get_json()
    assert body["readings"] == []


# --- history ------------------------------------------------------------------------------


def _all_pages(client, headers, query):
    seen, cursor, pages = [], None, 0
    while True:
        url = f"{URL}/history?{query}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        seen.extend(body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


def test_history_pages_return_every_reading_exactly_once(client, patient, add_readings):
    base = datetime(2026, 3, 1, 12, tzinfo=UTC)
    samples = []
    for minute in range(17):
        at = base + timedelta(minutes=minute // 3)  # runs of identical timestamps
        samples += [("heart_rate", 60 + minute, at), ("spo2", 95, at), ("steps", minute, at)]
    ids = add_readings(patient.id, samples)
    seen, pages = _all_pages(client, patient.headers, "limit=5")
    assert sorted(item["id"] for item in seen) == sorted(str(i) for i in ids)
    assert len(seen) == len(set(item["id"] for item in seen)) == 51
    assert pages == 11
    keys = [(item["measured_at"], item["id"]) for item in seen]
    assert keys == sorted(keys, reverse=True)


def test_history_filters_by_type_and_range(client, patient, add_readings):
    base = datetime(2026, 3, 1, tzinfo=UTC)
    add_readings(
        patient.id,
        [("heart_rate", 60 + hour, base + timedelta(hours=hour)) for hour in range(10)]
        + [("spo2", 97, base + timedelta(hours=5))],
    )
    query = "type=heart_rate&from=2026-03-01T03:00:00%2B00:00&to=2026-03-01T06:00:00%2B00:00"
    items, _ = _all_pages(client, patient.headers, query + "&limit=2")
    assert [item["value"] for item in items] == [65, 64, 63]
    every_type = "from=2026-03-01T03:00:00%2B00:00&to=2026-03-01T06:00:01%2B00:00"
    items, _ = _all_pages(client, patient.headers, every_type + "&limit=2")
    assert sorted((item["biomarker_type"], item["value"]) for item in items) == [
        ("heart_rate", 63),
        ("heart_rate", 64),
        ("heart_rate", 65),
        ("heart_rate", 66),
        ("spo2", 97),
    ]
    keys = [(item["measured_at"], item["id"]) for item in items]
    assert keys == sorted(keys, reverse=True)


def test_history_excludes_faulty_unless_asked(client, patient, add_readings):
    at = utcnow() - timedelta(hours=1)
    add_readings(patient.id, [("heart_rate", 70, at)])
    add_readings(patient.id, [("heart_rate", 260, at + timedelta(seconds=1))], status="faulty")
    plain = client.get(f"{URL}/history", headers=patient.headers).get_json()["items"]
    assert [item["status"] for item in plain] == ["ok"]
    everything = client.get(
        f"{URL}/history?include_faulty=true", headers=patient.headers
    ).get_json()["items"]
    assert [item["status"] for item in everything] == ["faulty", "ok"]
    assert everything[0]["fault_reason"] == "out_of_range"


@pytest.mark.parametrize(
    "query",
    [
        "type=nonsense",
        "cursor=not-a-cursor",
        "from=2026-03-01T00:00:00",
        "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z",
        "unknown=1",
    ],
)
def test_history_rejects_bad_parameters(client, patient, query):
    response = client.get(f"{URL}/history?{query}", headers=patient.headers)
    assert response.status_code == 422


# --- summary ------------------------------------------------------------------------------


def _summary(client, headers, query):
    response = client.get(f"{URL}/summary?{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_daily_sums_follow_new_york_days_across_the_spring_dst_change(
    client, patient, add_readings, patient_timezone
):
    patient_timezone(patient.id, "America/New_York")
    # 2026-03-08: clocks go from 02:00 EST to 03:00 EDT, the local day lasts 23 hours
    samples = [
        ("steps", 100, datetime(2026, 3, 8, 4, 59, tzinfo=UTC)),  # Mar 7, 23:59 EST
        ("steps", 10, datetime(2026, 3, 8, 5, 0, tzinfo=UTC)),  # Mar 8, 00:00 EST
        ("steps", 20, datetime(2026, 3, 9, 3, 59, tzinfo=UTC)),  # Mar 8, 23:59 EDT
        ("steps", 1000, datetime(2026, 3, 9, 4, 0, tzinfo=UTC)),  # Mar 9, 00:00 EDT
        ("steps", 1, datetime(2026, 3, 9, 4, 30, tzinfo=UTC)),
    ]
    add_readings(patient.id, samples)
    add_readings(
        patient.id, [("steps", 99999, datetime(2026, 3, 8, 12, tzinfo=UTC))], status="faulty"
    )
    body = _summary(
        client,
        patient.headers,
        "type=steps&bucket=day&from=2026-03-07T00:00:00-05:00&to=2026-03-10T00:00:00-04:00",
    )
    assert body["timezone"] == "America/New_York"
    assert [(item["start"], item["sum"], item["count"]) for item in body["items"]] == [
        ("2026-03-07T00:00:00-05:00", 100, 1),
        ("2026-03-08T00:00:00-05:00", 30, 2),
        ("2026-03-09T00:00:00-04:00", 1001, 2),
    ]
    march_8 = body["items"][1]
    assert (march_8["min"], march_8["max"], march_8["avg"]) == (10, 20, 15)


def test_hourly_buckets_keep_the_repeated_autumn_hour_apart(
    client, patient, add_readings, patient_timezone
):
    patient_timezone(patient.id, "America/New_York")
    # 2026-11-01: 01:00-02:00 happens twice (EDT, then EST)
    add_readings(
        patient.id,
        [
            ("heart_rate", 60, datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),  # 01:30 EDT
            ("heart_rate", 80, datetime(2026, 11, 1, 6, 30, tzinfo=UTC)),  # 01:30 EST
        ],
    )
    body = _summary(
        client,
        patient.headers,
        "type=heart_rate&bucket=hour&from=2026-11-01T01:00:00-04:00&to=2026-11-01T02:00:00-05:00",
    )
    assert [(item["start"], item["avg"]) for item in body["items"]] == [
        ("2026-11-01T01:00:00-04:00", 60),
        ("2026-11-01T01:00:00-05:00", 80),
    ]


def test_hourly_buckets_in_a_half_hour_zone(client, patient, add_readings, patient_timezone):
    patient_timezone(patient.id, "Asia/Kolkata")
    add_readings(
        patient.id,
        [
            ("steps", 5, datetime(2026, 3, 1, 4, 29, tzinfo=UTC)),  # 09:59 IST
            ("steps", 7, datetime(2026, 3, 1, 4, 30, tzinfo=UTC)),  # 10:00 IST
        ],
    )
    body = _summary(
        client,
        patient.headers,
        "type=steps&bucket=hour&from=2026-03-01T09:00:00%2B05:30&to=2026-03-01T11:00:00%2B05:30",
    )
    assert [(item["start"], item["sum"]) for item in body["items"]] == [
        ("2026-03-01T09:00:00+05:30", 5),
        ("2026-03-01T10:00:00+05:30", 7),
    ]


def test_week_buckets_start_on_local_monday(client, patient, add_readings, patient_timezone):
    patient_timezone(patient.id, "Pacific/Auckland")
    # Monday 2026-03-02 00:00 NZDT is Sunday 2026-03-01 11:00 UTC
    add_readings(
        patient.id,
        [
            ("calories", 300, datetime(2026, 3, 1, 10, 59, tzinfo=UTC)),  # Sunday 23:59 local
            ("calories", 400, datetime(2026, 3, 1, 11, 0, tzinfo=UTC)),  # Monday 00:00 local
            ("calories", 500, datetime(2026, 3, 8, 10, 0, tzinfo=UTC)),  # next Sunday
        ],
    )
    body = _summary(
        client,
        patient.headers,
        "type=calories&bucket=week&from=2026-02-25T00:00:00%2B13:00&to=2026-03-09T00:00:00%2B13:00",
    )
    assert [(item["start"], item["sum"]) for item in body["items"]] == [
        ("2026-02-23T00:00:00+13:00", 300),
        ("2026-03-02T00:00:00+13:00", 900),
    ]


def test_summary_defaults_to_the_last_seven_days_in_utc(client, patient, add_readings):
    add_readings(patient.id, [("steps", 42, utcnow() - timedelta(minutes=10))])
    body = _summary(client, patient.headers, "type=steps")
    assert body["timezone"] == "UTC"
    assert len(body["items"]) in (7, 8)
    assert body["items"][-1]["sum"] == 42
    assert body["items"][0]["count"] == 0
    assert body["items"][0]["avg"] is None


@pytest.mark.parametrize(
    "query",
    [
        "",
        "type=steps&bucket=month",
        "type=steps&bucket=hour&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
    ],
)
def test_summary_rejects_bad_parameters(client, patient, query):
    response = client.get(f"{URL}/summary?{query}", headers=patient.headers)
    assert response.status_code == 422


# --- time in range ------------------------------------------------------------------------


def test_time_in_range_is_the_share_of_readings_in_the_normal_band(
    client, patient, add_readings, personal_threshold
):
    # catalog heart-rate band: 50..110 (warning), 40..140 (critical); bounds are normal
    day = datetime(2026, 2, 2, tzinfo=UTC)
    values = [50, 60, 110, 111, 49, 150, 72, 80]
    add_readings(
        patient.id,
        [("heart_rate", value, day + timedelta(hours=i)) for i, value in enumerate(values)],
    )
    add_readings(patient.id, [("heart_rate", 75, day + timedelta(hours=9))], status="faulty")
    query = "type=heart_rate&bucket=day&from=2026-02-02T00:00:00Z&to=2026-02-03T00:00:00Z"
    body = _summary(client, patient.headers, query)
    assert body["items"][0]["count"] == 8
    assert body["items"][0]["in_range"] == 5
    assert body["time_in_range"] == 0.625  # 50, 60, 110, 72, 80 of 8; the faulty one not counted

    # the patient's own thresholds decide the band
    personal_threshold(patient.id, "heart_rate", warning_min=45, warning_max=120)
    assert _summary(client, patient.headers, query)["time_in_range"] == 0.875


def test_time_in_range_is_null_without_readings_or_thresholds(client, patient, add_readings):
    add_readings(patient.id, [("steps", 500, datetime(2026, 2, 2, 10, tzinfo=UTC))])
    steps = "type=steps&bucket=day&from=2026-02-02T00:00:00Z&to=2026-02-03T00:00:00Z"
    assert _summary(client, patient.headers, steps)["time_in_range"] is None
    empty = "type=heart_rate&bucket=day&from=2026-02-02T00:00:00Z&to=2026-02-03T00:00:00Z"
    assert _summary(client, patient.headers, empty)["time_in_range"] is None


def test_time_in_range_agrees_with_the_level_of_current_readings(client, patient, add_readings):
    # the SQL band and classify() must draw the line at the same values: one reading per hour
    this_hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for offset, value in enumerate([94, 93.9, 100, 90, 89.9]):
        hour = this_hour - timedelta(hours=5 - offset)
        add_readings(patient.id, [("spo2", value, hour + timedelta(minutes=30))])
        current = client.get(f"{URL}/current", headers=patient.headers).get_json()
        level = next(r["level"] for r in current["readings"] if r["biomarker_type"] == "spo2")
        span = f"from={quote(hour.isoformat())}&to={quote((hour + timedelta(hours=1)).isoformat())}"
        share = _summary(client, patient.headers, f"type=spo2&bucket=hour&{span}")["time_in_range"]
        assert (share == 1.0) == (level == "normal"), (value, level, share)
