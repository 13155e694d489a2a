"""Builders of export files for the import tests (no third-party sample data is committed):
Apple Health export.xml / export.zip, Healix CSV, and hostile files."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import quoteattr

from flask import Flask

from healix.extensions import db
from healix.models.data_import import DataImport, ImportFormat

#: the internal DTD real exports start with (abridged): it must be accepted
APPLE_DTD = """<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record type CDATA #REQUIRED sourceName CDATA #REQUIRED value CDATA #IMPLIED>
]>"""
WATCH = "<<HKDevice: 0x280e8c3c0>, name:Apple Watch, manufacturer:Apple Inc., model:Watch>"


def apple_time(moment: datetime) -> str:
    """HealthKit's time format: `2024-01-05 08:30:00 +0100`."""
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


@dataclass
class AppleExport:
    """An export.xml being built: add records, then `xml()` or `zip()`."""

    parts: list[str] = field(default_factory=list)

    def record(
        self,
        kind: str,
        value: float | str,
        unit: str | None,
        start: datetime,
        end: datetime | None = None,
        *,
        source: str = "Jo's Apple Watch",
        device: str | None = WATCH,
    ) -> AppleExport:
        self.parts.append(_record(kind, value, unit, start, end, source=source, device=device))
        return self

    def blood_pressure(
        self, systolic: float, diastolic: float, at: datetime, *, source: str = "Omron"
    ) -> AppleExport:
        members = "".join(
            _record(
                f"HKQuantityTypeIdentifierBloodPressure{name}", value, "mmHg", at, source=source
            )
            for name, value in (("Systolic", systolic), ("Diastolic", diastolic))
        )
        stamp = apple_time(at)
        self.parts.append(
            f'<Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="{source}" '
            f'creationDate="{stamp}" startDate="{stamp}" endDate="{stamp}">{members}</Correlation>'
        )
        return self

    def sleep(
        self, stage: str, start: datetime, end: datetime, *, source: str = "Jo's Apple Watch"
    ) -> AppleExport:
        return self.record(
            "HKCategoryTypeIdentifierSleepAnalysis",
            f"HKCategoryValueSleepAnalysis{stage}",
            None,
            start,
            end,
            source=source,
        )

    def raw(self, text: str) -> AppleExport:
        self.parts.append(text)
        return self

    def xml(self, *, prologue: str = APPLE_DTD) -> bytes:
        return "".join(self.chunks(prologue=prologue)).encode()

    def chunks(self, *, prologue: str = APPLE_DTD) -> Iterable[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n{prologue}\n<HealthData locale="en_GB">\n'
        yield '<ExportDate value="2026-11-30 10:00:00 +0000"/>\n'
        yield '<Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>\n'
        for part in self.parts:
            yield part + "\n"
        yield "</HealthData>\n"

    def zip(self) -> bytes:
        return zip_of({"apple_health_export/export.xml": self.xml()})


def _record(
    kind: str,
    value: float | str,
    unit: str | None,
    start: datetime,
    end: datetime | None = None,
    *,
    source: str,
    device: str | None = None,
) -> str:
    attributes = {
        "type": kind,
        "sourceName": source,
        "unit": unit,
        "creationDate": apple_time(end or start),
        "startDate": apple_time(start),
        "endDate": apple_time(end or start),
        "value": str(value),
        "device": device,
    }
    text = " ".join(f"{name}={quoteattr(v)}" for name, v in attributes.items() if v is not None)
    return f"<Record {text}/>"


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def csv_file(
    rows: Iterable[Iterable[object]], *, header: str = "type,value,unit,timestamp"
) -> bytes:
    lines = [header, *(",".join(str(cell) for cell in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


# -- hostile files ---------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE HealthData [
<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<HealthData><Record type="HKQuantityTypeIdentifierHeartRate" sourceName="&lol4;"/></HealthData>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE HealthData [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<HealthData><Record type="HKQuantityTypeIdentifierHeartRate" sourceName="&secret;"/></HealthData>
"""


def zip_bomb(unpacked_bytes: int = 64 * 1024 * 1024) -> bytes:
    """A small zip whose export.xml unpacks to `unpacked_bytes` of zeros (ratio ~1000)."""
    buffer = io.BytesIO()
    block = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("apple_health_export/export.xml", "w", force_zip64=True) as entry,
    ):
        for _ in range(unpacked_bytes // len(block)):
            entry.write(block)
    return buffer.getvalue()


def traversal_zip() -> bytes:
    return zip_of({"../../etc/export.xml": AppleExport().xml()})


def make_import(app: Flask, patient_id: uuid.UUID) -> uuid.UUID:
    """A queued import row (no file, no job), straight in the database."""
    with app.app_context():
        row = DataImport(
            patient_id=patient_id,
            format=ImportFormat.CSV,
            filename="readings.csv",
            skipped_by_type={},
            errors=[],
            pending_alerts={},
        )
        db.session.add(row)
        db.session.commit()
        return row.id


# -- Fitbit Takeout and FIT ------------------------------------------------------------------

FITBIT_DIR = "Takeout/Fitbit/Global Export Data"


def fitbit_time(moment: datetime) -> str:
    return moment.strftime("%m/%d/%y %H:%M:%S")


def fitbit_takeout(files: dict[str, list[dict[str, object]]]) -> bytes:
    """A Takeout zip with `{"heart_rate-2024-03-05": [...]}` as its JSON files."""
    return zip_of(
        {f"{FITBIT_DIR}/{name}.json": json.dumps(items).encode() for name, items in files.items()}
    )


def fit_file(
    *,
    heart_rates: Iterable[tuple[datetime, int]] = (),
    steps: Iterable[tuple[datetime, int]] = (),
    weights: Iterable[tuple[datetime, float]] = (),
    serial: int = 12345,
) -> bytes:
    """A monitoring/weight FIT file written with fit_tool's encoder (CRC and all)."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.monitoring_message import MonitoringMessage
    from fit_tool.profile.messages.weight_scale_message import WeightScaleMessage
    from fit_tool.profile.profile_type import ActivityType, FileType, Manufacturer

    def millis(moment: datetime) -> int:
        return int(moment.timestamp() * 1000)

    builder = FitFileBuilder(auto_define=True)
    file_id = FileIdMessage()
    file_id.type = FileType.MONITORING_B
    file_id.manufacturer = Manufacturer.GARMIN.value
    file_id.product = 3113
    file_id.serial_number = serial
    builder.add(file_id)
    for moment, bpm in heart_rates:
        message = MonitoringMessage()
        message.timestamp = millis(moment)
        message.heart_rate = bpm
        builder.add(message)
    for moment, count in steps:
        message = MonitoringMessage()
        message.timestamp = millis(moment)
        message.activity_type = ActivityType.WALKING
        message.steps = count
        builder.add(message)
    for moment, kilograms in weights:
        weight = WeightScaleMessage()
        weight.timestamp = millis(moment)
        weight.weight = kilograms
        builder.add(weight)
    return bytes(builder.build().to_bytes())
