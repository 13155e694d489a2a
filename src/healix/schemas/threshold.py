"""Personal biomarker thresholds: the effective set per patient, and setting one type."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import ConfigDict, Field, model_validator

from healix.schemas.biomarker import FiniteNumber
from healix.schemas.common import RequestSchema, Schema


def _above(first: float | None, second: float | None) -> bool:
    """Both bounds set, and the first above the second."""
    return first is not None and second is not None and first > second


class ThresholdUpdate(RequestSchema):
    """All four bounds at once (an omitted or null bound means "no bound")."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "warning_min": 45,
                "warning_max": 100,
                "critical_min": 35,
                "critical_max": 130,
            }
        }
    )

    warning_min: FiniteNumber | None = None
    warning_max: FiniteNumber | None = None
    critical_min: FiniteNumber | None = None
    critical_max: FiniteNumber | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ThresholdUpdate:
        lows = [v for v in (self.critical_min, self.warning_min) if v is not None]
        highs = [v for v in (self.warning_max, self.critical_max) if v is not None]
        if not lows and not highs:
            raise ValueError("set at least one bound (DELETE restores the defaults)")
        if _above(self.critical_min, self.warning_min):
            raise ValueError("critical_min must not be above warning_min")
        if _above(self.warning_max, self.critical_max):
            raise ValueError("critical_max must not be below warning_max")
        if lows and highs and max(lows) >= min(highs):
            raise ValueError("every lower bound must be below every upper bound")
        return self


class EffectiveThreshold(Schema):
    biomarker_type: str
    unit: str
    warning_min: float | None
    warning_max: float | None
    critical_min: float | None
    critical_max: float | None
    personal: bool = Field(description="True: the patient's own setting; false: the default")
    updated_at: datetime | None = None
    updated_by_id: uuid.UUID | None = None


class ThresholdList(Schema):
    """The effective thresholds of one patient, one entry per catalog type: the project's page
    shape (always a single page, so `next_cursor` is null) plus the patient's id."""

    patient_id: uuid.UUID
    items: list[EffectiveThreshold]
    next_cursor: str | None = None


class ThresholdQuery(RequestSchema):
    patient_id: uuid.UUID | None = Field(
        default=None, description="The patient (defaults to yourself if you are a patient)"
    )


class ThresholdPath(RequestSchema):
    biomarker_type: str = Field(max_length=40)
