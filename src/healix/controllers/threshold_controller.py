"""Effective biomarker thresholds (a patient's overrides merged over the catalog defaults)
and the level of a value against them."""

from __future__ import annotations

import uuid
from dataclasses import replace
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from healix.biomarker_catalog import CATALOG, Thresholds
from healix.models.biomarker_threshold import BiomarkerThreshold


class Level(StrEnum):
    NORMAL = "normal"
    WARNING = "warning"
    CRITICAL = "critical"


def effective_thresholds(session: Session, *, patient_id: uuid.UUID) -> dict[str, Thresholds]:
    """Thresholds per biomarker type for one patient; personal rows replace the defaults."""
    result = {code: entry.thresholds for code, entry in CATALOG.items()}
    overrides = session.scalars(
        select(BiomarkerThreshold).where(BiomarkerThreshold.patient_id == patient_id)
    )
    for row in overrides:
        result[row.biomarker_type] = replace(
            Thresholds(),
            warning_min=row.warning_min,
            warning_max=row.warning_max,
            critical_min=row.critical_min,
            critical_max=row.critical_max,
        )
    return result


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
