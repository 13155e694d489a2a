"""Fitbit (Google Takeout): the per-day JSON files of `Takeout/Fitbit/Global Export Data/`
inside the Takeout zip, each streamed with ijson (one array item at a time):

- `heart_rate-YYYY-MM-DD.json`: `{"dateTime": "01/05/24 08:00:05", "value": {"bpm": 62}}`
  (UTC) -> heart_rate;
- `steps-YYYY-MM-DD.json`: `{"dateTime": "01/05/24 08:01:00", "value": "12"}` per minute
  (UTC) -> steps summed per hour (the catalog's `sum`);
- `sleep-YYYY-MM-DD.json`: one log per sleep with `dateOfSleep`, `endTime` (local time)
  and `minutesAsleep` -> sleep per night (logs of one `dateOfSleep` summed), at the last
  wake-up in the patient's time zone;
- `weight-YYYY-MM-DD.json`: `{"weight": 150.0, "date": "01/05/24", "time": "08:00:00"}` ->
  body_weight, read as pounds (Fitbit's export unit; see docs/imports.md);
- `spo2-YYYY-MM-DD.json` / `oxygen_saturation-*.json` (`{"dateTime": ..., "value": 97}`) ->
  spo2.

Other files of the archive are counted per kind (the part of the name before the date) and
skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import IO, Any

import ijson

from healix.controllers.import_formats import (
    ImportFileError,
    ReadContext,
    Tally,
    external_id,
)
from healix.controllers.import_formats.archive import entries, open_zip, read_entry
from healix.controllers.ingestion_controller import Sample

_FILE = re.compile(r"(?:^|/)([a-z_]+)-(\d{4}-\d{2}-\d{2})\.json$", re.IGNORECASE)
_KINDS = frozenset({"heart_rate", "steps", "sleep", "weight", "spo2", "oxygen_saturation"})
PROVENANCE = "Fitbit"


def is_takeout(names: list[str]) -> bool:
    return any(_FILE.search(name) and _kind(name) in _KINDS for name in names)


def _kind(name: str) -> str | None:
    match = _FILE.search(name)
    return match.group(1).lower() if match else None


def _us_time(raw: str) -> datetime:
    """Fitbit's `01/05/24 08:00:05` (month/day/year), UTC."""
    return datetime.strptime(raw, "%m/%d/%y %H:%M:%S").replace(tzinfo=UTC)


def read(file: IO[bytes], context: ReadContext) -> Iterator[tuple[int, Sample]]:
    """The samples of a Fitbit Takeout zip."""
    archive = open_zip(file, context.limits)
    found = entries(archive, lambda name: name.lower().endswith(".json"))
    if not any(_kind(info.filename) in _KINDS for info in found):
        raise ImportFileError("The zip archive holds no Fitbit data files (heart_rate-*.json ...).")
    hourly_steps: dict[datetime, float] = {}
    nights: dict[date, tuple[float, datetime]] = {}
    tally = context.tally
    for info in found:
        kind = _kind(info.filename)
        if kind not in _KINDS:
            tally.skip(kind or info.filename.rsplit("/", 1)[-1][:80])
            continue
        with read_entry(archive, info) as stream:
            try:
                for item in ijson.items(stream, "item", use_float=True):
                    tally.records_read += 1
                    position = tally.records_read
                    try:
                        sample = _item(kind, item, hourly_steps, nights, context)
                    except (KeyError, TypeError, ValueError):
                        tally.error(f"record {position}", f"unreadable {kind} entry")
                        continue
                    if sample is not None:
                        yield position, sample
            except ijson.JSONError as exc:
                raise ImportFileError(
                    f"A Fitbit file ({kind}) is not valid JSON or is truncated."
                ) from exc
    yield from _aggregates(hourly_steps, nights, tally)


def _item(
    kind: str,
    item: Any,
    hourly_steps: dict[datetime, float],
    nights: dict[date, tuple[float, datetime]],
    context: ReadContext,
) -> Sample | None:
    if kind == "heart_rate":
        at = _us_time(item["dateTime"])
        return _sample("heart_rate", float(item["value"]["bpm"]), "/min", at)
    if kind in {"spo2", "oxygen_saturation"}:
        at = _us_time(item["dateTime"])
        value = item["value"]
        number = float(value["value"] if isinstance(value, dict) else value)
        return _sample("spo2", number, "%", at)
    if kind == "weight":
        at = _us_time(f"{item['date']} {item['time']}")
        return _sample("body_weight", float(item["weight"]), "[lb_av]", at)
    if kind == "steps":
        at = _us_time(item["dateTime"])
        hour = at.replace(minute=0, second=0, microsecond=0)
        hourly_steps[hour] = hourly_steps.get(hour, 0.0) + float(item["value"])
        return None
    # sleep: local times, in the patient's zone
    night = date.fromisoformat(item["dateOfSleep"])
    end = datetime.fromisoformat(item["endTime"]).replace(tzinfo=context.zone)
    minutes, last = nights.get(night, (0.0, end))
    nights[night] = (minutes + float(item["minutesAsleep"]), max(last, end))
    return None


def _sample(code: str, value: float, unit: str, at: datetime) -> Sample:
    return Sample(
        type=code,
        value=value,
        unit=unit,
        measured_at=at,
        external_id=external_id("fitbit", code, at.astimezone(UTC).isoformat()),
        provenance=PROVENANCE,
    )


def _aggregates(
    hourly_steps: dict[datetime, float], nights: dict[date, tuple[float, datetime]], tally: Tally
) -> Iterator[tuple[int, Sample]]:
    position = tally.records_read
    for hour, steps in sorted(hourly_steps.items()):
        yield position, _sample("steps", steps, "{steps}", hour)
    for night, (minutes, wake) in sorted(nights.items()):
        yield (
            position,
            Sample(
                type="sleep",
                value=round(minutes / 60, 3),
                unit="h",
                measured_at=wake,
                external_id=external_id("fitbit", "sleep", night.isoformat()),
                provenance=PROVENANCE,
            ),
        )
