"""GET /api/patients/overview: the provider's "My patients" in a bounded number of queries."""

from __future__ import annotations

import json
from datetime import date, timedelta

from healix.audit.events import AuditAction
from healix.controllers import patient_overview
from healix.extensions import db
from healix.models.user import User
from healix.routes import encoded_page, page
from healix.schemas.care import PatientOverview, PatientOverviewQuery
from healix.utils.time import utcnow
from tests.factories.appointments import insert_appointment
from tests.factories.audit import audit_rows
from tests.factories.biomarkers import add_reading, set_profile
from tests.factories.health import add_alert
from tests.query_count import count_queries

URL = "/api/patients/overview"
PAST = utcnow() - timedelta(hours=1)


def test_a_row_has_latest_vitals_alerts_visits_and_status(
    app, client, provider, make_user, care_link
):
    ada = make_user(role="patient", first_name="Ada", last_name="Lovelace")
    care_link(provider, ada)
    set_profile(app, ada.id, date_of_birth=date(1980, 12, 10))
    now = utcnow()
    add_reading(app, ada.id, "heart_rate", 70, measured_at=now - timedelta(hours=3))
    add_reading(app, ada.id, "heart_rate", 75, measured_at=now - timedelta(hours=1))
    add_reading(
        app, ada.id, "heart_rate", 400, measured_at=now - timedelta(minutes=5), status="faulty"
    )
    add_reading(app, ada.id, "blood_pressure_systolic", 121, measured_at=now - timedelta(hours=2))
    add_alert(app, ada.id, severity="critical")
    add_alert(app, ada.id, severity="warning", biomarker_type="blood_glucose")
    add_alert(app, ada.id, severity="warning", biomarker_type="body_weight", status="resolved")
    insert_appointment(
        app, patient=ada, provider=provider, start=now - timedelta(days=9), status="completed"
    )
    last = insert_appointment(
        app, patient=ada, provider=provider, start=now - timedelta(days=2), status="completed"
    )
    upcoming = insert_appointment(
        app, patient=ada, provider=provider, start=now + timedelta(days=3)
    )
    insert_appointment(app, patient=ada, provider=provider, start=now + timedelta(days=5))

    response = client.get(URL, headers=provider.headers)

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["next_cursor"] is None
    [row] = body["items"]
    assert row["id"] == str(ada.id)
    assert (row["first_name"], row["last_name"], row["date_of_birth"]) == (
        "Ada",
        "Lovelace",
        "1980-12-10",
    )
    assert row["heart_rate"]["value"] == 75
    assert row["heart_rate"]["unit"] == "/min"
    assert row["heart_rate"]["recorded_at"].startswith((now - timedelta(hours=1)).isoformat()[:16])
    assert row["blood_pressure"]["systolic"]["value"] == 121
    assert row["blood_pressure"]["diastolic"] is None
    assert row["blood_glucose"] is None
    assert row["open_alerts"] == {"warning": 1, "critical": 1}
    assert row["last_visit"]["appointment_id"] == str(last)
    assert row["next_appointment"]["appointment_id"] == str(upcoming)
    assert row["status"] == "needs_attention"


def test_a_patient_without_data_is_stable_with_nulls(client, provider, patient, care_link):
    care_link(provider, patient)
    [row] = client.get(URL, headers=provider.headers).get_json()["items"]
    assert row["heart_rate"] is None
    assert row["blood_pressure"] == {"systolic": None, "diastolic": None}
    assert row["open_alerts"] == {"warning": 0, "critical": 0}
    assert row["last_visit"] is None
    assert row["next_appointment"] is None
    assert row["status"] == "stable"


def test_only_patients_in_my_care_and_only_my_visits(
    app, client, provider, signed_in, make_user, care_link
):
    mine, ended, stranger = (make_user(role="patient") for _ in range(3))
    other_provider = signed_in(role="provider")
    care_link(provider, mine)
    care_link(provider, ended, ended_at=PAST)
    care_link(other_provider, stranger)
    insert_appointment(
        app,
        patient=mine,
        provider=other_provider,
        start=utcnow() - timedelta(days=1),
        status="completed",
    )
    items = client.get(URL, headers=provider.headers).get_json()["items"]
    assert [row["id"] for row in items] == [str(mine.id)]
    assert items[0]["last_visit"] is None


def test_search_and_pages(client, provider, make_user, care_link):
    for first, last in [("Alice", "Able"), ("Bob", "Baker"), ("Alina", "Cole")]:
        care_link(provider, make_user(role="patient", first_name=first, last_name=last))
    found = client.get(f"{URL}?q=ali", headers=provider.headers).get_json()["items"]
    assert [row["first_name"] for row in found] == ["Alice", "Alina"]
    first = client.get(f"{URL}?limit=2", headers=provider.headers).get_json()
    assert [row["last_name"] for row in first["items"]] == ["Able", "Baker"]
    rest = client.get(
        f"{URL}?limit=2&cursor={first['next_cursor']}", headers=provider.headers
    ).get_json()
    assert [row["last_name"] for row in rest["items"]] == ["Cole"]
    assert rest["next_cursor"] is None


def test_limit_is_clamped_to_200_and_checked(client, provider):
    assert client.get(f"{URL}?limit=5000", headers=provider.headers).status_code == 200
    assert client.get(f"{URL}?limit=0", headers=provider.headers).status_code == 422


def test_one_audit_row_per_read(app, client, provider, make_user, care_link):
    patients = [make_user(role="patient") for _ in range(3)]
    for someone in patients:
        care_link(provider, someone)
    assert client.get(URL, headers=provider.headers).status_code == 200
    [row] = audit_rows(app, AuditAction.PROVIDER_VIEW_HEALTH_DATA)
    assert row.actor_id == provider.id
    assert row.resource_type == "patient"
    assert row.details["patient_ids"] == sorted(str(someone.id) for someone in patients)
    assert row.details["view"] == "overview"


def test_an_empty_list_reads_no_one_and_audits_nothing(app, client, provider):
    assert client.get(URL, headers=provider.headers).get_json() == {
        "items": [],
        "next_cursor": None,
    }
    assert audit_rows(app, AuditAction.PROVIDER_VIEW_HEALTH_DATA) == []


def test_refusals(client, patient, admin):
    assert client.get(URL).status_code == 401
    for caller in (patient, admin):
        response = client.get(URL, headers=caller.headers)
        assert response.status_code == 403
        assert response.mimetype == "application/problem+json"


def _populate(app, provider, make_user, care_link, count: int) -> None:
    now = utcnow()
    for index in range(count):
        someone = make_user(role="patient")
        care_link(provider, someone)
        for code, value in [
            ("heart_rate", 70),
            ("blood_pressure_systolic", 120),
            ("blood_pressure_diastolic", 80),
            ("blood_glucose", 100),
        ]:
            add_reading(
                app, someone.id, code, value + index % 5, measured_at=now - timedelta(hours=1)
            )
        add_alert(app, someone.id)
        insert_appointment(
            app,
            patient=someone,
            provider=provider,
            start=now - timedelta(days=1, hours=index),
            status="completed",
        )
        insert_appointment(
            app, patient=someone, provider=provider, start=now + timedelta(days=1, hours=index)
        )


def test_the_query_count_does_not_grow_with_the_patients(
    app, client, signed_in, make_user, care_link
):
    few, many = signed_in(role="provider"), signed_in(role="provider")
    _populate(app, few, make_user, care_link, 5)
    _populate(app, many, make_user, care_link, 50)
    with count_queries(app) as five:
        assert len(client.get(URL, headers=few.headers).get_json()["items"]) == 5
    with count_queries(app) as fifty:
        items = client.get(URL, headers=many.headers).get_json()["items"]
    assert len(items) == 50
    assert all(row["heart_rate"] and row["next_appointment"] for row in items)
    assert len(fifty) == len(five) <= 12, fifty


def test_the_encoded_rows_equal_the_validated_page(app, provider, make_user, care_link):
    """The route hands the controller's dataclasses to the encoder; pydantic would write the
    same document."""
    _populate(app, provider, make_user, care_link, 3)
    care_link(provider, make_user(role="patient"))  # one without any data
    with app.test_request_context():
        rows = patient_overview.overview(
            db.session,
            actor=db.session.get(User, provider.id),
            query=PatientOverviewQuery(),
        )
        encoded, _ = encoded_page(rows)
        validated, _ = page(PatientOverview, rows)
        assert json.loads(app.json.dumps(encoded)) == json.loads(app.json.dumps(validated))
        db.session.rollback()
        db.session.remove()
