"""Users, sign-ins and care relationships, created straight in the database (fixtures:
`make_user`, `signed_in`, `patient`, `provider`, `admin`, `care_link`)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from healix.config import current_settings
from healix.controllers import auth_controller
from healix.extensions import db
from healix.models.provider_patient_relationship import (
    ProviderPatientRelationship,
    RelationshipKind,
)
from healix.models.user import Role, User, UserStatus
from healix.utils import passwords
from healix.utils.time import utcnow

DEFAULT_PASSWORD = "Correct-Horse-Battery-9"
_counter = itertools.count(1)


@dataclass(frozen=True)
class TestUser:
    id: uuid.UUID
    email: str
    password: str
    role: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class SignedIn:
    user: TestUser
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    @property
    def id(self) -> uuid.UUID:
        return self.user.id


def create_user(
    app: Flask,
    *,
    role: str = Role.PATIENT,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    status: str = UserStatus.ACTIVE,
    **fields: Any,
) -> TestUser:
    number = next(_counter)
    email = email or f"{role}{number}@example.com"
    defaults = {"first_name": f"{role.title()}{number}", "last_name": "Tester"}
    if role == Role.PROVIDER:
        defaults |= {"specialization": "General Practice", "licence_number": f"LIC-{number:05d}"}
    defaults |= fields
    with app.app_context():
        user = User(
            email=email,
            role=role,
            status=status,
            password_hash=passwords.hash_password(password, rounds=4),
            **defaults,
        )
        db.session.add(user)
        db.session.commit()
        result = TestUser(user.id, user.email, password, user.role, user.first_name, user.last_name)
        db.session.remove()
    return result


def sign_in(app: Flask, user: TestUser) -> SignedIn:
    """A fresh session for `user`, without going through the login endpoint."""
    with app.test_request_context():
        db_user = db.session.get(User, user.id)
        tokens = auth_controller.start_session(
            db.session, user=db_user, settings=current_settings()
        )
        db.session.commit()
        db.session.remove()
    return SignedIn(user, tokens.access_token, tokens.refresh_token)


def link(
    app: Flask,
    provider: TestUser | SignedIn,
    patient: TestUser | SignedIn,
    *,
    kind: str = RelationshipKind.CARE,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    ended_at: datetime | None = None,
) -> uuid.UUID:
    """Create a provider-patient relationship (care consent by default)."""
    with app.app_context():
        rel = ProviderPatientRelationship(
            provider_id=provider.id,
            patient_id=patient.id,
            kind=kind,
            granted_by_id=patient.id,
            reason="test",
            valid_from=valid_from or utcnow() - timedelta(days=1),
            valid_until=valid_until,
            ended_at=ended_at,
        )
        db.session.add(rel)
        db.session.commit()
        rel_id = rel.id
        db.session.remove()
    return rel_id


@pytest.fixture
def make_user(app: Flask) -> Callable[..., TestUser]:
    return lambda **kwargs: create_user(app, **kwargs)


@pytest.fixture
def signed_in(app: Flask) -> Callable[..., SignedIn]:
    """`signed_in(role="provider", **fields)` → a new user with a live session."""
    return lambda **kwargs: sign_in(app, create_user(app, **kwargs))


@pytest.fixture
def patient(signed_in: Callable[..., SignedIn]) -> SignedIn:
    return signed_in(role=Role.PATIENT)


@pytest.fixture
def provider(signed_in: Callable[..., SignedIn]) -> SignedIn:
    return signed_in(role=Role.PROVIDER)


@pytest.fixture
def admin(signed_in: Callable[..., SignedIn]) -> SignedIn:
    return signed_in(role=Role.ADMIN)


@pytest.fixture
def care_link(app: Flask) -> Callable[..., uuid.UUID]:
    return lambda provider, patient, **kwargs: link(app, provider, patient, **kwargs)


#: a user given to a factory: anything with the user's id
Party = TestUser | SignedIn
