"""Provider working hours (default and custom, with time zones) and free-slot availability."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from healix.audit.events import AuditAction
from healix.models.profile import Profile
from tests.factories.appointments import at, book, insert_appointment, next_monday_at, next_weekday
from tests.factories.audit import audit_rows

SCHEDULE = "/api/providers/me/schedule"
LONDON = ZoneInfo("Europe/London")


def availability(client, actor, provider, day: date, minutes: int = 30):
    return client.get(
        f"/api/providers/{provider.id}/availability",
        query_string={"date": day.isoformat(), "duration_minutes": minutes},
        headers=actor.headers,
    )


def slot_starts(response) -> list[datetime]:
    assert response.status_code == 200, response.get_json()
    return [datetime.fromisoformat(slot["start_time"]) for slot in response.get_json()["slots"]]


def future_weekday_in_month(month: int) -> date:
    """A Monday-Friday date in `month`, after today."""
    today = datetime.now(UTC).date()
    year = today.year if date(today.year, month, 1) > today else today.year + 1
    day = date(year, month, 10)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def next_uk_spring_forward() -> date:
    """The next last Sunday of March (clocks go 01:00 GMT -> 02:00 BST)."""
    today = datetime.now(UTC).date()
    for year in (today.year, today.year + 1):
        day = date(year, 3, 31)
        day -= timedelta(days=(day.weekday() - 6) % 7)
        if day > today:
            return day
    raise AssertionError("unreachable")


# --- schedule ------------------------------------------------------------------------------


def test_default_schedule(client, provider):
    response = client.get(SCHEDULE, headers=provider.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["is_default"] is True
    assert body["timezone"] == "UTC"
    assert body["provider_id"] == str(provider.id)
    assert body["days"] == {
        day: [{"start": "09:00", "end": "17:00"}] for day in ("mon", "tue", "wed", "thu", "fri")
    }


def test_set_schedule_creates_profile_and_audits(app, client, dbs, provider):
    body = {
        "timezone": "Europe/London",
        "days": {
            "tue": [{"start": "13:00", "end": "17:30"}, {"start": "08:00", "end": "12:00"}],
            "sat": [{"start": "10:00", "end": "12:00"}],
            "sun": [],
        },
    }
    response = client.put(SCHEDULE, json=body, headers=provider.headers)
    assert response.status_code == 200, response.get_json()
    expected = {
        "tue": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:30"}],
        "sat": [{"start": "10:00", "end": "12:00"}],
    }
    assert response.get_json()["days"] == expected
    again = client.get(SCHEDULE, headers=provider.headers).get_json()
    assert again == {
        "provider_id": str(provider.id),
        "timezone": "Europe/London",
        "days": expected,
        "is_default": False,
        "requires_approval": False,
    }
    with dbs() as session:
        profile = session.get(Profile, provider.id)
        assert profile.timezone == "Europe/London"
        assert profile.working_hours["tue"] == [["08:00", "12:00"], ["13:00", "17:30"]]
    [row] = audit_rows(app, AuditAction.USER_UPDATE_PROFILE, resource_id=provider.id)
    assert row.details == {"fields": ["working_hours", "timezone"]}


def test_set_schedule_keeps_existing_timezone(client, dbs, provider):
    with dbs() as session:
        session.add(Profile(user_id=provider.id, timezone="America/New_York"))
    body = {"days": {"mon": [{"start": "09:00", "end": "12:00"}]}}
    response = client.put(SCHEDULE, json=body, headers=provider.headers)
    assert response.status_code == 200
    assert response.get_json()["timezone"] == "America/New_York"


@pytest.mark.parametrize(
    "body",
    [
        {"days": {"mon": [{"start": "10:00", "end": "09:00"}]}},
        {"days": {"mon": [{"start": "10:00", "end": "10:00"}]}},
        {"days": {"mon": [{"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]}},
        {"days": {"monday": [{"start": "09:00", "end": "12:00"}]}},
        {"days": {"mon": [{"start": "25:00", "end": "26:00"}]}},
        {"days": {"mon": [{"start": "09:00"}]}},
        {"timezone": "Mars/Olympus", "days": {}},
        {"timezone": "UTC"},
    ],
)
def test_invalid_schedules_are_422(client, provider, body):
    response = client.put(SCHEDULE, json=body, headers=provider.headers)
    assert response.status_code == 422


@pytest.mark.parametrize("role", ["patient", "admin"])
def test_only_providers_have_a_schedule(client, signed_in, role):
    actor = signed_in(role=role)
    assert client.get(SCHEDULE, headers=actor.headers).status_code == 403
    body = {"days": {"mon": [{"start": "09:00", "end": "12:00"}]}}
    assert client.put(SCHEDULE, json=body, headers=actor.headers).status_code == 403


def test_schedule_requires_sign_in(client):
    assert client.get(SCHEDULE).status_code == 401


# --- working hours apply to bookings -------------------------------------------------------


def test_booking_follows_the_providers_timezone(client, patient, provider):
    body = {"timezone": "America/New_York", "days": {"mon": [{"start": "09:00", "end": "17:00"}]}}
    assert client.put(SCHEDULE, json=body, headers=provider.headers).status_code == 200
    monday = next_weekday(0)
    # 10:00 UTC is 05:00 (EST) or 06:00 (EDT) in New York: before opening
    assert book(client, patient, start=at(monday, 10), provider=provider).status_code == 422
    ny_ten = datetime.combine(monday, time(10), tzinfo=ZoneInfo("America/New_York"))
    response = book(client, patient, start=ny_ten, provider=provider)
    assert response.status_code == 201, response.get_json()


def test_day_off_refuses_bookings(client, patient, provider):
    body = {"days": {"tue": [{"start": "09:00", "end": "17:00"}]}}
    assert client.put(SCHEDULE, json=body, headers=provider.headers).status_code == 200
    assert book(client, patient, start=next_monday_at(10), provider=provider).status_code == 422
    tuesday = at(next_weekday(1), 10)
    assert book(client, patient, start=tuesday, provider=provider).status_code == 201


# --- availability --------------------------------------------------------------------------


def test_availability_on_default_hours(client, patient, provider):
    starts = slot_starts(availability(client, patient, provider, next_weekday(0)))
    monday = next_weekday(0)
    assert starts == [at(monday, 9) + timedelta(minutes=30 * i) for i in range(16)]


def test_availability_excludes_booked_slots(app, client, patient, provider, signed_in):
    monday = next_weekday(0)
    insert_appointment(app, patient=patient, provider=provider, start=at(monday, 10))
    insert_appointment(
        app, patient=signed_in(role="patient"), provider=provider, start=at(monday, 13, 15)
    )
    insert_appointment(
        app,
        patient=signed_in(role="patient"),
        provider=provider,
        start=at(monday, 15),
        status="cancelled",
    )
    response = availability(client, patient, provider, monday, minutes=60)
    starts = slot_starts(response)
    assert at(monday, 10) not in starts
    assert starts == [
        at(monday, 9),
        at(monday, 10, 30),
        at(monday, 11, 30),
        at(monday, 13, 45),
        at(monday, 14, 45),
        at(monday, 15, 45),
    ]
    for slot in response.get_json()["slots"]:
        end = datetime.fromisoformat(slot["end_time"])
        assert end - datetime.fromisoformat(slot["start_time"]) == timedelta(hours=1)


def test_every_offered_slot_can_be_booked(client, patient, provider, signed_in):
    monday = next_weekday(0)
    assert book(client, patient, start=at(monday, 11), provider=provider).status_code == 201
    response = availability(client, patient, provider, monday, minutes=45)
    for slot in response.get_json()["slots"]:
        other = signed_in(role="patient")
        body = {
            "provider_id": str(provider.id),
            "start_time": slot["start_time"],
            "end_time": slot["end_time"],
            "reason": "Check-up",
        }
        booked = client.post("/api/appointments", json=body, headers=other.headers)
        assert booked.status_code == 201, (slot, booked.get_json())
    assert slot_starts(availability(client, patient, provider, monday, minutes=45)) == []


def test_availability_is_in_the_providers_timezone(client, patient, provider):
    body = {"timezone": "Europe/London", "days": {"mon": [{"start": "09:00", "end": "10:00"}]}}
    assert client.put(SCHEDULE, json=body, headers=provider.headers).status_code == 200
    summer = future_weekday_in_month(7)
    summer -= timedelta(days=summer.weekday())  # that week's Monday
    response = availability(client, patient, provider, summer, minutes=30)
    assert response.get_json()["timezone"] == "Europe/London"
    assert [s["start_time"] for s in response.get_json()["slots"]] == [
        f"{summer.isoformat()}T09:00:00+01:00",
        f"{summer.isoformat()}T09:30:00+01:00",
    ]
    winter = future_weekday_in_month(1)
    winter -= timedelta(days=winter.weekday())
    if winter <= datetime.now(UTC).date():
        winter += timedelta(days=7)
    response = availability(client, patient, provider, winter, minutes=30)
    assert [s["start_time"] for s in response.get_json()["slots"]] == [
        f"{winter.isoformat()}T09:00:00+00:00",
        f"{winter.isoformat()}T09:30:00+00:00",
    ]


def test_availability_across_a_dst_change(client, patient, provider):
    """00:00-04:00 on the night the UK clocks go forward is only three real hours."""
    body = {"timezone": "Europe/London", "days": {"sun": [{"start": "00:00", "end": "04:00"}]}}
    assert client.put(SCHEDULE, json=body, headers=provider.headers).status_code == 200
    day = next_uk_spring_forward()
    starts = slot_starts(availability(client, patient, provider, day, minutes=60))
    assert [s.isoformat() for s in starts] == [
        f"{day.isoformat()}T00:00:00+00:00",
        f"{day.isoformat()}T02:00:00+01:00",
        f"{day.isoformat()}T03:00:00+01:00",
    ]
    assert [s.astimezone(UTC).hour for s in starts] == [0, 1, 2]


def test_availability_leaves_out_the_past(client, patient, provider):
    all_day = [{"start": "00:00", "end": "23:59"}]
    body = {"days": {day: all_day for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}
    assert client.put(SCHEDULE, json=body, headers=provider.headers).status_code == 200
    before = datetime.now(UTC)
    starts = slot_starts(availability(client, patient, provider, before.date(), minutes=30))
    after = datetime.now(UTC)
    assert all(start >= before for start in starts)

    def future_slots(now: datetime) -> int:
        return sum(1 for i in range(47) if at(before.date(), 0) + timedelta(minutes=30 * i) >= now)

    assert future_slots(after) <= len(starts) <= future_slots(before)
    yesterday = availability(client, patient, provider, before.date() - timedelta(days=1))
    assert slot_starts(yesterday) == []


def test_availability_on_a_day_off_is_empty(client, patient, provider):
    saturday = next_weekday(5)
    assert slot_starts(availability(client, patient, provider, saturday)) == []


def test_availability_of_a_non_provider_is_404(client, patient, signed_in):
    other = signed_in(role="patient")
    assert availability(client, patient, other, next_weekday(0)).status_code == 404


@pytest.mark.parametrize(
    "query",
    [{"date": "2030-02-30"}, {"date": "tomorrow"}, {"duration_minutes": 2}, {"extra": "1"}, {}],
)
def test_availability_refuses_bad_queries(client, patient, provider, query):
    params = {"date": next_weekday(0).isoformat(), "duration_minutes": 30}
    params.update(query)
    if not query:
        params.pop("date")
    response = client.get(
        f"/api/providers/{provider.id}/availability", query_string=params, headers=patient.headers
    )
    assert response.status_code == 422


def test_availability_requires_sign_in(client, provider):
    response = client.get(
        f"/api/providers/{provider.id}/availability",
        query_string={"date": next_weekday(0).isoformat()},
    )
    assert response.status_code == 401
