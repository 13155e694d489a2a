"""Garmin and other FIT files (one `.fit`, or a zip of them), decoded with fitdecode (CRC
checked, errors raised):

- `monitoring` messages (all-day files): `heart_rate` -> heart_rate; `steps` (cumulative
  per activity type within the day, as devices write them) -> the increments summed per
  hour; compressed `timestamp_16` times are resolved against the last full timestamp;
- `record` messages (activity files) with a heart rate -> heart_rate;
- `weight_scale` messages -> body_weight (kg).

Provenance is the `file_id`'s manufacturer and product; the external ids include the
device's serial number, so two devices' samples of the same second are both kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import IO, Any

import fitdecode

from healix.controllers.import_formats import (
    ImportFileError,
    ReadContext,
    external_id,
    provenance,
)
from healix.controllers.import_formats.archive import entries, is_zip, open_zip, read_entry
from healix.controllers.ingestion_controller import Sample

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
_SKIPPED_SILENTLY = frozenset(
    {"file_id", "device_info", "monitoring_info", "file_creator", "event", "software"}
)


def is_fit(head: bytes) -> bool:
    return len(head) >= 12 and head[8:12] == b".FIT"


class _Device:
    """The state of one FIT file: who wrote it, its last full time, cumulative steps."""

    def __init__(self) -> None:
        self.serial = ""
        self.origin: str | None = None
        self.last_time: datetime | None = None
        self.steps_so_far: dict[str, float] = {}


def read(file: IO[bytes], context: ReadContext) -> Iterator[tuple[int, Sample]]:
    """The samples of a FIT file or of a zip of FIT files."""
    head = file.read(12)
    file.seek(0)
    hourly: dict[tuple[str, datetime], tuple[float, str | None]] = {}
    if is_zip(head):
        archive = open_zip(file, context.limits)
        found = entries(archive, lambda name: name.lower().endswith(".fit"))
        if not found:
            raise ImportFileError("The zip archive holds no .fit files.")
        for info in found:
            with read_entry(archive, info) as stream:
                yield from _read_one(stream, context, hourly)
    else:
        yield from _read_one(file, context, hourly)
    position = context.tally.records_read
    for (serial, hour), (steps, origin) in sorted(hourly.items()):
        yield (
            position,
            Sample(
                type="steps",
                value=steps,
                unit="{steps}",
                measured_at=hour,
                external_id=external_id("fit", "steps", serial, hour.isoformat()),
                provenance=origin,
            ),
        )


def _read_one(
    stream: IO[bytes],
    context: ReadContext,
    hourly: dict[tuple[str, datetime], tuple[float, str | None]],
) -> Iterator[tuple[int, Sample]]:
    device = _Device()
    tally = context.tally
    try:
        with fitdecode.FitReader(
            stream,
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                tally.records_read += 1
                position = tally.records_read
                try:
                    yield from _message(frame, position, device, context, hourly)
                except (TypeError, ValueError, OverflowError):
                    tally.error(f"record {position}", f"unreadable {frame.name} message")
    except fitdecode.FitError as exc:
        raise ImportFileError("The FIT file is corrupt or truncated.") from exc


def _message(
    frame: Any,
    position: int,
    device: _Device,
    context: ReadContext,
    hourly: dict[tuple[str, datetime], tuple[float, str | None]],
) -> Iterator[tuple[int, Sample]]:
    name = frame.name
    if name == "file_id":
        device.serial = str(frame.get_value("serial_number", fallback="") or "")
        product = frame.get_value("garmin_product", fallback=None) or frame.get_value(
            "product", fallback=None
        )
        device.origin = provenance(
            str(frame.get_value("manufacturer", fallback="") or ""),
            str(product) if product is not None else None,
        )
        return
    at = _time(frame, device)
    if name in {"monitoring", "record"}:
        heart_rate = frame.get_value("heart_rate", fallback=None)
        if heart_rate and at is not None:
            yield position, _sample("heart_rate", float(heart_rate), "/min", at, device)
        steps = frame.get_value("steps", fallback=None) if name == "monitoring" else None
        if steps is not None and at is not None:
            kind = str(frame.get_value("activity_type", fallback="generic"))
            before = device.steps_so_far.get(kind, 0.0)
            increment = float(steps) - before if float(steps) >= before else float(steps)
            device.steps_so_far[kind] = float(steps)
            hour = at.replace(minute=0, second=0, microsecond=0)
            total, _ = hourly.get((device.serial, hour), (0.0, device.origin))
            hourly[(device.serial, hour)] = (total + increment, device.origin)
    elif name == "weight_scale":
        weight = frame.get_value("weight", fallback=None)
        if weight is not None and at is not None:
            yield position, _sample("body_weight", float(weight), "kg", at, device)
    elif name not in _SKIPPED_SILENTLY:
        context.tally.skip(str(name))


def _time(frame: Any, device: _Device) -> datetime | None:
    """The message's time: its `timestamp`, or `timestamp_16` after the last full one."""
    stamp = frame.get_value("timestamp", fallback=None)
    if isinstance(stamp, datetime):
        device.last_time = stamp.astimezone(UTC)
        return device.last_time
    short = frame.get_value("timestamp_16", fallback=None)
    if short is None or device.last_time is None:
        return None
    last = int((device.last_time - FIT_EPOCH).total_seconds())
    resolved = last + ((int(short) - (last & 0xFFFF)) & 0xFFFF)
    return FIT_EPOCH + timedelta(seconds=resolved)


def _sample(code: str, value: float, unit: str, at: datetime, device: _Device) -> Sample:
    return Sample(
        type=code,
        value=value,
        unit=unit,
        measured_at=at,
        external_id=external_id("fit", code, device.serial, at.isoformat()),
        provenance=device.origin,
    )
