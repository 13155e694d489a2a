"""Effective biomarker thresholds (a patient's overrides merged over the catalog defaults),
the level of a value against them, and setting or resetting a patient's own thresholds.

The patient, their providers (active relationship) and admins may read them, the patient and
their providers change them; anyone else gets an audited 404 (controllers/access.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, case, delete, or_, select, true
from sqlalchemy.orm import QueryableAttribute, Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.biomarker_catalog import CATALOG, BiomarkerType, Thresholds
from healix.controllers import rollup_controller
from healix.controllers.access import care_provider_ids, ensure_patient_access, patient_or_self
from healix.controllers.notification_controller import notify
from healix.db import transaction_lock
from healix.exceptions import NotFound
from healix.models.biomarker import BiomarkerReading
from healix.models.biomarker_threshold import BiomarkerThreshold
from healix.models.user import User
from healix.schemas.threshold import ThresholdUpdate

BOUNDS = ("warning_min", "warning_max", "critical_min", "critical_max")


class Level(StrEnum):
    NORMAL = "normal"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True)
class EffectiveThreshold:
    """One type's thresholds for a patient: their own (`personal`) or the catalog's."""

    biomarker_type: str
    unit: str
    warning_min: float | None
    warning_max: float | None
    critical_min: float | None
    critical_max: float | None
    personal: bool
    updated_at: datetime | None = None
    updated_by_id: uuid.UUID | None = None


@dataclass(frozen=True)
class PatientThresholds:
    patient_id: uuid.UUID
    items: list[EffectiveThreshold]


def effective_thresholds(session: Session, *, patient_id: uuid.UUID) -> dict[str, Thresholds]:
    """Thresholds per biomarker type for one patient; personal rows replace the defaults."""
    result = {code: entry.thresholds for code, entry in CATALOG.items()}
    overrides = session.scalars(
        select(BiomarkerThreshold).where(BiomarkerThreshold.patient_id == patient_id)
    )
    for row in overrides:
        result[row.biomarker_type] = _thresholds_of(row)
    return result


def thresholds_in_force(code: str, personal: BiomarkerThreshold | None) -> Thresholds:
    """A type's thresholds for a patient given their personal row of it (None: the catalog's)."""
    return CATALOG[code].thresholds if personal is None else _thresholds_of(personal)


def _thresholds_of(row: BiomarkerThreshold) -> Thresholds:
    return replace(
        Thresholds(),
        warning_min=row.warning_min,
        warning_max=row.warning_max,
        critical_min=row.critical_min,
        critical_max=row.critical_max,
    )


def effective_band_sql() -> ColumnElement[bool]:
    """SQL twin of "the reading is NORMAL against its patient's effective thresholds", for a
    reading outer-joined to the patient's BiomarkerThreshold row of its type: the personal
    row's bounds where there is one (a null bound is no bound), else the catalog's."""
    row, value = BiomarkerThreshold, BiomarkerReading.value
    personal = and_(
        *(or_(getattr(row, b).is_(None), value >= getattr(row, b)) for b in BOUNDS if "min" in b),
        *(or_(getattr(row, b).is_(None), value <= getattr(row, b)) for b in BOUNDS if "max" in b),
    )
    defaults = [
        (BiomarkerReading.biomarker_type == code, band)
        for code, entry in CATALOG.items()
        if (band := normal_band_sql(value, entry.thresholds)) is not None
    ]
    return case((row.id.is_not(None), personal), *defaults, else_=true())


def rebuild_rollups(
    session: Session, *, patient_id: uuid.UUID | None = None, biomarker_type: str | None = None
) -> None:
    """Recompute the hourly rollups (their in-range counts follow the thresholds in force):
    after a threshold change, and after readings were loaded around the ingest path."""
    rollup_controller.rebuild(
        session, in_band=effective_band_sql(), patient_id=patient_id, biomarker_type=biomarker_type
    )


def normal_band(thresholds: Thresholds) -> tuple[float | None, float | None] | None:
    """The (lowest, highest) value that classifies NORMAL, a side None when unbounded; None
    when nothing is bounded. `classify` is NORMAL exactly inside it: no bound is crossed."""
    t = thresholds
    lowers = [bound for bound in (t.critical_min, t.warning_min) if bound is not None]
    uppers = [bound for bound in (t.critical_max, t.warning_max) if bound is not None]
    if not lowers and not uppers:
        return None
    return (max(lowers) if lowers else None, min(uppers) if uppers else None)


def normal_band_sql(
    value: ColumnElement[float] | QueryableAttribute[float], thresholds: Thresholds
) -> ColumnElement[bool] | None:
    """SQL twin of `classify(value) is NORMAL` (no bound crossed); None when nothing is bounded."""
    band = normal_band(thresholds)
    if band is None:
        return None
    low, high = band
    return and_(
        *([value >= low] if low is not None else []),
        *([value <= high] if high is not None else []),
    )


def classify(value: float, thresholds: Thresholds) -> tuple[Level, float | None]:
    """The level of `value` and the bound it crossed (None when normal)."""
    t = thresholds
    if t.critical_min is not None and value < t.critical_min:
        return Level.CRITICAL, t.critical_min
    if t.critical_max is not None and value > t.critical_max:
        return Level.CRITICAL, t.critical_max
    if t.warning_min is not None and value < t.warning_min:
        return Level.WARNING, t.warning_min
    if t.warning_max is not None and value > t.warning_max:
        return Level.WARNING, t.warning_max
    return Level.NORMAL, None


def _catalog_entry(code: str) -> BiomarkerType:
    """The catalog entry a threshold URL names (an unknown type is no such resource: 404)."""
    entry = CATALOG.get(code)
    if entry is None:
        raise NotFound("No such biomarker type.")
    return entry


def list_thresholds(
    session: Session, *, actor: User, patient_id: uuid.UUID | None
) -> PatientThresholds:
    """Every catalog type's effective thresholds for a patient, personal ones flagged."""
    patient_id = patient_or_self(actor, patient_id)
    ensure_patient_access(
        session,
        actor=actor,
        patient_id=patient_id,
        action=AuditAction.PROVIDER_VIEW_HEALTH_DATA,
        resource_type=ResourceType.BIOMARKER_THRESHOLD,
    )
    personal = {
        row.biomarker_type: row
        for row in session.scalars(
            select(BiomarkerThreshold).where(BiomarkerThreshold.patient_id == patient_id)
        )
    }
    items = [_effective(code, personal.get(code)) for code in CATALOG]
    return PatientThresholds(patient_id, items)


def _effective(code: str, row: BiomarkerThreshold | None) -> EffectiveThreshold:
    entry = CATALOG[code]
    source: BiomarkerThreshold | Thresholds = row if row is not None else entry.thresholds
    return EffectiveThreshold(
        biomarker_type=code,
        unit=entry.unit,
        warning_min=source.warning_min,
        warning_max=source.warning_max,
        critical_min=source.critical_min,
        critical_max=source.critical_max,
        personal=row is not None,
        updated_at=row.updated_at if row else None,
        updated_by_id=row.updated_by_id if row else None,
    )


def set_threshold(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID | None,
    biomarker_type: str,
    data: ThresholdUpdate,
) -> EffectiveThreshold:
    """Replace a patient's thresholds for one type (all four bounds; null = no bound)."""
    _catalog_entry(biomarker_type)
    patient_id = patient_or_self(actor, patient_id)
    ensure_patient_access(session, actor=actor, patient_id=patient_id, audit=False)
    # serialises concurrent first-time settings of the same patient (unique patient+type)
    transaction_lock(session, f"healix.thresholds:{patient_id}")
    row = session.scalar(
        select(BiomarkerThreshold).where(
            BiomarkerThreshold.patient_id == patient_id,
            BiomarkerThreshold.biomarker_type == biomarker_type,
        )
    )
    if row is None:
        row = BiomarkerThreshold(patient_id=patient_id, biomarker_type=biomarker_type)
        session.add(row)
    changed = [bound for bound in BOUNDS if getattr(row, bound) != getattr(data, bound)]
    for bound in BOUNDS:
        setattr(row, bound, getattr(data, bound))
    row.updated_by_id = actor.id
    session.flush()
    rebuild_rollups(session, patient_id=patient_id, biomarker_type=biomarker_type)
    audit_logger.record(
        session,
        AuditAction.THRESHOLD_UPDATED,
        actor=actor,
        resource_type=ResourceType.BIOMARKER_THRESHOLD,
        resource_id=row.id,
        patient_id=patient_id,
        details={"biomarker_type": biomarker_type, "fields": changed},
    )
    _tell_about_emergency_change(session, actor=actor, patient_id=patient_id, code=biomarker_type)
    return _effective(biomarker_type, row)


def reset_threshold(
    session: Session, *, actor: User, patient_id: uuid.UUID | None, biomarker_type: str
) -> None:
    """Drop a patient's own thresholds for one type; the catalog defaults apply again."""
    _catalog_entry(biomarker_type)
    patient_id = patient_or_self(actor, patient_id)
    ensure_patient_access(session, actor=actor, patient_id=patient_id, audit=False)
    removed = session.execute(
        delete(BiomarkerThreshold)
        .where(
            BiomarkerThreshold.patient_id == patient_id,
            BiomarkerThreshold.biomarker_type == biomarker_type,
        )
        .returning(BiomarkerThreshold.id)
    ).scalar_one_or_none()
    if removed is not None:
        rebuild_rollups(session, patient_id=patient_id, biomarker_type=biomarker_type)
        audit_logger.record(
            session,
            AuditAction.THRESHOLD_RESET,
            actor=actor,
            resource_type=ResourceType.BIOMARKER_THRESHOLD,
            resource_id=removed,
            patient_id=patient_id,
            details={"biomarker_type": biomarker_type},
        )
        _tell_about_emergency_change(
            session, actor=actor, patient_id=patient_id, code=biomarker_type
        )


EMERGENCY_THRESHOLD_NOTIFICATION = "threshold_changed_in_emergency"


def _tell_about_emergency_change(
    session: Session, *, actor: User, patient_id: uuid.UUID, code: str
) -> None:
    """A threshold changed through emergency access can silence a patient's alerts: the
    patient and their care providers are told (which type, by whom; never the values)."""
    if not audit_logger.under_emergency_access(session, actor_id=actor.id, patient_id=patient_id):
        return
    name = CATALOG[code].display_name
    data = {"patient_id": str(patient_id), "biomarker_type": code, "changed_by": str(actor.id)}
    recipients = [patient_id, *care_provider_ids(session, patient_id)]
    for user_id in dict.fromkeys(recipients):
        if user_id == actor.id:
            continue
        notify(
            session,
            user_id=user_id,
            kind=EMERGENCY_THRESHOLD_NOTIFICATION,
            title=f"{name} alert limits changed under emergency access",
            body=f"{actor.full_name} changed the {name} alert limits through emergency access.",
            data=data,
        )
