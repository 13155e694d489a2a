"""Appointment requests: a provider who requires approval gets patients' bookings as
'requested' (holding the slot), confirms or declines them; the patient is told; iCalendar
shows a request as TENTATIVE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from healix.audit.events import AuditAction
from healix.models.appointment import AppointmentStatus
from healix.models.job import Job
from tests.factories.appointments import book, insert_appointment, next_monday_at
from tests.factories.audit import audit_rows
from tests.factories.notifications import notifications_for

SCHEDULE = "/api/providers/me/schedule"
WEEKDAYS = {
    day: [{"start": "09:00", "end": "17:00"}] for day in ("mon", "tue", "wed", "thu", "fri")
}


def _require_approval(client, provider, required: bool = True):
    response = client.put(
        SCHEDULE,
        json={"timezone": "UTC", "days": WEEKDAYS, "requires_approval": required},
        headers=provider.headers,
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _mail_kinds(dbs) -> list[tuple[str, object]]:
    with dbs() as session:
        return [
            (job.kind, job.user_id) for job in session.scalars(select(Job).order_by(Job.created_at))
        ]


@pytest.fixture
def approving(client, provider):
    """The provider confirms bookings themselves."""
    _require_approval(client, provider)
    return provider


def _request(client, patient, provider, start=None):
    response = book(client, patient, start=start or next_monday_at(10), provider=provider)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# --- the setting ---------------------------------------------------------------------------


def test_the_setting_defaults_to_confirming_automatically(client, patient, provider):
    assert client.get(SCHEDULE, headers=provider.headers).get_json()["requires_approval"] is False
    assert _request(client, patient, provider)["status"] == "scheduled"


def test_the_setting_shows_in_schedule_and_availability(app, client, patient, approving):
    assert client.get(SCHEDULE, headers=approving.headers).get_json()["requires_approval"] is True
    day = next_monday_at(10).date().isoformat()
    availability = client.get(
        f"/api/providers/{approving.id}/availability?date={day}", headers=patient.headers
    )
    assert availability.get_json()["requires_approval"] is True
    [row, *_] = audit_rows(app, AuditAction.USER_UPDATE_PROFILE)
    assert "appointments_need_approval" in row.details["fields"]


def test_leaving_the_setting_out_keeps_it(client, approving):
    response = client.put(SCHEDULE, json={"days": WEEKDAYS}, headers=approving.headers)
    assert response.get_json()["requires_approval"] is True


# --- requests --------------------------------------------------------------------------------


def test_a_patients_booking_becomes_a_request(app, client, dbs, patient, approving):
    body = _request(client, patient, approving)
    assert body["status"] == "requested"
    [row] = audit_rows(app, AuditAction.APPOINTMENT_CREATED, resource_id=body["id"])
    assert row.details["status"] == "requested"
    [note] = notifications_for(app, approving.id)
    assert note.kind == "appointment_requested"
    assert notifications_for(app, patient.id) == []
    # the provider is mailed; no reminders are planned for a request
    assert _mail_kinds(dbs) == [("mail.appointment_requested", approving.id)]


def test_a_providers_own_booking_is_never_a_request(client, patient, approving, care_link):
    care_link(approving, patient)
    response = book(client, approving, start=next_monday_at(10), patient=patient)
    assert response.get_json()["status"] == "scheduled"


def test_a_request_holds_its_slot(client, patient, approving, signed_in):
    _request(client, patient, approving)
    other = signed_in(role="patient")
    clash = book(client, other, start=next_monday_at(10, 15), provider=approving)
    assert clash.status_code == 409
    day = next_monday_at(10).date().isoformat()
    slots = client.get(
        f"/api/providers/{approving.id}/availability?date={day}", headers=other.headers
    ).get_json()["slots"]
    starts = {datetime.fromisoformat(slot["start_time"]) for slot in slots}
    assert next_monday_at(10) not in starts


def test_the_patient_sees_the_request_as_pending(client, patient, approving):
    body = _request(client, patient, approving)
    listed = client.get("/api/appointments?status=requested", headers=patient.headers).get_json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]


def test_a_request_is_tentative_in_icalendar(client, patient, approving):
    body = _request(client, patient, approving)
    response = client.get(f"/api/appointments/{body['id']}/calendar.ics", headers=patient.headers)
    [event] = Calendar.from_ical(response.get_data()).walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"
    assert not event.walk("VALARM")


# --- confirm ---------------------------------------------------------------------------------


def test_the_provider_confirms_a_request(app, client, dbs, patient, approving):
    body = _request(client, patient, approving)
    response = client.post(f"/api/appointments/{body['id']}/confirm", headers=approving.headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "scheduled"
    assert "provider_notes" in response.get_json()
    [row] = audit_rows(app, AuditAction.APPOINTMENT_STATUS_CHANGED, resource_id=body["id"])
    assert row.details == {"previous_status": "requested", "status": "scheduled"}
    assert row.actor_id == approving.id
    [note] = notifications_for(app, patient.id)
    assert note.kind == "appointment_confirmed"
    assert note.data == {"appointment_id": body["id"]}
    kinds = _mail_kinds(dbs)
    assert ("mail.appointment_confirmed", patient.id) in kinds
    assert ("mail.appointment_reminder", patient.id) in kinds


def test_confirming_twice_answers_409(client, patient, approving):
    body = _request(client, patient, approving)
    url = f"/api/appointments/{body['id']}/confirm"
    assert client.post(url, headers=approving.headers).status_code == 200
    again = client.post(url, headers=approving.headers)
    assert again.status_code == 409
    assert (
        again.get_json()["detail"] == "The appointment is scheduled; there is no request to answer."
    )


def test_a_request_whose_time_passed_cannot_be_confirmed(app, client, patient, provider):
    past = insert_appointment(
        app,
        patient=patient,
        provider=provider,
        start=datetime.now(UTC) - timedelta(hours=1),
        status=AppointmentStatus.REQUESTED,
    )
    response = client.post(f"/api/appointments/{past}/confirm", headers=provider.headers)
    assert response.status_code == 409
    declined = client.post(
        f"/api/appointments/{past}/decline", json={"reason": "Too late"}, headers=provider.headers
    )
    assert declined.status_code == 200


def test_the_patient_cannot_answer_their_own_request(client, patient, approving):
    body = _request(client, patient, approving)
    response = client.post(f"/api/appointments/{body['id']}/confirm", headers=patient.headers)
    assert response.status_code == 403


def test_another_provider_gets_404(client, patient, approving, signed_in):
    body = _request(client, patient, approving)
    stranger = signed_in(role="provider")
    response = client.post(f"/api/appointments/{body['id']}/confirm", headers=stranger.headers)
    assert response.status_code == 404


def test_an_admin_may_answer(client, patient, approving, admin):
    body = _request(client, patient, approving)
    response = client.post(f"/api/appointments/{body['id']}/confirm", headers=admin.headers)
    assert response.status_code == 200


def test_a_request_cannot_be_completed(app, client, patient, provider):
    started = insert_appointment(
        app,
        patient=patient,
        provider=provider,
        start=datetime.now(UTC) - timedelta(minutes=5),
        status=AppointmentStatus.REQUESTED,
    )
    response = client.patch(
        f"/api/appointments/{started}", json={"status": "completed"}, headers=provider.headers
    )
    assert response.status_code == 409
    assert response.get_json()["detail"] == "The appointment request has not been confirmed."


# --- decline and withdraw ------------------------------------------------------------------


def test_the_provider_declines_with_a_reason(app, client, dbs, patient, approving, signed_in):
    body = _request(client, patient, approving)
    response = client.post(
        f"/api/appointments/{body['id']}/decline",
        json={"reason": "Away that week"},
        headers=approving.headers,
    )
    assert response.status_code == 200, response.get_json()
    declined = response.get_json()
    assert declined["status"] == "cancelled"
    assert declined["cancellation_reason"] == "Away that week"
    assert declined["cancelled_by_id"] == str(approving.id)
    [row] = audit_rows(app, AuditAction.APPOINTMENT_STATUS_CHANGED, resource_id=body["id"])
    assert row.details == {"previous_status": "requested", "status": "cancelled"}
    [note] = notifications_for(app, patient.id)
    assert note.kind == "appointment_declined"
    assert ("mail.appointment_declined", patient.id) in _mail_kinds(dbs)
    # the slot is free again
    other = signed_in(role="patient")
    assert book(client, other, start=next_monday_at(10), provider=approving).status_code == 201


def test_declining_needs_a_reason(client, patient, approving):
    body = _request(client, patient, approving)
    response = client.post(
        f"/api/appointments/{body['id']}/decline", json={}, headers=approving.headers
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["loc"] == "reason"


def test_the_patient_withdraws_a_request(app, client, patient, approving):
    body = _request(client, patient, approving)
    response = client.patch(
        f"/api/appointments/{body['id']}",
        json={"status": "cancelled", "cancellation_reason": "Found another time"},
        headers=patient.headers,
    )
    assert response.status_code == 200
    answer = client.post(f"/api/appointments/{body['id']}/confirm", headers=approving.headers)
    assert answer.status_code == 409


def test_a_rescheduled_request_stays_a_request(client, patient, approving):
    body = _request(client, patient, approving)
    response = client.patch(
        f"/api/appointments/{body['id']}",
        json={"start_time": next_monday_at(14).isoformat()},
        headers=patient.headers,
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "requested"


def test_a_provider_lists_the_appointments_with_one_patient(app, client, provider, signed_in):
    first, second = signed_in(role="patient"), signed_in(role="patient")
    mine = insert_appointment(app, patient=first, provider=provider, start=next_monday_at(10))
    insert_appointment(app, patient=second, provider=provider, start=next_monday_at(11))
    response = client.get(f"/api/appointments?patient_id={first.id}", headers=provider.headers)
    assert [item["id"] for item in response.get_json()["items"]] == [str(mine)]
    # a patient filtering on someone else finds nothing of theirs
    other = client.get(f"/api/appointments?patient_id={second.id}", headers=first.headers)
    assert other.get_json()["items"] == []
