"""Opening entries of an uploaded zip safely: no entry is ever written to disk, and an entry
is refused when its name could escape a directory (path traversal), when the zip declares
more than IMPORT_MAX_UNPACKED_BYTES in total, or when an entry unpacks to more than
IMPORT_MAX_ZIP_RATIO times its packed size (a zip bomb). The declared sizes are enforced
while reading, so a zip that lies about them is stopped too."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import IO

from healix.controllers.import_formats import ImportFileError, Limits

ZIP_MAGIC = b"PK\x03\x04"


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


def _unsafe(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":")


def open_zip(file: IO[bytes], limits: Limits) -> zipfile.ZipFile:
    """The zip with its entries checked (names, total size, ratios)."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFileError(
            "The file is not a valid zip archive (corrupt or truncated)."
        ) from exc
    total = 0
    for number, info in enumerate(archive.infolist(), start=1):
        if _unsafe(info.filename):
            raise ImportFileError(f"Zip entry {number} has an unsafe path; the file was refused.")
        if info.flag_bits & 0x1:
            raise ImportFileError("The zip archive is encrypted.")
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise ImportFileError("The zip archive unpacks to more than the allowed size.")
        if (
            info.file_size > limits.max_ratio * max(info.compress_size, 1)
            and info.file_size > 1 << 20
        ):
            raise ImportFileError(
                f"Zip entry {number} is compressed suspiciously well (a zip bomb?); refused."
            )
    return archive


def entries(archive: zipfile.ZipFile, wanted: Callable[[str], bool]) -> list[zipfile.ZipInfo]:
    """The entries whose (checked) names `wanted` accepts, in a stable order."""
    return sorted(
        (info for info in archive.infolist() if not info.is_dir() and wanted(info.filename)),
        key=lambda info: info.filename,
    )


class _Bounded(io.RawIOBase):
    """An entry's stream that fails once it yields more than the entry declared."""

    def __init__(self, inner: IO[bytes], limit: int) -> None:
        self._inner = inner
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        self._left -= len(data)
        if self._left < 0:
            raise ImportFileError("A zip entry unpacks to more than it declares; refused.")
        buffer[: len(data)] = data
        return len(data)


@contextmanager
def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[IO[bytes]]:
    """Yield the entry as a buffered stream, turning a corrupt entry into ImportFileError."""
    try:
        with archive.open(info) as raw:
            yield io.BufferedReader(_Bounded(raw, info.file_size), 1 << 20)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise ImportFileError("A zip entry is corrupt or truncated.") from exc
