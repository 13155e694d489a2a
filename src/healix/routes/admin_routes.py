"""Administration: users, provider invitations, role and status changes, erasure, care
relationships recorded on patients' behalf, statistics."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from flask_openapi3.types import ResponseDict

from healix.config import current_settings
from healix.controllers import (
    admin_controller,
    admin_overview_controller,
    care_controller,
    erasure_controller,
    job_controller,
    mfa_controller,
)
from healix.extensions import db
from healix.middleware.auth_middleware import current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, JsonResponse, NoContent, dump, no_content, page
from healix.schemas.account import ErasureRead
from healix.schemas.admin import (
    AdminStats,
    AdminUserRead,
    ProviderCreate,
    ProviderInvite,
    UserListQuery,
    UserPath,
    UserUpdate,
)
from healix.schemas.admin_overview import (
    AdminPrescriptionQuery,
    AdminPrescriptionRead,
    AdminRelationshipRead,
    RelationshipListQuery,
)
from healix.schemas.care import AdminRelationshipCreate, RelationshipPath, RelationshipRead
from healix.schemas.common import Page, Problem
from healix.schemas.job import JobListQuery, JobPath, JobRead

TAG = Tag(
    name="Admin",
    description="For administrators: finding users, inviting providers, changing roles and "
    "status, erasing accounts, listing and recording care relationships, the clinic's "
    "prescriptions, background jobs, and dashboard counts.",
)
bp = APIBlueprint("admin", __name__, url_prefix="/api/admin", abp_tags=[TAG])

CONFLICT: ResponseDict = {409: Problem}


@bp.get("/users", security=BEARER, responses={200: Page[AdminUserRead], **ERRORS})
@roles_required(Role.ADMIN)
def list_users(query: UserListQuery) -> JsonResponse:
    """Find users by role, status and part of a name or email."""
    users = admin_controller.list_users(
        db.session(),
        actor=current_actor(),
        role=query.role,
        status=query.status,
        q=query.q,
        limit=query.limit,
        cursor=query.cursor,
    )
    items = [AdminUserRead.of(user) for user in users.items]
    return dump(Page[AdminUserRead](items=items, next_cursor=users.next_cursor))


@bp.get("/users/<uuid:user_id>", security=BEARER, responses={200: AdminUserRead, **ERRORS})
@roles_required(Role.ADMIN)
def get_user(path: UserPath) -> JsonResponse:
    """One user's account."""
    user = admin_controller.get_user(db.session(), actor=current_actor(), user_id=path.user_id)
    return dump(AdminUserRead.of(user))


@bp.post("/providers", security=BEARER, responses={201: ProviderInvite, **ERRORS, **CONFLICT})
@roles_required(Role.ADMIN)
def create_provider(body: ProviderCreate) -> JsonResponse:
    """Create a provider account; it gets a one-time token to set its password."""
    invitation = admin_controller.create_provider(
        db.session(), actor=current_actor(), data=body, settings=current_settings()
    )
    return dump(
        ProviderInvite(
            user=AdminUserRead.of(invitation.user),
            password_set_token=invitation.token,
            expires_at=invitation.expires_at,
        ),
        201,
    )


@bp.patch(
    "/users/<uuid:user_id>", security=BEARER, responses={200: AdminUserRead, **ERRORS, **CONFLICT}
)
@roles_required(Role.ADMIN)
def update_user(path: UserPath, body: UserUpdate) -> JsonResponse:
    """Activate or deactivate a user, or change their role (grant or revoke provider)."""
    user = admin_controller.update_user(
        db.session(), actor=current_actor(), user_id=path.user_id, data=body
    )
    return dump(AdminUserRead.of(user))


@bp.delete(
    "/users/<uuid:user_id>", security=BEARER, responses={200: ErasureRead, **ERRORS, **CONFLICT}
)
@roles_required(Role.ADMIN)
def delete_user(path: UserPath) -> JsonResponse:
    """Erase a user's personal data; records providers must keep stay, de-identified."""
    summary = erasure_controller.erase_user(
        db.session(), actor=current_actor(), user_id=path.user_id
    )
    return dump(ErasureRead.model_validate(summary))


@bp.delete(
    "/users/<uuid:user_id>/mfa", security=BEARER, responses={204: None, **ERRORS, **CONFLICT}
)
@roles_required(Role.ADMIN)
def reset_mfa(path: UserPath) -> NoContent:
    """Remove a user's second factor (a lost phone); audited, and the user is told by mail."""
    mfa_controller.reset_mfa(db.session(), actor=current_actor(), user_id=path.user_id)
    return no_content()


@bp.get("/stats", security=BEARER, responses={200: AdminStats, **ERRORS})
@roles_required(Role.ADMIN)
def stats() -> JsonResponse:
    """Counts of users, this week's appointments, open alerts, recent readings and jobs."""
    return dump(AdminStats.model_validate(admin_controller.stats(db.session())))


@bp.get("/relationships", security=BEARER, responses={200: Page[AdminRelationshipRead], **ERRORS})
@roles_required(Role.ADMIN)
def list_relationships(query: RelationshipListQuery) -> JsonResponse:
    """Care and emergency relationships, newest first, with both parties' names."""
    relationships = admin_overview_controller.list_relationships(
        db.session(), actor=current_actor(), query=query
    )
    items = [AdminRelationshipRead.of(view) for view in relationships.items]
    return dump(Page[AdminRelationshipRead](items=items, next_cursor=relationships.next_cursor))


@bp.post("/relationships", responses={201: RelationshipRead, **ERRORS, **CONFLICT}, security=BEARER)
@roles_required(Role.ADMIN)
def create_relationship(body: AdminRelationshipCreate) -> JsonResponse:
    """Record a care relationship between a provider and a patient."""
    relationship = care_controller.admin_create(db.session(), actor=current_actor(), data=body)
    return dump(RelationshipRead.model_validate(relationship), 201)


@bp.delete(
    "/relationships/<uuid:relationship_id>",
    responses={204: None, **ERRORS, **CONFLICT},
    security=BEARER,
)
@roles_required(Role.ADMIN)
def end_relationship(path: RelationshipPath) -> NoContent:
    """End a care or emergency relationship at once."""
    care_controller.admin_end(
        db.session(), actor=current_actor(), relationship_id=path.relationship_id
    )
    return no_content()


@bp.get("/prescriptions", security=BEARER, responses={200: Page[AdminPrescriptionRead], **ERRORS})
@roles_required(Role.ADMIN)
def list_prescriptions(query: AdminPrescriptionQuery) -> JsonResponse:
    """Every prescription in the clinic, newest first, with patient and prescriber names."""
    prescriptions = admin_overview_controller.list_prescriptions(
        db.session(), actor=current_actor(), query=query
    )
    items = [AdminPrescriptionRead.of_clinic(view) for view in prescriptions.items]
    return dump(Page[AdminPrescriptionRead](items=items, next_cursor=prescriptions.next_cursor))


@bp.get("/jobs", security=BEARER, responses={200: Page[JobRead], **ERRORS})
@roles_required(Role.ADMIN)
def list_jobs(query: JobListQuery) -> JsonResponse:
    """Background jobs, newest first; `status=failed` lists those that used up their retries."""
    jobs = job_controller.list_jobs(
        db.session(), status=query.status, kind=query.kind, limit=query.limit, cursor=query.cursor
    )
    return page(JobRead, jobs)


@bp.post(
    "/jobs/<uuid:job_id>/retry", security=BEARER, responses={202: JobRead, **ERRORS, **CONFLICT}
)
@roles_required(Role.ADMIN)
def retry_job(path: JobPath) -> JsonResponse:
    """Run a failed job again: it is handed to a worker when this request commits."""
    job = job_controller.retry(db.session(), actor=current_actor(), job_id=path.job_id)
    return dump(JobRead.model_validate(job), 202)
