"""Prescriptions and refill requests through the HTTP API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from healix.audit.events import AuditAction
from healix.models.prescription import Prescription
from healix.models.refill_request import RefillRequest
from healix.utils.time import utcnow
from tests.concurrency import statuses_in_parallel
from tests.factories.audit import audit_rows
from tests.factories.db import get_row
from tests.factories.notifications import notifications_for
from tests.factories.prescriptions import make_prescription, make_refill, prescription_body, today
from tests.query_count import count_queries

PAST = utcnow() - timedelta(hours=1)


def ids(response) -> list[str]:
    return [item["id"] for item in response.get_json()["items"]]


class TestWritePrescription:
    def test_provider_prescribes_for_a_patient_in_care(
        self, app, client, patient, provider, care_link
    ):
        care_link(provider, patient)
        response = client.post(
            "/api/prescriptions", json=prescription_body(patient), headers=provider.headers
        )
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        assert body["status"] == "active"
        assert body["refills_left"] == body["refills_allowed"] == 2
        assert body["provider_id"] == str(provider.id)
        [row] = audit_rows(app, AuditAction.PROVIDER_WRITE_PRESCRIPTION)
        assert (row.actor_id, row.patient_id, row.resource_id) == (
            provider.id,
            patient.id,
            body["id"],
        )
        [note] = notifications_for(app, patient)
        assert note.kind == "prescription_written"
        assert note.data == {"prescription_id": body["id"]}

    def test_emergency_access_is_enough(self, client, patient, provider, care_link):
        care_link(provider, patient, kind="emergency", valid_until=utcnow() + timedelta(hours=1))
        response = client.post(
            "/api/prescriptions", json=prescription_body(patient), headers=provider.headers
        )
        assert response.status_code == 201

    @pytest.mark.parametrize(
        "link",
        [
            None,
            {"ended_at": PAST},
            {"valid_until": PAST},
            {"kind": "emergency", "valid_until": PAST},
        ],
    )
    def test_patient_not_in_care_is_404_and_audited(
        self, app, client, patient, provider, care_link, link
    ):
        if link is not None:
            care_link(provider, patient, **link)
        response = client.post(
            "/api/prescriptions", json=prescription_body(patient), headers=provider.headers
        )
        assert response.status_code == 404
        [row] = audit_rows(app, AuditAction.ACCESS_DENIED)
        assert (row.actor_id, row.patient_id) == (provider.id, patient.id)
        assert audit_rows(app, AuditAction.PROVIDER_WRITE_PRESCRIPTION) == []

    @pytest.mark.parametrize("role", ["patient", "admin"])
    def test_only_providers_write(self, client, signed_in, patient, role):
        headers = signed_in(role=role).headers if role == "admin" else patient.headers
        response = client.post(
            "/api/prescriptions", json=prescription_body(patient), headers=headers
        )
        assert response.status_code == 403

    @pytest.mark.parametrize(
        "overrides",
        [
            {"quantity": 0},
            {"quantity": -3},
            {"refills_allowed": -1},
            {"medication_name": ""},
            {"end_date": (today() - timedelta(days=1)).isoformat()},
            {"status": "completed"},
            {"refills_left": 9},
            {"provider_id": "00000000-0000-0000-0000-000000000001"},
        ],
    )
    def test_invalid_body_is_422(self, client, patient, provider, care_link, overrides):
        care_link(provider, patient)
        response = client.post(
            "/api/prescriptions",
            json=prescription_body(patient, **overrides),
            headers=provider.headers,
        )
        assert response.status_code == 422


class TestReadPrescriptions:
    def test_each_role_sees_what_it_may(self, app, client, signed_in, provider, care_link):
        alice, bob = signed_in(role="patient"), signed_in(role="patient")
        other_provider = signed_in(role="provider")
        care_link(provider, alice)
        mine_for_alice = make_prescription(app, provider=provider, patient=alice)
        mine_for_bob = make_prescription(app, provider=provider, patient=bob)
        others_for_alice = make_prescription(app, provider=other_provider, patient=alice)
        others_for_bob = make_prescription(app, provider=other_provider, patient=bob)
        admin = signed_in(role="admin")

        def listed(who):
            response = client.get("/api/prescriptions", headers=who.headers)
            assert response.status_code == 200
            return set(ids(response))

        assert listed(alice) == {str(mine_for_alice), str(others_for_alice)}
        assert listed(bob) == {str(mine_for_bob), str(others_for_bob)}
        assert listed(provider) == {str(mine_for_alice), str(mine_for_bob), str(others_for_alice)}
        assert listed(other_provider) == {str(others_for_alice), str(others_for_bob)}
        assert len(listed(admin)) == 4

    def test_list_reads_of_others_are_audited_per_patient(
        self, app, client, patient, provider, care_link
    ):
        care_link(provider, patient)
        first = make_prescription(app, provider=provider, patient=patient)
        second = make_prescription(app, provider=provider, patient=patient)
        client.get("/api/prescriptions", headers=patient.headers)
        assert audit_rows(app, AuditAction.PROVIDER_VIEW_HEALTH_DATA) == []
        client.get("/api/prescriptions", headers=provider.headers)
        [row] = audit_rows(app, AuditAction.PROVIDER_VIEW_HEALTH_DATA)
        assert row.patient_id == patient.id
        assert sorted(row.details["prescription_ids"]) == sorted([str(first), str(second)])

    def test_ended_relationship_hides_the_patients_other_prescriptions(
        self, app, client, patient, provider, signed_in, care_link
    ):
        other_provider = signed_in(role="provider")
        theirs = make_prescription(app, provider=other_provider, patient=patient)
        care_link(provider, patient, ended_at=PAST)
        assert ids(client.get("/api/prescriptions", headers=provider.headers)) == []
        response = client.get(f"/api/prescriptions/{theirs}", headers=provider.headers)
        assert response.status_code == 404

    def test_newest_first_and_paged(self, app, client, patient, provider):
        made = [make_prescription(app, provider=provider, patient=patient) for _ in range(3)]
        first = client.get("/api/prescriptions?limit=2", headers=patient.headers).get_json()
        second = client.get(
            f"/api/prescriptions?limit=2&cursor={first['next_cursor']}", headers=patient.headers
        ).get_json()
        listed = [item["id"] for item in first["items"] + second["items"]]
        assert listed == [str(rx) for rx in reversed(made)]
        assert second["next_cursor"] is None

    def test_passed_end_date_reads_as_expired_and_filters_so(self, app, client, patient, provider):
        lapsed = make_prescription(
            app,
            provider=provider,
            patient=patient,
            start_date=today() - timedelta(days=30),
            end_date=today() - timedelta(days=1),
        )
        current = make_prescription(app, provider=provider, patient=patient, end_date=today())
        open_ended = make_prescription(app, provider=provider, patient=patient, end_date=None)
        cancelled = make_prescription(app, provider=provider, patient=patient, status="cancelled")

        def status_filter(status):
            return set(
                ids(client.get(f"/api/prescriptions?status={status}", headers=patient.headers))
            )

        assert status_filter("expired") == {str(lapsed)}
        assert status_filter("active") == {str(current), str(open_ended)}
        assert status_filter("cancelled") == {str(cancelled)}
        assert status_filter("completed") == set()
        detail = client.get(f"/api/prescriptions/{lapsed}", headers=patient.headers).get_json()
        assert detail["status"] == "expired"
        assert get_row(app, Prescription, lapsed).status == "active"

    def test_unknown_status_filter_is_422(self, client, patient):
        assert (
            client.get("/api/prescriptions?status=lost", headers=patient.headers).status_code == 422
        )

    def test_patient_reading_another_patients_prescription_is_404_and_audited(
        self, app, client, patient, provider, signed_in
    ):
        other = signed_in(role="patient")
        rx = make_prescription(app, provider=provider, patient=other)
        response = client.get(f"/api/prescriptions/{rx}", headers=patient.headers)
        assert response.status_code == 404
        [row] = audit_rows(app, AuditAction.ACCESS_DENIED)
        assert (row.actor_id, row.resource_type, row.resource_id, row.patient_id) == (
            patient.id,
            "prescription",
            str(rx),
            other.id,
        )

    def test_parties_and_care_team_read_one(
        self, app, client, patient, provider, signed_in, care_link
    ):
        rx = make_prescription(app, provider=provider, patient=patient)
        colleague = signed_in(role="provider")
        care_link(colleague, patient)
        for who in (patient, provider, colleague, signed_in(role="admin")):
            response = client.get(f"/api/prescriptions/{rx}", headers=who.headers)
            assert response.status_code == 200
        reads = audit_rows(app, AuditAction.PROVIDER_VIEW_HEALTH_DATA)
        assert len(reads) == 3
        assert {row.patient_id for row in reads} == {patient.id}

    def test_unknown_id_is_404(self, client, admin):
        response = client.get(
            "/api/prescriptions/00000000-0000-0000-0000-000000000001", headers=admin.headers
        )
        assert response.status_code == 404


class TestUpdatePrescription:
    def test_prescriber_changes_instructions_and_completes(self, app, client, patient, provider):
        rx = make_prescription(app, provider=provider, patient=patient)
        response = client.patch(
            f"/api/prescriptions/{rx}",
            json={
                "instructions": "With food.",
                "end_date": (today() + timedelta(days=5)).isoformat(),
            },
            headers=provider.headers,
        )
        assert response.status_code == 200
        assert response.get_json()["instructions"] == "With food."
        done = client.patch(
            f"/api/prescriptions/{rx}", json={"status": "completed"}, headers=provider.headers
        )
        assert done.get_json()["status"] == "completed"
        rows = audit_rows(app, AuditAction.PROVIDER_UPDATE_PRESCRIPTION)
        assert [row.details["fields"] for row in rows] == [["end_date", "instructions"], ["status"]]
        assert all(row.patient_id == patient.id for row in rows)
        assert [n.kind for n in notifications_for(app, patient)] == ["prescription_updated"] * 2

    def test_admin_may_cancel(self, app, client, patient, provider, admin):
        rx = make_prescription(app, provider=provider, patient=patient)
        response = client.patch(
            f"/api/prescriptions/{rx}", json={"status": "cancelled"}, headers=admin.headers
        )
        assert response.status_code == 200
        assert get_row(app, Prescription, rx).status == "cancelled"

    @pytest.mark.parametrize(
        ("fields", "body"),
        [
            ({"status": "completed"}, {"instructions": "x"}),
            ({"status": "cancelled"}, {"status": "completed"}),
            ({"status": "completed"}, {"end_date": None}),
            (
                {
                    "start_date": today() - timedelta(days=20),
                    "end_date": today() - timedelta(days=1),
                },
                {"status": "cancelled"},
            ),
        ],
    )
    def test_final_states_refuse_changes(self, app, client, patient, provider, fields, body):
        rx = make_prescription(app, provider=provider, patient=patient, **fields)
        response = client.patch(f"/api/prescriptions/{rx}", json=body, headers=provider.headers)
        assert response.status_code == 409
        assert audit_rows(app, AuditAction.PROVIDER_UPDATE_PRESCRIPTION) == []

    @pytest.mark.parametrize(
        "body",
        [
            {"status": "active"},
            {"status": "expired"},
            {"status": None},
            {"quantity": 5},
            {"refills_left": 10},
            {"patient_id": "00000000-0000-0000-0000-000000000001"},
        ],
    )
    def test_invalid_changes_are_422(self, app, client, patient, provider, body):
        rx = make_prescription(app, provider=provider, patient=patient)
        response = client.patch(f"/api/prescriptions/{rx}", json=body, headers=provider.headers)
        assert response.status_code == 422

    def test_end_date_before_start_is_422(self, app, client, patient, provider):
        rx = make_prescription(app, provider=provider, patient=patient)
        body = {"end_date": (today() - timedelta(days=365)).isoformat()}
        response = client.patch(f"/api/prescriptions/{rx}", json=body, headers=provider.headers)
        assert response.status_code == 422

    def test_patient_is_403_and_other_provider_404(
        self, app, client, patient, provider, signed_in, care_link
    ):
        rx = make_prescription(app, provider=provider, patient=patient)
        body = {"status": "cancelled"}
        assert (
            client.patch(f"/api/prescriptions/{rx}", json=body, headers=patient.headers).status_code
            == 403
        )
        colleague = signed_in(role="provider")
        care_link(colleague, patient)
        response = client.patch(f"/api/prescriptions/{rx}", json=body, headers=colleague.headers)
        assert response.status_code == 404
        [row] = audit_rows(app, AuditAction.ACCESS_DENIED)
        assert row.actor_id == colleague.id
        assert get_row(app, Prescription, rx).status == "active"


class TestRefillRequests:
    def test_request_approve_flow(self, app, client, patient, provider):
        rx = make_prescription(app, provider=provider, patient=patient, refills_allowed=1)
        asked = client.post(
            f"/api/prescriptions/{rx}/refill-requests",
            json={"note": "Running low"},
            headers=patient.headers,
        )
        assert asked.status_code == 201, asked.get_json()
        refill = asked.get_json()
        assert refill["status"] == "pending"
        assert [n.kind for n in notifications_for(app, provider)] == ["refill_requested"]
        [requested] = audit_rows(app, AuditAction.REFILL_REQUESTED)
        assert (requested.actor_id, requested.patient_id) == (patient.id, patient.id)

        decided = client.patch(
            f"/api/prescriptions/{rx}/refill-requests/{refill['id']}",
            json={"status": "approved", "note": "OK"},
            headers=provider.headers,
        )
        assert decided.status_code == 200, decided.get_json()
        assert decided.get_json()["status"] == "approved"
        assert decided.get_json()["decided_by_id"] == str(provider.id)
        assert get_row(app, Prescription, rx).refills_left == 0
        [decision] = audit_rows(app, AuditAction.REFILL_DECIDED)
        assert decision.details == {"prescription_id": str(rx), "status": "approved"}
        assert [n.kind for n in notifications_for(app, patient)] == ["refill_decided"]

        again = client.patch(
            f"/api/prescriptions/{rx}/refill-requests/{refill['id']}",
            json={"status": "denied"},
            headers=provider.headers,
        )
        assert again.status_code == 409
        at_zero = client.post(
            f"/api/prescriptions/{rx}/refill-requests", json={}, headers=patient.headers
        )
        assert at_zero.status_code == 409

    def test_deny_keeps_the_refill(self, app, client, patient, provider):
        rx = make_prescription(app, provider=provider, patient=patient)
        refill = make_refill(app, prescription_id=rx, patient=patient)
        response = client.patch(
            f"/api/prescriptions/{rx}/refill-requests/{refill}",
            json={"status": "denied"},
            headers=provider.headers,
        )
        assert response.status_code == 200
        assert get_row(app, Prescription, rx).refills_left == 2

    def test_one_pending_request_at_a_time(self, app, client, patient, provider):
        rx = make_prescription(app, provider=provider, patient=patient)
        url = f"/api/prescriptions/{rx}/refill-requests"
        assert client.post(url, json={}, headers=patient.headers).status_code == 201
        assert client.post(url, json={}, headers=patient.headers).status_code == 409

    @pytest.mark.parametrize(
        "fields",
        [
            {"status": "cancelled"},
            {"status": "completed"},
            {"start_date": today() - timedelta(days=20), "end_date": today() - timedelta(days=1)},
            {"refills_allowed": 0},
        ],
    )
    def test_inactive_or_exhausted_prescriptions_refuse_requests(
        self, app, client, patient, provider, fields
    ):
        rx = make_prescription(app, provider=provider, patient=patient, **fields)
        response = client.post(
            f"/api/prescriptions/{rx}/refill-requests", json={}, headers=patient.headers
        )
        assert response.status_code == 409
        assert audit_rows(app, AuditAction.REFILL_REQUESTED) == []

    @pytest.mark.parametrize(
        "fields",
        [
            {"status": "cancelled"},
            {"start_date": today() - timedelta(days=20), "end_date": today() - timedelta(days=1)},
        ],
    )
    def test_approving_when_the_prescription_ended_is_a_conflict(
        self, app, client, patient, provider, fields
    ):
        rx = make_prescription(app, provider=provider, patient=patient, **fields)
        refill = make_refill(app, prescription_id=rx, patient=patient)
        response = client.patch(
            f"/api/prescriptions/{rx}/refill-requests/{refill}",
            json={"status": "approved"},
            headers=provider.headers,
        )
        assert response.status_code == 409
        assert get_row(app, RefillRequest, refill).status == "pending"

    def test_only_the_prescriptions_patient_may_ask(
        self, app, client, patient, provider, signed_in
    ):
        rx = make_prescription(app, provider=provider, patient=patient)
        other = signed_in(role="patient")
        url = f"/api/prescriptions/{rx}/refill-requests"
        assert client.post(url, json={}, headers=other.headers).status_code == 404
        assert client.post(url, json={}, headers=provider.headers).status_code == 403
        assert len(audit_rows(app, AuditAction.ACCESS_DENIED)) == 1

    def test_list_for_parties_only(self, app, client, patient, provider, signed_in, care_link):
        rx = make_prescription(app, provider=provider, patient=patient)
        refill = make_refill(app, prescription_id=rx, patient=patient, status="denied")
        url = f"/api/prescriptions/{rx}/refill-requests"
        for who in (patient, provider, signed_in(role="admin")):
            response = client.get(url, headers=who.headers)
            assert response.status_code == 200
            assert ids(response) == [str(refill)]
        # whoever may read the prescription reads its refill requests: a provider in care too
        colleague = signed_in(role="provider")
        care_link(colleague, patient)
        assert ids(client.get(url, headers=colleague.headers)) == [str(refill)]
        for outsider in (signed_in(role="provider"), signed_in(role="patient")):
            assert client.get(url, headers=outsider.headers).status_code == 404

    def test_decisions_by_patient_403_other_provider_404(
        self, app, client, patient, provider, signed_in
    ):
        rx = make_prescription(app, provider=provider, patient=patient)
        refill = make_refill(app, prescription_id=rx, patient=patient)
        url = f"/api/prescriptions/{rx}/refill-requests/{refill}"
        body = {"status": "approved"}
        assert client.patch(url, json=body, headers=patient.headers).status_code == 403
        other = signed_in(role="provider")
        assert client.patch(url, json=body, headers=other.headers).status_code == 404
        assert get_row(app, RefillRequest, refill).status == "pending"

    def test_refill_of_another_prescription_is_404(self, app, client, patient, provider):
        rx = make_prescription(app, provider=provider, patient=patient)
        other_rx = make_prescription(app, provider=provider, patient=patient)
        refill = make_refill(app, prescription_id=other_rx, patient=patient)
        response = client.patch(
            f"/api/prescriptions/{rx}/refill-requests/{refill}",
            json={"status": "approved"},
            headers=provider.headers,
        )
        assert response.status_code == 404

    @pytest.mark.parametrize(
        "body", [{"status": "pending"}, {"status": "maybe"}, {}, {"note": "x"}]
    )
    def test_invalid_decision_is_422(self, app, client, patient, provider, body):
        rx = make_prescription(app, provider=provider, patient=patient)
        refill = make_refill(app, prescription_id=rx, patient=patient)
        response = client.patch(
            f"/api/prescriptions/{rx}/refill-requests/{refill}", json=body, headers=provider.headers
        )
        assert response.status_code == 422

    def test_concurrent_approvals_never_go_below_zero(self, app, patient, provider):
        rx = make_prescription(app, provider=provider, patient=patient, refills_allowed=2)
        refills = [make_refill(app, prescription_id=rx, patient=patient) for _ in range(5)]

        def approve(client, refill_id):
            return client.patch(
                f"/api/prescriptions/{rx}/refill-requests/{refill_id}",
                json={"status": "approved"},
                headers=provider.headers,
            )

        statuses = statuses_in_parallel(
            app, [lambda client, r=refill: approve(client, r) for refill in refills]
        )

        assert sorted(statuses) == [200, 200, 409, 409, 409]
        assert get_row(app, Prescription, rx).refills_left == 0
        decided = [get_row(app, RefillRequest, refill).status for refill in refills]
        assert sorted(decided) == ["approved", "approved", "pending", "pending", "pending"]
        assert len(audit_rows(app, AuditAction.REFILL_DECIDED)) == 2

    def test_concurrent_decisions_on_one_request_apply_once(self, app, patient, provider, admin):
        rx = make_prescription(app, provider=provider, patient=patient, refills_allowed=3)
        refill = make_refill(app, prescription_id=rx, patient=patient)

        def approve(client, who):
            return client.patch(
                f"/api/prescriptions/{rx}/refill-requests/{refill}",
                json={"status": "approved"},
                headers=who.headers,
            )

        statuses = statuses_in_parallel(
            app, [lambda client, w=who: approve(client, w) for who in (provider, admin) * 2]
        )

        assert sorted(statuses) == [200, 409, 409, 409]
        assert get_row(app, Prescription, rx).refills_left == 2

    def test_concurrent_requests_leave_one_pending(self, app, patient, provider):
        rx = make_prescription(app, provider=provider, patient=patient)

        def ask(client):
            return client.post(
                f"/api/prescriptions/{rx}/refill-requests", json={}, headers=patient.headers
            )

        statuses = statuses_in_parallel(app, [ask] * 4)

        assert sorted(statuses) == [201, 409, 409, 409]
        assert len(audit_rows(app, AuditAction.REFILL_REQUESTED)) == 1


def test_a_provider_in_care_reads_the_refill_requests_of_a_prescription_they_may_read(
    app, client, patient, provider, signed_in, care_link
):
    """Defect 3: the refill list allowed only the patient, the prescriber and admins, so a
    provider in the patient's care read the prescription (200) but got 404 on its refills."""
    rx = make_prescription(app, provider=provider, patient=patient)
    refill = make_refill(app, prescription_id=rx, patient=patient)
    colleague = signed_in(role="provider")
    care_link(colleague, patient)

    prescription = client.get(f"/api/prescriptions/{rx}", headers=colleague.headers)
    refills = client.get(f"/api/prescriptions/{rx}/refill-requests", headers=colleague.headers)

    assert prescription.status_code == refills.status_code == 200
    assert [item["id"] for item in refills.get_json()["items"]] == [str(refill)]


class TestListRows:
    """A list row carries what the web app shows: the prescriber and the newest refill."""

    def test_rows_carry_the_prescriber_and_the_newest_refill_request(
        self, app, client, patient, provider
    ):
        plain = make_prescription(app, provider=provider, patient=patient)
        refilled = make_prescription(app, provider=provider, patient=patient)
        make_refill(app, prescription_id=refilled, patient=patient, status="denied")
        newest = make_refill(app, prescription_id=refilled, patient=patient)
        items = {
            item["id"]: item
            for item in client.get("/api/prescriptions", headers=patient.headers).get_json()[
                "items"
            ]
        }
        assert items[str(plain)]["latest_refill_request"] is None
        assert items[str(refilled)]["latest_refill_request"]["id"] == str(newest)
        assert items[str(refilled)]["latest_refill_request"]["status"] == "pending"
        prescriber = items[str(plain)]["prescriber"]
        assert set(prescriber) == {"id", "first_name", "last_name", "specialization"}
        assert (prescriber["id"], prescriber["first_name"], prescriber["last_name"]) == (
            str(provider.id),
            provider.user.first_name,
            provider.user.last_name,
        )
        one = client.get(f"/api/prescriptions/{refilled}", headers=patient.headers).get_json()
        assert one["latest_refill_request"]["id"] == str(newest)
        assert one["prescriber"]["last_name"] == provider.user.last_name

    def test_a_page_costs_the_same_queries_for_one_row_as_for_many(
        self, app, client, patient, provider
    ):
        first = make_prescription(app, provider=provider, patient=patient)
        make_refill(app, prescription_id=first, patient=patient)
        with count_queries(app) as one:
            assert client.get("/api/prescriptions", headers=patient.headers).status_code == 200
        for _ in range(6):
            rx = make_prescription(app, provider=provider, patient=patient)
            make_refill(app, prescription_id=rx, patient=patient)
        with count_queries(app) as many:
            response = client.get("/api/prescriptions", headers=patient.headers)
        assert len(response.get_json()["items"]) == 7
        assert len(many) == len(one)


def test_the_refill_queue_lists_prescriptions_with_a_pending_request(
    app, client, provider, signed_in, care_link
):
    first, second = signed_in(role="patient"), signed_in(role="patient")
    care_link(provider, first)
    care_link(provider, second)
    waiting = make_prescription(app, provider=provider, patient=first)
    make_refill(app, prescription_id=waiting, patient=first)
    answered = make_prescription(app, provider=provider, patient=second)
    make_refill(app, prescription_id=answered, patient=second, status="approved")
    make_prescription(app, provider=provider, patient=second)
    response = client.get("/api/prescriptions?refill_status=pending", headers=provider.headers)
    assert response.status_code == 200
    [item] = response.get_json()["items"]
    assert item["id"] == str(waiting)
    assert item["latest_refill_request"]["status"] == "pending"
    denied = client.get("/api/prescriptions?refill_status=maybe", headers=provider.headers)
    assert denied.status_code == 422
