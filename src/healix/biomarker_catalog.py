"""The biomarker catalog: the one list of biomarker types the whole code base consults.

Each type names its canonical UCUM unit, the input units it accepts (with conversions),
its LOINC code, the physiologically plausible range (values outside are stored as faulty),
default warning and critical thresholds, and how readings aggregate into buckets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class Aggregation(StrEnum):
    SUM = "sum"  # steps, calories: totals per bucket
    MEAN = "mean"  # heart rate, SpO2, temperature...: average/min/max per bucket
    NIGHTLY_TOTAL = "nightly_total"  # sleep: one total per night


@dataclass(frozen=True)
class Thresholds:
    warning_min: float | None = None
    warning_max: float | None = None
    critical_min: float | None = None
    critical_max: float | None = None


def _identity(value: float) -> float:
    return value


@dataclass(frozen=True)
class LinearDisplay:
    unit: str
    scale: float
    offset: float


@dataclass(frozen=True)
class BiomarkerType:
    code: str
    display_name: str
    unit: str
    loinc: str | None
    plausible_min: float
    plausible_max: float
    thresholds: Thresholds
    aggregation: Aggregation
    #: accepted input unit (UCUM code) -> conversion into the canonical unit
    conversions: dict[str, Callable[[float], float]] = field(default_factory=dict)
    #: common spellings -> UCUM code
    aliases: dict[str, str] = field(default_factory=dict)
    #: the accepted unit people using imperial units read this type in (None: same as metric)
    imperial_unit: str | None = None

    @cached_property
    def accepted_units(self) -> tuple[str, ...]:
        return (self.unit, *self.conversions)

    def resolve_unit(self, unit: str) -> str | None:
        """The UCUM code for `unit` (exact code or a known alias), or None if not accepted."""
        code = self.aliases.get(unit, self.aliases.get(unit.lower(), unit))
        return code if code in self.accepted_units else None

    def to_canonical(self, value: float, unit: str) -> float:
        code = self.resolve_unit(unit)
        if code is None:
            raise ValueError(f"unit {unit!r} is not accepted for {self.code}")
        return value if code == self.unit else self.conversions[code](value)

    @cached_property
    def imperial_display(self) -> LinearDisplay | None:
        """How to show a canonical value in `imperial_unit`: value * scale + offset — the
        inverse of that unit's input conversion (every conversion here is linear)."""
        if self.imperial_unit is None:
            return None
        to_canonical = self.conversions[self.imperial_unit]
        slope, intercept = to_canonical(1.0) - to_canonical(0.0), to_canonical(0.0)
        # rounded so that 1.8 and 32 read as such, not as 1.799999999999995
        return LinearDisplay(
            self.imperial_unit, round(1 / slope, 10), round(-intercept / slope, 10) + 0.0
        )

    def is_plausible(self, value: float) -> bool:
        return self.plausible_min <= value <= self.plausible_max


_CATALOG: tuple[BiomarkerType, ...] = (
    BiomarkerType(
        code="heart_rate",
        display_name="Heart rate",
        unit="/min",
        loinc="8867-4",
        plausible_min=20,
        plausible_max=250,
        thresholds=Thresholds(warning_min=50, warning_max=110, critical_min=40, critical_max=140),
        aggregation=Aggregation.MEAN,
        aliases={"bpm": "/min", "beats/min": "/min", "{beats}/min": "/min"},
    ),
    BiomarkerType(
        code="spo2",
        display_name="Blood oxygen saturation",
        unit="%",
        loinc="59408-5",
        plausible_min=50,
        plausible_max=100,
        thresholds=Thresholds(warning_min=94, critical_min=90),
        aggregation=Aggregation.MEAN,
        aliases={"percent": "%"},
    ),
    BiomarkerType(
        code="steps",
        display_name="Steps",
        unit="{steps}",
        loinc="55423-8",
        plausible_min=0,
        plausible_max=100_000,
        thresholds=Thresholds(),
        aggregation=Aggregation.SUM,
        aliases={"steps": "{steps}", "count": "{steps}", "{count}": "{steps}"},
    ),
    BiomarkerType(
        code="calories",
        display_name="Calories burned",
        unit="kcal",
        loinc="41979-6",
        plausible_min=0,
        plausible_max=20_000,
        thresholds=Thresholds(),
        aggregation=Aggregation.SUM,
        aliases={"cal": "kcal", "kilocalories": "kcal"},
    ),
    BiomarkerType(
        code="sleep",
        display_name="Sleep duration",
        unit="h",
        loinc="93832-4",
        plausible_min=0,
        plausible_max=24,
        thresholds=Thresholds(warning_min=5, critical_min=3),
        aggregation=Aggregation.NIGHTLY_TOTAL,
        conversions={"min": lambda minutes: minutes / 60},
        aliases={"hours": "h", "hour": "h", "hr": "h", "minutes": "min", "mins": "min"},
    ),
    BiomarkerType(
        code="environmental_noise",
        display_name="Environmental noise",
        unit="dB[SPL]",
        loinc=None,
        plausible_min=0,
        plausible_max=194,
        thresholds=Thresholds(warning_max=85, critical_max=100),
        aggregation=Aggregation.MEAN,
        aliases={"db": "dB[SPL]", "dB": "dB[SPL]", "dB SPL": "dB[SPL]"},
    ),
    BiomarkerType(
        code="respiratory_rate",
        display_name="Respiratory rate",
        unit="/min",
        loinc="9279-1",
        plausible_min=4,
        plausible_max=60,
        thresholds=Thresholds(warning_min=10, warning_max=22, critical_min=8, critical_max=30),
        aggregation=Aggregation.MEAN,
        aliases={"breaths/min": "/min", "brpm": "/min", "{breaths}/min": "/min"},
    ),
    BiomarkerType(
        code="body_temperature",
        display_name="Body temperature",
        unit="Cel",
        loinc="8310-5",
        plausible_min=30,
        plausible_max=45,
        thresholds=Thresholds(
            warning_min=35.5, warning_max=38.0, critical_min=35, critical_max=39.5
        ),
        aggregation=Aggregation.MEAN,
        conversions={"[degF]": lambda fahrenheit: (fahrenheit - 32) * 5 / 9},
        imperial_unit="[degF]",
        aliases={
            "°C": "Cel",
            "C": "Cel",
            "celsius": "Cel",
            "°F": "[degF]",
            "F": "[degF]",
            "fahrenheit": "[degF]",
        },
    ),
    BiomarkerType(
        code="blood_glucose",
        display_name="Blood glucose",
        unit="mg/dL",
        loinc="2339-0",
        plausible_min=10,
        plausible_max=1000,
        thresholds=Thresholds(warning_min=70, warning_max=180, critical_min=54, critical_max=250),
        aggregation=Aggregation.MEAN,
        conversions={"mmol/L": lambda mmol: mmol * 18.0},
        aliases={"mg/dl": "mg/dL", "mmol/l": "mmol/L"},
    ),
    BiomarkerType(
        code="body_weight",
        display_name="Body weight",
        unit="kg",
        loinc="29463-7",
        plausible_min=1,
        plausible_max=500,
        thresholds=Thresholds(),
        aggregation=Aggregation.MEAN,
        conversions={"[lb_av]": lambda pounds: pounds * 0.45359237},
        imperial_unit="[lb_av]",
        aliases={"lb": "[lb_av]", "lbs": "[lb_av]", "kgs": "kg"},
    ),
    BiomarkerType(
        code="blood_pressure_systolic",
        display_name="Blood pressure (systolic)",
        unit="mm[Hg]",
        loinc="8480-6",
        plausible_min=50,
        plausible_max=260,
        thresholds=Thresholds(warning_min=90, warning_max=140, critical_min=80, critical_max=180),
        aggregation=Aggregation.MEAN,
        aliases={"mmHg": "mm[Hg]", "mmhg": "mm[Hg]"},
    ),
    BiomarkerType(
        code="blood_pressure_diastolic",
        display_name="Blood pressure (diastolic)",
        unit="mm[Hg]",
        loinc="8462-4",
        plausible_min=30,
        plausible_max=160,
        thresholds=Thresholds(warning_min=60, warning_max=90, critical_min=50, critical_max=120),
        aggregation=Aggregation.MEAN,
        aliases={"mmHg": "mm[Hg]", "mmhg": "mm[Hg]"},
    ),
)

CATALOG: dict[str, BiomarkerType] = {entry.code: entry for entry in _CATALOG}
BIOMARKER_CODES: tuple[str, ...] = tuple(CATALOG)


#: the one message for a type code the catalog does not know
UNKNOWN_TYPE = "is not a known biomarker type (see GET /api/biomarkers/types)"


def check_type(code: str) -> str:
    """`code` if the catalog knows it; ValueError(UNKNOWN_TYPE) otherwise."""
    if code not in CATALOG:
        raise ValueError(UNKNOWN_TYPE)
    return code
