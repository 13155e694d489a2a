"""Appointments between patients and providers."""

from collections.abc import Sequence

from flask import Response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from flask_openapi3.types import ResponseDict

from healix.config import current_settings
from healix.controllers import appointment_controller, appointment_requests, calendar_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.middleware.authorization import roles_required
from healix.models.appointment import Appointment
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, JsonResponse, binary_response, dump, file_response
from healix.schemas.appointment import (
    AppointmentCreate,
    AppointmentDecline,
    AppointmentPath,
    AppointmentQuery,
    AppointmentRead,
    AppointmentUpdate,
    AppointmentView,
    read_schema_for,
)
from healix.schemas.common import Page, Problem

TAG = Tag(
    name="Appointments",
    description="Booking, listing, rescheduling and cancelling appointments between patients "
    "and providers inside the provider's working hours; each as an iCalendar file. Patients "
    "get the same shape without the provider's private notes.",
)
bp = APIBlueprint("appointments", __name__, url_prefix="/api/appointments", abp_tags=[TAG])

#: providers and admins get `provider_notes`; patients the same shape without it
READ_RESPONSES: ResponseDict = {200: AppointmentView, 409: Problem, **ERRORS}


def _reads(role: str, appointments: Sequence[Appointment]) -> list[AppointmentRead]:
    """The actor's view of each appointment, with both parties' names (one query for all)."""
    people = appointment_controller.parties(db.session(), appointments)
    read = read_schema_for(role)
    return [read.of(appointment, people) for appointment in appointments]


@bp.post("", security=BEARER, responses={201: AppointmentView, 409: Problem, **ERRORS})
@auth_required()
def create_appointment(body: AppointmentCreate) -> JsonResponse:
    """Book an appointment (patient with a provider, provider for a patient in their care)."""
    actor = current_actor()
    appointment = appointment_controller.create(
        db.session(), actor=actor, data=body, horizon=current_settings().booking_horizon
    )
    return dump(_reads(actor.role, [appointment])[0], 201)


@bp.get("", security=BEARER, responses={200: Page[AppointmentView], **ERRORS})
@auth_required()
def list_appointments(query: AppointmentQuery) -> JsonResponse:
    """Your appointments by start time (all of them for an admin)."""
    actor = current_actor()
    appointments = appointment_controller.list_appointments(db.session(), actor=actor, query=query)
    items = [read.model_dump(mode="json") for read in _reads(actor.role, appointments.items)]
    return {"items": items, "next_cursor": appointments.next_cursor}, 200


@bp.get("/<uuid:appointment_id>", security=BEARER, responses=READ_RESPONSES)
@auth_required()
def get_appointment(path: AppointmentPath) -> JsonResponse:
    """One appointment you are a party to."""
    actor = current_actor()
    appointment = appointment_controller.get(
        db.session(), actor=actor, appointment_id=path.appointment_id
    )
    return dump(_reads(actor.role, [appointment])[0])


@bp.patch("/<uuid:appointment_id>", security=BEARER, responses=READ_RESPONSES)
@auth_required()
def update_appointment(path: AppointmentPath, body: AppointmentUpdate) -> JsonResponse:
    """Reschedule, cancel, complete or mark no-show, or edit notes."""
    actor = current_actor()
    appointment = appointment_controller.update(
        db.session(),
        actor=actor,
        appointment_id=path.appointment_id,
        data=body,
        horizon=current_settings().booking_horizon,
    )
    return dump(_reads(actor.role, [appointment])[0])


@bp.post("/<uuid:appointment_id>/confirm", security=BEARER, responses=READ_RESPONSES)
@roles_required(Role.PROVIDER, Role.ADMIN)
def confirm_appointment(path: AppointmentPath) -> JsonResponse:
    """Confirm a requested appointment (the patient is told)."""
    actor = current_actor()
    appointment = appointment_requests.confirm(
        db.session(), actor=actor, appointment_id=path.appointment_id
    )
    return dump(_reads(actor.role, [appointment])[0])


@bp.post("/<uuid:appointment_id>/decline", security=BEARER, responses=READ_RESPONSES)
@roles_required(Role.PROVIDER, Role.ADMIN)
def decline_appointment(path: AppointmentPath, body: AppointmentDecline) -> JsonResponse:
    """Decline a requested appointment with a reason; the slot is freed, the patient told."""
    actor = current_actor()
    appointment = appointment_requests.decline(
        db.session(), actor=actor, appointment_id=path.appointment_id, reason=body.reason
    )
    return dump(_reads(actor.role, [appointment])[0])


@bp.get(
    "/<uuid:appointment_id>/calendar.ics",
    security=BEARER,
    responses={
        200: binary_response(calendar_controller.CALENDAR_MIMETYPE, "The appointment (RFC 5545)"),
        **ERRORS,
    },
)
@auth_required()
def appointment_calendar(path: AppointmentPath) -> Response:
    """The appointment as an iCalendar (RFC 5545) file."""
    document = calendar_controller.appointment_ics(
        db.session(),
        actor=current_actor(),
        appointment_id=path.appointment_id,
        settings=current_settings(),
    )
    return file_response(document.content, mimetype=document.mimetype, filename=document.filename)
