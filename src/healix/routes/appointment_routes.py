"""Appointments between patients and providers."""

from flask import Response
from flask_openapi3 import APIBlueprint, Tag

from healix.controllers import appointment_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.routes import BEARER, ERRORS, dump
from healix.schemas.appointment import (
    AppointmentCreate,
    AppointmentPath,
    AppointmentProviderRead,
    AppointmentQuery,
    AppointmentRead,
    AppointmentUpdate,
    read_schema_for,
)
from healix.schemas.common import Page, Problem

bp = APIBlueprint(
    "appointments", __name__, url_prefix="/api/appointments", abp_tags=[Tag(name="Appointments")]
)

#: patients receive the same shape without `provider_notes`
READ_RESPONSES = {200: AppointmentProviderRead, 409: Problem, **ERRORS}


def _reads(role: str, appointments) -> list[AppointmentRead]:
    """The actor's view of each appointment, with both parties' names (one query for all)."""
    people = appointment_controller.parties(db.session, appointments)
    read = read_schema_for(role)
    return [read.of(appointment, people) for appointment in appointments]


@bp.post("", security=BEARER, responses={201: AppointmentProviderRead, 409: Problem, **ERRORS})
@auth_required()
def create_appointment(body: AppointmentCreate):
    """Book an appointment (patient with a provider, provider for a patient in their care)."""
    actor = current_actor()
    appointment = appointment_controller.create(db.session, actor=actor, data=body)
    return dump(_reads(actor.role, [appointment])[0], 201)


@bp.get("", security=BEARER, responses={200: Page[AppointmentProviderRead], **ERRORS})
@auth_required()
def list_appointments(query: AppointmentQuery):
    """Your appointments by start time (all of them for an admin)."""
    actor = current_actor()
    items, cursor = appointment_controller.list_appointments(db.session, actor=actor, query=query)
    page_type = Page[read_schema_for(actor.role)]  # type: ignore[misc]
    return dump(page_type(items=_reads(actor.role, items), next_cursor=cursor))


@bp.get("/<uuid:appointment_id>", security=BEARER, responses=READ_RESPONSES)
@auth_required()
def get_appointment(path: AppointmentPath):
    """One appointment you are a party to."""
    actor = current_actor()
    appointment = appointment_controller.get(
        db.session, actor=actor, appointment_id=path.appointment_id
    )
    return dump(_reads(actor.role, [appointment])[0])


@bp.patch("/<uuid:appointment_id>", security=BEARER, responses=READ_RESPONSES)
@auth_required()
def update_appointment(path: AppointmentPath, body: AppointmentUpdate):
    """Reschedule, cancel, complete or mark no-show, or edit notes."""
    actor = current_actor()
    appointment = appointment_controller.update(
        db.session, actor=actor, appointment_id=path.appointment_id, data=body
    )
    return dump(_reads(actor.role, [appointment])[0])


@bp.get("/<uuid:appointment_id>/calendar.ics", security=BEARER, responses={200: None, **ERRORS})
@auth_required()
def appointment_calendar(path: AppointmentPath):
    """The appointment as an iCalendar (RFC 5545) file."""
    document = appointment_controller.calendar_ics(
        db.session, actor=current_actor(), appointment_id=path.appointment_id
    )
    return Response(
        document,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="appointment-{path.appointment_id}.ics"'
        },
    )
