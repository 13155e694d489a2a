"""Calendar files and the subscription feed, parsed back with icalendar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from healix.extensions import db
from healix.models.calendar_feed import CalendarFeed
from healix.models.user import User
from healix.utils.hashing import sha256_hex
from healix.utils.time import utcnow
from tests.factories.appointments import insert_appointment, next_monday_at
from tests.factories.audit import audit_rows
from tests.factories.db import count
from tests.factories.users import create_user, sign_in

REASON = "Chest tightness when running"
NOTES = "Bring the ECG from March"
PROVIDER_NOTES = "Query arrhythmia"
FEED = "/api/users/me/calendar-feed"


def private_texts() -> tuple[str, ...]:
    return (REASON, NOTES, PROVIDER_NOTES, "Chest", "ECG", "arrhythmia")


def book(app, patient, provider, **fields):
    defaults = {
        "start": next_monday_at(10),
        "reason": REASON,
        "notes": NOTES,
        "provider_notes": PROVIDER_NOTES,
    }
    return insert_appointment(app, patient=patient, provider=provider, **(defaults | fields))


def events_of(response) -> list:
    return Calendar.from_ical(response.get_data()).walk("VEVENT")


def feed_path(url: str) -> str:
    """The path of a feed URL (the test client speaks to the app directly)."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


# -- one appointment -------------------------------------------------------------------------


def test_an_appointment_file_describes_it_without_reason_or_notes(app, client, patient, provider):
    appointment_id = book(app, patient, provider, location="Room 4, Harley Street")

    response = client.get(
        f"/api/appointments/{appointment_id}/calendar.ics", headers=patient.headers
    )

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert not any(text in body for text in private_texts())
    [event] = events_of(response)
    description = str(event["DESCRIPTION"])
    assert provider.user.last_name in description
    assert "http://127.0.0.1:5000/appointments" in description
    assert str(event["LOCATION"]) == "Room 4, Harley Street"
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:no-reply@healix-demo.com"
    assert str(organizer.params["CN"]) == "Healix"
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1)


def test_no_reminder_for_a_cancelled_appointment(app, client, patient, provider):
    appointment_id = book(app, patient, provider, status="cancelled")

    response = client.get(
        f"/api/appointments/{appointment_id}/calendar.ics", headers=provider.headers
    )

    [event] = events_of(response)
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.walk("VALARM") == []
    assert "LOCATION" not in event


# -- the feed ----------------------------------------------------------------------------------


@pytest.fixture
def feed(client, patient):
    response = client.post(FEED, headers=patient.headers)
    assert response.status_code == 201
    return response.get_json()


def test_feed_url_is_secret_webcal_compatible_and_stored_hashed(app, dbs, feed, patient):
    url, webcal = feed["url"], feed["webcal_url"]
    assert url.startswith("http://127.0.0.1:5000/api/calendar/feeds/hxcal_")
    assert url.endswith(".ics")
    assert webcal == "webcal://" + url.removeprefix("http://")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    with dbs() as session:
        assert count(session, CalendarFeed, CalendarFeed.token_hash == sha256_hex(token)) == 1
        assert count(session, CalendarFeed, CalendarFeed.token_hash == token) == 0
    [row] = audit_rows(app, "CALENDAR_FEED_CREATED")
    assert (row.actor_id, row.resource_id) == (patient.id, feed["id"])
    assert "hxcal_" not in str(row.details)


def test_the_feed_serves_the_owners_appointments_without_reasons_or_notes(
    app, client, feed, patient, provider, make_user
):
    other_patient = make_user(role="patient")
    mine = book(app, patient, provider)
    recent = book(app, patient, provider, start=utcnow() - timedelta(days=3), status="completed")
    book(app, patient, provider, start=utcnow() - timedelta(days=45), status="completed")
    theirs = book(app, other_patient, provider, start=next_monday_at(11))

    response = client.get(feed_path(feed["url"]))  # no Authorization header: the token is it

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert not any(text in body for text in private_texts())
    calendar = Calendar.from_ical(response.get_data())
    assert str(calendar["X-WR-CALNAME"]) == "Healix appointments"
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert uids == {f"{mine}@healix", f"{recent}@healix"}  # not the 45-day-old one
    assert f"{theirs}@healix" not in uids
    [row] = audit_rows(app, "CALENDAR_FEED_READ")
    assert (row.actor_id, row.patient_id) == (patient.id, patient.id)
    assert row.details == {"events": 2}


def test_another_users_feed_shows_only_that_users_appointments(
    app, client, feed, patient, provider
):
    mine = book(app, patient, provider)
    provider_feed = client.post(FEED, headers=provider.headers).get_json()
    other_patient_booking = book(
        app, patient, provider, start=next_monday_at(14), reason="Second visit"
    )

    provider_view = client.get(feed_path(provider_feed["url"]))

    uids = {str(event["UID"]) for event in events_of(provider_view)}
    assert uids == {f"{mine}@healix", f"{other_patient_booking}@healix"}
    summaries = {str(event["SUMMARY"]) for event in events_of(provider_view)}
    assert summaries == {
        f"Healix appointment with {patient.user.first_name} {patient.user.last_name}"
    }


def test_a_revoked_feed_is_404(client, feed, patient):
    assert client.get(FEED, headers=patient.headers).get_json()["id"] == feed["id"]

    revoked = client.delete(FEED, headers=patient.headers)

    assert revoked.status_code == 204
    response = client.get(feed_path(feed["url"]))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert client.get(FEED, headers=patient.headers).status_code == 404
    assert client.delete(FEED, headers=patient.headers).status_code == 404


def test_a_new_feed_replaces_the_old_one(dbs, client, feed, patient):
    renewed = client.post(FEED, headers=patient.headers).get_json()

    assert client.get(feed_path(feed["url"])).status_code == 404
    assert client.get(feed_path(renewed["url"])).status_code == 200
    live = (CalendarFeed.user_id == patient.id, CalendarFeed.revoked_at.is_(None))
    with dbs() as session:
        assert count(session, CalendarFeed, *live) == 1


@pytest.mark.parametrize("token", ["hxcal_" + "A" * 43, "short", "has.dots.in.it"])
def test_unknown_or_malformed_tokens_are_refused(client, token):
    response = client.get(f"/api/calendar/feeds/{token}.ics")

    assert response.status_code in (404, 422)
    assert response.mimetype == "application/problem+json"


def test_feed_of_a_deactivated_account_is_404(app, client, feed, patient):
    with app.app_context():
        db.session.get(User, patient.id).status = "inactive"
        db.session.commit()

    assert client.get(feed_path(feed["url"])).status_code == 404


def test_feed_endpoints_need_a_patient_or_provider(client, admin):
    assert client.post(FEED).status_code == 401
    assert client.post(FEED, headers=admin.headers).status_code == 403
    assert client.get(FEED, headers=admin.headers).status_code == 403


def test_clinic_settings_name_the_organizer(make_app):
    app = make_app(clinic_name="Klinik am See", mail_from="Klinik <praxis@klinik.example>")
    client = app.test_client()
    patient = sign_in(app, create_user(app, role="patient"))
    provider = create_user(app, role="provider")
    appointment_id = book(app, patient, provider)

    response = client.get(
        f"/api/appointments/{appointment_id}/calendar.ics", headers=patient.headers
    )

    [event] = events_of(response)
    assert str(event["ORGANIZER"]) == "mailto:praxis@klinik.example"
    assert str(event["ORGANIZER"].params["CN"]) == "Klinik am See"
    assert str(event["SUMMARY"]).startswith("Klinik am See appointment with")
