"""Prescriptions as lists show them: with the prescriber's name and the newest refill request,
for any number of prescriptions in two queries (never one per prescription)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from healix.controllers.profile_controller import users_by_id
from healix.models.prescription import Prescription
from healix.models.refill_request import RefillRequest
from healix.models.user import User


@dataclass(frozen=True)
class PrescriptionView:
    prescription: Prescription
    prescriber: User | None
    latest_refill_request: RefillRequest | None


def latest_refill_requests(
    session: Session, prescription_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, RefillRequest]:
    """The newest refill request of each prescription that has one."""
    if not prescription_ids:
        return {}
    rows = session.scalars(
        select(RefillRequest)
        .where(RefillRequest.prescription_id.in_(set(prescription_ids)))
        .order_by(RefillRequest.created_at.desc(), RefillRequest.id.desc())
    )
    latest: dict[uuid.UUID, RefillRequest] = {}
    for request in rows:
        latest.setdefault(request.prescription_id, request)
    return latest


def describe(session: Session, prescriptions: Sequence[Prescription]) -> list[PrescriptionView]:
    """Prescriptions the caller may already read, with prescriber and newest refill request."""
    prescribers = users_by_id(session, (rx.provider_id for rx in prescriptions))
    refills = latest_refill_requests(session, [rx.id for rx in prescriptions])
    return [
        PrescriptionView(rx, prescribers.get(rx.provider_id), refills.get(rx.id))
        for rx in prescriptions
    ]
