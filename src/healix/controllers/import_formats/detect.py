"""Which reader a file needs: by its first bytes, and for a zip by the names inside."""

from __future__ import annotations

from typing import IO

from healix.controllers.import_formats import (
    ImportFileError,
    Limits,
    Reader,
    apple_health,
    csv_format,
    fit,
    fitbit,
)
from healix.controllers.import_formats.archive import is_zip, open_zip
from healix.models.data_import import ImportFormat

READERS: dict[ImportFormat, Reader] = {
    ImportFormat.APPLE_HEALTH: apple_health.read,
    ImportFormat.FITBIT: fitbit.read,
    ImportFormat.FIT: fit.read,
    ImportFormat.CSV: csv_format.read,
}
#: how a reader's positions are named in error messages
POSITION_WORDS = {ImportFormat.CSV: "line"}
UNRECOGNISED = (
    "The file is not a recognised export (Apple Health export.zip or export.xml, a Fitbit "
    "Takeout zip, a FIT file or a zip of them, or a Healix CSV file)."
)


def detect(file: IO[bytes], limits: Limits) -> ImportFormat:
    """The file's format; ImportFileError if it is none we read."""
    head = file.read(512)
    file.seek(0)
    if not head:
        raise ImportFileError("The file is empty.")
    if is_zip(head):
        names = [info.filename for info in open_zip(file, limits).infolist()]
        file.seek(0)
        if any(name.rsplit("/", 1)[-1] == "export.xml" for name in names):
            return ImportFormat.APPLE_HEALTH
        if fitbit.is_takeout(names):
            return ImportFormat.FITBIT
        if any(name.lower().endswith(".fit") for name in names):
            return ImportFormat.FIT
        raise ImportFileError(UNRECOGNISED)
    if fit.is_fit(head):
        return ImportFormat.FIT
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return ImportFormat.APPLE_HEALTH
    if csv_format.looks_like(head):
        return ImportFormat.CSV
    raise ImportFileError(UNRECOGNISED)


def supported() -> frozenset[ImportFormat]:
    return frozenset(READERS)
