"""Your own account and profile."""

from flask_openapi3 import APIBlueprint, Tag

from healix.controllers import profile_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.routes import BEARER, ERRORS, dump
from healix.schemas.profile import ProfileRead, ProfileUpdate

bp = APIBlueprint("users", __name__, url_prefix="/api/users", abp_tags=[Tag(name="Profile")])


@bp.get("/me", responses={200: ProfileRead, **ERRORS}, security=BEARER)
@auth_required()
def get_me():
    """Your account and profile."""
    return dump(profile_controller.get_own(db.session, actor=current_actor()))


@bp.patch("/me", responses={200: ProfileRead, **ERRORS}, security=BEARER)
@auth_required()
def update_me(body: ProfileUpdate):
    """Change your profile; omitted fields stay as they are."""
    return dump(profile_controller.update_own(db.session, actor=current_actor(), data=body))
