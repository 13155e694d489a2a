"""FHIR R4 mapping, checked against the fhir.resources (R4B) models."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.device import Device as FhirDevice
from fhir.resources.R4B.flag import Flag
from fhir.resources.R4B.goal import Goal as FhirGoal
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner

from healix.biomarker_catalog import CATALOG
from healix.controllers import fhir_mapping as fhir
from healix.models import (
    Alert,
    Appointment,
    BiomarkerReading,
    Device,
    Goal,
    Prescription,
    Profile,
    User,
)

NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
PATIENT_ID = uuid.uuid4()
PROVIDER_ID = uuid.uuid4()


def user(**fields) -> User:
    defaults = {"id": PATIENT_ID, "first_name": "Alice", "last_name": "Morgan", "status": "active"}
    return User(**(defaults | fields))


def appointment(status: str) -> Appointment:
    return Appointment(
        id=uuid.uuid4(),
        patient_id=PATIENT_ID,
        provider_id=PROVIDER_ID,
        start_time=NOW,
        end_time=NOW + timedelta(minutes=30),
        status=status,
        reason="Annual review",
        cancellation_reason="Travel" if status == "cancelled" else None,
        created_at=NOW - timedelta(days=3),
    )


def prescription(status: str = "active", **fields) -> Prescription:
    defaults = {
        "id": uuid.uuid4(),
        "patient_id": PATIENT_ID,
        "provider_id": PROVIDER_ID,
        "medication_name": "Metformin 500 mg",
        "dosage": "1 tablet twice daily",
        "instructions": "With meals",
        "quantity": 60,
        "refills_allowed": 4,
        "refills_left": 4,
        "start_date": date(2026, 5, 1),
        "end_date": date(2026, 11, 1),
        "status": status,
        "created_at": NOW,
    }
    return Prescription(**(defaults | fields))


def goal(**fields) -> Goal:
    defaults = {
        "id": uuid.uuid4(),
        "patient_id": PATIENT_ID,
        "goal_type": "steps",
        "title": None,
        "target_value": 8000.0,
        "unit": "{steps}",
        "period": "daily",
        "direction": "at_least",
        "status": "active",
        "start_date": date(2026, 5, 1),
        "end_date": None,
    }
    return Goal(**(defaults | fields))


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("scheduled", "booked"),
        ("completed", "fulfilled"),
        ("cancelled", "cancelled"),
        ("no_show", "noshow"),
    ],
)
def test_appointment_status(status, expected):
    resource = fhir.appointment_resource(appointment(status))

    parsed = FhirAppointment.model_validate(resource)
    assert parsed.status == expected
    assert [p.status for p in parsed.participant] == ["accepted", "accepted"]
    assert [p.actor.reference for p in parsed.participant] == [
        f"urn:uuid:{PATIENT_ID}",
        f"urn:uuid:{PROVIDER_ID}",
    ]
    assert ("cancelationReason" in resource) == (status == "cancelled")


def test_a_requested_appointment_is_pending_until_the_provider_accepts():
    parsed = FhirAppointment.model_validate(fhir.appointment_resource(appointment("requested")))
    assert parsed.status == "pending"
    assert [p.status for p in parsed.participant] == ["accepted", "needs-action"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", "active"),
        ("completed", "completed"),
        ("cancelled", "cancelled"),
        ("expired", "stopped"),
    ],
)
def test_medication_request(status, expected):
    resource = fhir.medication_request_resource(prescription(status), today=NOW.date())

    parsed = MedicationRequest.model_validate(resource)
    assert parsed.status == expected
    assert parsed.intent == "order"
    assert parsed.medicationCodeableConcept.text == "Metformin 500 mg"
    assert parsed.dosageInstruction[0].text == "1 tablet twice daily"
    assert parsed.dosageInstruction[0].patientInstruction == "With meals"
    assert parsed.dispenseRequest.numberOfRepeatsAllowed == 4
    assert parsed.dispenseRequest.quantity.value == 60
    assert resource["dispenseRequest"]["validityPeriod"] == {
        "start": "2026-05-01",
        "end": "2026-11-01",
    }


def test_an_active_prescription_past_its_end_date_is_stopped():
    """Defect 2: the FHIR export used the stored status, so it exported an expired
    prescription as active."""
    lapsed = prescription("active", end_date=NOW.date() - timedelta(days=1))
    resource = fhir.medication_request_resource(lapsed, today=NOW.date())
    assert MedicationRequest.model_validate(resource).status == "stopped"


def test_medication_request_without_optional_fields():
    resource = fhir.medication_request_resource(
        prescription(instructions=None, end_date=None, refills_allowed=0, refills_left=0),
        today=NOW.date(),
    )

    MedicationRequest.model_validate(resource)
    assert resource["dispenseRequest"]["numberOfRepeatsAllowed"] == 0
    assert "patientInstruction" not in resource["dosageInstruction"][0]
    assert "end" not in resource["dispenseRequest"]["validityPeriod"]


@pytest.mark.parametrize("code", list(CATALOG))
def test_observation_for_every_catalog_type(code):
    reading = BiomarkerReading(
        id=uuid.uuid4(), biomarker_type=code, value=12.5, measured_at=NOW, device_id=None
    )

    resource = fhir.observation_resource(reading, PATIENT_ID)

    parsed = Observation.model_validate(resource)
    assert parsed.status == "final"
    assert parsed.valueQuantity.system == "http://unitsofmeasure.org"
    assert parsed.valueQuantity.code == CATALOG[code].unit
    assert parsed.subject.reference == f"urn:uuid:{PATIENT_ID}"
    assert resource["effectiveDateTime"] == "2026-06-01T09:30:00+00:00"
    assert "device" not in resource
    if CATALOG[code].loinc:
        assert parsed.code.coding[0].system == "http://loinc.org"
        assert parsed.code.coding[0].code == CATALOG[code].loinc
    else:
        assert parsed.code.coding is None
        assert parsed.code.text == CATALOG[code].display_name


@pytest.mark.parametrize(
    ("code", "loinc", "category"),
    [
        ("heart_rate", "8867-4", "vital-signs"),
        ("blood_pressure_systolic", "8480-6", "vital-signs"),
        ("blood_pressure_diastolic", "8462-4", "vital-signs"),
        ("steps", "55423-8", "activity"),
        ("sleep", "93832-4", "activity"),
    ],
)
def test_observation_codes_and_categories(code, loinc, category):
    reading = BiomarkerReading(
        id=uuid.uuid4(), biomarker_type=code, value=1, measured_at=NOW, device_id=uuid.uuid4()
    )

    resource = fhir.observation_resource(reading, PATIENT_ID)

    assert resource["code"]["coding"][0]["code"] == loinc
    assert resource["category"][0]["coding"][0]["code"] == category
    assert resource["device"]["reference"] == f"urn:uuid:{reading.device_id}"


@pytest.mark.parametrize(
    ("gender", "expected"),
    [
        ("Female", "female"),
        ("m", "male"),
        (" MALE ", "male"),
        ("non-binary", "other"),
        ("unknown", "unknown"),
        (None, None),
        ("", None),
    ],
)
def test_patient_gender(gender, expected):
    resource = fhir.patient_resource(
        user(), Profile(user_id=PATIENT_ID, gender=gender, date_of_birth=date(1990, 1, 2))
    )

    parsed = Patient.model_validate(resource)
    assert parsed.gender == expected
    assert resource["birthDate"] == "1990-01-02"
    assert resource["name"] == [{"use": "official", "family": "Morgan", "given": ["Alice"]}]


def test_patient_without_profile():
    resource = fhir.patient_resource(user(), None)

    Patient.model_validate(resource)
    assert "gender" not in resource
    assert "birthDate" not in resource


def test_practitioner_qualification():
    provider = user(
        id=PROVIDER_ID,
        first_name="Meredith",
        last_name="Grey",
        licence_number="GMC-100001",
        specialization="Cardiology",
    )

    parsed = Practitioner.model_validate(fhir.practitioner_resource(provider))

    assert parsed.qualification[0].identifier[0].value == "GMC-100001"
    assert parsed.qualification[0].code.text == "Cardiology"
    assert parsed.name[0].family == "Grey"


def test_device():
    device = Device(
        id=uuid.uuid4(),
        owner_id=PATIENT_ID,
        device_type="pulse_oximeter",
        name="Finger clip",
        manufacturer=None,
        model="PX-2",
        status="error",
    )

    parsed = FhirDevice.model_validate(fhir.device_resource(device))

    assert parsed.status == "unknown"
    assert parsed.deviceName[0].name == "Finger clip"
    assert parsed.modelNumber == "PX-2"
    assert parsed.manufacturer is None


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", "active"),
        ("paused", "on-hold"),
        ("completed", "completed"),
        ("abandoned", "cancelled"),
    ],
)
def test_goal_lifecycle(status, expected):
    resource = fhir.goal_resource(goal(status=status))

    parsed = FhirGoal.model_validate(resource)
    assert parsed.lifecycleStatus == expected
    assert parsed.description.text == "Steps: at least 8000 {steps} daily"
    assert parsed.target[0].measure.coding[0].code == "55423-8"
    assert parsed.target[0].detailQuantity.value == 8000


def test_goal_without_catalog_measure():
    resource = fhir.goal_resource(
        goal(goal_type="water_intake", title="Drink water", unit="L", end_date=date(2026, 7, 1))
    )

    FhirGoal.model_validate(resource)
    assert resource["target"][0]["measure"] == {"text": "Water intake"}
    assert resource["target"][0]["dueDate"] == "2026-07-01"
    assert resource["description"]["text"] == "Drink water"


def test_flag():
    alert = Alert(
        id=uuid.uuid4(),
        patient_id=PATIENT_ID,
        severity="critical",
        message="SpO2 below 90 %",
        first_seen_at=NOW,
    )

    parsed = Flag.model_validate(fhir.flag_resource(alert))

    assert parsed.status == "active"
    assert parsed.code.text == "SpO2 below 90 %"


@pytest.mark.parametrize("count", [0, 1, 499, 500, 1201])
def test_bundle_chunks_join_into_one_valid_bundle(count):
    entries = (
        fhir.entry(
            fhir.observation_resource(
                BiomarkerReading(
                    id=uuid.uuid4(),
                    biomarker_type="heart_rate",
                    value=60 + i % 30,
                    measured_at=NOW + timedelta(minutes=i),
                    device_id=None,
                ),
                PATIENT_ID,
            )
        )
        for i in range(count)
    )

    chunks = list(fhir.bundle_json_chunks(bundle_id="b-1", timestamp=NOW, entries=entries))

    document = json.loads("".join(chunks))
    bundle = Bundle.model_validate(document)
    assert bundle.type == "collection"
    assert len(document["entry"]) == count
    assert len(chunks) == 2 + count // 500
