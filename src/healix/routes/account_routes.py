"""Your own account: who accessed your data, and erasing your account."""

from flask_openapi3 import APIBlueprint, Tag

from healix.controllers import audit_controller, erasure_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.routes import BEARER, ERRORS, dump, no_content
from healix.schemas.account import AccountDelete
from healix.schemas.audit import AccessLogActor, AccessLogEntry
from healix.schemas.common import Page, PageQuery, Problem

bp = APIBlueprint("account", __name__, url_prefix="/api/users", abp_tags=[Tag(name="Users")])


@bp.get("/me/access-log", security=BEARER, responses={200: Page[AccessLogEntry], **ERRORS})
@auth_required()
def access_log(query: PageQuery):
    """Who viewed, changed or exported your data, and when (newest first)."""
    rows, next_cursor = audit_controller.access_log(
        db.session, actor=current_actor(), limit=query.limit, cursor=query.cursor
    )
    items = [
        AccessLogEntry(
            at=row.at,
            action=row.action,
            outcome=row.outcome,
            actor=AccessLogActor(id=row.actor_id, name=row.actor_name, role=row.actor_role),
            resource_type=row.resource_type,
            resource_id=row.resource_id,
            emergency=row.emergency,
        )
        for row in rows
    ]
    return dump(Page[AccessLogEntry](items=items, next_cursor=next_cursor))


@bp.delete("/me", security=BEARER, responses={204: None, **ERRORS, 409: Problem})
@auth_required()
def delete_me(body: AccountDelete):
    """Erase your account and personal data (confirm with your password)."""
    erasure_controller.erase_self(db.session, actor=current_actor(), password=body.password)
    return no_content()
