"""The biomarker catalog: the one list of biomarker types the whole code base consults.

Each type names its canonical UCUM unit, the input units it accepts (with conversions),
its LOINC code, the physiologically plausible range (values outside are stored as faulty),
default warning and critical thresholds, how readings aggregate into buckets, and how a value
is shown to people (`display`: "bpm" rather than the UCUM "/min", °F for imperial users).
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


class Units(StrEnum):
    """A person's preferred measurement system (`preferences.units` of their profile)."""

    METRIC = "metric"
    IMPERIAL = "imperial"


@dataclass(frozen=True)
class DisplayUnit:
    """How a stored (canonical) value is shown: `value * factor + offset`, labelled `label`.
    `code` is the UCUM code of that unit (an accepted input unit of the type)."""

    code: str
    label: str
    factor: float = 1.0
    offset: float = 0.0

    def convert(self, value: float) -> float:
        return value * self.factor + self.offset


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
    #: how values are shown to people using the metric system (default: the canonical unit)
    metric_display: DisplayUnit | None = None
    #: ... and to people using the imperial system (default: as for metric)
    imperial_display: DisplayUnit | None = None

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

    def is_plausible(self, value: float) -> bool:
        return self.plausible_min <= value <= self.plausible_max

    def display(self, units: Units | str = Units.METRIC) -> DisplayUnit:
        """How this type's canonical values are shown to someone using `units`."""
        if units == Units.IMPERIAL and self.imperial_display is not None:
            return self.imperial_display
        return self.metric_display or DisplayUnit(self.unit, self.unit)

    def unit_label(self, unit: str) -> str:
        """A human label for one of the accepted UCUM codes ("{steps}" -> "steps")."""
        for display in (self.display(Units.METRIC), self.display(Units.IMPERIAL)):
            if display.code == unit:
                return display.label
        return unit


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
        metric_display=DisplayUnit("/min", "bpm"),
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
        metric_display=DisplayUnit("{steps}", "steps"),
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
        metric_display=DisplayUnit("dB[SPL]", "dB"),
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
        metric_display=DisplayUnit("/min", "breaths/min"),
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
        aliases={
            "°C": "Cel",
            "C": "Cel",
            "celsius": "Cel",
            "°F": "[degF]",
            "F": "[degF]",
            "fahrenheit": "[degF]",
        },
        metric_display=DisplayUnit("Cel", "°C"),
        imperial_display=DisplayUnit("[degF]", "°F", factor=9 / 5, offset=32),
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
        metric_display=DisplayUnit("mmol/L", "mmol/L", factor=1 / 18.0),
        imperial_display=DisplayUnit("mg/dL", "mg/dL"),
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
        aliases={"lb": "[lb_av]", "lbs": "[lb_av]", "kgs": "kg"},
        imperial_display=DisplayUnit("[lb_av]", "lb", factor=1 / 0.45359237),
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
        metric_display=DisplayUnit("mm[Hg]", "mmHg"),
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
        metric_display=DisplayUnit("mm[Hg]", "mmHg"),
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
