"""The provider directory, for anyone signed in."""

from flask_openapi3 import APIBlueprint, Tag

from healix.controllers import profile_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required
from healix.routes import BEARER, ERRORS, dump
from healix.schemas.common import Page
from healix.schemas.profile import ProviderListing, ProviderQuery

bp = APIBlueprint(
    "providers", __name__, url_prefix="/api/providers", abp_tags=[Tag(name="Providers")]
)


@bp.get("", responses={200: Page[ProviderListing], **ERRORS}, security=BEARER)
@auth_required()
def list_providers(query: ProviderQuery):
    """Find active providers by name or specialization."""
    providers, next_cursor = profile_controller.list_providers(db.session, query=query)
    items = [ProviderListing.model_validate(provider) for provider in providers]
    return dump(Page[ProviderListing](items=items, next_cursor=next_cursor))
