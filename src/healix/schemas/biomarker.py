"""Biomarker catalog entries and the write shapes: one reading, a batch, the ingest result.

A batch is checked item by item against the catalog (known type, accepted unit, finite
value, aware timestamp not in the future), so a bad item is reported as e.g.
`readings[17].unit` and the whole batch is refused.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from healix.biomarker_catalog import CATALOG, BiomarkerType, Units
from healix.schemas.common import (
    BiomarkerCode,
    NotFutureDatetime,
    RequestSchema,
    Schema,
    check_sane,
)

#: a finite JSON number: `NaN`, `Infinity`, strings and booleans are refused
FiniteNumber = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class ThresholdsRead(Schema):
    warning_min: float | None = None
    warning_max: float | None = None
    critical_min: float | None = None
    critical_max: float | None = None


class DisplayUnitRead(Schema):
    """How a stored value is shown: `value * factor + offset`, followed by `label`; `code`
    is that unit's UCUM code (accepted when sending readings)."""

    code: str
    label: str
    factor: float
    offset: float


class BiomarkerTypeRead(Schema):
    """One catalog entry: what a client may send and how it is interpreted."""

    code: str
    display_name: str
    unit: str = Field(description="Canonical UCUM unit; stored values are in this unit")
    accepted_units: list[str]
    aliases: dict[str, str] = Field(description="Common spellings and the UCUM code they mean")
    loinc: str | None
    plausible_min: float
    plausible_max: float
    default_thresholds: ThresholdsRead
    aggregation: str = Field(
        description="How readings add up over a period: `mean` (averaged), `sum` or "
        "`nightly_total` (totalled); goals measure progress the same way"
    )
    display: dict[Units, DisplayUnitRead] = Field(
        description="How values are shown to people, per `preferences.units` of their profile"
    )
    unit_labels: dict[str, str] = Field(
        description="How each accepted unit is written for people, e.g. `{steps}` -> `steps`"
    )

    @classmethod
    def from_entry(cls, entry: BiomarkerType) -> BiomarkerTypeRead:
        return cls(
            code=entry.code,
            display_name=entry.display_name,
            unit=entry.unit,
            accepted_units=list(entry.accepted_units),
            aliases=dict(entry.aliases),
            loinc=entry.loinc,
            plausible_min=entry.plausible_min,
            plausible_max=entry.plausible_max,
            default_thresholds=ThresholdsRead.model_validate(entry.thresholds),
            aggregation=str(entry.aggregation),
            display={
                units: DisplayUnitRead.model_validate(entry.display(units)) for units in Units
            },
            unit_labels={unit: entry.unit_label(unit) for unit in entry.accepted_units},
        )


class ReadingIn(RequestSchema):
    """One measurement as a device or a patient sends it."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "type": "heart_rate",
                "value": 72,
                "unit": "bpm",
                "timestamp": "2026-03-02T07:30:00+00:00",
            }
        }
    )

    type: BiomarkerCode = Field(description="A catalog code, e.g. heart_rate")
    value: FiniteNumber
    unit: str = Field(description="The canonical unit, an accepted unit or an alias", max_length=20)
    timestamp: NotFutureDatetime = Field(description="When it was measured, with a UTC offset")
    external_id: str | None = Field(
        default=None, min_length=1, max_length=128, description="The source's id, for dedup"
    )
    notes: str | None = Field(default=None, max_length=2000)

    @field_validator("value")
    @classmethod
    def _sane_values(cls, value: float) -> float:
        """`RequestSchema`'s check, on the one field it can refuse here (its year check of
        `timestamp` is AwareDatetime's own): a batch runs it once per reading, not per field."""
        check_sane(value)
        return value

    @field_validator("unit")
    @classmethod
    def _accepted_unit(cls, unit: str, info: ValidationInfo) -> str:
        entry = CATALOG.get(info.data.get("type", ""))
        if entry is not None and entry.resolve_unit(unit) is None:
            accepted = ", ".join(entry.accepted_units)
            raise ValueError(f"is not accepted for {entry.code} (accepted: {accepted})")
        return unit


class ReadingBatch(RequestSchema):
    """Up to `INGEST_MAX_READINGS` readings, stored all or nothing (a larger batch is 413)."""

    readings: list[ReadingIn] = Field(min_length=1)


class ManualEntry(ReadingBatch):
    """A patient's own entry: the batch shape, or one reading object on its own."""

    @model_validator(mode="before")
    @classmethod
    def _wrap_single(cls, data: Any) -> Any:
        if isinstance(data, dict) and "readings" not in data:
            return {"readings": [data]}
        return data


class IngestResult(Schema):
    """Counts for one batch: accepted + faulty + duplicates = readings sent."""

    accepted: int = Field(description="Stored readings with status ok")
    faulty: int = Field(description="Stored, but outside the plausible range (status faulty)")
    duplicates: int = Field(description="Skipped: already stored or repeated in the batch")
    alerts_created: int = Field(description="New alert rows opened by this batch")
