"""Benchmark data: users, devices and biomarker readings written with PostgreSQL COPY.

Standalone: `python -m bench.generate --patients 50 --days 30 [--url URL]` writes minute-level
heart rate for N patients over D days (the benchmark itself calls the functions below).
"""

from __future__ import annotations

import argparse
import os
import secrets
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

from healix.utils.hashing import sha256_hex

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/healix_bench"
READING_COLUMNS = (
    "id",
    "patient_id",
    "device_id",
    "biomarker_type",
    "value",
    "unit",
    "measured_at",
    "status",
    "source",
    "received_at",
)
UNITS = {
    "heart_rate": "/min",
    "steps": "{steps}",
    "spo2": "%",
    "blood_pressure_systolic": "mm[Hg]",
    "blood_pressure_diastolic": "mm[Hg]",
    "blood_glucose": "mg/dL",
}
CHUNK = 20_000
NULL = "\\N"


def plain_url(url: str) -> str:
    """psycopg wants postgresql://, SQLAlchemy URLs may say postgresql+psycopg://."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def connect(url: str) -> psycopg.Connection:
    return psycopg.connect(plain_url(url), autocommit=True)


@contextmanager
def without_foreign_key_checks(conn: psycopg.Connection) -> Iterator[None]:
    """Skip per-row foreign-key triggers while loading generated rows whose users exist
    (about twice as fast; needs a superuser, otherwise the checks simply stay on)."""
    try:
        conn.execute("SET session_replication_role = replica")
    except psycopg.errors.InsufficientPrivilege:
        yield
        return
    try:
        yield
    finally:
        conn.execute("SET session_replication_role = origin")


class IdMaker:
    """Unique UUID strings, cheap to make: a random prefix and a counter."""

    def __init__(self) -> None:
        self._prefix = str(uuid.uuid4())[:24]
        self._next = 0

    def __call__(self) -> str:
        self._next += 1
        return f"{self._prefix}{self._next:012x}"


def create_patients(
    conn: psycopg.Connection, count: int, *, label: str, password_hash: str | None = None
) -> list[uuid.UUID]:
    """COPY `count` patient rows into users; emails are <label><n>@bench.example."""
    ids = [uuid.uuid4() for _ in range(count)]
    with (
        conn.cursor() as cur,
        cur.copy(
            "COPY users (id, email, password_hash, role, status, first_name, last_name,"
            " email_verified_at, created_at, updated_at) FROM STDIN"
        ) as copy,
    ):
        for number, user_id in enumerate(ids):
            copy.write_row(
                (
                    user_id,
                    f"{label}{number}@bench.example",
                    password_hash,
                    "patient",
                    "active",
                    "Bench",
                    f"{label.title()}{number}",
                    "now",
                    "now",
                    "now",
                )
            )
    return ids


def create_ward(
    conn: psycopg.Connection, patients: int, *, end_epoch: int, password_hash: str
) -> uuid.UUID:
    """A provider (wardprovider@bench.example) with `patients` patients in care, each with a day of
    heart rate every 5 minutes, blood pressure and glucose every 4 hours, a completed and a
    scheduled appointment, and an open alert for every third patient."""
    provider = uuid.uuid4()
    conn.execute(
        "INSERT INTO users (id, email, password_hash, role, status, first_name, last_name,"
        " specialization, email_verified_at, created_at, updated_at) VALUES (%s,"
        " 'wardprovider@bench.example', %s, 'provider', 'active', 'Bench', 'Ward',"
        " 'General Practice', now(), now(), now())",
        (provider, password_hash),
    )
    ids = create_patients(conn, patients, label="ward")
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO provider_patient_relationships (id, provider_id, patient_id, kind,"
            " granted_by_id, valid_from, created_at) VALUES (%s, %s, %s, 'care', %s,"
            " now() - interval '1 day', now())",
            [(uuid.uuid4(), provider, patient, patient) for patient in ids],
        )
        cur.executemany(
            "INSERT INTO appointments (id, patient_id, provider_id, start_time, end_time,"
            " status, reschedule_count, created_at, updated_at) VALUES (%s, %s, %s,"
            " to_timestamp(%s), to_timestamp(%s), %s, 0, now(), now())",
            [
                (uuid.uuid4(), patient, provider, when, when + 1800, status)
                for number, patient in enumerate(ids)
                for when, status in (
                    (end_epoch - (number + 1) * 3600, "completed"),
                    (end_epoch + (number + 1) * 3600, "scheduled"),
                )
            ],
        )
        cur.executemany(
            "INSERT INTO alerts (id, patient_id, biomarker_type, severity, threshold_value,"
            " observed_value, last_value, message, status, occurrences, first_seen_at,"
            " last_seen_at, created_at, updated_at) VALUES (%s, %s, 'heart_rate', 'warning',"
            " 110, 120, 120, 'Heart rate above 110 /min', 'open', 1, now(), now(), now(), now())",
            [(uuid.uuid4(), patient) for patient in ids[::3]],
        )
    rows: list[tuple[str, str | None, str, float, str]] = []
    for patient in ids:
        rows += series(patient, None, end_epoch=end_epoch, step_seconds=300, count=288)
        for kind in ("blood_pressure_systolic", "blood_pressure_diastolic", "blood_glucose"):
            rows += series(
                patient, None, kind=kind, end_epoch=end_epoch, step_seconds=14_400, count=6
            )
    copy_readings(conn, rows)
    return provider


@dataclass(frozen=True)
class BenchDevice:
    id: uuid.UUID
    api_key: str


def create_device(conn: psycopg.Connection, owner_id: uuid.UUID) -> BenchDevice:
    key = "hx_" + secrets.token_urlsafe(32)
    device_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO devices (id, owner_id, device_type, name, api_key_hash, api_key_prefix,"
        " status, created_at, updated_at)"
        " VALUES (%s, %s, 'smartwatch', 'Bench watch', %s, %s, 'active', now(), now())",
        (device_id, owner_id, sha256_hex(key), key[:8]),
    )
    return BenchDevice(device_id, key)


def _timestamp(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(epoch))


def series(
    patient_id: uuid.UUID,
    device_id: uuid.UUID | None,
    *,
    kind: str = "heart_rate",
    end_epoch: int,
    step_seconds: int,
    count: int,
) -> Iterator[tuple[str, str, str | None, str, float, str]]:
    """`count` readings of one patient, `step_seconds` apart, the newest at `end_epoch`."""
    patient, device = str(patient_id), str(device_id) if device_id else None
    for number in range(count):
        epoch = end_epoch - (count - 1 - number) * step_seconds
        yield patient, device, kind, 60 + (epoch // 60) % 40, _timestamp(epoch)


def interleaved(
    patients: list[uuid.UUID], *, end_epoch: int, step_seconds: int, total: int
) -> Iterator[tuple[str, str, str | None, str, float, str]]:
    """`total` heart-rate readings spread over `patients` in time order, as devices upload
    them: every step, one reading per patient."""
    per_patient = -(-total // len(patients))
    names = [str(patient) for patient in patients]
    produced = 0
    for number in range(per_patient):
        epoch = end_epoch - (per_patient - 1 - number) * step_seconds
        stamp, value = _timestamp(epoch), 60 + (epoch // 60) % 40
        for name in names:
            if produced == total:
                return
            yield name, None, "heart_rate", value, stamp
            produced += 1


def copy_readings(
    conn: psycopg.Connection,
    rows: Iterable[tuple[str, str | None, str, float, str]],
    *,
    device_id: uuid.UUID | None = None,
) -> int:
    """COPY (patient_id, device_id, type, value, measured_at) tuples into biomarker_readings."""
    make_id = IdMaker()
    written = 0
    lines: list[str] = []
    with (
        conn.cursor() as cur,
        cur.copy(f"COPY biomarker_readings ({', '.join(READING_COLUMNS)}) FROM STDIN") as copy,
    ):
        for patient, device, kind, value, stamp in rows:
            lines.append(
                f"{make_id()}\t{patient}\t{device or device_id or NULL}\t{kind}\t{value}\t"
                f"{UNITS[kind]}\t{stamp}\tok\tdevice\t{stamp}\n"
            )
            if len(lines) >= CHUNK:
                copy.write("".join(lines))
                written += len(lines)
                lines.clear()
        if lines:
            copy.write("".join(lines))
            written += len(lines)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    with connect(args.url) as conn:
        patients = create_patients(conn, args.patients, label="gen")
        started = time.perf_counter()
        total = args.patients * args.days * 24 * 60
        written = copy_readings(
            conn,
            interleaved(patients, end_epoch=int(time.time()), step_seconds=60, total=total),
        )
        elapsed = time.perf_counter() - started
    print(f"{written:,} readings in {elapsed:.1f} s ({written / elapsed:,.0f}/s)")


if __name__ == "__main__":
    main()
