"""Demo data for the care features: health conditions, active prescriptions written by each
demo patient's provider, and one pending refill request (Alice's statin)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from healix.controllers.notification_controller import notify
from healix.models.prescription import Prescription, PrescriptionStatus
from healix.models.profile import Profile
from healix.models.refill_request import RefillRequest
from healix.models.user import User
from healix.utils.time import utcnow

GREY = "dr.grey@healix-demo.com"
HOUSE = "dr.house@healix-demo.com"

#: (provider, patient, medication, dosage, instructions, quantity, refills)
DEMO_PRESCRIPTIONS = [
    (
        GREY,
        "alice@healix-demo.com",
        "Atorvastatin",
        "20 mg once daily",
        "Take in the evening.",
        30,
        3,
    ),
    (
        GREY,
        "alice@healix-demo.com",
        "Lisinopril",
        "10 mg once daily",
        "Check blood pressure weekly.",
        30,
        2,
    ),
    (GREY, "bob@healix-demo.com", "Metformin", "500 mg twice daily", "Take with meals.", 60, 5),
    (
        HOUSE,
        "carol@healix-demo.com",
        "Salbutamol inhaler",
        "100 mcg, 2 puffs as needed",
        None,
        1,
        2,
    ),
]

DEMO_CONDITIONS = {
    "alice@healix-demo.com": ["hypercholesterolaemia", "hypertension"],
    "bob@healix-demo.com": ["type 2 diabetes"],
    "carol@healix-demo.com": ["asthma"],
}


def extend_demo(session: Session, users: dict[str, User]) -> None:
    """Add the care demo data to freshly created demo users."""
    for email, conditions in DEMO_CONDITIONS.items():
        profile = session.get(Profile, users[email].id)
        if profile is not None:
            profile.health_conditions = conditions
    today = utcnow().date()
    prescriptions = [
        Prescription(
            provider_id=users[provider].id,
            patient_id=users[patient].id,
            medication_name=medication,
            dosage=dosage,
            instructions=instructions,
            quantity=quantity,
            refills_allowed=refills,
            refills_left=refills,
            start_date=today - timedelta(days=30),
            end_date=today + timedelta(days=150),
            status=PrescriptionStatus.ACTIVE,
        )
        for provider, patient, medication, dosage, instructions, quantity, refills in DEMO_PRESCRIPTIONS
    ]
    session.add_all(prescriptions)
    session.flush()
    statin = prescriptions[0]
    refill = RefillRequest(
        prescription_id=statin.id,
        requested_by_id=statin.patient_id,
        note="Running low, about a week left.",
    )
    session.add(refill)
    session.flush()
    notify(
        session,
        user_id=statin.provider_id,
        kind="refill_requested",
        title="A patient asked for a prescription refill",
        data={"prescription_id": str(statin.id), "refill_request_id": str(refill.id)},
    )
