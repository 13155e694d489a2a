"""Providers: the directory for anyone signed in, working hours and free appointment slots."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.controllers import profile_controller, schedule_controller
from healix.controllers.schedule_controller import Schedule
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, JsonResponse, dump, page
from healix.schemas.common import Page
from healix.schemas.profile import ProviderListing, ProviderQuery
from healix.schemas.schedule import (
    AvailabilityQuery,
    AvailabilityRead,
    IntervalRead,
    ProviderPath,
    ScheduleRead,
    ScheduleUpdate,
    SlotRead,
)

TAG = Tag(
    name="Providers",
    description="The provider directory (any signed-in user), each provider's weekly working "
    "hours in their own timezone, and the free appointment slots of a day.",
)
bp = APIBlueprint("providers", __name__, url_prefix="/api/providers", abp_tags=[TAG])


def _schedule_read(schedule: Schedule) -> ScheduleRead:
    return ScheduleRead(
        provider_id=schedule.provider_id,
        timezone=schedule.timezone,
        days={
            day: [IntervalRead(start=start, end=end) for start, end in intervals]
            for day, intervals in schedule.days.items()
        },
        is_default=schedule.is_default,
        requires_approval=schedule.requires_approval,
    )


@bp.get("", responses={200: Page[ProviderListing], **ERRORS}, security=BEARER)
@auth_required()
def list_providers(query: ProviderQuery) -> JsonResponse:
    """Find active providers by name or specialization."""
    return page(ProviderListing, profile_controller.list_providers(db.session(), query=query))


@bp.get("/me/schedule", security=BEARER, responses={200: ScheduleRead, **ERRORS})
@roles_required(Role.PROVIDER)
def get_my_schedule() -> JsonResponse:
    """Your weekly working hours (Monday-Friday 09:00-17:00 until you set them)."""
    schedule = schedule_controller.get_schedule(db.session(), provider_id=current_actor().id)
    return dump(_schedule_read(schedule))


@bp.put("/me/schedule", security=BEARER, responses={200: ScheduleRead, **ERRORS})
@roles_required(Role.PROVIDER)
def set_my_schedule(body: ScheduleUpdate) -> JsonResponse:
    """Set your weekly working hours, in your timezone."""
    schedule = schedule_controller.set_schedule(db.session(), actor=current_actor(), data=body)
    return dump(_schedule_read(schedule))


@bp.get(
    "/<uuid:provider_id>/availability", security=BEARER, responses={200: AvailabilityRead, **ERRORS}
)
@auth_required()
def provider_availability(path: ProviderPath, query: AvailabilityQuery) -> JsonResponse:
    """A provider's free slots on one day, in the provider's timezone."""
    availability = schedule_controller.availability(
        db.session(),
        provider_id=path.provider_id,
        day=query.date,
        duration_minutes=query.duration_minutes,
    )
    return dump(
        AvailabilityRead(
            provider_id=path.provider_id,
            date=availability.day,
            timezone=availability.schedule.timezone,
            duration_minutes=availability.duration_minutes,
            requires_approval=availability.schedule.requires_approval,
            slots=[SlotRead(start_time=start, end_time=end) for start, end in availability.slots],
        )
    )
