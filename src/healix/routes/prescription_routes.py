"""Prescriptions and their refill requests."""

from flask_openapi3 import APIBlueprint, Tag

from healix.controllers import prescription_controller, prescription_views, refill_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, dump
from healix.schemas.common import Page, PageQuery, Problem
from healix.schemas.prescription import (
    PrescriptionCreate,
    PrescriptionPath,
    PrescriptionQuery,
    PrescriptionRead,
    PrescriptionUpdate,
    RefillDecision,
    RefillPath,
    RefillRequestCreate,
    RefillRequestRead,
)

bp = APIBlueprint(
    "prescriptions",
    __name__,
    url_prefix="/api/prescriptions",
    abp_tags=[Tag(name="Prescriptions")],
)
WITH_CONFLICT = {409: Problem, **ERRORS}


def _read(prescription) -> PrescriptionRead:
    return PrescriptionRead.of(prescription_views.describe(db.session, [prescription])[0])


@bp.post("", responses={201: PrescriptionRead, **ERRORS}, security=BEARER)
@roles_required(Role.PROVIDER)
def create_prescription(body: PrescriptionCreate):
    """Write a prescription for a patient in your care."""
    prescription = prescription_controller.create(db.session, actor=current_actor(), data=body)
    return dump(_read(prescription), 201)


@bp.get("", responses={200: Page[PrescriptionRead], **ERRORS}, security=BEARER)
@auth_required()
def list_prescriptions(query: PrescriptionQuery):
    """Prescriptions you may see, newest first."""
    prescriptions, next_cursor = prescription_controller.list_prescriptions(
        db.session, actor=current_actor(), query=query
    )
    items = [
        PrescriptionRead.of(view) for view in prescription_views.describe(db.session, prescriptions)
    ]
    return dump(Page[PrescriptionRead](items=items, next_cursor=next_cursor))


@bp.get("/<uuid:prescription_id>", responses={200: PrescriptionRead, **ERRORS}, security=BEARER)
@auth_required()
def get_prescription(path: PrescriptionPath):
    """One prescription."""
    prescription = prescription_controller.get(
        db.session, actor=current_actor(), prescription_id=path.prescription_id
    )
    return dump(_read(prescription))


@bp.patch(
    "/<uuid:prescription_id>", responses={200: PrescriptionRead, **WITH_CONFLICT}, security=BEARER
)
@roles_required(Role.PROVIDER, Role.ADMIN)
def update_prescription(path: PrescriptionPath, body: PrescriptionUpdate):
    """Change instructions or end date, or complete or cancel a prescription you wrote."""
    prescription = prescription_controller.update(
        db.session, actor=current_actor(), prescription_id=path.prescription_id, data=body
    )
    return dump(_read(prescription))


@bp.post(
    "/<uuid:prescription_id>/refill-requests",
    responses={201: RefillRequestRead, **WITH_CONFLICT},
    security=BEARER,
)
@roles_required(Role.PATIENT)
def request_refill(path: PrescriptionPath, body: RefillRequestCreate):
    """Ask your prescriber for a refill."""
    refill = refill_controller.request_refill(
        db.session, actor=current_actor(), prescription_id=path.prescription_id, note=body.note
    )
    return dump(RefillRequestRead.model_validate(refill), 201)


@bp.get(
    "/<uuid:prescription_id>/refill-requests",
    responses={200: Page[RefillRequestRead], **ERRORS},
    security=BEARER,
)
@auth_required()
def list_refill_requests(path: PrescriptionPath, query: PageQuery):
    """A prescription's refill requests, newest first."""
    refills, next_cursor = refill_controller.list_requests(
        db.session, actor=current_actor(), prescription_id=path.prescription_id, query=query
    )
    items = [RefillRequestRead.model_validate(refill) for refill in refills]
    return dump(Page[RefillRequestRead](items=items, next_cursor=next_cursor))


@bp.patch(
    "/<uuid:prescription_id>/refill-requests/<uuid:refill_id>",
    responses={200: RefillRequestRead, **WITH_CONFLICT},
    security=BEARER,
)
@roles_required(Role.PROVIDER, Role.ADMIN)
def decide_refill(path: RefillPath, body: RefillDecision):
    """Approve (uses one refill) or deny a pending refill request."""
    refill = refill_controller.decide(
        db.session,
        actor=current_actor(),
        prescription_id=path.prescription_id,
        refill_id=path.refill_id,
        data=body,
    )
    return dump(RefillRequestRead.model_validate(refill))
