"""Prescriptions, their refill requests, and the printable prescription."""

from flask import Response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.config import current_settings
from healix.controllers import (
    export_controller,
    prescription_controller,
    prescription_views,
    refill_controller,
)
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.middleware.authorization import roles_required
from healix.models.prescription import Prescription
from healix.models.user import Role
from healix.routes import (
    BEARER,
    ERRORS,
    WITH_CONFLICT,
    JsonResponse,
    binary_response,
    dump,
    file_response,
    page,
)
from healix.schemas.common import Page, PageQuery
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

TAG = Tag(
    name="Prescriptions",
    description="Prescriptions written by a provider for a patient in their care, readable "
    "by the patient, the prescriber and the patient's care team; refill requests and their "
    "decisions; a printable PDF. An active prescription past its end date reads `expired`.",
)
bp = APIBlueprint("prescriptions", __name__, url_prefix="/api/prescriptions", abp_tags=[TAG])


def _read(prescription: Prescription) -> PrescriptionRead:
    """With the prescriber's name and the newest refill request."""
    return PrescriptionRead.of(prescription_views.describe(db.session(), [prescription])[0])


@bp.post("", responses={201: PrescriptionRead, **ERRORS}, security=BEARER)
@roles_required(Role.PROVIDER)
def create_prescription(body: PrescriptionCreate) -> JsonResponse:
    """Write a prescription for a patient in your care."""
    prescription = prescription_controller.create(db.session(), actor=current_actor(), data=body)
    return dump(_read(prescription), 201)


@bp.get("", responses={200: Page[PrescriptionRead], **ERRORS}, security=BEARER)
@auth_required()
def list_prescriptions(query: PrescriptionQuery) -> JsonResponse:
    """Prescriptions you may see, newest first."""
    prescriptions = prescription_controller.list_prescriptions(
        db.session(), actor=current_actor(), query=query
    )
    views = prescription_views.describe(db.session(), prescriptions.items)
    items = [PrescriptionRead.of(view).model_dump(mode="json") for view in views]
    return {"items": items, "next_cursor": prescriptions.next_cursor}, 200


@bp.get("/<uuid:prescription_id>", responses={200: PrescriptionRead, **ERRORS}, security=BEARER)
@auth_required()
def get_prescription(path: PrescriptionPath) -> JsonResponse:
    """One prescription."""
    prescription = prescription_controller.get(
        db.session(), actor=current_actor(), prescription_id=path.prescription_id
    )
    return dump(_read(prescription))


@bp.patch(
    "/<uuid:prescription_id>", responses={200: PrescriptionRead, **WITH_CONFLICT}, security=BEARER
)
@roles_required(Role.PROVIDER, Role.ADMIN)
def update_prescription(path: PrescriptionPath, body: PrescriptionUpdate) -> JsonResponse:
    """Change instructions or end date, or complete or cancel a prescription you wrote."""
    prescription = prescription_controller.update(
        db.session(), actor=current_actor(), prescription_id=path.prescription_id, data=body
    )
    return dump(_read(prescription))


@bp.get(
    "/<uuid:prescription_id>/pdf",
    responses={200: binary_response("application/pdf", "The prescription"), **ERRORS},
    security=BEARER,
)
@auth_required()
def prescription_pdf(path: PrescriptionPath) -> Response:
    """Download a printable prescription."""
    export = export_controller.prescription_pdf(
        db.session(),
        actor=current_actor(),
        prescription_id=path.prescription_id,
        settings=current_settings(),
    )
    return file_response(export.content, mimetype=export.mimetype, filename=export.filename)


@bp.post(
    "/<uuid:prescription_id>/refill-requests",
    responses={201: RefillRequestRead, **WITH_CONFLICT},
    security=BEARER,
)
@roles_required(Role.PATIENT)
def request_refill(path: PrescriptionPath, body: RefillRequestCreate) -> JsonResponse:
    """Ask your prescriber for a refill."""
    refill = refill_controller.request_refill(
        db.session(), actor=current_actor(), prescription_id=path.prescription_id, note=body.note
    )
    return dump(RefillRequestRead.model_validate(refill), 201)


@bp.get(
    "/<uuid:prescription_id>/refill-requests",
    responses={200: Page[RefillRequestRead], **ERRORS},
    security=BEARER,
)
@auth_required()
def list_refill_requests(path: PrescriptionPath, query: PageQuery) -> JsonResponse:
    """A prescription's refill requests, newest first."""
    refills = refill_controller.list_requests(
        db.session(), actor=current_actor(), prescription_id=path.prescription_id, query=query
    )
    return page(RefillRequestRead, refills)


@bp.patch(
    "/<uuid:prescription_id>/refill-requests/<uuid:refill_id>",
    responses={200: RefillRequestRead, **WITH_CONFLICT},
    security=BEARER,
)
@roles_required(Role.PROVIDER, Role.ADMIN)
def decide_refill(path: RefillPath, body: RefillDecision) -> JsonResponse:
    """Approve (uses one refill) or deny a pending refill request."""
    refill = refill_controller.decide(
        db.session(),
        actor=current_actor(),
        prescription_id=path.prescription_id,
        refill_id=path.refill_id,
        data=body,
    )
    return dump(RefillRequestRead.model_validate(refill))
