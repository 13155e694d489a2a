"""Administration: users, provider invitations, role and status changes, erasure, statistics."""

from flask_openapi3 import APIBlueprint, Tag

from healix.config import current_settings
from healix.controllers import admin_controller, erasure_controller, job_controller
from healix.extensions import db
from healix.middleware.auth_middleware import current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, dump
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
from healix.schemas.common import Page, Problem
from healix.schemas.job import JobListQuery, JobPath, JobRead

bp = APIBlueprint("admin", __name__, url_prefix="/api/admin", abp_tags=[Tag(name="Admin")])

CONFLICT = {409: Problem}


@bp.get("/users", security=BEARER, responses={200: Page[AdminUserRead], **ERRORS})
@roles_required(Role.ADMIN)
def list_users(query: UserListQuery):
    """Find users by role, status and part of a name or email."""
    users, next_cursor = admin_controller.list_users(
        db.session,
        actor=current_actor(),
        role=query.role,
        status=query.status,
        q=query.q,
        limit=query.limit,
        cursor=query.cursor,
    )
    return dump(
        Page[AdminUserRead](items=[AdminUserRead.of(u) for u in users], next_cursor=next_cursor)
    )


@bp.get("/users/<uuid:user_id>", security=BEARER, responses={200: AdminUserRead, **ERRORS})
@roles_required(Role.ADMIN)
def get_user(path: UserPath):
    """One user's account."""
    user = admin_controller.get_user(db.session, actor=current_actor(), user_id=path.user_id)
    return dump(AdminUserRead.of(user))


@bp.post("/providers", security=BEARER, responses={201: ProviderInvite, **ERRORS, **CONFLICT})
@roles_required(Role.ADMIN)
def create_provider(body: ProviderCreate):
    """Create a provider account; it gets a one-time token to set its password."""
    invitation = admin_controller.create_provider(
        db.session, actor=current_actor(), data=body, settings=current_settings()
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
def update_user(path: UserPath, body: UserUpdate):
    """Activate or deactivate a user, or change their role (grant or revoke provider)."""
    user = admin_controller.update_user(
        db.session, actor=current_actor(), user_id=path.user_id, data=body
    )
    return dump(AdminUserRead.of(user))


@bp.delete(
    "/users/<uuid:user_id>", security=BEARER, responses={200: ErasureRead, **ERRORS, **CONFLICT}
)
@roles_required(Role.ADMIN)
def delete_user(path: UserPath):
    """Erase a user's personal data; records providers must keep stay, de-identified."""
    summary = erasure_controller.erase_user(db.session, actor=current_actor(), user_id=path.user_id)
    return dump(ErasureRead.model_validate(summary))


@bp.get("/stats", security=BEARER, responses={200: AdminStats, **ERRORS})
@roles_required(Role.ADMIN)
def stats():
    """Counts of users, this week's appointments, open alerts, recent readings and jobs."""
    return dump(AdminStats.model_validate(admin_controller.stats(db.session)))


@bp.get("/jobs", security=BEARER, responses={200: Page[JobRead], **ERRORS})
@roles_required(Role.ADMIN)
def list_jobs(query: JobListQuery):
    """Background jobs, newest first; `status=failed` lists those that used up their retries."""
    jobs, next_cursor = job_controller.list_jobs(
        db.session, status=query.status, kind=query.kind, limit=query.limit, cursor=query.cursor
    )
    return dump(
        Page[JobRead](items=[JobRead.model_validate(job) for job in jobs], next_cursor=next_cursor)
    )


@bp.post(
    "/jobs/<uuid:job_id>/retry", security=BEARER, responses={202: JobRead, **ERRORS, **CONFLICT}
)
@roles_required(Role.ADMIN)
def retry_job(path: JobPath):
    """Run a failed job again: it is handed to a worker when this request commits."""
    job = job_controller.retry(db.session, actor=current_actor(), job_id=path.job_id)
    return dump(JobRead.model_validate(job), 202)
