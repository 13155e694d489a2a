"""Your own account: profile, who accessed your data, and erasing your account."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.config import current_settings
from healix.controllers import (
    audit_controller,
    calendar_controller,
    erasure_controller,
    profile_controller,
)
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import (
    BEARER,
    ERRORS,
    WITH_CONFLICT,
    JsonResponse,
    NoContent,
    dump,
    no_content,
    page,
)
from healix.schemas.account import AccountDelete
from healix.schemas.audit import AccessLogEntry
from healix.schemas.calendar import CalendarFeedCreated, CalendarFeedRead
from healix.schemas.common import Page, PageQuery
from healix.schemas.profile import ProfileRead, ProfileUpdate

TAG = Tag(
    name="Users",
    description="Your own account (`/api/users/me`): profile and preferences, the log of "
    "who else viewed, changed or exported your data, your calendar feed, and erasing your "
    "account.",
)
bp = APIBlueprint("users", __name__, url_prefix="/api/users", abp_tags=[TAG])


@bp.get("/me", responses={200: ProfileRead, **ERRORS}, security=BEARER)
@auth_required()
def get_me() -> JsonResponse:
    """Your account and profile."""
    view = profile_controller.get_own(db.session(), actor=current_actor())
    return dump(ProfileRead.of(view.user, view.profile))


@bp.patch("/me", responses={200: ProfileRead, **ERRORS}, security=BEARER)
@auth_required()
def update_me(body: ProfileUpdate) -> JsonResponse:
    """Change your profile; omitted fields stay as they are."""
    view = profile_controller.update_own(db.session(), actor=current_actor(), data=body)
    return dump(ProfileRead.of(view.user, view.profile))


@bp.delete("/me", security=BEARER, responses={204: None, **WITH_CONFLICT})
@auth_required()
def delete_me(body: AccountDelete) -> NoContent:
    """Erase your account and personal data (confirm with your password)."""
    erasure_controller.erase_self(
        db.session(), actor=current_actor(), password=body.password, settings=current_settings()
    )
    return no_content()


@bp.get("/me/access-log", security=BEARER, responses={200: Page[AccessLogEntry], **ERRORS})
@auth_required()
def access_log(query: PageQuery) -> JsonResponse:
    """Who viewed, changed or exported your data, and when (newest first)."""
    rows = audit_controller.access_log(
        db.session(), actor=current_actor(), limit=query.limit, cursor=query.cursor
    )
    return page(AccessLogEntry, rows)


@bp.post("/me/calendar-feed", security=BEARER, responses={201: CalendarFeedCreated, **ERRORS})
@roles_required(Role.PATIENT, Role.PROVIDER)
def create_calendar_feed() -> JsonResponse:
    """Create your secret calendar feed URL (shown once); an earlier one stops working."""
    issued = calendar_controller.create_feed(
        db.session(), actor=current_actor(), settings=current_settings()
    )
    created = CalendarFeedCreated(
        id=issued.feed.id,
        created_at=issued.feed.created_at,
        url=issued.url,
        webcal_url=issued.webcal_url,
    )
    return dump(created, 201)


@bp.get("/me/calendar-feed", security=BEARER, responses={200: CalendarFeedRead, **ERRORS})
@roles_required(Role.PATIENT, Role.PROVIDER)
def get_calendar_feed() -> JsonResponse:
    """Whether you have a live calendar feed, and since when (404 if none)."""
    feed = calendar_controller.get_feed(db.session(), actor=current_actor())
    return dump(CalendarFeedRead.model_validate(feed))


@bp.delete("/me/calendar-feed", security=BEARER, responses={204: None, **ERRORS})
@roles_required(Role.PATIENT, Role.PROVIDER)
def revoke_calendar_feed() -> NoContent:
    """Revoke your calendar feed: its URL answers 404 from now on."""
    calendar_controller.revoke_feed(db.session(), actor=current_actor())
    return no_content()
