"""SQLAlchemy models, one module per table. Importing this package registers them all."""

from healix.models.alert import Alert, AlertSeverity, AlertStatus
from healix.models.appointment import Appointment, AppointmentStatus
from healix.models.audit_log import AuditLog, AuditOutcome, AuditSeverity
from healix.models.base import Base, uuid7
from healix.models.biomarker import BiomarkerReading, ReadingSource, ReadingStatus
from healix.models.biomarker_latest import BiomarkerLatest
from healix.models.biomarker_rollup import BiomarkerRollup
from healix.models.biomarker_threshold import BiomarkerThreshold
from healix.models.calendar_feed import CalendarFeed
from healix.models.data_import import DataImport, ImportFileChunk, ImportFormat, ImportStatus
from healix.models.device import Device, DeviceStatus, DeviceType
from healix.models.goal import Goal, GoalDirection, GoalPeriod, GoalStatus, GoalType
from healix.models.goal_progress_entry import GoalProgressEntry
from healix.models.idempotency_key import IdempotencyKey
from healix.models.job import Job, JobStatus
from healix.models.mfa import MfaRecoveryCode, UserMfa
from healix.models.notification import Notification, NotificationStatus
from healix.models.password_reset_token import PasswordResetToken, PasswordTokenPurpose
from healix.models.prescription import Prescription, PrescriptionStatus
from healix.models.profile import Profile
from healix.models.provider_patient_relationship import (
    ProviderPatientRelationship,
    RelationshipKind,
)
from healix.models.refill_request import RefillRequest, RefillStatus
from healix.models.user import Role, User, UserStatus
from healix.models.user_session import UserSession

__all__ = [
    "Alert",
    "AlertSeverity",
    "AlertStatus",
    "Appointment",
    "AppointmentStatus",
    "AuditLog",
    "AuditOutcome",
    "AuditSeverity",
    "Base",
    "BiomarkerLatest",
    "BiomarkerReading",
    "BiomarkerRollup",
    "BiomarkerThreshold",
    "CalendarFeed",
    "DataImport",
    "Device",
    "DeviceStatus",
    "DeviceType",
    "Goal",
    "GoalDirection",
    "GoalPeriod",
    "GoalProgressEntry",
    "GoalStatus",
    "GoalType",
    "IdempotencyKey",
    "ImportFileChunk",
    "ImportFormat",
    "ImportStatus",
    "Job",
    "JobStatus",
    "MfaRecoveryCode",
    "Notification",
    "NotificationStatus",
    "PasswordResetToken",
    "PasswordTokenPurpose",
    "Prescription",
    "PrescriptionStatus",
    "Profile",
    "ProviderPatientRelationship",
    "ReadingSource",
    "ReadingStatus",
    "RefillRequest",
    "RefillStatus",
    "RelationshipKind",
    "Role",
    "User",
    "UserMfa",
    "UserSession",
    "UserStatus",
    "uuid7",
]
