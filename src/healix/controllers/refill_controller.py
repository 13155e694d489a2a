"""Refill requests: the patient asks, the prescriber (or an admin) decides.

Approval takes one refill with a conditional UPDATE (`refills_left > 0`) whose row count is
checked, so concurrent approvals can never take `refills_left` below zero on any database.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.controllers import mail_controller
from healix.controllers.access import prescription_denied, readable_prescription
from healix.controllers.notification_controller import notify
from healix.controllers.prescription_controller import audit_reads, get_for_prescriber
from healix.db import changed_rows
from healix.exceptions import Conflict, NotFound
from healix.models.prescription import Prescription, PrescriptionStatus
from healix.models.profile import EmailCategory
from healix.models.refill_request import RefillRequest, RefillStatus
from healix.models.user import User
from healix.schemas.common import PageQuery
from healix.schemas.prescription import RefillDecision
from healix.utils.pagination import Paged, keyset_page
from healix.utils.time import utcnow

RESOURCE = ResourceType.REFILL_REQUEST


def request_refill(
    session: Session, *, actor: User, prescription_id: uuid.UUID, note: str | None
) -> RefillRequest:
    """The patient asks for a refill of an active prescription with refills left."""
    prescription = session.scalar(
        select(Prescription)
        .where(Prescription.id == prescription_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if prescription is None or prescription.patient_id != actor.id:
        raise prescription_denied(prescription_id, prescription)
    status = prescription.effective_status
    if status != PrescriptionStatus.ACTIVE:
        raise Conflict(f"This prescription is {status}; it cannot be refilled.")
    if prescription.refills_left == 0:
        raise Conflict("This prescription has no refills left.")
    if _has_pending(session, prescription.id):
        raise Conflict("A refill request for this prescription is already pending.")
    refill = RefillRequest(prescription_id=prescription.id, requested_by_id=actor.id, note=note)
    session.add(refill)
    session.flush()
    _audit(session, AuditAction.REFILL_REQUESTED, actor, refill, prescription)
    notify(
        session,
        user_id=prescription.provider_id,
        kind="refill_requested",
        title="A patient asked for a prescription refill",
        data={"prescription_id": str(prescription.id), "refill_request_id": str(refill.id)},
    )
    return refill


def _has_pending(session: Session, prescription_id: uuid.UUID) -> bool:
    pending = select(RefillRequest.id).where(
        RefillRequest.prescription_id == prescription_id,
        RefillRequest.status == RefillStatus.PENDING,
    )
    return session.scalar(pending.limit(1)) is not None


def list_requests(
    session: Session, *, actor: User, prescription_id: uuid.UUID, query: PageQuery
) -> Paged[RefillRequest]:
    """A prescription's refill requests, newest first, for whoever may read the prescription."""
    prescription = readable_prescription(session, actor=actor, prescription_id=prescription_id)
    audit_reads(session, actor=actor, prescriptions=[prescription])
    return keyset_page(
        session,
        select(RefillRequest).where(RefillRequest.prescription_id == prescription.id),
        sort_columns=[RefillRequest.created_at, RefillRequest.id],
        sort_key=lambda refill: (refill.created_at, refill.id),
        limit=query.limit,
        cursor=query.cursor,
    )


def decide(
    session: Session,
    *,
    actor: User,
    prescription_id: uuid.UUID,
    refill_id: uuid.UUID,
    data: RefillDecision,
) -> RefillRequest:
    """Approve (taking one refill) or deny a pending request; the patient is told."""
    prescription = get_for_prescriber(session, actor=actor, prescription_id=prescription_id)
    refill = session.get(RefillRequest, refill_id)
    if refill is None or refill.prescription_id != prescription.id:
        raise NotFound("No such refill request.")
    claimed = changed_rows(
        session,
        update(RefillRequest)
        .where(RefillRequest.id == refill.id, RefillRequest.status == RefillStatus.PENDING)
        .values(
            status=str(data.status),
            decided_by_id=actor.id,
            decided_at=utcnow(),
            decision_note=data.note,
        )
        .execution_options(synchronize_session=False),
    )
    if claimed != 1:
        raise Conflict("This refill request has already been decided.")
    if str(data.status) == RefillStatus.APPROVED:
        _take_one_refill(session, prescription.id)
    session.refresh(refill)
    session.refresh(prescription)
    _audit(session, AuditAction.REFILL_DECIDED, actor, refill, prescription)
    notify(
        session,
        user_id=prescription.patient_id,
        kind="refill_decided",
        title=f"Your refill request was {refill.status}",
        data={"prescription_id": str(prescription.id), "refill_request_id": str(refill.id)},
    )
    mail_controller.send(
        session, REFILL_DECIDED_MAIL, user_id=prescription.patient_id, subject_id=refill.id
    )
    return refill


#: says only that the request was answered: never the medication or the decision
REFILL_DECIDED_MAIL = mail_controller.define(
    "refill_decided",
    category=EmailCategory.PRESCRIPTIONS,
    reason="You receive this email because you asked for a prescription refill.",
    context=mail_controller.link_to(RefillRequest, "refill request", "/prescriptions"),
)


def _take_one_refill(session: Session, prescription_id: uuid.UUID) -> None:
    """Decrement refills_left only while it is positive and the prescription is active."""
    taken = changed_rows(
        session,
        update(Prescription)
        .where(
            Prescription.id == prescription_id,
            Prescription.refills_left > 0,
            Prescription.status_is(PrescriptionStatus.ACTIVE),
        )
        .values(refills_left=Prescription.refills_left - 1, updated_at=utcnow())
        .execution_options(synchronize_session=False),
    )
    if taken != 1:
        raise Conflict("The prescription is no longer active or has no refills left.")


def _audit(
    session: Session,
    action: AuditAction,
    actor: User,
    refill: RefillRequest,
    prescription: Prescription,
) -> None:
    audit_logger.record(
        session,
        action,
        actor=actor,
        resource_type=RESOURCE,
        resource_id=refill.id,
        patient_id=prescription.patient_id,
        details={"prescription_id": str(prescription.id), "status": refill.status},
    )
