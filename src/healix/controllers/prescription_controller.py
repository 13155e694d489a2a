"""Prescriptions: written by a provider for a patient in their care, read by the parties and
the patient's current care team, changed only by the prescriber (or an admin).

Who may read or change one is decided in controllers/access.py; the effective status (an
active prescription past its end date is expired) is the model's rule (models/prescription.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.controllers.access import (
    ensure_patient_access,
    may_change_prescription,
    prescription_denied,
    readable_prescription,
    readable_prescriptions,
)
from healix.controllers.notification_controller import notify
from healix.exceptions import Conflict, ValidationFailed
from healix.models.prescription import FINAL_STATUSES, Prescription, PrescriptionStatus
from healix.models.refill_request import RefillRequest
from healix.models.user import User
from healix.schemas.prescription import PrescriptionCreate, PrescriptionQuery, PrescriptionUpdate
from healix.utils.pagination import Paged, keyset_page

RESOURCE = ResourceType.PRESCRIPTION


def create(session: Session, *, actor: User, data: PrescriptionCreate) -> Prescription:
    """Write a prescription for a patient in the provider's care (404 otherwise)."""
    patient = ensure_patient_access(session, actor=actor, patient_id=data.patient_id, audit=False)
    prescription = Prescription(
        **data.model_dump(exclude={"patient_id"}),
        patient_id=patient.id,
        provider_id=actor.id,
        refills_left=data.refills_allowed,
        status=PrescriptionStatus.ACTIVE,
    )
    session.add(prescription)
    session.flush()
    audit_logger.record(
        session,
        AuditAction.PROVIDER_WRITE_PRESCRIPTION,
        actor=actor,
        resource_type=RESOURCE,
        resource_id=prescription.id,
        patient_id=patient.id,
    )
    notify(
        session,
        user_id=patient.id,
        kind="prescription_written",
        title="You have a new prescription",
        data={"prescription_id": str(prescription.id)},
    )
    return prescription


def list_prescriptions(
    session: Session, *, actor: User, query: PrescriptionQuery
) -> Paged[Prescription]:
    """The prescriptions `actor` may read, newest first; reads of others' are audited."""
    statement = select(Prescription).where(readable_prescriptions(actor))
    if query.status is not None:
        statement = statement.where(Prescription.status_is(query.status))
    if query.patient_id is not None:
        statement = statement.where(Prescription.patient_id == query.patient_id)
    if query.refill_status is not None:
        statement = statement.where(
            exists().where(
                RefillRequest.prescription_id == Prescription.id,
                RefillRequest.status == query.refill_status,
            )
        )
    page = keyset_page(
        session,
        statement,
        sort_columns=[Prescription.created_at, Prescription.id],
        sort_key=lambda rx: (rx.created_at, rx.id),
        limit=query.limit,
        cursor=query.cursor,
    )
    audit_reads(session, actor=actor, prescriptions=page.items)
    return page


def audit_reads(session: Session, *, actor: User, prescriptions: Iterable[Prescription]) -> None:
    """One PROVIDER_VIEW_HEALTH_DATA row per other patient whose prescriptions were read."""
    by_patient: dict[uuid.UUID, list[str]] = {}
    for prescription in prescriptions:
        if prescription.patient_id != actor.id:
            by_patient.setdefault(prescription.patient_id, []).append(str(prescription.id))
    for patient_id, ids in by_patient.items():
        audit_logger.record(
            session,
            AuditAction.PROVIDER_VIEW_HEALTH_DATA,
            actor=actor,
            resource_type=RESOURCE,
            resource_id=ids[0] if len(ids) == 1 else None,
            patient_id=patient_id,
            details={"prescription_ids": ids},
        )


def get(session: Session, *, actor: User, prescription_id: uuid.UUID) -> Prescription:
    prescription = readable_prescription(session, actor=actor, prescription_id=prescription_id)
    audit_reads(session, actor=actor, prescriptions=[prescription])
    return prescription


def get_for_prescriber(
    session: Session, *, actor: User, prescription_id: uuid.UUID, lock: bool = False
) -> Prescription:
    """The prescription if `actor` may change it (an audited 404 otherwise); `lock` holds
    its row until the transaction ends, so concurrent changes queue."""
    statement = select(Prescription).where(Prescription.id == prescription_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    prescription = session.scalar(statement)
    if prescription is None or not may_change_prescription(actor, prescription):
        raise prescription_denied(prescription_id, prescription)
    return prescription


def update(
    session: Session, *, actor: User, prescription_id: uuid.UUID, data: PrescriptionUpdate
) -> Prescription:
    """Change instructions or end date, or close the prescription; final states are frozen."""
    prescription = get_for_prescriber(
        session, actor=actor, prescription_id=prescription_id, lock=True
    )
    current = prescription.effective_status
    if current in FINAL_STATUSES:
        raise Conflict(f"This prescription is {current} and can no longer change.")
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    end_date = changes.get("end_date")
    if end_date is not None and end_date < prescription.start_date:
        raise ValidationFailed.single("end_date", "must be on or after start_date")
    changed = [field for field, value in changes.items() if getattr(prescription, field) != value]
    for field in changed:
        setattr(prescription, field, changes[field])
    if not changed:
        return prescription
    session.flush()
    audit_logger.record(
        session,
        AuditAction.PROVIDER_UPDATE_PRESCRIPTION,
        actor=actor,
        resource_type=RESOURCE,
        resource_id=prescription.id,
        patient_id=prescription.patient_id,
        details={"fields": sorted(changed)},
    )
    notify(
        session,
        user_id=prescription.patient_id,
        kind="prescription_updated",
        title="One of your prescriptions was updated",
        data={"prescription_id": str(prescription.id)},
    )
    return prescription
