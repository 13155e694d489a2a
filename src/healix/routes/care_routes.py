"""A patient's care team: the providers they consent to share their health data with."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.controllers import care_controller
from healix.extensions import db
from healix.middleware.auth_middleware import current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, JsonResponse, NoContent, dump, no_content
from healix.schemas.care import CareGrant, CareTeamMember, ProviderPath, RelationshipRead
from healix.schemas.common import Page, PageQuery, Problem

TAG = Tag(
    name="Care team",
    description="A patient's consent: the providers they share their health data with. "
    "Withdrawing consent ends a provider's access at once.",
)
bp = APIBlueprint("care_team", __name__, url_prefix="/api/care-team", abp_tags=[TAG])


@bp.post("", responses={201: RelationshipRead, 409: Problem, **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT)
def add_provider(body: CareGrant) -> JsonResponse:
    """Add a provider to your care team (consent to share your health data)."""
    relationship = care_controller.grant_care(db.session(), actor=current_actor(), data=body)
    return dump(RelationshipRead.model_validate(relationship), 201)


@bp.get("", responses={200: Page[CareTeamMember], **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT)
def list_care_team(query: PageQuery) -> JsonResponse:
    """Your active care and emergency relationships."""
    team = care_controller.list_care_team(db.session(), actor=current_actor(), query=query)
    items = [CareTeamMember.of(entry.relationship, entry.provider) for entry in team.items]
    return dump(Page[CareTeamMember](items=items, next_cursor=team.next_cursor))


@bp.delete("/<uuid:provider_id>", responses={204: None, **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT)
def remove_provider(path: ProviderPath) -> NoContent:
    """Withdraw your consent: the provider loses access at once."""
    care_controller.end_care(db.session(), actor=current_actor(), provider_id=path.provider_id)
    return no_content()
