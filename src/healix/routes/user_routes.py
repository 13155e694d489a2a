"""Your own account: profile, who accessed your data, and erasing your account."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.controllers import audit_controller, erasure_controller, profile_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
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
from healix.schemas.common import Page, PageQuery
from healix.schemas.profile import ProfileRead, ProfileUpdate

TAG = Tag(
    name="Users",
    description="Your own account (`/api/users/me`): profile and preferences, the log of "
    "who else viewed, changed or exported your data, and erasing your account.",
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
    erasure_controller.erase_self(db.session(), actor=current_actor(), password=body.password)
    return no_content()


@bp.get("/me/access-log", security=BEARER, responses={200: Page[AccessLogEntry], **ERRORS})
@auth_required()
def access_log(query: PageQuery) -> JsonResponse:
    """Who viewed, changed or exported your data, and when (newest first)."""
    rows = audit_controller.access_log(
        db.session(), actor=current_actor(), limit=query.limit, cursor=query.cursor
    )
    return page(AccessLogEntry, rows)
