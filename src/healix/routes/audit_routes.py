"""The audit log, for administrators: search and hash-chain verification."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.controllers import audit_controller
from healix.extensions import db
from healix.middleware.auth_middleware import current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, JsonResponse, dump, page
from healix.schemas.audit import AuditLogQuery, AuditLogRead, ChainVerifyRead
from healix.schemas.common import Page

TAG = Tag(
    name="Audit",
    description="For administrators: searching the append-only audit log and checking its "
    "hash chain.",
)
bp = APIBlueprint("audit", __name__, url_prefix="/api/audit-logs", abp_tags=[TAG])


@bp.get("", security=BEARER, responses={200: Page[AuditLogRead], **ERRORS})
@roles_required(Role.ADMIN)
def list_audit_logs(query: AuditLogQuery) -> JsonResponse:
    """Search the audit log, newest first."""
    rows = audit_controller.list_logs(db.session(), actor=current_actor(), query=query)
    return page(AuditLogRead, rows)


@bp.get("/verify", security=BEARER, responses={200: ChainVerifyRead, **ERRORS})
@roles_required(Role.ADMIN)
def verify_audit_chain() -> JsonResponse:
    """Check the hash chain; names the first altered, missing or reordered row."""
    result = audit_controller.verify(db.session(), actor=current_actor())
    return dump(ChainVerifyRead.model_validate(result))
