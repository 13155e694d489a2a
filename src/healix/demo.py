"""Demo data for `flask --app healix seed-demo` (and `make run`). Idempotent: it does
nothing when the demo admin already exists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from healix import demo_appointments, demo_care, demo_health
from healix.config import Settings
from healix.models.profile import Profile
from healix.models.provider_patient_relationship import ProviderPatientRelationship
from healix.models.user import Role, User, UserStatus
from healix.utils import passwords
from healix.utils.time import utcnow

DEMO_PASSWORD = "Healix-Demo-2026!"

DEMO_USERS: list[dict[str, str]] = [
    {
        "email": "admin@healix-demo.com",
        "role": Role.ADMIN,
        "first_name": "Ada",
        "last_name": "Admin",
    },
    {
        "email": "dr.grey@healix-demo.com",
        "role": Role.PROVIDER,
        "first_name": "Meredith",
        "last_name": "Grey",
        "specialization": "Cardiology",
        "licence_number": "GMC-100001",
    },
    {
        "email": "dr.house@healix-demo.com",
        "role": Role.PROVIDER,
        "first_name": "Gregory",
        "last_name": "House",
        "specialization": "Diagnostic Medicine",
        "licence_number": "GMC-100002",
    },
    {
        "email": "alice@healix-demo.com",
        "role": Role.PATIENT,
        "first_name": "Alice",
        "last_name": "Morgan",
    },
    {
        "email": "bob@healix-demo.com",
        "role": Role.PATIENT,
        "first_name": "Bob",
        "last_name": "Chen",
    },
    {
        "email": "carol@healix-demo.com",
        "role": Role.PATIENT,
        "first_name": "Carol",
        "last_name": "Okafor",
    },
]

#: provider email -> patient emails in their care
DEMO_CARE = {
    "dr.grey@healix-demo.com": ["alice@healix-demo.com", "bob@healix-demo.com"],
    "dr.house@healix-demo.com": ["carol@healix-demo.com"],
}

DEMO_TIMEZONES = {
    "alice@healix-demo.com": "Europe/London",
    "bob@healix-demo.com": "America/New_York",
    "carol@healix-demo.com": "Africa/Lagos",
    "dr.grey@healix-demo.com": "Europe/London",
    "dr.house@healix-demo.com": "America/New_York",
}


def seed_demo(session: Session, *, settings: Settings) -> bool:
    """Create the demo accounts and data; returns False when they already exist."""
    if session.scalar(select(User.id).where(User.email == DEMO_USERS[0]["email"])):
        return False
    password_hash = passwords.hash_password(DEMO_PASSWORD, rounds=settings.effective_bcrypt_rounds)
    users = {spec["email"]: _create_user(session, spec, password_hash) for spec in DEMO_USERS}
    session.flush()
    for email, zone_name in DEMO_TIMEZONES.items():
        session.add(Profile(user_id=users[email].id, timezone=zone_name))
    for provider_email, patient_emails in DEMO_CARE.items():
        for patient_email in patient_emails:
            session.add(
                ProviderPatientRelationship(
                    provider_id=users[provider_email].id,
                    patient_id=users[patient_email].id,
                    granted_by_id=users[patient_email].id,
                    reason="Demo care relationship",
                    valid_from=utcnow() - timedelta(days=60),
                )
            )
    session.flush()
    for extend in DEMO_EXTENSIONS:
        extend(session, users)
    return True


def _create_user(session: Session, spec: dict[str, str], password_hash: str) -> User:
    user = User(
        status=UserStatus.ACTIVE, password_hash=password_hash, email_verified_at=utcnow(), **spec
    )
    session.add(user)
    return user


#: each feature's demo data: functions (session, users_by_email) -> None
DEMO_EXTENSIONS: list[Callable[[Session, dict[str, User]], None]] = [
    demo_appointments.extend_demo,
    demo_care.extend_demo,
    demo_health.extend_demo,
]


def print_demo_logins(echo: Callable[[str], None]) -> None:
    echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for spec in DEMO_USERS:
        echo(f"  {spec['role']:<9} {spec['email']}")
