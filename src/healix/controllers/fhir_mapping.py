"""Mapping of Healix records to FHIR R4 resources (plain dicts, ready for JSON).

Each function maps one record; `fhir_export` gathers the records and streams the Bundle. References between resources use `urn:uuid:<id>`, the entries' `fullUrl`s.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any, Protocol

from healix.biomarker_catalog import CATALOG
from healix.models.alert import Alert
from healix.models.appointment import Appointment
from healix.models.device import Device
from healix.models.goal import Goal
from healix.models.prescription import Prescription
from healix.models.profile import Profile
from healix.models.user import User

UCUM = "http://unitsofmeasure.org"
#: the identifier system of Healix patient ids (the id printed on reports and prescriptions)
HEALIX_PATIENT_ID = "urn:healix:patient-id"
LOINC = "http://loinc.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
#: types recorded as the "activity" category; every other type is a vital sign
ACTIVITY_TYPES = frozenset({"steps", "calories", "sleep", "environmental_noise"})

#: Healix appointment status -> FHIR Appointment.status (see `appointment_status`)
APPOINTMENT_STATUS = {
    "requested": "pending",
    "scheduled": "booked",
    "completed": "fulfilled",
    "cancelled": "cancelled",
    "no_show": "noshow",
}
MEDICATION_REQUEST_STATUS = {
    "active": "active",
    "completed": "completed",
    "cancelled": "cancelled",
    "expired": "stopped",
}
GOAL_LIFECYCLE_STATUS = {
    "active": "active",
    "paused": "on-hold",
    "completed": "completed",
    "abandoned": "cancelled",
}
DEVICE_STATUS = {"active": "active", "inactive": "inactive", "error": "unknown"}
#: free-text genders (lower case) -> FHIR administrative gender; anything else is "other"
GENDER = {
    "male": "male",
    "m": "male",
    "man": "male",
    "female": "female",
    "f": "female",
    "woman": "female",
    "unknown": "unknown",
    "prefer not to say": "unknown",
}


class ReadingRow(Protocol):
    """The reading columns an Observation needs (an ORM object or a selected row)."""

    id: uuid.UUID
    biomarker_type: str
    value: float
    measured_at: datetime
    device_id: uuid.UUID | None


def urn(resource_id: uuid.UUID | str) -> str:
    return f"urn:uuid:{resource_id}"


def reference(resource_id: uuid.UUID | str, display: str | None = None) -> dict[str, str]:
    ref = {"reference": urn(resource_id)}
    if display:
        ref["display"] = display
    return ref


def entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": urn(resource["id"]), "resource": resource}


def _human_name(user: User) -> list[dict[str, Any]]:
    return [{"use": "official", "family": user.last_name, "given": [user.first_name]}]


def fhir_gender(gender: str | None) -> str | None:
    if not gender:
        return None
    return GENDER.get(gender.strip().lower(), "other")


def _iso(value: datetime | date) -> str:
    return value.isoformat()


def telecom(user: User, profile: Profile | None) -> list[dict[str, Any]]:
    """How to reach the person: the profile's phone, then the account's email."""
    points: list[dict[str, Any]] = []
    if profile and profile.phone:
        points.append({"system": "phone", "value": profile.phone, "rank": 1})
    if user.email and user.is_active:
        points.append({"system": "email", "value": user.email, "rank": len(points) + 1})
    return points


def patient_resource(user: User, profile: Profile | None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(user.id),
        "identifier": [{"system": HEALIX_PATIENT_ID, "value": str(user.id)}],
        "active": user.is_active,
        "name": _human_name(user),
    }
    points = telecom(user, profile)
    if points:
        resource["telecom"] = points
    gender = fhir_gender(profile.gender if profile else None)
    if gender:
        resource["gender"] = gender
    if profile and profile.date_of_birth:
        resource["birthDate"] = _iso(profile.date_of_birth)
    return resource


def practitioner_resource(provider: User) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(provider.id),
        "active": provider.is_active,
        "name": _human_name(provider),
    }
    if provider.licence_number:
        resource["qualification"] = [
            {
                "identifier": [{"value": provider.licence_number}],
                "code": {"text": provider.specialization or "Licensed practitioner"},
            }
        ]
    return resource


def device_resource(device: Device) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Device",
        "id": str(device.id),
        "status": DEVICE_STATUS.get(device.status, "unknown"),
        "deviceName": [{"name": device.name, "type": "user-friendly-name"}],
        "type": {"text": device.device_type.replace("_", " ")},
        "patient": reference(device.owner_id),
    }
    if device.manufacturer:
        resource["manufacturer"] = device.manufacturer
    if device.model:
        resource["modelNumber"] = device.model
    return resource


def biomarker_code(biomarker_type: str) -> dict[str, Any]:
    """LOINC-coded concept for a type; a text-only concept when LOINC has no code for it."""
    entry_ = CATALOG[biomarker_type]
    concept: dict[str, Any] = {"text": entry_.display_name}
    if entry_.loinc:
        concept["coding"] = [
            {"system": LOINC, "code": entry_.loinc, "display": entry_.display_name}
        ]
    return concept


def observation_resource(reading: ReadingRow, patient_id: uuid.UUID) -> dict[str, Any]:
    catalog_entry = CATALOG[reading.biomarker_type]
    category = "activity" if reading.biomarker_type in ACTIVITY_TYPES else "vital-signs"
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(reading.id),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category}]}],
        "code": biomarker_code(reading.biomarker_type),
        "subject": reference(patient_id),
        "effectiveDateTime": _iso(reading.measured_at),
        "valueQuantity": {
            "value": reading.value,
            "unit": catalog_entry.unit,
            "system": UCUM,
            "code": catalog_entry.unit,
        },
    }
    if reading.device_id:
        resource["device"] = reference(reading.device_id)
    return resource


def appointment_status(appointment: Appointment) -> str:
    """The one place a Healix appointment status becomes FHIR's: a request awaiting the
    provider's approval is "pending"."""
    return APPOINTMENT_STATUS[appointment.status]


def appointment_resource(appointment: Appointment) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(appointment.id),
        "status": appointment_status(appointment),
        "start": _iso(appointment.start_time),
        "end": _iso(appointment.end_time),
        "created": _iso(appointment.created_at),
        "participant": [
            {"actor": reference(appointment.patient_id), "status": "accepted"},
            {
                "actor": reference(appointment.provider_id),
                # a request the provider has not answered yet
                "status": "needs-action" if appointment.status == "requested" else "accepted",
            },
        ],
    }
    if appointment.reason:
        resource["description"] = appointment.reason
    if appointment.cancellation_reason:
        resource["cancelationReason"] = {"text": appointment.cancellation_reason}
    return resource


def medication_request_resource(prescription: Prescription, *, today: date) -> dict[str, Any]:
    """The prescription with its effective status on `today` (expired -> stopped)."""
    validity: dict[str, str] = {"start": _iso(prescription.start_date)}
    if prescription.end_date:
        validity["end"] = _iso(prescription.end_date)
    dosage: dict[str, Any] = {"text": prescription.dosage}
    if prescription.instructions:
        dosage["patientInstruction"] = prescription.instructions
    return {
        "resourceType": "MedicationRequest",
        "id": str(prescription.id),
        "status": MEDICATION_REQUEST_STATUS[prescription.status_on(today)],
        "intent": "order",
        "medicationCodeableConcept": {"text": prescription.medication_name},
        "subject": reference(prescription.patient_id),
        "requester": reference(prescription.provider_id),
        "authoredOn": _iso(prescription.created_at),
        "dosageInstruction": [dosage],
        "dispenseRequest": {
            "validityPeriod": validity,
            "numberOfRepeatsAllowed": prescription.refills_allowed,
            "quantity": {"value": prescription.quantity},
        },
    }


def _goal_measure(goal: Goal) -> dict[str, Any]:
    if goal.goal_type in CATALOG:
        return biomarker_code(goal.goal_type)
    return {"text": goal.goal_type.replace("_", " ").capitalize()}


def goal_resource(goal: Goal) -> dict[str, Any]:
    description = goal.title or (
        f"{goal.goal_type.replace('_', ' ').capitalize()}: {goal.direction.replace('_', ' ')} "
        f"{goal.target_value:g} {goal.unit} {goal.period}"
    )
    target: dict[str, Any] = {
        "measure": _goal_measure(goal),
        "detailQuantity": {"value": goal.target_value, "unit": goal.unit},
    }
    if goal.end_date:
        target["dueDate"] = _iso(goal.end_date)
    return {
        "resourceType": "Goal",
        "id": str(goal.id),
        "lifecycleStatus": GOAL_LIFECYCLE_STATUS[goal.status],
        "description": {"text": description},
        "subject": reference(goal.patient_id),
        "startDate": _iso(goal.start_date),
        "target": [target],
    }


def flag_resource(alert: Alert) -> dict[str, Any]:
    """An open alert as an active Flag."""
    return {
        "resourceType": "Flag",
        "id": str(alert.id),
        "status": "active",
        "category": [{"text": f"{alert.severity} biomarker alert"}],
        "code": {"text": alert.message},
        "subject": reference(alert.patient_id),
        "period": {"start": _iso(alert.first_seen_at)},
    }


def bundle_json_chunks(
    *, bundle_id: str, timestamp: datetime, entries: Iterable[dict[str, Any]], batch: int = 500
) -> Iterator[str]:
    """A collection Bundle as JSON text, in pieces, without holding every entry in memory."""
    head = {"resourceType": "Bundle", "id": bundle_id, "type": "collection"}
    head["timestamp"] = _iso(timestamp)
    yield json.dumps(head)[:-1] + ', "entry": ['
    pending: list[str] = []
    first = True
    for item in entries:
        pending.append(("" if first else ",") + json.dumps(item, separators=(",", ":")))
        first = False
        if len(pending) >= batch:
            yield "".join(pending)
            pending.clear()
    pending.append("]}")
    yield "".join(pending)
