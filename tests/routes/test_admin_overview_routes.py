"""The admin console's clinic-wide lists: care relationships and prescriptions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from healix.audit.events import AuditAction
from healix.models.prescription import PrescriptionStatus
from healix.utils.time import utcnow
from tests.factories.audit import audit_rows
from tests.factories.prescriptions import make_prescription, today

LISTS = ["/api/admin/relationships", "/api/admin/prescriptions"]


@pytest.mark.parametrize("url", LISTS)
def test_need_a_token(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("role", ["patient", "provider"])
@pytest.mark.parametrize("url", LISTS)
def test_only_admins(client, signed_in, role, url):
    response = client.get(url, headers=signed_in(role=role).headers)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("url", LISTS)
def test_bad_filters_are_422(client, admin, url):
    response = client.get(f"{url}?provider_id=someone", headers=admin.headers)
    assert response.status_code == 422


class TestRelationships:
    def test_active_ones_with_names_newest_first(self, app, client, admin, signed_in, care_link):
        provider = signed_in(role="provider", first_name="Pia", last_name="Hart")
        patient = signed_in(first_name="Olu", last_name="Bay")
        other = signed_in()
        care = care_link(provider, patient)
        ended = care_link(provider, other, ended_at=utcnow())
        lapsed = care_link(
            provider,
            other,
            kind="emergency",
            valid_from=utcnow() - timedelta(hours=3),
            valid_until=utcnow() - timedelta(hours=1),
        )

        body = client.get("/api/admin/relationships", headers=admin.headers).get_json()
        assert [item["id"] for item in body["items"]] == [str(care)]
        [item] = body["items"]
        assert item["provider"] == {
            "id": str(provider.id),
            "first_name": "Pia",
            "last_name": "Hart",
        }
        assert item["patient"]["last_name"] == "Bay"
        assert item["active"] is True
        assert item["kind"] == "care"

        everything = client.get(
            "/api/admin/relationships?include_ended=true", headers=admin.headers
        ).get_json()
        assert [i["id"] for i in everything["items"]] == [str(lapsed), str(ended), str(care)]
        assert [i["active"] for i in everything["items"]] == [False, False, True]

        [row, _] = audit_rows(app, AuditAction.ADMIN_VIEW_RELATIONSHIPS)
        assert row.actor_id == admin.id
        assert row.details == {"filters": [], "returned": 1}

    def test_filters_by_provider_and_patient_and_pages(self, client, admin, signed_in, care_link):
        provider, other_provider = signed_in(role="provider"), signed_in(role="provider")
        patients = [signed_in() for _ in range(3)]
        for patient in patients:
            care_link(provider, patient)
        care_link(other_provider, patients[0])

        mine = client.get(
            f"/api/admin/relationships?provider_id={provider.id}&limit=2", headers=admin.headers
        ).get_json()
        assert len(mine["items"]) == 2
        rest = client.get(
            f"/api/admin/relationships?provider_id={provider.id}&limit=2"
            f"&cursor={mine['next_cursor']}",
            headers=admin.headers,
        ).get_json()
        assert rest["next_cursor"] is None
        seen = {i["patient"]["id"] for i in mine["items"] + rest["items"]}
        assert seen == {str(p.id) for p in patients}

        first = client.get(
            f"/api/admin/relationships?patient_id={patients[0].id}", headers=admin.headers
        ).get_json()
        assert {i["provider"]["id"] for i in first["items"]} == {
            str(provider.id),
            str(other_provider.id),
        }


class TestPrescriptions:
    def test_every_prescription_with_names_and_filters(self, app, client, admin, signed_in):
        provider = signed_in(role="provider", first_name="Rex", last_name="Md")
        other_provider = signed_in(role="provider")
        patient = signed_in(first_name="Ada", last_name="Lane")
        active = make_prescription(app, provider=provider, patient=patient)
        expired = make_prescription(
            app,
            provider=other_provider,
            patient=patient,
            start_date=today() - timedelta(days=30),
            end_date=today() - timedelta(days=1),
        )
        cancelled = make_prescription(
            app, provider=provider, patient=signed_in(), status=PrescriptionStatus.CANCELLED
        )

        body = client.get("/api/admin/prescriptions", headers=admin.headers).get_json()
        assert {i["id"] for i in body["items"]} == {str(active), str(expired), str(cancelled)}
        row = next(i for i in body["items"] if i["id"] == str(active))
        assert row["patient"] == {"id": str(patient.id), "first_name": "Ada", "last_name": "Lane"}
        assert row["prescriber"]["last_name"] == "Md"

        def ids(query: str) -> set[str]:
            answer = client.get(f"/api/admin/prescriptions?{query}", headers=admin.headers)
            assert answer.status_code == 200
            return {i["id"] for i in answer.get_json()["items"]}

        assert ids("status=expired") == {str(expired)}
        assert ids("status=active") == {str(active)}
        assert ids(f"provider_id={provider.id}") == {str(active), str(cancelled)}
        assert ids(f"patient_id={patient.id}&provider_id={provider.id}") == {str(active)}

        # reading another person's prescriptions is audited per patient, as for providers
        rows = audit_rows(app, AuditAction.PROVIDER_VIEW_HEALTH_DATA, actor_id=admin.id)
        assert {r.patient_id for r in rows} >= {patient.id}
