"""The access policy (controllers/access.py), decided without HTTP."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from healix.audit.events import AuditAction, ResourceType
from healix.controllers import access
from healix.exceptions import NotFound, ValidationFailed
from healix.models.audit_log import AuditLog
from healix.models.provider_patient_relationship import RelationshipKind
from healix.models.user import Role, User
from healix.utils.time import utcnow
from tests.factories.prescriptions import make_prescription


@pytest.fixture
def people(make_user, care_link):
    patient = make_user(role=Role.PATIENT)
    carer = make_user(role=Role.PROVIDER)
    care_link(carer, patient)
    return {
        "patient": patient,
        "carer": carer,
        "emergency": make_user(role=Role.PROVIDER),
        "stranger": make_user(role=Role.PROVIDER),
        "other_patient": make_user(role=Role.PATIENT),
        "admin": make_user(role=Role.ADMIN),
    }


def load(session, person) -> User:
    return session.get_one(User, person.id)


def test_who_may_see_a_patients_data(dbs, people, care_link):
    care_link(
        people["emergency"],
        people["patient"],
        kind=RelationshipKind.EMERGENCY,
        valid_until=utcnow() + timedelta(minutes=30),
    )
    with dbs() as session:
        patient_id = people["patient"].id
        routes = {
            name: access.access_route(session, load(session, person), patient_id)
            for name, person in people.items()
        }
        assert routes == {
            "patient": None,
            "carer": "care",
            "emergency": "emergency",
            "stranger": None,
            "other_patient": None,
            "admin": "admin",
        }
        may = {
            name: access.can_access_patient(session, load(session, person), patient_id)
            for name, person in people.items()
        }
        assert may == {
            "patient": True,
            "carer": True,
            "emergency": True,
            "stranger": False,
            "other_patient": False,
            "admin": True,
        }


def test_an_ended_or_expired_relationship_grants_nothing(dbs, make_user, care_link):
    patient, ended, expired = (
        make_user(role=Role.PATIENT),
        make_user(role=Role.PROVIDER),
        make_user(role=Role.PROVIDER),
    )
    care_link(ended, patient, ended_at=utcnow() - timedelta(minutes=1))
    care_link(expired, patient, valid_until=utcnow() - timedelta(minutes=1))
    with dbs() as session:
        for provider in (ended, expired):
            assert not access.can_access_patient(session, load(session, provider), patient.id)


def test_ensure_patient_access_audits_reads_of_others_and_refuses_with_a_pending_denial(
    dbs, people
):
    with dbs() as session:
        carer = load(session, people["carer"])
        patient = access.ensure_patient_access(
            session, actor=carer, patient_id=people["patient"].id
        )
        assert patient.id == people["patient"].id
        session.flush()
        [row] = session.scalars(select(AuditLog)).all()
        assert (row.action, row.actor_id, row.details) == (
            AuditAction.PROVIDER_VIEW_PATIENT,
            carer.id,
            {"via": "care"},
        )
        with pytest.raises(NotFound) as refused:
            access.ensure_patient_access(
                session, actor=load(session, people["stranger"]), patient_id=people["patient"].id
            )
        [denial] = refused.value.failure_records
        assert denial.action == AuditAction.ACCESS_DENIED
        assert denial.patient_id == people["patient"].id
        # a provider is no patient: the same 404 as an unknown id
        with pytest.raises(NotFound):
            access.ensure_patient_access(
                session, actor=load(session, people["admin"]), patient_id=people["carer"].id
            )


def test_patient_id_defaults_to_me_for_patients_only(dbs, people):
    with dbs() as session:
        patient = load(session, people["patient"])
        assert access.patient_or_self(patient, None) == patient.id
        other = uuid.uuid4()
        assert access.patient_or_self(patient, other) == other
        with pytest.raises(ValidationFailed) as refused:
            access.patient_or_self(load(session, people["carer"]), None)
        assert refused.value.errors == [
            {"loc": "patient_id", "msg": "is required for providers and admins"}
        ]


def test_active_parties(dbs, make_user):
    active = make_user(role=Role.PATIENT)
    inactive = make_user(role=Role.PATIENT, status="inactive")
    provider = make_user(role=Role.PROVIDER)
    with dbs() as session:
        assert access.active_patient(session, active.id).id == active.id
        assert access.active_provider(session, provider.id).id == provider.id
        for call, user_id in (
            (access.active_patient, inactive.id),
            (access.active_patient, provider.id),
            (access.active_provider, active.id),
            (access.active_patient, uuid.uuid4()),
        ):
            with pytest.raises(NotFound):
                call(session, user_id)


def reads(session, actor, prescription_id) -> bool:
    try:
        access.readable_prescription(session, actor=actor, prescription_id=prescription_id)
    except NotFound as refused:
        [denial] = refused.failure_records
        assert denial.resource_type == ResourceType.PRESCRIPTION
        return False
    return True


def test_who_may_read_and_change_a_prescription(app, dbs, people):
    rx_id = make_prescription(app, provider=people["stranger"], patient=people["patient"])
    with dbs() as session:
        readers = {
            name: reads(session, load(session, person), rx_id) for name, person in people.items()
        }
        # the prescriber reads it although the patient is not in their care
        assert readers == {
            "patient": True,
            "carer": True,
            "emergency": False,
            "stranger": True,
            "other_patient": False,
            "admin": True,
        }
        prescription = access.readable_prescription(
            session, actor=load(session, people["admin"]), prescription_id=rx_id
        )
        changers = {
            name
            for name, person in people.items()
            if access.may_change_prescription(load(session, person), prescription)
        }
        assert changers == {"stranger", "admin"}
