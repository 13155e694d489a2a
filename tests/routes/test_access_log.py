from __future__ import annotations

from datetime import timedelta

from healix.audit.events import AuditAction
from healix.controllers.access import ensure_patient_access
from healix.models import User
from healix.utils.time import utcnow
from tests.factories.audit import record_events

URL = "/api/users/me/access-log"


def _provider_reads(dbs, provider, patient) -> None:
    """What every endpoint showing a patient's data does: ensure_patient_access audits it."""
    with dbs() as session:
        ensure_patient_access(session, actor=session.get(User, provider.id), patient_id=patient.id)


def test_a_patient_sees_a_providers_read(client, dbs, patient, provider, care_link):
    care_link(provider, patient)
    _provider_reads(dbs, provider, patient)
    response = client.get(URL, headers=patient.headers)
    assert response.status_code == 200
    [entry] = response.get_json()["items"]
    assert entry["action"] == "PROVIDER_VIEW_PATIENT"
    assert entry["outcome"] == "success"
    assert entry["actor"] == {
        "id": str(provider.id),
        "name": f"{provider.user.first_name} {provider.user.last_name}",
        "role": "provider",
    }
    assert entry["emergency"] is False
    assert entry["resource_type"] == "patient"


def test_emergency_access_is_flagged(client, dbs, patient, provider, care_link):
    care_link(provider, patient, kind="emergency", valid_until=utcnow() + timedelta(hours=1))
    _provider_reads(dbs, provider, patient)
    [entry] = client.get(URL, headers=patient.headers).get_json()["items"]
    assert entry["emergency"] is True


def test_admin_reads_and_exports_are_listed_newest_first(app, client, patient, admin, provider):
    record_events(
        app,
        {
            "action": AuditAction.PROVIDER_VIEW_HEALTH_DATA,
            "actor": provider.user,
            "patient_id": patient.id,
        },
        {"action": AuditAction.PROVIDER_EXPORT_DATA, "actor": admin.user, "patient_id": patient.id},
    )
    items = client.get(URL, headers=patient.headers).get_json()["items"]
    assert [(i["action"], i["actor"]["role"]) for i in items] == [
        ("PROVIDER_EXPORT_DATA", "admin"),
        ("PROVIDER_VIEW_HEALTH_DATA", "provider"),
    ]


def test_own_actions_and_other_patients_events_are_not_shown(
    app, client, patient, signed_in, provider
):
    other = signed_in(role="patient")
    record_events(
        app,
        {"action": AuditAction.GOAL_CREATED, "actor": patient.user, "patient_id": patient.id},
        {
            "action": AuditAction.PROVIDER_VIEW_PATIENT,
            "actor": provider.user,
            "patient_id": other.id,
        },
        {
            "action": AuditAction.PROVIDER_VIEW_PATIENT,
            "actor": other.user,
            "patient_id": patient.id,
        },
    )
    mine = client.get(URL, headers=patient.headers).get_json()["items"]
    assert mine == []
    theirs = client.get(URL, headers=other.headers).get_json()["items"]
    assert [entry["actor"]["id"] for entry in theirs] == [str(provider.id)]
    body = str(theirs) + str(mine)
    assert other.user.first_name not in body
    assert patient.user.first_name not in body


def test_the_access_log_pages(app, client, patient, provider):
    record_events(
        app,
        *(
            {
                "action": AuditAction.PROVIDER_VIEW_PATIENT,
                "actor": provider.user,
                "patient_id": patient.id,
            }
            for _ in range(3)
        ),
    )
    first = client.get(f"{URL}?limit=2", headers=patient.headers).get_json()
    second = client.get(
        f"{URL}?limit=2&cursor={first['next_cursor']}", headers=patient.headers
    ).get_json()
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    assert second["next_cursor"] is None
    times = [entry["at"] for entry in first["items"] + second["items"]]
    assert times == sorted(times, reverse=True)


def test_the_access_log_needs_a_token(client):
    assert client.get(URL).status_code == 401
