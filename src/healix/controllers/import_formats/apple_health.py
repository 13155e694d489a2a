"""Apple Health: `export.zip` (its `apple_health_export/export.xml`) or `export.xml` itself.

Streamed with defusedxml's iterparse (entity declarations and external references are
refused; the export's own internal DTD is allowed), clearing each top-level element once
handled, so memory does not grow with the file. Mapped:

- point readings: heart rate and resting heart rate (-> heart_rate), SpO2 (Apple's fraction
  0.97 -> 97 %), respiratory rate, body temperature, body mass, blood glucose (mg/dL and
  mmol/L, also spelled `mmol<180.1558800000541>/L`);
- blood pressure correlations: the systolic and diastolic record of one correlation become
  a pair at the correlation's time (loose BP records, which exports also list, are the same
  records and deduplicate against the pair by their external id);
- steps and active + basal energy: summed per source and UTC hour (the catalog aggregates
  them as `sum`), one reading at the start of each hour;
- sleep analysis: the asleep stages summed per source and night, in hours, at the night's
  last wake-up; a night runs noon to noon in the patient's time zone.

Every reading's provenance is the record's `sourceName` and the device's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from healix.biomarker_catalog import CATALOG
from healix.controllers.import_formats import (
    ImportFileError,
    ReadContext,
    external_id,
    provenance,
)
from healix.controllers.import_formats.archive import entries, is_zip, open_zip, read_entry
from healix.controllers.ingestion_controller import Sample

POINT_TYPES = {
    "HKQuantityTypeIdentifierHeartRate": "heart_rate",
    "HKQuantityTypeIdentifierRestingHeartRate": "heart_rate",
    "HKQuantityTypeIdentifierOxygenSaturation": "spo2",
    "HKQuantityTypeIdentifierRespiratoryRate": "respiratory_rate",
    "HKQuantityTypeIdentifierBodyTemperature": "body_temperature",
    "HKQuantityTypeIdentifierBodyMass": "body_weight",
    "HKQuantityTypeIdentifierBloodGlucose": "blood_glucose",
    "HKQuantityTypeIdentifierBloodPressureSystolic": "blood_pressure_systolic",
    "HKQuantityTypeIdentifierBloodPressureDiastolic": "blood_pressure_diastolic",
}
HOURLY_TYPES = {
    "HKQuantityTypeIdentifierStepCount": "steps",
    "HKQuantityTypeIdentifierActiveEnergyBurned": "calories",
    "HKQuantityTypeIdentifierBasalEnergyBurned": "calories",
}
BLOOD_PRESSURE = "HKCorrelationTypeIdentifierBloodPressure"
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
ASLEEP = frozenset(
    {
        "HKCategoryValueSleepAnalysisAsleep",
        "HKCategoryValueSleepAnalysisAsleepUnspecified",
        "HKCategoryValueSleepAnalysisAsleepCore",
        "HKCategoryValueSleepAnalysisAsleepDeep",
        "HKCategoryValueSleepAnalysisAsleepREM",
    }
)
#: HealthKit unit strings -> what the catalog accepts
UNITS = {"count/min": "/min", "count": "{steps}", "degC": "Cel", "degF": "[degF]", "Cal": "kcal"}
#: HealthKit writes mmol/L of glucose with the molar mass: `mmol<180.1558800000541>/L`
_MOLAR_UNIT = re.compile(r"^mmol<[0-9.]+>/L$")
_DEVICE_NAME = re.compile(r"\bname:([^,>]+)")
#: elements of an export that carry no readings of their own (counted as nothing)
_CONTAINERS = frozenset({"ExportDate", "Me"})
_NIGHT_OFFSET = timedelta(hours=12)


def _unit(raw: str) -> str:
    if _MOLAR_UNIT.match(raw):
        return "mmol/L"
    return UNITS.get(raw, raw)


def _time(raw: str) -> datetime:
    """`2024-01-05 08:30:00 +0100` (HealthKit's format) as an aware datetime."""
    return datetime.fromisoformat(raw[:19] + raw[20:] if raw[19:20] == " " else raw)


def _device(raw: str | None) -> str | None:
    if not raw:
        return None
    match = _DEVICE_NAME.search(raw)
    return match.group(1).strip() if match else None


@dataclass(slots=True)
class _Total:
    """A running sum (steps in an hour, seconds asleep in a night) and where it came from."""

    value: float
    origin: str | None
    last: datetime | None = None


class _Reader:
    def __init__(self, context: ReadContext) -> None:
        self.context = context
        self.tally = context.tally
        #: (code, source, UTC hour) -> canonical sum
        self.hourly: dict[tuple[str, str, datetime], _Total] = {}
        #: (source, night) -> seconds asleep, with the last wake-up
        self.nights: dict[tuple[str, date], _Total] = {}

    def read(self, stream: IO[bytes]) -> Iterator[tuple[int, Sample]]:
        depth = 0
        root: Element | None = None
        members: list[Element] = []
        try:
            for event, element in iterparse(
                stream,
                events=("start", "end"),
                forbid_dtd=False,
                forbid_entities=True,
                forbid_external=True,
            ):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root = element
                        if element.tag != "HealthData":
                            raise ImportFileError(
                                "This XML file is not an Apple Health export (no HealthData)."
                            )
                    continue
                depth -= 1
                if depth == 2 and element.tag == "Record":
                    members.append(element)
                if depth != 1:
                    continue
                self.tally.records_read += 1
                position = self.tally.records_read
                if element.tag == "Record":
                    yield from self._record(position, element.attrib)
                elif element.tag == "Correlation":
                    yield from self._correlation(position, element, members)
                elif element.tag not in _CONTAINERS:
                    self.tally.skip(element.tag)
                members = []
                if root is not None:
                    root.clear()
        except DefusedXmlException as exc:
            raise ImportFileError(
                "The XML file declares entities or external references, which are refused."
            ) from exc
        except ParseError as exc:
            raise ImportFileError(
                f"The XML file is malformed or truncated (line {exc.position[0]})."
            ) from exc
        if root is None:
            raise ImportFileError("The file is empty.")
        yield from self._aggregates()

    def _record(self, position: int, attrib: dict[str, str]) -> Iterator[tuple[int, Sample]]:
        kind = attrib.get("type", "")
        try:
            if kind in POINT_TYPES:
                yield position, self._point(POINT_TYPES[kind], attrib)
            elif kind in HOURLY_TYPES:
                self._add_hourly(HOURLY_TYPES[kind], attrib)
            elif kind == SLEEP:
                self._add_sleep(attrib)
            else:
                self.tally.skip(kind or "Record")
        except (KeyError, ValueError) as exc:
            self.tally.error(f"record {position}", _reason(exc))

    def _point(self, code: str, attrib: dict[str, str], at: datetime | None = None) -> Sample:
        source = attrib.get("sourceName", "")
        measured_at = at or _time(attrib["startDate"])
        value = float(attrib["value"])
        unit = _unit(attrib.get("unit", ""))
        if code == "spo2" and unit == "%" and value <= 1:
            value *= 100  # HealthKit stores a saturation as a fraction
        return Sample(
            type=code,
            value=value,
            unit=unit,
            measured_at=measured_at,
            external_id=external_id("ah", code, source, measured_at.astimezone(UTC).isoformat()),
            provenance=provenance(source, _device(attrib.get("device"))),
        )

    def _correlation(
        self, position: int, element: Element, members: list[Element]
    ) -> Iterator[tuple[int, Sample]]:
        if element.get("type") != BLOOD_PRESSURE:
            self.tally.skip(element.get("type") or "Correlation")
            return
        try:
            at = _time(element.attrib["startDate"])
            pair = {
                POINT_TYPES[member.attrib["type"]]: self._point(
                    POINT_TYPES[member.attrib["type"]], member.attrib, at
                )
                for member in members
                if member.get("type") in POINT_TYPES
            }
        except (KeyError, ValueError) as exc:
            self.tally.error(f"record {position}", _reason(exc))
            return
        if set(pair) != {"blood_pressure_systolic", "blood_pressure_diastolic"}:
            self.tally.error(f"record {position}", "blood pressure without both values")
            return
        yield position, pair["blood_pressure_systolic"]
        yield position, pair["blood_pressure_diastolic"]

    def _add_hourly(self, code: str, attrib: dict[str, str]) -> None:
        source = attrib.get("sourceName", "")
        start = _time(attrib["startDate"]).astimezone(UTC)
        value = CATALOG[code].to_canonical(float(attrib["value"]), _unit(attrib.get("unit", "")))
        hour = start.replace(minute=0, second=0, microsecond=0)
        bucket = self.hourly.get((code, source, hour))
        if bucket is None:
            origin = provenance(source, _device(attrib.get("device")))
            bucket = self.hourly[(code, source, hour)] = _Total(0.0, origin)
        bucket.value += value

    def _add_sleep(self, attrib: dict[str, str]) -> None:
        if attrib.get("value") not in ASLEEP:
            return
        source = attrib.get("sourceName", "")
        start, end = _time(attrib["startDate"]), _time(attrib["endDate"])
        if end <= start:
            raise ValueError("sleep interval ends before it starts")
        local_start = start.astimezone(self.context.zone).replace(tzinfo=None)
        night = (local_start - _NIGHT_OFFSET).date()
        entry = self.nights.get((source, night))
        if entry is None:
            origin = provenance(source, _device(attrib.get("device")))
            entry = self.nights[(source, night)] = _Total(0.0, origin, end)
        entry.value += (end - start).total_seconds()
        entry.last = max(entry.last or end, end)

    def _aggregates(self) -> Iterator[tuple[int, Sample]]:
        position = self.tally.records_read
        for (code, source, hour), total in sorted(self.hourly.items(), key=_key):
            yield (
                position,
                Sample(
                    type=code,
                    value=round(total.value, 3),
                    unit=CATALOG[code].unit,
                    measured_at=hour,
                    external_id=external_id("ah", code, source, hour.isoformat()),
                    provenance=total.origin,
                ),
            )
        for (source, night), asleep in sorted(self.nights.items(), key=_key):
            yield (
                position,
                Sample(
                    type="sleep",
                    value=round(asleep.value / 3600, 3),
                    unit="h",
                    measured_at=asleep.last or datetime.combine(night, datetime.min.time(), UTC),
                    external_id=external_id("ah", "sleep", source, night.isoformat()),
                    provenance=asleep.origin,
                ),
            )


def _key(item: tuple[tuple[object, ...], _Total]) -> tuple[str, ...]:
    return tuple(str(part) for part in item[0])


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing attribute {exc.args[0]}"
    return "unreadable value, unit or date"


def _is_export_xml(name: str) -> bool:
    return name.rsplit("/", 1)[-1] == "export.xml"


def read(file: IO[bytes], context: ReadContext) -> Iterator[tuple[int, Sample]]:
    """The samples of an Apple Health export.zip or export.xml."""
    head = file.read(4)
    file.seek(0)
    reader = _Reader(context)
    if not is_zip(head):
        yield from reader.read(file)
        return
    archive = open_zip(file, context.limits)
    found = entries(archive, _is_export_xml)
    if not found:
        raise ImportFileError("The zip archive has no export.xml (not an Apple Health export).")
    with read_entry(archive, found[0]) as stream:
        yield from reader.read(stream)
