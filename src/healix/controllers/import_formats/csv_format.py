"""Generic CSV: a header line `type,value,unit,timestamp` (optionally `,external_id`), then
one reading per line: a catalog code, a number, an accepted unit or alias, an ISO 8601 time
with a UTC offset, and optionally the reading's own id (up to 128 characters). Without an
external id, a line's id is derived from its type and time, so a line imported twice is
stored once. Unknown types are counted and skipped; unreadable lines are errors with their
line number."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO

from healix.biomarker_catalog import CATALOG
from healix.controllers.import_formats import ImportFileError, ReadContext, external_id
from healix.controllers.ingestion_controller import Sample

HEADER = ["type", "value", "unit", "timestamp"]
OPTIONAL = "external_id"
EXTERNAL_ID_LENGTH = 128


def looks_like(head: bytes) -> bool:
    first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    return bool(first) and first[0].strip().lower().startswith(",".join(HEADER))


def read(file: IO[bytes], context: ReadContext) -> Iterator[tuple[int, Sample]]:
    """The samples of a Healix CSV file."""
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    rows = csv.reader(text)
    try:
        header = [name.strip().lower() for name in next(rows, [])]
        if header not in (HEADER, [*HEADER, OPTIONAL]):
            raise ImportFileError(
                "Not a Healix CSV file: the first line must be type,value,unit,timestamp "
                "(optionally followed by ,external_id)."
            )
        for line, row in enumerate(rows, start=2):
            if not row:
                continue
            context.tally.records_read += 1
            sample = _sample(row, header, line, context)
            if sample is not None:
                yield line, sample
    except UnicodeDecodeError as exc:
        raise ImportFileError("The CSV file is not UTF-8 text.") from exc
    except csv.Error as exc:
        raise ImportFileError(f"The CSV file is malformed (line {rows.line_num}).") from exc
    finally:
        text.detach()


def _sample(row: list[str], header: list[str], line: int, context: ReadContext) -> Sample | None:
    position = f"line {line}"
    if len(row) != len(header):
        context.tally.error(position, f"expected {len(header)} fields")
        return None
    code = row[0].strip()
    if code not in CATALOG:
        context.tally.skip(code or "(empty type)")
        return None
    try:
        value = float(row[1])
    except ValueError:
        context.tally.error(position, "value is not a number")
        return None
    if not math.isfinite(value):
        context.tally.error(position, "value is not a finite number")
        return None
    try:
        measured_at = datetime.fromisoformat(row[3].strip())
    except ValueError:
        context.tally.error(position, "timestamp is not an ISO 8601 time")
        return None
    if measured_at.tzinfo is None:
        context.tally.error(position, "timestamp has no UTC offset")
        return None
    given = row[4].strip() if len(row) > 4 else ""
    if len(given) > EXTERNAL_ID_LENGTH:
        context.tally.error(position, f"external_id is longer than {EXTERNAL_ID_LENGTH}")
        return None
    return Sample(
        type=code,
        value=value,
        unit=row[2].strip(),
        measured_at=measured_at,
        external_id=given or external_id("csv", code, measured_at.astimezone(UTC).isoformat()),
    )
