"""Right to erasure: an account's personal data goes, the records others must keep stay.

Deleted (bulk SQL): sessions, password tokens, idempotency keys, goals and their progress,
readings, alerts, thresholds, notifications, devices, care relationships and the profile.
Kept but de-identified: appointments and prescriptions (providers must keep them), with the
free text the user wrote cleared. The user row stays as a tombstone (status "erased", no
name, email or password) so those records keep their references. The audit log holds ids
only, so it stays intact and its hash chain still verifies.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Delete, Update, delete, or_, select, update
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.config import Settings
from healix.controllers import admin_controller, auth_controller, lockout
from healix.db import changed_rows
from healix.models.alert import Alert
from healix.models.appointment import Appointment
from healix.models.biomarker import BiomarkerReading
from healix.models.biomarker_latest import BiomarkerLatest
from healix.models.biomarker_rollup import BiomarkerRollup
from healix.models.biomarker_threshold import BiomarkerThreshold
from healix.models.calendar_feed import CalendarFeed
from healix.models.data_import import DataImport
from healix.models.device import Device
from healix.models.goal import Goal
from healix.models.goal_progress_entry import GoalProgressEntry
from healix.models.idempotency_key import IdempotencyKey
from healix.models.job import Job
from healix.models.mfa import MfaRecoveryCode, UserMfa
from healix.models.notification import Notification
from healix.models.password_reset_token import PasswordResetToken
from healix.models.profile import Profile
from healix.models.provider_patient_relationship import ProviderPatientRelationship
from healix.models.refill_request import RefillRequest
from healix.models.user import Role, User, UserStatus
from healix.models.user_session import UserSession
from healix.utils.time import utcnow

TOMBSTONE_DOMAIN = "erased.invalid"


@dataclass(frozen=True)
class ErasureSummary:
    erased_at: datetime
    deleted: dict[str, int]
    anonymized: dict[str, int]


def erase_self(
    session: Session, *, actor: User, password: str, settings: Settings
) -> ErasureSummary:
    """Erase the caller's own account after re-checking their password (403 if wrong, 429
    after too many wrong passwords, like sign-in)."""
    lockout.recheck_password(
        session, user=actor, password=password, settings=settings, purpose="delete_account"
    )
    if actor.role == Role.ADMIN:
        admin_controller.ensure_admin_remains(session, actor=actor, target=actor, action="delete")
    return _erase(session, actor=actor, user=actor)


def erase_user(session: Session, *, actor: User, user_id: uuid.UUID) -> ErasureSummary:
    """An administrator erases another account (not their own, not the last admin)."""
    user = admin_controller.find_changeable_user(session, user_id)
    admin_controller.ensure_admin_remains(session, actor=actor, target=user, action="delete")
    summary = _erase(session, actor=actor, user=user)
    audit_logger.record(
        session,
        AuditAction.ADMIN_DELETE_USER,
        actor=actor,
        resource_type=ResourceType.USER,
        resource_id=user.id,
    )
    return summary


def _run(session: Session, statement: Delete | Update) -> int:
    return changed_rows(session, statement.execution_options(synchronize_session=False))


def _idempotency_scopes(user_id: uuid.UUID, device_ids: list[uuid.UUID]) -> Any:
    """Keys scoped to the user or one of their devices, bare ("<id>") or prefixed ("x:<id>")."""
    ids = [str(user_id), *(str(device_id) for device_id in device_ids)]
    return or_(
        IdempotencyKey.scope.in_(ids), *(IdempotencyKey.scope.like(f"%:{value}") for value in ids)
    )


def _delete_personal_data(session: Session, user_id: uuid.UUID) -> dict[str, int]:
    auth_controller.revoke_sessions(session, user_id=user_id, reason="erased")
    device_ids = list(session.scalars(select(Device.id).where(Device.owner_id == user_id)))
    goal_ids = select(Goal.id).where(Goal.patient_id == user_id)
    rel = ProviderPatientRelationship
    statements: dict[str, Delete] = {
        "user_sessions": delete(UserSession).where(UserSession.user_id == user_id),
        "calendar_feeds": delete(CalendarFeed).where(CalendarFeed.user_id == user_id),
        "password_reset_tokens": delete(PasswordResetToken).where(
            PasswordResetToken.user_id == user_id
        ),
        "user_mfa": delete(UserMfa).where(UserMfa.user_id == user_id),
        "mfa_recovery_codes": delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user_id),
        "idempotency_keys": delete(IdempotencyKey).where(_idempotency_scopes(user_id, device_ids)),
        "goal_progress_entries": delete(GoalProgressEntry).where(
            GoalProgressEntry.goal_id.in_(goal_ids)
        ),
        "goals": delete(Goal).where(Goal.patient_id == user_id),
        "alerts": delete(Alert).where(Alert.patient_id == user_id),
        "biomarker_readings": delete(BiomarkerReading).where(
            BiomarkerReading.patient_id == user_id
        ),
        "biomarker_rollups": delete(BiomarkerRollup).where(BiomarkerRollup.patient_id == user_id),
        "biomarker_latest": delete(BiomarkerLatest).where(BiomarkerLatest.patient_id == user_id),
        "biomarker_thresholds": delete(BiomarkerThreshold).where(
            BiomarkerThreshold.patient_id == user_id
        ),
        "notifications": delete(Notification).where(Notification.user_id == user_id),
        "devices": delete(Device).where(Device.owner_id == user_id),
        "provider_patient_relationships": delete(rel).where(
            or_(rel.provider_id == user_id, rel.patient_id == user_id)
        ),
        "profiles": delete(Profile).where(Profile.user_id == user_id),
        # an import's stored file goes with it (import_file_chunks cascade)
        "data_imports": delete(DataImport).where(DataImport.patient_id == user_id),
        "jobs": delete(Job).where(Job.user_id == user_id),
    }
    return {table: _run(session, statement) for table, statement in statements.items()}


def _deidentify_records(session: Session, user_id: uuid.UUID) -> dict[str, int]:
    """Clear the free text the user wrote on records that others keep."""
    appointments = _run(
        session,
        update(Appointment)
        .where(Appointment.patient_id == user_id)
        .values(reason=None, notes=None),
    )
    cancellations = _run(
        session,
        update(Appointment)
        .where(Appointment.cancelled_by_id == user_id)
        .values(cancellation_reason=None),
    )
    refills = _run(
        session,
        update(RefillRequest).where(RefillRequest.requested_by_id == user_id).values(note=None),
    )
    return {
        "appointments": appointments,
        "appointment_cancellations": cancellations,
        "refill_requests": refills,
    }


def _erase(session: Session, *, actor: User, user: User) -> ErasureSummary:
    now = utcnow()
    deleted = _delete_personal_data(session, user.id)
    anonymized = _deidentify_records(session, user.id)
    user.first_name, user.last_name = "Erased", "User"
    user.email = f"erased-{uuid.uuid4().hex}@{TOMBSTONE_DOMAIN}"
    user.password_hash = None
    user.status = UserStatus.ERASED
    user.erased_at = now
    user.specialization = user.licence_number = None
    user.email_verified_at = None
    session.flush()
    patient_id = user.id if user.role == Role.PATIENT else None
    by = "self" if actor.id == user.id else "admin"
    audit_logger.record(
        session,
        AuditAction.ACCOUNT_DELETION,
        actor=actor,
        resource_type=ResourceType.USER,
        resource_id=user.id,
        patient_id=patient_id,
        details={"by": by},
    )
    audit_logger.record(
        session,
        AuditAction.DATA_ANONYMIZATION,
        actor=actor,
        resource_type=ResourceType.USER,
        resource_id=user.id,
        patient_id=patient_id,
        details={"deleted": deleted, "anonymized": anonymized},
    )
    return ErasureSummary(now, deleted, anonymized)
