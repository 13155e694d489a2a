"""Administration: finding users, inviting providers, changing roles and status, statistics.

Changes that could lock everybody out are refused: an admin cannot deactivate, demote or
delete themself, and the last active admin cannot lose that standing. The check runs under
a transaction lock, so two admins demoting each other at the same moment cannot both win.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.config import Settings
from healix.controllers import auth_controller, job_controller, password_reset_controller
from healix.db import changed_rows, transaction_lock
from healix.exceptions import Conflict, NotFound, ValidationFailed
from healix.models.alert import Alert, AlertSeverity, AlertStatus
from healix.models.appointment import Appointment, AppointmentStatus
from healix.models.biomarker import BiomarkerReading
from healix.models.provider_patient_relationship import ProviderPatientRelationship
from healix.models.user import Role, User, UserStatus
from healix.schemas.admin import ProviderCreate, UserUpdate
from healix.utils.pagination import Paged, keyset_page
from healix.utils.search import matches_any
from healix.utils.time import utcnow

ADMIN_ROSTER_LOCK = "healix.admin_roster"


@dataclass(frozen=True)
class ProviderInvitation:
    user: User
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class Week:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class DashboardStats:
    users: dict[str, dict[str, int]]
    appointments_this_week: dict[str, int]
    week: Week
    open_alerts: dict[str, int]
    readings_last_24h: int
    jobs: dict[str, int]
    generated_at: datetime


def list_users(
    session: Session,
    *,
    actor: User | None,
    role: str | None,
    status: str | None,
    q: str | None,
    limit: int | None,
    cursor: str | None,
) -> Paged[User]:
    """Users matching the filters, newest first; erased accounts only when asked for."""
    statement = select(User)
    if role:
        statement = statement.where(User.role == role)
    if status:
        statement = statement.where(User.status == status)
    else:
        statement = statement.where(User.status != UserStatus.ERASED)
    if q:
        statement = statement.where(matches_any(q, User.first_name, User.last_name, User.email))
    page = keyset_page(
        session,
        statement,
        sort_columns=[User.created_at, User.id],
        sort_key=lambda user: (user.created_at, user.id),
        limit=limit,
        cursor=cursor,
    )
    used = [name for name, value in (("role", role), ("status", status), ("q", q)) if value]
    audit_logger.record(
        session,
        AuditAction.ADMIN_VIEW_USERS,
        actor=actor,
        resource_type=ResourceType.USER,
        details={"filters": used, "returned": len(page.items)},
    )
    return page


def get_user(session: Session, *, actor: User, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    audit_logger.record(
        session,
        AuditAction.ADMIN_VIEW_USERS,
        actor=actor,
        resource_type=ResourceType.USER,
        resource_id=user.id,
    )
    return user


def create_provider(
    session: Session, *, actor: User, data: ProviderCreate, settings: Settings
) -> ProviderInvitation:
    """Create a provider without a password and mail them a one-time password-set token."""
    user = auth_controller.create_account(
        session,
        email=data.email,
        role=Role.PROVIDER,
        password_hash=None,
        first_name=data.first_name,
        last_name=data.last_name,
        specialization=data.specialization,
        licence_number=data.licence_number,
    )
    issued = password_reset_controller.invite(session, user=user, settings=settings)
    audit_logger.record(
        session,
        AuditAction.ADMIN_CREATE_PROVIDER,
        actor=actor,
        resource_type=ResourceType.USER,
        resource_id=user.id,
        details={"role": Role.PROVIDER},
    )
    return ProviderInvitation(user, issued.token, issued.expires_at)


def find_changeable_user(session: Session, user_id: uuid.UUID) -> User:
    """The user an admin may change or erase: erased accounts are gone (404)."""
    user = session.get(User, user_id)
    if user is None or user.status == UserStatus.ERASED:
        raise NotFound("No such user.")
    return user


def ensure_admin_remains(
    session: Session, *, actor: User | None, target: User, action: str
) -> None:
    """Refuse to `action` the actor themself or the last active admin (409); no actor: an
    operator at the console."""
    transaction_lock(session, ADMIN_ROSTER_LOCK)
    session.refresh(target)
    if target.role == Role.ADMIN and target.status == UserStatus.ACTIVE:
        others = session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN, User.status == UserStatus.ACTIVE, User.id != target.id)
        )
        if not others:
            raise Conflict(f"You cannot {action} the last active administrator.")
    if actor is not None and target.id == actor.id:
        raise Conflict(f"You cannot {action} your own account.")


def find_user(session: Session, identifier: str) -> User:
    """The user named by id or email (any case), for operator commands; erased ones are gone."""
    try:
        user = session.get(User, uuid.UUID(identifier))
    except ValueError:
        email = auth_controller.normalize_email(identifier)
        user = session.scalar(select(User).where(User.email == email))
    if user is None or user.status == UserStatus.ERASED:
        raise NotFound(f"No user {identifier}.")
    return user


def deactivate_user(session: Session, *, actor: User | None, user: User) -> int:
    """Deactivate `user` and end their sessions (returns how many); not the last admin."""
    if not user.is_active:
        raise Conflict(f"{user.email} is already {user.status}.")
    ensure_admin_remains(session, actor=actor, target=user, action="deactivate")
    revoked = auth_controller.revoke_sessions(session, user_id=user.id, reason="deactivated")
    user.status = UserStatus.INACTIVE
    session.flush()
    audit_logger.record(
        session,
        AuditAction.ADMIN_UPDATE_USER,
        actor=actor,
        resource_type=ResourceType.USER,
        resource_id=user.id,
        details={"fields": ["status"], "sessions_revoked": revoked},
    )
    return revoked


def _check_provider_fields(user: User, changes: dict[str, Any], new_role: str) -> None:
    if new_role == Role.PROVIDER:
        if not (changes.get("specialization") or user.specialization):
            raise ValidationFailed.single(
                "specialization", "is required to grant the provider role"
            )
        return
    for field in ("specialization", "licence_number"):
        if field in changes:
            raise ValidationFailed.single(field, "only providers have this field")


def _end_relationships(session: Session, *, actor: User, provider_id: uuid.UUID) -> int:
    rel = ProviderPatientRelationship
    return changed_rows(
        session,
        update(rel)
        .where(rel.provider_id == provider_id, rel.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_by_id=actor.id)
        .execution_options(synchronize_session=False),
    )


def update_user(session: Session, *, actor: User, user_id: uuid.UUID, data: UserUpdate) -> User:
    """Change a user's status, role or provider details.

    Deactivation ends their sessions at once; leaving the provider role ends their care
    relationships.
    """
    user = find_changeable_user(session, user_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if not changes:
        return user
    old_role, new_role = user.role, changes.get("role", user.role)
    deactivating = changes.get("status") == UserStatus.INACTIVE and user.is_active
    if deactivating or (old_role == Role.ADMIN and new_role != Role.ADMIN):
        ensure_admin_remains(
            session, actor=actor, target=user, action="deactivate" if deactivating else "demote"
        )
    _check_provider_fields(user, changes, new_role)
    details: dict[str, Any] = {"fields": sorted(changes)}
    if deactivating:
        details["sessions_revoked"] = auth_controller.revoke_sessions(
            session, user_id=user.id, reason="deactivated"
        )
    if old_role == Role.PROVIDER and new_role != Role.PROVIDER:
        details["relationships_ended"] = _end_relationships(
            session, actor=actor, provider_id=user.id
        )
        user.specialization = user.licence_number = None
    for field, value in changes.items():
        setattr(user, field, str(value))
    session.flush()
    audit_logger.record(
        session,
        _update_action(old_role, new_role),
        actor=actor,
        resource_type=ResourceType.USER,
        resource_id=user.id,
        details=details,
    )
    return user


def _update_action(old_role: str, new_role: str) -> AuditAction:
    if old_role != Role.PROVIDER and new_role == Role.PROVIDER:
        return AuditAction.ADMIN_GRANT_PROVIDER
    if old_role == Role.PROVIDER and new_role != Role.PROVIDER:
        return AuditAction.ADMIN_REVOKE_PROVIDER
    return AuditAction.ADMIN_UPDATE_USER


def week_window(now: datetime) -> tuple[datetime, datetime]:
    """Monday 00:00 UTC of `now`'s week and the Monday after."""
    start = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=7)


def _grouped_counts(session: Session, statement: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in session.execute(statement).all()]


def stats(session: Session) -> DashboardStats:
    """Dashboard counts, each one GROUP BY query."""
    now = utcnow()
    week_start, week_end = week_window(now)
    users = {role.value: {status.value: 0 for status in UserStatus} for role in Role}
    for role, status, count in _grouped_counts(
        session,
        select(User.role, User.status, func.count()).group_by(User.role, User.status),
    ):
        users.setdefault(role, {})[status] = count
    appointments = {status.value: 0 for status in AppointmentStatus}
    for status, count in _grouped_counts(
        session,
        select(Appointment.status, func.count())
        .where(Appointment.start_time >= week_start, Appointment.start_time < week_end)
        .group_by(Appointment.status),
    ):
        appointments[status] = count
    alerts = {severity.value: 0 for severity in AlertSeverity}
    for severity, count in _grouped_counts(
        session,
        select(Alert.severity, func.count())
        .where(Alert.status == AlertStatus.OPEN)
        .group_by(Alert.severity),
    ):
        alerts[severity] = count
    readings = session.scalar(
        select(func.count())
        .select_from(BiomarkerReading)
        .where(BiomarkerReading.received_at >= now - timedelta(hours=24))
    )
    return DashboardStats(
        users=users,
        appointments_this_week=appointments,
        week=Week(week_start, week_end),
        open_alerts=alerts,
        readings_last_24h=readings or 0,
        jobs=job_controller.counts(session),
        generated_at=now,
    )
