"""Appointments: booking rules, double booking (sequential and concurrent), visibility,
reschedules, status changes, provider notes, notifications, audit and the iCalendar export."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from healix.audit.events import AuditAction
from healix.controllers import appointment_controller
from healix.models.appointment import AppointmentStatus
from healix.models.user import User
from tests.concurrency import statuses_in_parallel
from tests.factories.appointments import at, book, insert_appointment, next_monday_at, next_weekday
from tests.factories.audit import audit_rows
from tests.factories.notifications import notifications_for
from tests.query_count import count_queries

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))


# --- booking -------------------------------------------------------------------------------


def test_patient_books_with_provider(app, client, patient, provider):
    start = next_monday_at(10)
    response = book(client, patient, start=start, provider=provider, notes="Bring results")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["patient_id"] == str(patient.id)
    assert body["provider_id"] == str(provider.id)
    assert body["status"] == "scheduled"
    assert datetime.fromisoformat(body["start_time"]) == start
    assert datetime.fromisoformat(body["end_time"]) == start + timedelta(minutes=30)
    assert body["notes"] == "Bring results"
    assert "provider_notes" not in body
    [row] = audit_rows(app, AuditAction.APPOINTMENT_CREATED, resource_id=body["id"])
    assert row.patient_id == patient.id
    assert row.actor_id == patient.id
    [note] = notifications_for(app, provider.id)
    assert note.kind == "appointment_booked"
    assert note.data == {"appointment_id": body["id"]}
    assert notifications_for(app, patient.id) == []


def test_duration_minutes_sets_the_end(client, patient, provider):
    start = next_monday_at(11)
    response = book(client, patient, start=start, provider=provider, duration_minutes=45)
    assert response.status_code == 201, response.get_json()
    end = datetime.fromisoformat(response.get_json()["end_time"])
    assert end == start + timedelta(minutes=45)


def test_provider_books_for_patient_in_care(app, client, patient, provider, care_link):
    care_link(provider, patient)
    response = book(client, provider, start=next_monday_at(9), patient=patient)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["provider_id"] == str(provider.id)
    assert "provider_notes" in body
    [note] = notifications_for(app, patient.id)
    assert note.kind == "appointment_booked"
    assert notifications_for(app, provider.id) == []


def test_provider_cannot_book_patient_outside_care(app, client, patient, provider):
    response = book(client, provider, start=next_monday_at(9), patient=patient)
    assert response.status_code == 404
    [denied] = audit_rows(app, AuditAction.ACCESS_DENIED)
    assert denied.actor_id == provider.id
    assert denied.patient_id == patient.id
    assert audit_rows(app, AuditAction.APPOINTMENT_CREATED) == []


def test_provider_with_ended_care_cannot_book(client, patient, provider, care_link):
    care_link(provider, patient, ended_at=datetime.now(UTC) - timedelta(minutes=1))
    response = book(client, provider, start=next_monday_at(9), patient=patient)
    assert response.status_code == 404


def test_admin_books_with_both_ids(app, client, admin, patient, provider):
    response = book(client, admin, start=next_monday_at(14), patient=patient, provider=provider)
    assert response.status_code == 201, response.get_json()
    assert {n.kind for n in notifications_for(app, patient.id)} == {"appointment_booked"}
    assert {n.kind for n in notifications_for(app, provider.id)} == {"appointment_booked"}
    missing = book(client, admin, start=next_monday_at(15), provider=provider)
    assert missing.status_code == 422


@pytest.mark.parametrize("target", ["patient", "inactive_provider", "unknown"])
def test_booking_needs_an_active_provider(client, patient, signed_in, make_user, target):
    if target == "patient":
        other = signed_in(role="patient")
        provider_id = str(other.id)
    elif target == "inactive_provider":
        provider_id = str(make_user(role="provider", status="inactive").id)
    else:
        provider_id = "0190d7e2-0000-7000-8000-000000000000"
    body = {
        "provider_id": provider_id,
        "start_time": next_monday_at(10).isoformat(),
        "duration_minutes": 30,
        "reason": "Check-up",
    }
    response = client.post("/api/appointments", json=body, headers=patient.headers)
    assert response.status_code == 404


def test_patient_must_name_a_provider(client, patient):
    body = {"start_time": next_monday_at(10).isoformat(), "duration_minutes": 30, "reason": "x"}
    response = client.post("/api/appointments", json=body, headers=patient.headers)
    assert response.status_code == 422


def test_patient_cannot_book_for_someone_else(client, patient, provider, signed_in):
    other = signed_in(role="patient")
    response = book(client, patient, start=next_monday_at(10), provider=provider, patient=other)
    assert response.status_code == 422


@pytest.mark.parametrize(
    "change",
    [
        {"start_time": "2030-01-07T10:00:00"},  # no offset
        {"end_time": "2030-01-07T10:30:00"},  # no offset
        {"end_time": None, "duration_minutes": None},
        {"duration_minutes": 30},  # both end_time and duration
        {"duration_minutes": 2},
        {"reason": ""},
        {"unexpected": 1},
    ],
)
def test_invalid_booking_payloads_are_422(client, patient, provider, change):
    start = next_monday_at(10)
    body = {
        "provider_id": str(provider.id),
        "start_time": start.isoformat(),
        "end_time": (start + timedelta(minutes=30)).isoformat(),
        "reason": "Check-up",
    }
    body.update(change)
    body = {key: value for key, value in body.items() if value is not None}
    response = client.post("/api/appointments", json=body, headers=patient.headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("minutes", [0, -30])
def test_end_must_be_after_start(client, patient, provider, minutes):
    response = book(client, patient, start=next_monday_at(10), provider=provider, minutes=minutes)
    assert response.status_code == 422


def test_start_in_the_past_is_422(client, patient, provider):
    yesterday = datetime.now(UTC) - timedelta(days=1)
    response = book(client, patient, start=yesterday, provider=provider)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["loc"] == "start_time"


@pytest.mark.parametrize(
    ("day_offset", "hour", "minute", "minutes"),
    [
        (0, 8, 30, 30),  # Monday before 09:00
        (0, 16, 45, 30),  # runs past 17:00
        (0, 17, 0, 30),  # starts at closing time
        (5, 10, 0, 30),  # Saturday
        (6, 10, 0, 30),  # Sunday
    ],
)
def test_outside_working_hours_is_422(client, patient, provider, day_offset, hour, minute, minutes):
    start = at(next_weekday(0) + timedelta(days=day_offset), hour, minute)
    response = book(client, patient, start=start, provider=provider, minutes=minutes)
    assert response.status_code == 422
    assert "working hours" in response.get_json()["detail"]


def test_last_slot_of_the_day_is_allowed(client, patient, provider):
    response = book(client, patient, start=next_monday_at(16, 30), provider=provider)
    assert response.status_code == 201, response.get_json()


def test_offsets_are_normalised_to_utc(client, patient, provider):
    start = next_monday_at(10)
    plus_two = start.astimezone(timezone(timedelta(hours=2)))
    body = {
        "provider_id": str(provider.id),
        "start_time": plus_two.isoformat(),
        "duration_minutes": 30,
        "reason": "Check-up",
    }
    assert body["start_time"].endswith("+02:00")
    response = client.post("/api/appointments", json=body, headers=patient.headers)
    assert response.status_code == 201, response.get_json()
    returned = datetime.fromisoformat(response.get_json()["start_time"])
    assert returned == start
    assert returned.utcoffset() == timedelta(0)


# --- double booking ------------------------------------------------------------------------


@pytest.mark.parametrize(("hour", "minute"), [(10, 0), (10, 15), (9, 45)])
def test_overlapping_provider_booking_is_409(client, provider, signed_in, hour, minute):
    first, second = signed_in(role="patient"), signed_in(role="patient")
    assert book(client, first, start=next_monday_at(10), provider=provider).status_code == 201
    response = book(client, second, start=next_monday_at(hour, minute), provider=provider)
    assert response.status_code == 409
    assert response.get_json()["status"] == 409


def test_back_to_back_is_allowed(client, provider, signed_in):
    first, second, third = (signed_in(role="patient") for _ in range(3))
    assert book(client, first, start=next_monday_at(10), provider=provider).status_code == 201
    after = book(client, second, start=next_monday_at(10, 30), provider=provider)
    assert after.status_code == 201, after.get_json()
    before = book(client, third, start=next_monday_at(9, 30), provider=provider)
    assert before.status_code == 201, before.get_json()


def test_patient_double_booked_with_two_providers_is_409(client, patient, signed_in):
    grey, house = signed_in(role="provider"), signed_in(role="provider")
    assert book(client, patient, start=next_monday_at(10), provider=grey).status_code == 201
    response = book(client, patient, start=next_monday_at(10, 15), provider=house)
    assert response.status_code == 409
    assert "patient" in response.get_json()["detail"]


def test_cancelled_appointment_frees_the_slot(app, client, patient, provider, signed_in):
    insert_appointment(
        app,
        patient=signed_in(role="patient"),
        provider=provider,
        start=next_monday_at(10),
        status=AppointmentStatus.CANCELLED,
    )
    response = book(client, patient, start=next_monday_at(10), provider=provider)
    assert response.status_code == 201, response.get_json()


def _book_concurrently(app, actors, provider, start) -> list[int]:
    return statuses_in_parallel(
        app,
        [
            lambda client, actor=actor: book(client, actor, start=start, provider=provider)
            for actor in actors
        ],
    )


def test_concurrent_bookings_of_one_slot_let_exactly_one_win(app, provider, signed_in):
    patients = [signed_in(role="patient") for _ in range(8)]
    statuses = _book_concurrently(app, patients, provider, next_monday_at(11))
    assert sorted(statuses) == [201] + [409] * 7


def test_concurrent_bookings_of_one_patient_let_exactly_one_win(app, patient, signed_in):
    providers = [signed_in(role="provider") for _ in range(6)]
    statuses = statuses_in_parallel(
        app,
        [
            lambda client, p=p: book(client, patient, start=next_monday_at(14), provider=p)
            for p in providers
        ],
    )
    assert sorted(statuses) == [201] + [409] * 5


@pytest.mark.skipif(not ON_POSTGRES, reason="the exclusion constraints exist on PostgreSQL only")
def test_exclusion_constraint_refuses_overlap_missed_by_the_query(
    client, provider, signed_in, monkeypatch
):
    """Even when the overlap query misses (as in a race), the database answers 409."""
    first, second = signed_in(role="patient"), signed_in(role="patient")
    assert book(client, first, start=next_monday_at(10), provider=provider).status_code == 201
    never_matches = appointment_controller._overlapping(
        datetime(2000, 1, 1, tzinfo=UTC), datetime(2000, 1, 1, 0, 1, tzinfo=UTC), None
    )
    monkeypatch.setattr(
        appointment_controller, "_overlapping", lambda *_args, **_kwargs: never_matches
    )
    response = book(client, second, start=next_monday_at(10, 15), provider=provider)
    assert response.status_code == 409
    assert response.get_json()["detail"] == "That time was just taken by another appointment."


# --- listing and reading -------------------------------------------------------------------


def test_list_shows_each_party_their_own(app, client, admin, signed_in):
    alice, bob = signed_in(role="patient"), signed_in(role="patient")
    grey, house = signed_in(role="provider"), signed_in(role="provider")
    a1 = insert_appointment(app, patient=alice, provider=grey, start=next_monday_at(10))
    a2 = insert_appointment(app, patient=alice, provider=house, start=next_monday_at(12))
    b1 = insert_appointment(app, patient=bob, provider=grey, start=next_monday_at(11))

    def ids(actor):
        response = client.get("/api/appointments", headers=actor.headers)
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["items"]]

    assert ids(alice) == [str(a1), str(a2)]
    assert ids(bob) == [str(b1)]
    assert ids(grey) == [str(a1), str(b1)]
    assert ids(house) == [str(a2)]
    assert ids(admin) == [str(a1), str(b1), str(a2)]


def test_list_filters_and_pages(app, client, patient, provider):
    monday = next_monday_at(10)
    first = insert_appointment(app, patient=patient, provider=provider, start=monday)
    second = insert_appointment(
        app,
        patient=patient,
        provider=provider,
        start=monday + timedelta(days=1),
        status=AppointmentStatus.CANCELLED,
    )
    third = insert_appointment(
        app, patient=patient, provider=provider, start=monday + timedelta(days=2)
    )
    scheduled = client.get(
        "/api/appointments", query_string={"status": "scheduled"}, headers=patient.headers
    ).get_json()
    assert [i["id"] for i in scheduled["items"]] == [str(first), str(third)]
    window = client.get(
        "/api/appointments",
        query_string={
            "from": (monday + timedelta(hours=1)).isoformat(),
            "to": (monday + timedelta(days=2)).isoformat(),
        },
        headers=patient.headers,
    ).get_json()
    assert [i["id"] for i in window["items"]] == [str(second)]
    seen, cursor = [], None
    while True:
        query = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/appointments", query_string=query, headers=patient.headers)
        assert page.status_code == 200
        seen += [item["id"] for item in page.get_json()["items"]]
        cursor = page.get_json()["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(first), str(second), str(third)]


@pytest.mark.parametrize(
    "query", [{"from": "2030-01-01T00:00:00"}, {"status": "bogus"}, {"cursor": "garbage!"}]
)
def test_list_refuses_bad_queries(client, patient, query):
    response = client.get("/api/appointments", query_string=query, headers=patient.headers)
    assert response.status_code == 422


def test_list_requires_sign_in(client):
    assert client.get("/api/appointments").status_code == 401


def test_parties_and_admin_read_an_appointment(app, client, patient, provider, admin):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    for actor in (patient, provider, admin):
        response = client.get(f"/api/appointments/{appointment_id}", headers=actor.headers)
        assert response.status_code == 200
        assert response.get_json()["id"] == str(appointment_id)


@pytest.mark.parametrize("role", ["patient", "provider"])
def test_non_party_gets_404_and_an_audit_row(app, client, patient, provider, signed_in, role):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    stranger = signed_in(role=role)
    for method, url in [
        ("get", f"/api/appointments/{appointment_id}"),
        ("get", f"/api/appointments/{appointment_id}/calendar.ics"),
        ("patch", f"/api/appointments/{appointment_id}"),
    ]:
        kwargs = {"json": {"notes": "hi"}} if method == "patch" else {}
        response = getattr(client, method)(url, headers=stranger.headers, **kwargs)
        assert response.status_code == 404, url
    denied = audit_rows(app, AuditAction.ACCESS_DENIED, resource_id=appointment_id)
    assert len(denied) == 3
    assert {row.actor_id for row in denied} == {stranger.id}
    assert {row.patient_id for row in denied} == {patient.id}


def test_unknown_appointment_is_404(client, patient):
    response = client.get(
        "/api/appointments/0190d7e2-0000-7000-8000-000000000000", headers=patient.headers
    )
    assert response.status_code == 404


# --- provider notes ------------------------------------------------------------------------


def test_provider_notes_are_hidden_from_the_patient(app, client, patient, provider):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    url = f"/api/appointments/{appointment_id}"
    written = client.patch(
        url, json={"provider_notes": "Query arrhythmia"}, headers=provider.headers
    )
    assert written.status_code == 200, written.get_json()
    assert written.get_json()["provider_notes"] == "Query arrhythmia"
    assert (
        client.get(url, headers=provider.headers).get_json()["provider_notes"] == "Query arrhythmia"
    )
    as_patient = client.get(url, headers=patient.headers)
    assert "provider_notes" not in as_patient.get_json()
    assert "arrhythmia" not in as_patient.get_data(as_text=True)
    listed = client.get("/api/appointments", headers=patient.headers)
    assert "arrhythmia" not in listed.get_data(as_text=True)
    patched = client.patch(url, json={"notes": "Running late"}, headers=patient.headers)
    assert patched.status_code == 200
    assert "arrhythmia" not in patched.get_data(as_text=True)
    ics = client.get(f"{url}/calendar.ics", headers=provider.headers)
    assert "arrhythmia" not in ics.get_data(as_text=True)


def test_patient_cannot_write_provider_notes(app, client, patient, provider):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    response = client.patch(
        f"/api/appointments/{appointment_id}",
        json={"provider_notes": "mine"},
        headers=patient.headers,
    )
    assert response.status_code == 403


def test_notes_edit_is_audited_with_field_names(app, client, patient, provider):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    response = client.patch(
        f"/api/appointments/{appointment_id}",
        json={"notes": "Fasting", "location": "Room 4"},
        headers=patient.headers,
    )
    assert response.status_code == 200
    assert response.get_json()["notes"] == "Fasting"
    [row] = audit_rows(app, AuditAction.APPOINTMENT_UPDATED, resource_id=appointment_id)
    assert row.details == {"fields": ["location", "notes"]}
    assert row.patient_id == patient.id


# --- reschedule ----------------------------------------------------------------------------


def test_reschedule_records_previous_times(app, client, patient, provider):
    old_start = next_monday_at(10)
    appointment_id = insert_appointment(app, patient=patient, provider=provider, start=old_start)
    new_start = next_monday_at(14)
    response = client.patch(
        f"/api/appointments/{appointment_id}",
        json={"start_time": new_start.isoformat()},
        headers=patient.headers,
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert datetime.fromisoformat(body["start_time"]) == new_start
    assert datetime.fromisoformat(body["end_time"]) == new_start + timedelta(minutes=30)
    assert body["reschedule_count"] == 1
    [row] = audit_rows(app, AuditAction.APPOINTMENT_RESCHEDULED, resource_id=appointment_id)
    assert row.patient_id == patient.id
    assert datetime.fromisoformat(row.details["previous_start"]) == old_start
    assert datetime.fromisoformat(row.details["previous_end"]) == old_start + timedelta(minutes=30)
    [note] = notifications_for(app, provider.id)
    assert note.kind == "appointment_rescheduled"
    assert note.data == {"appointment_id": str(appointment_id)}


def test_reschedule_with_duration_and_twice(app, client, patient, provider):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    url = f"/api/appointments/{appointment_id}"
    longer = client.patch(url, json={"duration_minutes": 60}, headers=provider.headers)
    assert longer.status_code == 200, longer.get_json()
    assert datetime.fromisoformat(longer.get_json()["end_time"]) == next_monday_at(11)
    moved = client.patch(
        url,
        json={
            "start_time": next_monday_at(13).isoformat(),
            "end_time": next_monday_at(13, 20).isoformat(),
        },
        headers=provider.headers,
    )
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["reschedule_count"] == 2
    assert [n.kind for n in notifications_for(app, patient.id)] == ["appointment_rescheduled"] * 2


def test_reschedule_onto_itself_overlapping_is_allowed(app, client, patient, provider):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    response = client.patch(
        f"/api/appointments/{appointment_id}",
        json={"start_time": next_monday_at(10, 15).isoformat()},
        headers=patient.headers,
    )
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"start_time": "OTHER"}, 409),
        ({"start_time": "PAST"}, 422),
        ({"start_time": "EVENING"}, 422),
        ({"start_time": "2030-01-07T10:00:00"}, 422),
        ({"end_time": "BEFORE"}, 422),
    ],
)
def test_reschedule_refusals(app, client, patient, provider, signed_in, change, status):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    insert_appointment(
        app, patient=signed_in(role="patient"), provider=provider, start=next_monday_at(12)
    )
    values = {
        "OTHER": next_monday_at(12, 15).isoformat(),
        "PAST": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        "EVENING": next_monday_at(19).isoformat(),
        "BEFORE": next_monday_at(9).isoformat(),
    }
    body = {key: values.get(value, value) for key, value in change.items()}
    response = client.patch(
        f"/api/appointments/{appointment_id}", json=body, headers=patient.headers
    )
    assert response.status_code == status, response.get_json()
    assert audit_rows(app, AuditAction.APPOINTMENT_RESCHEDULED) == []


# --- status changes ------------------------------------------------------------------------


def test_patient_cancels_with_reason(app, client, patient, provider):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    response = client.patch(
        f"/api/appointments/{appointment_id}",
        json={"status": "cancelled", "cancellation_reason": "Feeling better"},
        headers=patient.headers,
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "cancelled"
    assert body["cancellation_reason"] == "Feeling better"
    assert body["cancelled_by_id"] == str(patient.id)
    assert body["status_changed_at"] is not None
    [row] = audit_rows(app, AuditAction.APPOINTMENT_STATUS_CHANGED, resource_id=appointment_id)
    assert row.details == {"previous_status": "scheduled", "status": "cancelled"}
    assert row.patient_id == patient.id
    [note] = notifications_for(app, provider.id)
    assert note.kind == "appointment_cancelled"


def test_provider_cancel_notifies_patient(app, client, patient, provider):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    response = client.patch(
        f"/api/appointments/{appointment_id}",
        json={"status": "cancelled", "cancellation_reason": "Clinic closed"},
        headers=provider.headers,
    )
    assert response.status_code == 200
    assert [n.kind for n in notifications_for(app, patient.id)] == ["appointment_cancelled"]


@pytest.mark.parametrize(
    "body",
    [
        {"status": "cancelled"},
        {"status": "cancelled", "cancellation_reason": ""},
        {"cancellation_reason": "no status"},
        {"status": "rescheduled"},
        {"status": "scheduled"},
        {"status": "cancelled", "cancellation_reason": "x", "start_time": "2030-01-07T10:00:00Z"},
    ],
)
def test_invalid_status_changes_are_422(app, client, patient, provider, body):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    response = client.patch(
        f"/api/appointments/{appointment_id}", json=body, headers=patient.headers
    )
    assert response.status_code == 422


@pytest.mark.parametrize("status", ["completed", "no_show"])
def test_patient_cannot_complete_or_mark_no_show(app, client, patient, provider, status):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=datetime.now(UTC) - timedelta(hours=1)
    )
    response = client.patch(
        f"/api/appointments/{appointment_id}", json={"status": status}, headers=patient.headers
    )
    assert response.status_code == 403


@pytest.mark.parametrize("status", ["completed", "no_show"])
def test_provider_completes_only_after_start(app, client, patient, provider, status):
    future = insert_appointment(app, patient=patient, provider=provider, start=next_monday_at(10))
    early = client.patch(
        f"/api/appointments/{future}", json={"status": status}, headers=provider.headers
    )
    assert early.status_code == 409
    past = insert_appointment(
        app, patient=patient, provider=provider, start=datetime.now(UTC) - timedelta(hours=2)
    )
    done = client.patch(
        f"/api/appointments/{past}",
        json={"status": status, "provider_notes": "Seen"},
        headers=provider.headers,
    )
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == status
    assert done.get_json()["provider_notes"] == "Seen"
    [row] = audit_rows(app, AuditAction.APPOINTMENT_STATUS_CHANGED, resource_id=past)
    assert row.details["status"] == status
    assert notifications_for(app, patient.id) == []


@pytest.mark.parametrize("final", ["completed", "no_show", "cancelled"])
@pytest.mark.parametrize(
    "body",
    [
        {"status": "cancelled", "cancellation_reason": "again"},
        {"status": "completed"},
        {"status": "no_show"},
        {"start_time": "FUTURE"},
        {"duration_minutes": 60},
    ],
)
def test_final_states_refuse_changes(app, client, patient, provider, final, body):
    appointment_id = insert_appointment(
        app,
        patient=patient,
        provider=provider,
        start=datetime.now(UTC) - timedelta(hours=3),
        status=final,
    )
    if body.get("start_time") == "FUTURE":
        body = {"start_time": next_monday_at(10).isoformat()}
    response = client.patch(
        f"/api/appointments/{appointment_id}", json=body, headers=provider.headers
    )
    assert response.status_code == 409


def test_final_appointment_still_takes_notes(app, client, patient, provider):
    appointment_id = insert_appointment(
        app,
        patient=patient,
        provider=provider,
        start=datetime.now(UTC) - timedelta(hours=3),
        status=AppointmentStatus.COMPLETED,
    )
    response = client.patch(
        f"/api/appointments/{appointment_id}",
        json={"provider_notes": "Follow up in 3 months"},
        headers=provider.headers,
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "completed"


# --- iCalendar -----------------------------------------------------------------------------


def test_calendar_export_parses(app, client, patient, provider):
    start = next_monday_at(10)
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=start, provider_notes="secret-note"
    )
    response = client.get(
        f"/api/appointments/{appointment_id}/calendar.ics", headers=patient.headers
    )
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "secret-note" not in response.get_data(as_text=True)
    calendar = Calendar.from_ical(response.get_data())
    assert str(calendar["VERSION"]) == "2.0"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{appointment_id}@healix"
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == start + timedelta(minutes=30)
    assert "DTSTAMP" in event
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Tester" in str(event["SUMMARY"])
    assert re.search(r"^DTSTART:\d{8}T\d{6}Z\r$", response.get_data(as_text=True), re.M)


def test_calendar_export_of_cancelled_appointment(app, client, patient, provider):
    appointment_id = insert_appointment(
        app,
        patient=patient,
        provider=provider,
        start=next_monday_at(10),
        status=AppointmentStatus.CANCELLED,
    )
    response = client.get(
        f"/api/appointments/{appointment_id}/calendar.ics", headers=provider.headers
    )
    [event] = Calendar.from_ical(response.get_data()).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_admin_cancel_notifies_both_parties(app, client, admin, patient, provider):
    appointment_id = insert_appointment(
        app, patient=patient, provider=provider, start=next_monday_at(10)
    )
    response = client.patch(
        f"/api/appointments/{appointment_id}",
        json={"status": "cancelled", "cancellation_reason": "Clinic closed"},
        headers=admin.headers,
    )
    assert response.status_code == 200
    assert response.get_json()["cancelled_by_id"] == str(admin.id)
    for party in (patient, provider):
        assert [n.kind for n in notifications_for(app, party.id)] == ["appointment_cancelled"]


def test_booking_requires_sign_in(client, provider):
    body = {
        "provider_id": str(provider.id),
        "start_time": next_monday_at(10).isoformat(),
        "duration_minutes": 30,
        "reason": "Check-up",
    }
    assert client.post("/api/appointments", json=body).status_code == 401


def test_a_provider_cannot_book_for_a_deactivated_patient_in_their_care(
    client, dbs, provider, signed_in, care_link, admin
):
    """Defect 1: the provider's booking checked only the care relationship (201) while an
    admin's checked the patient's status (404); both now ask the access policy for an
    active patient."""
    patient = signed_in(role="patient")
    care_link(provider, patient)
    with dbs() as session:
        session.get(User, patient.id).status = "inactive"
    start = next_monday_at(10)
    body = {"start_time": start.isoformat(), "duration_minutes": 30, "reason": "Check-up"}

    by_provider = client.post(
        "/api/appointments", json=body | {"patient_id": str(patient.id)}, headers=provider.headers
    )
    by_admin = client.post(
        "/api/appointments",
        json=body | {"patient_id": str(patient.id), "provider_id": str(provider.id)},
        headers=admin.headers,
    )

    assert by_provider.status_code == by_admin.status_code == 404
    assert by_provider.get_json()["detail"] == by_admin.get_json()["detail"] == "No such patient."


# --- list rows: both parties' names, order, bounded queries --------------------------------


def test_appointments_carry_both_parties_names(app, client, patient, provider):
    response = book(client, patient, start=next_monday_at(10), provider=provider)
    assert response.status_code == 201
    booked = response.get_json()
    assert booked["provider"]["id"] == str(provider.id)
    assert booked["provider"]["last_name"] == provider.user.last_name
    assert booked["patient"]["last_name"] == patient.user.last_name
    listed = client.get("/api/appointments", headers=provider.headers).get_json()["items"][0]
    assert listed["patient"]["first_name"] == patient.user.first_name
    assert "provider_notes" in listed  # the provider's view
    own = client.get(f"/api/appointments/{booked['id']}", headers=patient.headers).get_json()
    assert own["provider"]["last_name"] == provider.user.last_name
    assert "provider_notes" not in own
    assert set(own["provider"]) == {"id", "first_name", "last_name", "specialization"}


def test_past_visits_can_be_listed_latest_first(app, client, patient, provider):
    now = datetime.now(UTC).replace(microsecond=0)
    starts = [now - timedelta(days=days) for days in (30, 10, 20)]
    for start in starts:
        insert_appointment(app, patient=patient, provider=provider, start=start, status="completed")
    query = f"/api/appointments?to={now.isoformat().replace('+', '%2B')}"
    ascending = client.get(query, headers=patient.headers).get_json()["items"]
    descending = client.get(f"{query}&order=desc&limit=2", headers=patient.headers).get_json()
    assert [a["start_time"] for a in ascending] == sorted(a["start_time"] for a in ascending)
    assert [a["start_time"] for a in descending["items"]] == [
        a["start_time"] for a in ascending[::-1][:2]
    ]
    rest = client.get(
        f"{query}&order=desc&limit=2&cursor={descending['next_cursor']}", headers=patient.headers
    ).get_json()
    assert [a["start_time"] for a in rest["items"]] == [ascending[0]["start_time"]]


def test_a_page_of_appointments_costs_the_same_queries_for_one_row_as_for_many(
    app, client, patient, provider
):
    insert_appointment(app, patient=patient, provider=provider, start=next_monday_at(9))
    with count_queries(app) as one:
        assert client.get("/api/appointments", headers=patient.headers).status_code == 200
    for hour in range(10, 16):
        insert_appointment(app, patient=patient, provider=provider, start=next_monday_at(hour))
    with count_queries(app) as many:
        assert (
            len(client.get("/api/appointments", headers=patient.headers).get_json()["items"]) == 7
        )
    assert len(many) == len(one)
