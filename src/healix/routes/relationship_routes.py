"""Admins record and end care relationships on patients' behalf."""

from flask_openapi3 import APIBlueprint, Tag

from healix.controllers import care_controller
from healix.extensions import db
from healix.middleware.auth_middleware import current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, dump, no_content
from healix.schemas.care import AdminRelationshipCreate, RelationshipPath, RelationshipRead
from healix.schemas.common import Problem

bp = APIBlueprint(
    "admin_relationships",
    __name__,
    url_prefix="/api/admin/relationships",
    abp_tags=[Tag(name="Admin")],
)


@bp.post("", responses={201: RelationshipRead, 409: Problem, **ERRORS}, security=BEARER)
@roles_required(Role.ADMIN)
def create_relationship(body: AdminRelationshipCreate):
    """Record a care relationship between a provider and a patient."""
    relationship = care_controller.admin_create(db.session, actor=current_actor(), data=body)
    return dump(RelationshipRead.model_validate(relationship), 201)


@bp.delete(
    "/<uuid:relationship_id>", responses={204: None, 409: Problem, **ERRORS}, security=BEARER
)
@roles_required(Role.ADMIN)
def end_relationship(path: RelationshipPath):
    """End a care or emergency relationship at once."""
    care_controller.admin_end(
        db.session, actor=current_actor(), relationship_id=path.relationship_id
    )
    return no_content()
