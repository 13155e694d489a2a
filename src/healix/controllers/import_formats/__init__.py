"""Readers of export files: each turns one format into a stream of `Sample`s.

A reader is `read(file, context) -> Iterator[(position, Sample)]`: `file` is a local,
seekable copy of the upload, `position` numbers the record (or line) the sample came from,
for error messages. Readers count what they read and skip in `context.tally`, raise
`ImportFileError` for a file they cannot read (wrong format, corrupt, hostile), and yield
samples in an order that depends on the file only, so a retried import can skip the samples
an earlier attempt committed. External ids are derived from the source record, so the
same record in a later export is recognised as a duplicate.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO
from zoneinfo import ZoneInfo

from healix.controllers.ingestion_controller import Sample

#: how many record errors an import keeps (the rest are only counted)
MAX_ERRORS = 20
#: longest provenance stored with a reading
PROVENANCE_LENGTH = 200


class ImportFileError(Exception):
    """The file cannot be imported (wrong format, corrupt, truncated, hostile). The message
    is shown to the patient: it describes the file, never its values."""


@dataclass
class Tally:
    """What a reader saw: records read, records skipped per type, and the invalid ones."""

    records_read: int = 0
    skipped_by_type: Counter[str] = field(default_factory=Counter)
    invalid: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def skip(self, record_type: str) -> None:
        self.skipped_by_type[record_type[:80]] += 1

    def error(self, position: str, message: str) -> None:
        self.invalid += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"position": position, "message": message})


@dataclass(frozen=True)
class Limits:
    """What a zip may unpack to (zip bombs): in total, and per entry relative to its size."""

    max_unpacked_bytes: int
    max_ratio: int


@dataclass
class ReadContext:
    tally: Tally
    zone: ZoneInfo
    limits: Limits


Reader = Callable[[IO[bytes], ReadContext], Iterator[tuple[int, Sample]]]


def external_id(prefix: str, *parts: object) -> str:
    """A deterministic id for a source record: the same record always gets the same id."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"{prefix}:{digest}"


def provenance(*parts: str | None) -> str | None:
    text = " / ".join(part for part in parts if part)
    return text[:PROVENANCE_LENGTH] or None
