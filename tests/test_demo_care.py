"""The care demo data, and the docs/care-a.md walk-through run against it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from healix.demo import DEMO_CARE, DEMO_PASSWORD
from healix.models.prescription import Prescription
from healix.models.refill_request import RefillRequest
from healix.models.user import User
from tests.factories.prescriptions import today


def seed(app) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def login(client, email: str) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def test_every_demo_patient_has_active_prescriptions_from_their_provider(app, dbs):
    seed(app)
    with dbs() as session:
        emails = dict(session.execute(select(User.id, User.email)).all())
        prescriptions = session.scalars(select(Prescription)).all()
        pending = session.scalars(select(RefillRequest)).all()
        pairs = {(emails[rx.provider_id], emails[rx.patient_id]) for rx in prescriptions}
        assert {rx.status for rx in prescriptions} == {"active"}
        assert [refill.status for refill in pending] == ["pending"]
    expected = {
        (provider, patient) for provider, patients in DEMO_CARE.items() for patient in patients
    }
    assert pairs == expected


def test_walk_through_prescribe_request_approve(app, client):
    seed(app)
    grey = login(client, "dr.grey@healix-demo.com")
    alice = login(client, "alice@healix-demo.com")
    patients = client.get("/api/patients?q=alice", headers=grey).get_json()["items"]
    alice_id = patients[0]["id"]
    created = client.post(
        "/api/prescriptions",
        json={
            "patient_id": alice_id,
            "medication_name": "Amoxicillin",
            "dosage": "500 mg three times daily",
            "quantity": 21,
            "refills_allowed": 1,
            "start_date": today().isoformat(),
            "end_date": (today() + timedelta(days=30)).isoformat(),
        },
        headers=grey,
    )
    assert created.status_code == 201, created.get_json()
    rx_id = created.get_json()["id"]
    asked = client.post(
        f"/api/prescriptions/{rx_id}/refill-requests", json={"note": "Lost a strip"}, headers=alice
    )
    assert asked.status_code == 201
    approved = client.patch(
        f"/api/prescriptions/{rx_id}/refill-requests/{asked.get_json()['id']}",
        json={"status": "approved"},
        headers=grey,
    )
    assert approved.status_code == 200
    assert client.get(f"/api/prescriptions/{rx_id}", headers=alice).get_json()["refills_left"] == 0
    inbox = client.get("/api/notifications?status=unread", headers=alice).get_json()["items"]
    assert [item["kind"] for item in inbox][:2] == ["refill_decided", "prescription_written"]
