"""Encrypted backups: create, verify and restore (`flask --app healix backup ...`, the scheduled
`upkeep.backup` task).

An archive is `HEALIXB1` + key id + nonce prefix, then the plaintext in AES-256-GCM chunks
(the STREAM construction: the nonce carries a chunk counter and a last-chunk flag, so
reordered, dropped or truncated chunks fail to decrypt). The plaintext is a length-prefixed
JSON manifest (time, schema revision, row counts per table, audit chain head) followed by the
database dump: `pg_dump --format=custom` on PostgreSQL, taken in the same snapshot as the
manifest's counts (`pg_export_snapshot`), or on SQLite a copy made with the online backup API.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, Engine, func, inspect, make_url, select, table, text
from sqlalchemy.orm import Session

from healix.audit import chain as audit_chain
from healix.exceptions import HealixError
from healix.utils.time import utcnow

MAGIC = b"HEALIXB1"
KEY_ID_BYTES = 8
NONCE_PREFIX_BYTES = 7
HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES + NONCE_PREFIX_BYTES
CHUNK_BYTES = 1024 * 1024
SUFFIX = ".healix-backup"
MANIFEST_FORMAT = 1
#: rows of this table say which migration the database is at; they are not data
ALEMBIC_TABLE = "alembic_version"


class BackupError(HealixError):
    status, title, type_slug = 400, "Backup failed", "backup-failed"


@dataclass(frozen=True)
class Manifest:
    created_at: str
    dialect: str
    schema_revision: str | None
    row_counts: dict[str, int]
    audit_head_seq: int
    audit_head_hash: str
    format: int = MANIFEST_FORMAT

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            manifest = cls(**data)
        except (ValueError, TypeError) as exc:
            raise BackupError("the backup's manifest is unreadable") from exc
        if manifest.format != MANIFEST_FORMAT:
            raise BackupError(f"unknown backup format {manifest.format}")
        return manifest

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    audit_rows_verified: int


# -- keys and the encrypted stream -------------------------------------------------------------


def new_key() -> str:
    """A fresh 256-bit key, as BACKUP_ENCRYPTION_KEY expects it (URL-safe base64)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _decode_key(key: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError) as exc:
        raise BackupError("BACKUP_ENCRYPTION_KEY is not URL-safe base64") from exc
    if len(raw) != 32:
        raise BackupError(
            "BACKUP_ENCRYPTION_KEY must decode to 32 bytes (make one: flask backup new-key)"
        )
    return raw


def _key_id(raw_key: bytes) -> bytes:
    return hashlib.sha256(b"healix-backup-key-id" + raw_key).digest()[:KEY_ID_BYTES]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


def _encrypt(source: _Readable, target: IO[bytes], key: str) -> None:
    raw = _decode_key(key)
    aead = AESGCM(raw)
    prefix = secrets.token_bytes(NONCE_PREFIX_BYTES)
    header = MAGIC + _key_id(raw) + prefix
    target.write(header)
    counter = 0
    chunk = source.read(CHUNK_BYTES)
    while True:
        following = source.read(CHUNK_BYTES)
        last = not following
        sealed = aead.encrypt(_nonce(prefix, counter, last), chunk, header)
        target.write(struct.pack(">I", len(sealed)) + sealed)
        if last:
            return
        chunk, counter = following, counter + 1


def _decrypt(source: IO[bytes], key: str) -> Iterator[bytes]:
    """The plaintext chunk by chunk; raises BackupError on a wrong key or any tampering."""
    raw = _decode_key(key)
    header = source.read(HEADER_BYTES)
    if len(header) != HEADER_BYTES or not header.startswith(MAGIC):
        raise BackupError("not a Healix backup file")
    if header[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES] != _key_id(raw):
        raise BackupError("the backup was encrypted with another key (see BACKUP_PREVIOUS_KEYS)")
    prefix = header[-NONCE_PREFIX_BYTES:]
    aead = AESGCM(raw)
    counter = 0
    length_bytes = source.read(4)
    while True:
        if len(length_bytes) != 4:
            raise BackupError("the backup is truncated")
        sealed = source.read(struct.unpack(">I", length_bytes)[0])
        length_bytes = source.read(4)
        last = not length_bytes
        try:
            yield aead.decrypt(_nonce(prefix, counter, last), sealed, header)
        except InvalidTag as exc:
            raise BackupError(
                "the backup is damaged or was altered (authentication failed)"
            ) from exc
        if last:
            return
        counter += 1


def _key_for(path: Path, keys: list[str]) -> str:
    """The first of `keys` (current key, then previous ones) that the archive was made with."""
    with path.open("rb") as source:
        header = source.read(HEADER_BYTES)
    if not header.startswith(MAGIC):
        raise BackupError(f"{path.name} is not a Healix backup file")
    wanted = header[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES]
    for key in keys:
        if _key_id(_decode_key(key)) == wanted:
            return key
    raise BackupError(
        f"{path.name} was encrypted with a key that is neither BACKUP_ENCRYPTION_KEY "
        "nor one of BACKUP_PREVIOUS_KEYS"
    )


# -- manifest ----------------------------------------------------------------------------------


def _manifest(connection: Connection) -> Manifest:
    names = sorted(inspect(connection).get_table_names())
    counts = {
        name: int(connection.scalar(select(func.count()).select_from(table(name))) or 0)
        for name in names
        if name != ALEMBIC_TABLE
    }
    revision = (
        connection.scalar(text(f"SELECT version_num FROM {ALEMBIC_TABLE}"))  # noqa: S608
        if ALEMBIC_TABLE in names
        else None
    )
    with Session(bind=connection) as session:
        seq, row_hash = audit_chain.chain_head(session)
    return Manifest(
        created_at=utcnow().isoformat(),
        dialect=connection.dialect.name,
        schema_revision=revision,
        row_counts=counts,
        audit_head_seq=seq,
        audit_head_hash=row_hash,
    )


# -- create ------------------------------------------------------------------------------------


def create(engine: Engine, directory: Path, *, key: str) -> tuple[Path, Manifest]:
    """Write an encrypted backup of the database into `directory`; returns its path."""
    _decode_key(key)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
    target = directory / f"healix-{stamp}{SUFFIX}"
    partial = target.with_suffix(".partial")
    with tempfile.TemporaryDirectory(prefix="healix-backup-") as scratch:
        dump = Path(scratch) / "dump"
        if engine.dialect.name == "postgresql":
            manifest = _pg_dump(engine, dump)
        else:
            manifest = _sqlite_dump(engine, dump)
        header = manifest.to_json()
        try:
            with partial.open("wb") as out, dump.open("rb") as dumped:
                os.fchmod(out.fileno(), 0o600)
                _encrypt(_Concat(struct.pack(">I", len(header)) + header, dumped), out, key)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    return target, manifest


class _Concat:
    """A readable stream of a bytes prefix followed by a file."""

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        self._prefix, self._rest = prefix, rest

    def read(self, size: int) -> bytes:
        if self._prefix:
            head, self._prefix = self._prefix[:size], self._prefix[size:]
            return head + (self._rest.read(size - len(head)) if len(head) < size else b"")
        return self._rest.read(size)


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The database URL for libpq tools (password in the environment, never on the command line)."""
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _pg_dump(engine: Engine, dump: Path) -> Manifest:
    dsn, env = _libpq(engine)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        manifest = _manifest(connection)
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments are ours
            [
                _tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
                f"--dbname={dsn}",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {_last_line(result.stderr)}")
    return manifest


def _sqlite_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("only a file-based SQLite database can be backed up")
    return Path(database)


def _sqlite_dump(engine: Engine, dump: Path) -> Manifest:
    source = sqlite3.connect(_sqlite_file(engine))
    copy = sqlite3.connect(dump)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    copy_engine = _sqlite_engine(dump)
    try:
        with copy_engine.connect() as connection:
            return _manifest(connection)
    finally:
        copy_engine.dispose()


def _sqlite_engine(path: Path) -> Engine:
    from sqlalchemy import create_engine

    return create_engine(f"sqlite:///{path}")


def _last_line(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"


# -- verify ------------------------------------------------------------------------------------


@contextmanager
def _decrypted(path: Path, keys: list[str]) -> Iterator[tuple[Manifest, Path]]:
    """Decrypt `path` into a private scratch file: (manifest, the dump)."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    key = _key_for(path, keys)
    with tempfile.TemporaryDirectory(prefix="healix-restore-") as scratch:
        dump = Path(scratch) / "dump"
        buffer = b""
        manifest: Manifest | None = None
        with path.open("rb") as source, dump.open("wb") as out:
            for chunk in _decrypt(source, key):
                if manifest is None:
                    buffer += chunk
                    if len(buffer) < 4:
                        continue
                    size = struct.unpack(">I", buffer[:4])[0]
                    if len(buffer) < 4 + size:
                        continue
                    manifest = Manifest.from_json(buffer[4 : 4 + size])
                    out.write(buffer[4 + size :])
                else:
                    out.write(chunk)
        if manifest is None:
            raise BackupError("the backup holds no manifest")
        yield manifest, dump


def verify(path: Path, *, keys: list[str]) -> Manifest:
    """Decrypt and authenticate the whole archive and check its dump against the manifest."""
    with _decrypted(path, keys) as (manifest, dump):
        _check_dump(manifest, dump)
    return manifest


def _check_dump(manifest: Manifest, dump: Path) -> None:
    if manifest.dialect == "postgresql":
        result = subprocess.run(  # noqa: S603
            [_tool("pg_restore"), "--list", str(dump)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"the dump is unreadable: {_last_line(result.stderr)}")
        return
    copy_engine = _sqlite_engine(dump)
    try:
        with copy_engine.connect() as connection:
            if connection.scalar(text("PRAGMA integrity_check")) != "ok":
                raise BackupError("the SQLite copy fails its integrity check")
            counted = _manifest(connection)
    finally:
        copy_engine.dispose()
    if counted.row_counts != manifest.row_counts:
        raise BackupError("the SQLite copy's row counts differ from the manifest")


# -- restore -----------------------------------------------------------------------------------


def database_rows(engine: Engine) -> int:
    """Rows in the target database's tables (0 for an empty or freshly migrated database)."""
    with engine.connect() as connection:
        return sum(
            int(connection.scalar(select(func.count()).select_from(table(name))) or 0)
            for name in inspect(connection).get_table_names()
            if name != ALEMBIC_TABLE
        )


def restore(engine: Engine, path: Path, *, keys: list[str], force: bool) -> Restored:
    """Restore `path` into the database of `engine`: verified first, refused when the database
    holds rows unless `force`; afterwards the audit chain must verify and match the manifest."""
    with _decrypted(path, keys) as (manifest, dump):
        _check_dump(manifest, dump)
        if manifest.dialect != engine.dialect.name:
            raise BackupError(
                f"the backup is of a {manifest.dialect} database; this one is {engine.dialect.name}"
            )
        rows = database_rows(engine)
        if rows and not force:
            raise BackupError(
                f"the database is not empty ({rows} rows); restore into an empty database "
                "or pass --force to replace its contents"
            )
        engine.dispose()
        if manifest.dialect == "postgresql":
            _pg_restore(engine, dump)
        else:
            _sqlite_restore(engine, dump)
    engine.dispose()
    return Restored(manifest, _check_restored(engine, manifest))


def _pg_restore(engine: Engine, dump: Path) -> None:
    dsn, env = _libpq(engine)
    result = subprocess.run(  # noqa: S603
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={dsn}",
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {_last_line(result.stderr)}")


def _sqlite_restore(engine: Engine, dump: Path) -> None:
    target_path = _sqlite_file(engine)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _check_restored(engine: Engine, manifest: Manifest) -> int:
    with engine.connect() as connection:
        restored = _manifest(connection)
        with Session(bind=connection) as session:
            chain = audit_chain.verify_chain(session)
    if restored.row_counts != manifest.row_counts:
        differing = sorted(
            name
            for name in set(restored.row_counts) | set(manifest.row_counts)
            if restored.row_counts.get(name) != manifest.row_counts.get(name)
        )
        raise BackupError(f"restored row counts differ from the manifest: {', '.join(differing)}")
    if not chain.ok:
        raise BackupError(f"the restored audit chain is broken at row seq={chain.first_bad_row}")
    if (restored.audit_head_seq, restored.audit_head_hash) != (
        manifest.audit_head_seq,
        manifest.audit_head_hash,
    ):
        raise BackupError("the restored audit chain head differs from the manifest")
    return chain.rows_checked


# -- retention ---------------------------------------------------------------------------------


def prune(directory: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives in `directory`; returns the deleted ones."""
    archives = sorted(directory.glob(f"healix-*{SUFFIX}"), key=lambda p: p.name, reverse=True)
    removed = archives[keep:]
    for archive in removed:
        archive.unlink()
    return removed
