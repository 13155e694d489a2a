"""HTTP tests of the exports: PDF report (plain and encrypted), prescription PDF, FHIR, CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from fhir.resources.R4B.bundle import Bundle
from pypdf import PasswordType, PdfReader

from healix.models.provider_patient_relationship import RelationshipKind
from healix.utils.time import utcnow
from tests.factories.appointments import insert_appointment
from tests.factories.audit import audit_rows
from tests.factories.biomarkers import add_reading, set_profile
from tests.factories.devices import add_device
from tests.factories.health import add_alert, add_goal
from tests.factories.prescriptions import make_prescription

MARKUP = "<b>x</b><img src='http://example.com/a.png'/>"
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def pdf_pages(content: bytes, password: str | None = None) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    if password is not None:
        reader.decrypt(password)
    return [page.extract_text() for page in reader.pages]


def iso(moment: datetime) -> str:
    return moment.isoformat()


# -- PDF report ---------------------------------------------------------------------------


@pytest.fixture
def report_patient(app, patient, provider, care_link):
    """A patient with readings, an alert, a goal, an appointment and a prescription."""
    now = utcnow()
    care_link(provider, patient)
    add_reading(app, patient.id, "heart_rate", 65, measured_at=now - timedelta(days=2))
    add_reading(app, patient.id, "heart_rate", 150, measured_at=now - timedelta(hours=3))
    add_reading(
        app,
        patient.id,
        "heart_rate",
        199,
        measured_at=now - timedelta(hours=1),
        status="faulty",
        fault_reason="motion_artifact",
    )
    for code, value in (("spo2", 97.5), ("blood_glucose", 104), ("body_temperature", 36.6)):
        for day in range(5):
            add_reading(app, patient.id, code, value - day, measured_at=now - timedelta(days=day))
    add_alert(app, patient.id, message=MARKUP)
    add_goal(app, patient.id, title="Walk <i>more</i>")
    add_reading(app, patient.id, "steps", 4000, measured_at=now)
    insert_appointment(app, patient=patient, provider=provider, reason="Review & follow-up")
    make_prescription(app, provider=provider, patient=patient, medication_name="Amlodipine 5 mg")
    return patient


def test_patient_downloads_report_with_all_sections(app, client, dbs, report_patient):
    response = client.get("/api/export/report.pdf", headers=report_patient.headers)

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    pages = pdf_pages(response.data)
    text = re.sub(r"\s+", " ", "\n".join(pages))
    assert f"{report_patient.user.first_name} {report_patient.user.last_name}" in text
    assert f"Patient ID {report_patient.id}" in text
    assert "150 bpm" in text  # display units from the catalog, not UCUM "/min"
    assert "critical" in text
    assert "199 bpm" not in text  # the faulty reading is never the latest value
    assert "97.5 %" in text  # the latest spo2 (today's) ...
    assert "93.5 %" not in text  # ... not an older one
    assert "5.8 mmol/L" in text  # 104 mg/dL, shown in SI units for a metric patient
    for title in ("Heart rate (bpm)", "Blood oxygen saturation (%)", "Blood glucose (mmol/L)"):
        assert title in text
    assert "highest 150 " in text  # the spike survives the hourly averaging
    assert MARKUP in text  # shown literally, not interpreted
    assert "Walk <i>more</i>" in text
    assert "Current period, today" in text
    assert "4,000 steps (40%)" in text  # 4,000 of the 10,000-step daily goal
    assert "Review & follow-up" in text
    assert "Amlodipine 5 mg" in text
    assert len(pages) >= 2
    report_id = re.search(rf"Health report ({UUID_RE.pattern})", pages[0]).group(1)
    for number, page in enumerate(pages, start=1):
        assert report_id in page
        assert f"Page {number}" in page
    [row] = audit_rows(app, "PATIENT_EXPORT_REPORT")
    assert row.resource_id == report_id
    assert row.patient_id == report_patient.id
    assert row.details["format"] == "pdf"
    assert set(row.details) == {"format", "from", "to"}


def test_report_draws_one_chart_per_type(client, report_patient):
    response = client.get("/api/export/report.pdf", headers=report_patient.headers)

    text = re.sub(r"\s+", " ", "\n".join(pdf_pages(response.data)))
    # heart rate, spo2, glucose, temperature averaged; steps as daily totals
    assert text.count("band: lowest to highest reading") == 4
    assert "Steps: totals per day (steps)" in text
    assert "Sleep duration" not in text  # no sleep data in the period


def test_report_of_an_empty_period(client, report_patient):
    query = {"from": "2020-01-01T00:00:00+00:00", "to": "2020-01-31T00:00:00+00:00"}
    response = client.get(
        "/api/export/report.pdf", query_string=query, headers=report_patient.headers
    )

    assert response.status_code == 200
    text = "\n".join(pdf_pages(response.data))
    assert "No readings in this period" in text
    assert "No alerts in this period" in text
    assert "2020-01-01" in text


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-02-01T00:00:00+00:00", "to": "2026-01-01T00:00:00+00:00"},
        {"from": "2026-01-01T00:00:00"},
        {"from": "0001-01-01T00:00:00+01:00"},
        {"to": "9999-12-31T23:59:59-01:00"},
        {"patient_id": "not-a-uuid"},
        {"unknown": "1"},
    ],
)
def test_report_rejects_bad_query(client, patient, query):
    response = client.get("/api/export/report.pdf", query_string=query, headers=patient.headers)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_report_requires_sign_in(client):
    assert client.get("/api/export/report.pdf").status_code == 401


def test_provider_in_care_exports_report(app, client, dbs, provider, report_patient):
    response = client.get(
        "/api/export/report.pdf",
        query_string={"patient_id": str(report_patient.id)},
        headers=provider.headers,
    )

    assert response.status_code == 200
    assert report_patient.user.first_name in "\n".join(pdf_pages(response.data))
    [row] = audit_rows(app, "PROVIDER_EXPORT_DATA")
    assert row.actor_id == provider.id
    assert row.patient_id == report_patient.id
    assert row.details["format"] == "pdf"
    assert row.details["via"] == "care"
    assert row.severity == "info"
    assert audit_rows(app, "PATIENT_EXPORT_REPORT") == []


def test_emergency_access_export_is_audited_high(app, client, dbs, signed_in, patient, care_link):
    doctor = signed_in(role="provider")
    care_link(
        doctor, patient, kind=RelationshipKind.EMERGENCY, valid_until=utcnow() + timedelta(hours=2)
    )

    response = client.get(
        "/api/export/report.pdf",
        query_string={"patient_id": str(patient.id)},
        headers=doctor.headers,
    )

    assert response.status_code == 200
    [row] = audit_rows(app, "PROVIDER_EXPORT_DATA")
    assert (row.details["via"], row.severity) == ("emergency", "high")


@pytest.mark.parametrize("relationship", ["none", "ended", "expired_emergency"])
def test_provider_without_active_relationship_gets_404(
    app, client, dbs, signed_in, patient, care_link, relationship
):
    doctor = signed_in(role="provider")
    if relationship == "ended":
        care_link(doctor, patient, ended_at=utcnow() - timedelta(minutes=1))
    elif relationship == "expired_emergency":
        care_link(
            doctor,
            patient,
            kind=RelationshipKind.EMERGENCY,
            valid_from=utcnow() - timedelta(hours=3),
            valid_until=utcnow() - timedelta(hours=1),
        )

    for url in ("/api/export/report.pdf", "/api/export/fhir", "/api/export/readings.csv"):
        response = client.get(
            url, query_string={"patient_id": str(patient.id)}, headers=doctor.headers
        )
        assert response.status_code == 404, url
        assert response.mimetype == "application/problem+json"

    denied = audit_rows(app, "ACCESS_DENIED")
    assert len(denied) == 3
    assert all(row.actor_id == doctor.id and row.patient_id == patient.id for row in denied)
    assert all(row.resource_type == "export" for row in denied)
    assert audit_rows(app, "PROVIDER_EXPORT_DATA") == []


def test_patient_cannot_export_another_patient(app, client, dbs, signed_in, patient):
    other = signed_in(role="patient")

    response = client.get(
        "/api/export/report.pdf",
        query_string={"patient_id": str(other.id)},
        headers=patient.headers,
    )

    assert response.status_code == 404
    [row] = audit_rows(app, "ACCESS_DENIED")
    assert row.actor_id == patient.id


def test_admin_exports_and_must_name_the_patient(app, client, dbs, admin, patient):
    missing = client.get("/api/export/report.pdf", headers=admin.headers)
    assert missing.status_code == 422

    response = client.get(
        "/api/export/report.pdf",
        query_string={"patient_id": str(patient.id)},
        headers=admin.headers,
    )
    assert response.status_code == 200
    [row] = audit_rows(app, "PROVIDER_EXPORT_DATA")
    assert row.details["via"] == "admin"


def test_export_of_unknown_patient_is_404(client, admin):
    response = client.get(
        "/api/export/fhir", query_string={"patient_id": str(uuid.uuid4())}, headers=admin.headers
    )
    assert response.status_code == 404


# -- encrypted PDF ------------------------------------------------------------------------


def test_encrypted_report_needs_the_password(app, client, dbs, report_patient):
    password = "Open-Sesame-42"

    response = client.post(
        "/api/export/report.pdf", json={"password": password}, headers=report_patient.headers
    )

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.is_encrypted
    encryption = reader.trailer["/Encrypt"]
    assert encryption["/V"] == 5  # AES-256 (PDF 2.0 / extension level 3)
    assert encryption["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    assert reader.decrypt("wrong-password") == PasswordType.NOT_DECRYPTED
    assert PdfReader(io.BytesIO(response.data)).decrypt(password) == PasswordType.USER_PASSWORD
    assert report_patient.user.first_name in "\n".join(pdf_pages(response.data, password))
    [row] = audit_rows(app, "PATIENT_EXPORT_REPORT")
    assert row.details["format"] == "pdf-encrypted"
    assert password not in json.dumps(row.details)


def test_encrypted_report_accepts_period_and_patient(client, provider, report_patient):
    body = {
        "patient_id": str(report_patient.id),
        "from": "2020-01-01T00:00:00+00:00",
        "to": "2020-02-01T00:00:00+00:00",
        "password": "Another-Secret-1",
    }
    response = client.post("/api/export/report.pdf", json=body, headers=provider.headers)

    assert response.status_code == 200
    text = "\n".join(pdf_pages(response.data, body["password"]))
    assert "No readings in this period" in text


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"password": "Tiny1"},
        {"password": "Tiny1" * 26},
        {"password": "Tiny1-long-enough", "extra": 1},
        {"password": "Tiny1-long-enough", "from": "2026-01-01T00:00:00"},
    ],
)
def test_encrypted_report_validates_body_without_echoing_the_password(client, patient, body):
    response = client.post("/api/export/report.pdf", json=body, headers=patient.headers)

    assert response.status_code == 422
    assert "Tiny1" not in response.get_data(as_text=True)


def test_password_is_refused_in_the_url(client, patient):
    response = client.get(
        "/api/export/report.pdf", query_string={"password": "Secret-123"}, headers=patient.headers
    )

    assert response.status_code == 422


# -- prescription PDF ---------------------------------------------------------------------


@pytest.fixture
def prescription(app, patient, provider, care_link):
    care_link(provider, patient)
    set_profile(app, patient.id, date_of_birth=date(1980, 4, 12))
    return make_prescription(
        app,
        provider=provider,
        patient=patient,
        medication_name="Metformin <500 mg>",
        dosage="1 tablet daily",
        instructions="Take in the morning",
        quantity=30,
        refills_allowed=3,
        refills_left=2,
        end_date=date.today() + timedelta(days=60),
    )


def test_patient_prints_prescription(app, client, dbs, patient, provider, prescription):
    response = client.get(f"/api/prescriptions/{prescription}/pdf", headers=patient.headers)

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = "\n".join(pdf_pages(response.data))
    for expected in (
        f"{patient.user.first_name} {patient.user.last_name}",
        "1980-04-12",
        f"Name {provider.user.first_name} {provider.user.last_name}",
        "Specialization General Practice",
        "Licence number LIC-",
        f"Patient ID {patient.id}",
        "Metformin <500 mg>",
        "1 tablet daily",
        "Take in the morning",
        "Quantity 30",
        "2 of 3 left",
        "active",
        str(prescription),
    ):
        assert expected in text, expected
    [row] = audit_rows(app, "PATIENT_EXPORT_REPORT")
    assert (row.resource_type, row.resource_id) == ("prescription", str(prescription))


def test_prescriber_prints_prescription_after_care_ended(client, dbs, app, signed_in, patient):
    doctor = signed_in(role="provider")
    rx = make_prescription(app, provider=doctor, patient=patient)

    response = client.get(f"/api/prescriptions/{rx}/pdf", headers=doctor.headers)

    assert response.status_code == 200
    [row] = audit_rows(app, "PROVIDER_EXPORT_DATA")
    assert row.actor_id == doctor.id
    assert row.patient_id == patient.id


@pytest.mark.parametrize("role", ["provider_in_care", "admin"])
def test_care_team_and_admin_print_prescription(
    client, signed_in, care_link, patient, prescription, role
):
    if role == "admin":
        viewer = signed_in(role="admin")
    else:
        viewer = signed_in(role="provider")
        care_link(viewer, patient)

    response = client.get(f"/api/prescriptions/{prescription}/pdf", headers=viewer.headers)

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["provider", "patient"])
def test_strangers_cannot_print_prescription(
    app, client, dbs, signed_in, patient, prescription, role
):
    stranger = signed_in(role=role)

    response = client.get(f"/api/prescriptions/{prescription}/pdf", headers=stranger.headers)

    assert response.status_code == 404
    [row] = audit_rows(app, "ACCESS_DENIED")
    assert (row.resource_type, row.resource_id) == ("prescription", str(prescription))
    assert row.patient_id == patient.id
    assert audit_rows(app, "PROVIDER_EXPORT_DATA") == []


def test_unknown_prescription_is_404(client, admin):
    response = client.get(f"/api/prescriptions/{uuid.uuid4()}/pdf", headers=admin.headers)
    assert response.status_code == 404


# -- FHIR ---------------------------------------------------------------------------------


def test_fhir_bundle_validates_and_maps(client, dbs, app, patient, provider, signed_in, care_link):
    care_link(provider, patient)
    set_profile(
        app, patient.id, gender="Female", date_of_birth=date(1990, 1, 2), phone="+44 20 7946 0000"
    )
    device = add_device(app, patient.id)
    now = utcnow()
    add_reading(
        app, patient.id, "heart_rate", 71, device_id=device, source="device", measured_at=now
    )
    add_reading(app, patient.id, "environmental_noise", 62, measured_at=now)
    add_reading(app, patient.id, "steps", 4200, measured_at=now)
    add_reading(app, patient.id, "heart_rate", 400, status="faulty", fault_reason="implausible")
    statuses = ["scheduled", "completed", "cancelled", "no_show"]
    for offset, status in enumerate(statuses):
        insert_appointment(
            app,
            patient=patient,
            provider=provider,
            status=status,
            start=now + timedelta(days=offset + 1),
        )
    make_prescription(
        app,
        provider=provider,
        patient=patient,
        medication_name="Lisinopril 10 mg",
        quantity=30,
        refills_allowed=5,
    )
    make_prescription(
        app, provider=provider, patient=patient, status="expired", medication_name="Old drug"
    )
    add_goal(app, patient.id, status="paused")
    add_alert(app, patient.id)
    add_alert(app, patient.id, status="resolved", severity="warning")

    response = client.get("/api/export/fhir", headers=patient.headers)

    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    document = json.loads(response.get_data(as_text=True))
    bundle = Bundle.model_validate(document)
    assert bundle.type == "collection"
    resources = [entry["resource"] for entry in document["entry"]]
    by_type: dict[str, list[dict]] = {}
    for resource in resources:
        by_type.setdefault(resource["resourceType"], []).append(resource)
    assert all(
        entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}" for entry in document["entry"]
    )

    [fhir_patient] = by_type["Patient"]
    assert (fhir_patient["gender"], fhir_patient["birthDate"]) == ("female", "1990-01-02")
    assert fhir_patient["telecom"] == [
        {"system": "phone", "value": "+44 20 7946 0000", "rank": 1},
        {"system": "email", "value": patient.user.email, "rank": 2},
    ]
    assert fhir_patient["identifier"] == [
        {"system": "urn:healix:patient-id", "value": str(patient.id)}
    ]
    [practitioner] = by_type["Practitioner"]
    assert practitioner["qualification"][0]["identifier"][0]["value"].startswith("LIC-")
    assert len(by_type["Device"]) == 1
    observations = {obs["code"]["text"]: obs for obs in by_type["Observation"]}
    assert len(by_type["Observation"]) == 3  # the faulty reading is left out
    heart = observations["Heart rate"]
    assert heart["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "8867-4",
        "display": "Heart rate",
    }
    assert heart["valueQuantity"] == {
        "value": 71.0,
        "unit": "/min",
        "system": "http://unitsofmeasure.org",
        "code": "/min",
    }
    assert heart["device"] == {"reference": f"urn:uuid:{device}"}
    assert heart["category"][0]["coding"][0]["code"] == "vital-signs"
    noise = observations["Environmental noise"]
    assert "coding" not in noise["code"]
    assert noise["valueQuantity"]["code"] == "dB[SPL]"
    assert observations["Steps"]["category"][0]["coding"][0]["code"] == "activity"
    assert sorted(a["status"] for a in by_type["Appointment"]) == sorted(
        ["booked", "fulfilled", "cancelled", "noshow"]
    )
    requests = {r["medicationCodeableConcept"]["text"]: r for r in by_type["MedicationRequest"]}
    assert requests["Lisinopril 10 mg"]["dispenseRequest"]["numberOfRepeatsAllowed"] == 5
    assert requests["Lisinopril 10 mg"]["dispenseRequest"]["quantity"]["value"] == 30
    assert requests["Lisinopril 10 mg"]["intent"] == "order"
    assert requests["Old drug"]["status"] == "stopped"
    [goal] = by_type["Goal"]
    assert goal["lifecycleStatus"] == "on-hold"
    assert goal["target"][0]["measure"]["coding"][0]["code"] == "55423-8"
    [flag] = by_type["Flag"]  # only the open alert
    assert flag["status"] == "active"
    [row] = audit_rows(app, "PATIENT_EXPORT_REPORT")
    assert row.details == {"format": "fhir"}


def test_fhir_bundle_for_a_period(client, app, patient, provider, care_link):
    """`from`/`to` narrow every resource with a time to [from, to); the rest comes whole."""
    care_link(provider, patient)
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 8, tzinfo=UTC)
    for moment, value in ((start - timedelta(seconds=1), 61), (start, 62), (end, 63)):
        add_reading(app, patient.id, "heart_rate", value, measured_at=moment)
    for moment, reason in ((start + timedelta(days=1), "in"), (end, "after")):
        insert_appointment(
            app, patient=patient, provider=provider, start=moment, reason=reason, status="completed"
        )
    days = {
        "in": (date(2026, 2, 1), date(2026, 3, 1)),
        "before": (date(2026, 1, 1), date(2026, 2, 28)),
    }
    for name, (first, last) in days.items():
        make_prescription(
            app,
            provider=provider,
            patient=patient,
            medication_name=name,
            start_date=first,
            end_date=last,
        )
    add_goal(app, patient.id, title="later", start_date=date(2026, 3, 8))
    add_alert(app, patient.id)  # open and seen now: after the period

    query = {"from": start.isoformat(), "to": end.isoformat()}
    response = client.get("/api/export/fhir", query_string=query, headers=patient.headers)

    document = json.loads(response.get_data(as_text=True))
    Bundle.model_validate(document)
    resources = [entry["resource"] for entry in document["entry"]]
    kinds = sorted({resource["resourceType"] for resource in resources})
    assert kinds == ["Appointment", "MedicationRequest", "Observation", "Patient", "Practitioner"]
    [observation] = [r for r in resources if r["resourceType"] == "Observation"]
    assert observation["valueQuantity"]["value"] == 62
    [appointment] = [r for r in resources if r["resourceType"] == "Appointment"]
    assert appointment["description"] == "in"
    [request] = [r for r in resources if r["resourceType"] == "MedicationRequest"]
    assert request["medicationCodeableConcept"]["text"] == "in"
    [row] = audit_rows(app, "PATIENT_EXPORT_REPORT")
    assert row.details == {"format": "fhir", "from": start.isoformat(), "to": end.isoformat()}


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-03-08T00:00:00+00:00", "to": "2026-03-01T00:00:00+00:00"},
        {"from": "2026-03-01T00:00:00"},
    ],
)
def test_fhir_period_follows_the_period_rule(client, patient, query):
    response = client.get("/api/export/fhir", query_string=query, headers=patient.headers)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_fhir_bundle_for_a_bare_patient(client, patient):
    response = client.get("/api/export/fhir", headers=patient.headers)

    document = json.loads(response.get_data(as_text=True))
    Bundle.model_validate(document)
    assert [entry["resource"]["resourceType"] for entry in document["entry"]] == ["Patient"]
    assert "gender" not in document["entry"][0]["resource"]


# -- CSV ----------------------------------------------------------------------------------


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def csv_patient(app, patient):
    base = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    for minute in range(25):
        add_reading(
            app, patient.id, "heart_rate", 60 + minute, measured_at=base + timedelta(minutes=minute)
        )
    for day in range(3):
        add_reading(
            app, patient.id, "body_weight", 80.5 - day, measured_at=base + timedelta(days=day)
        )
    add_reading(
        app,
        patient.id,
        "spo2",
        40,
        measured_at=base,
        status="faulty",
        fault_reason="implausible",
        external_id='=HYPERLINK("http://evil")',
    )
    return patient


def test_csv_streams_every_reading(app, client, dbs, csv_patient):
    response = client.get("/api/export/readings.csv", headers=csv_patient.headers)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = read_csv(response)
    assert len(rows) == 29
    assert list(rows[0]) == [
        "measured_at",
        "type",
        "value",
        "unit",
        "status",
        "fault_reason",
        "source",
        "device_id",
        "external_id",
    ]
    assert rows[0]["measured_at"] == "2026-03-01T12:00:00+00:00"
    faulty = next(row for row in rows if row["status"] == "faulty")
    assert faulty["fault_reason"] == "implausible"
    assert faulty["external_id"] == '\'=HYPERLINK("http://evil")'
    [row] = audit_rows(app, "PATIENT_EXPORT_REPORT")
    assert row.details["format"] == "csv"


def test_csv_filters_by_type_and_period(client, csv_patient):
    by_type = client.get(
        "/api/export/readings.csv",
        query_string={"type": "body_weight"},
        headers=csv_patient.headers,
    )
    assert [row["value"] for row in read_csv(by_type)] == ["80.5", "79.5", "78.5"]

    window = {
        "type": "heart_rate",
        "from": "2026-03-01T12:05:00+00:00",
        "to": "2026-03-01T13:09:00+01:00",
    }
    by_period = client.get(
        "/api/export/readings.csv", query_string=window, headers=csv_patient.headers
    )
    # [from, to): minutes 5..8; a reading at exactly `to` belongs to the next period
    assert len(read_csv(by_period)) == 4


def test_csv_header_only_when_empty(client, patient):
    response = client.get("/api/export/readings.csv", headers=patient.headers)

    assert response.get_data(as_text=True).splitlines() == [
        "measured_at,type,value,unit,status,fault_reason,source,device_id,external_id"
    ]


def test_csv_rejects_unknown_type(client, patient):
    response = client.get(
        "/api/export/readings.csv", query_string={"type": "mood"}, headers=patient.headers
    )
    assert response.status_code == 422


def test_provider_in_care_downloads_csv(app, client, dbs, provider, csv_patient, care_link):
    care_link(provider, csv_patient)

    response = client.get(
        "/api/export/readings.csv",
        query_string={"patient_id": str(csv_patient.id), "type": "spo2"},
        headers=provider.headers,
    )

    assert len(read_csv(response)) == 1
    [row] = audit_rows(app, "PROVIDER_EXPORT_DATA")
    assert row.details["biomarker_type"] == "spo2"
    assert row.details["format"] == "csv"


# -- one status rule, one period rule ------------------------------------------------------


def test_an_expired_prescription_is_expired_everywhere(app, client, patient, provider, care_link):
    """Defect 2: a prescription past its end date read `expired` through the API but printed
    `Status: active` on its PDF, was listed among the report's active prescriptions and was
    exported as active in FHIR. (The report lists the prescriptions in effect during its
    period, so this one appears, with its status today: expired.)"""
    care_link(provider, patient)
    yesterday = utcnow().date() - timedelta(days=1)
    rx = make_prescription(
        app,
        provider=provider,
        patient=patient,
        medication_name="Lapsed-Statin",
        start_date=yesterday - timedelta(days=30),
        end_date=yesterday,
    )
    headers = patient.headers

    api = client.get(f"/api/prescriptions/{rx}", headers=headers).get_json()
    sheet = "\n".join(pdf_pages(client.get(f"/api/prescriptions/{rx}/pdf", headers=headers).data))
    report = " ".join(pdf_pages(client.get("/api/export/report.pdf", headers=headers).data))
    report = re.sub(r"\s+", " ", report)
    bundle = json.loads(client.get("/api/export/fhir", headers=headers).get_data(as_text=True))
    [request] = [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "MedicationRequest"
    ]

    assert api["status"] == "expired"
    assert "Status expired" in sheet
    assert "Lapsed-Statin" in report
    assert "expired, 2 refills left" in report
    assert "active, " not in report
    assert request["status"] == "stopped"


def test_a_reading_at_exactly_to_is_in_no_export_or_view_of_the_period(app, client, patient):
    """Defect 4: the CSV export and the PDF report filtered [from, to] while the history and
    summary used [from, to): a reading at exactly `to` appeared in some and not others."""
    to = datetime(2026, 3, 2, 12, tzinfo=UTC)
    add_reading(app, patient.id, "heart_rate", 150, measured_at=to)
    add_reading(app, patient.id, "heart_rate", 60, measured_at=to - timedelta(hours=1))
    period = {"from": (to - timedelta(days=1)).isoformat(), "to": to.isoformat()}
    headers = patient.headers

    history = client.get("/api/biomarkers/history", query_string=period, headers=headers)
    summary = client.get(
        "/api/biomarkers/summary", query_string=period | {"type": "heart_rate"}, headers=headers
    )
    csv_rows = read_csv(
        client.get("/api/export/readings.csv", query_string=period, headers=headers)
    )
    report = "\n".join(
        pdf_pages(client.get("/api/export/report.pdf", query_string=period, headers=headers).data)
    )

    assert [item["value"] for item in history.get_json()["items"]] == [60]
    assert sum(bucket["count"] for bucket in summary.get_json()["items"]) == 1
    assert [row["value"] for row in csv_rows] == ["60.0"]
    assert "150" not in report
    assert "60 bpm" in report


def test_every_accepted_text_renders_in_the_pdfs(app, client, patient, provider, care_link):
    """Issue 15 (6): a 2,000-character unbroken reason or instructions (the longest the API
    accepts) made reportlab raise LayoutError (500), so one provider could break a patient's
    report for good. Every accepted text now wraps anywhere and tall rows split."""
    care_link(provider, patient)
    unbroken = "W" * 2000
    created = client.post(
        "/api/prescriptions",
        headers=provider.headers,
        json={
            "patient_id": str(patient.id),
            "medication_name": "M" * 200,
            "dosage": "D" * 200,
            "instructions": unbroken,
            "quantity": 1,
            "refills_allowed": 0,
            "start_date": utcnow().date().isoformat(),
        },
    )
    assert created.status_code == 201
    insert_appointment(app, patient=patient, provider=provider, reason=unbroken, location="L" * 200)
    insert_appointment(
        app,
        patient=patient,
        provider=provider,
        start=utcnow() - timedelta(days=2),
        status="completed",
        reason=unbroken,
    )

    report = client.get("/api/export/report.pdf", headers=patient.headers)
    sheet = client.get(
        f"/api/prescriptions/{created.get_json()['id']}/pdf", headers=patient.headers
    )

    assert (report.status_code, sheet.status_code) == (200, 200)
    report_text = re.sub(r"\s", "", "".join(pdf_pages(report.data)))
    assert report_text.count("W") >= 3 * 2000  # the instructions and both reasons, in full
    assert re.sub(r"\s", "", "".join(pdf_pages(sheet.data))).count("W") == 2000
