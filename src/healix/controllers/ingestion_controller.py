"""Storing batches of readings from devices and from patients' manual entries.

A batch arrives validated (schemas/biomarker.py) and is stored in the request's one
transaction:

1. values are converted to the catalog's canonical unit; implausible ones are kept with
   status `faulty` (fault_reason `out_of_range`) and never raise alerts;
2. repeats inside the batch are dropped, then rows are inserted in bulk (1,000 per
   statement) with `INSERT ... ON CONFLICT DO NOTHING RETURNING`, so samples already stored
   (same device or manual source, type and time; or same external_id) are skipped by the
   database's unique indexes, also against concurrent uploads;
3. the stored ok readings are checked against the patient's thresholds (alert_controller);
4. one audit row records the counts.

Steps 1-3 are `store_samples()`, the one insert path of readings: the device and manual
uploads call it once per request, an import job (import_controller) once per chunk of a file,
with alerts collected by the job and raised when it finishes, and one audit row per import.

With an `Idempotency-Key`, the first response is stored and returned again for the same
key and body; the same key with another body is a 409.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Insert, Text, bindparam, cast, column, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.biomarker_catalog import CATALOG, Thresholds
from healix.controllers import alert_controller, latest_controller, rollup_controller
from healix.controllers.threshold_controller import Level, classify, effective_thresholds
from healix.db import is_postgres, transaction_lock
from healix.exceptions import Conflict, ValidationFailed
from healix.models.base import Base, uuid7
from healix.models.biomarker import BiomarkerReading, ReadingSource, ReadingStatus
from healix.models.device import Device, DeviceStatus
from healix.models.idempotency_key import IdempotencyKey
from healix.models.user import User
from healix.schemas.biomarker import ReadingBatch
from healix.utils.hashing import sha256_hex
from healix.utils.time import utcnow

#: rows per INSERT statement (14 parameters each keeps well under both databases' limits)
INSERT_CHUNK_ROWS = 1000
FAULT_OUT_OF_RANGE = "out_of_range"
IDEMPOTENCY_KEY_MAX_LENGTH = 255
CREATED = 201
#: the readings table itself, for the bulk inserts (typed as a Table, which it is)
READINGS_TABLE = Base.metadata.tables[BiomarkerReading.__tablename__]


@dataclass(frozen=True)
class IngestCounts:
    """What happened to a batch: accepted + faulty + duplicates = readings sent."""

    accepted: int
    faulty: int
    duplicates: int
    alerts_created: int


@dataclass(frozen=True)
class IngestOutcome:
    """What to answer: a fresh result, or the stored first response to a replayed request."""

    status: int
    counts: IngestCounts
    replayed: bool = False


@dataclass(frozen=True)
class IngestSource:
    """Whose readings these are and where they come from (`scope` keys idempotency)."""

    patient: User
    device_id: uuid.UUID | None
    kind: ReadingSource
    scope: str


@dataclass(frozen=True, slots=True)
class Sample:
    """One reading on its way in, in any accepted unit of its (known) type."""

    type: str
    value: float
    unit: str
    measured_at: datetime
    external_id: str | None = None
    notes: str | None = None
    provenance: str | None = None


@dataclass(frozen=True)
class StoredSamples:
    """What `store_samples()` did: rows stored (ok and faulty), repeats skipped, and the ok
    readings as `(type, canonical value, measured_at)` for the threshold check."""

    accepted: int
    faulty: int
    duplicates: int
    ok_readings: list[tuple[str, float, datetime]]
    thresholds: dict[str, Thresholds]


def ingest_from_device(
    session: Session,
    *,
    device: Device,
    owner: User,
    batch: ReadingBatch,
    idempotency_key: str | None = None,
) -> IngestOutcome:
    """Store a device's batch for its owner and mark the device as synced."""
    source = IngestSource(owner, device.id, ReadingSource.DEVICE, f"device:{device.id}")
    outcome = _ingest(session, source=source, batch=batch, idempotency_key=idempotency_key)
    if not outcome.replayed:
        session.execute(
            update(Device)
            .where(Device.id == device.id)
            .values(last_sync_at=utcnow(), status=DeviceStatus.ACTIVE)
        )
    return outcome


def ingest_manual(
    session: Session, *, actor: User, batch: ReadingBatch, idempotency_key: str | None = None
) -> IngestOutcome:
    """Store readings a patient entered by hand (source manual, no device)."""
    source = IngestSource(actor, None, ReadingSource.MANUAL, f"user:{actor.id}")
    return _ingest(session, source=source, batch=batch, idempotency_key=idempotency_key)


def _ingest(
    session: Session, *, source: IngestSource, batch: ReadingBatch, idempotency_key: str | None
) -> IngestOutcome:
    request_hash: str | None = None  # only needed, and so only computed, with a key
    if idempotency_key is not None:
        request_hash = sha256_hex(batch.model_dump_json())
        replay = _stored_response(
            session, scope=source.scope, key=idempotency_key, request_hash=request_hash
        )
        if replay is not None:
            return replay
    samples = [
        Sample(
            type=reading.type,
            value=reading.value,
            unit=reading.unit,
            measured_at=reading.timestamp,
            external_id=reading.external_id,
            notes=reading.notes,
        )
        for reading in batch.readings
    ]
    stored = store_samples(session, source=source, samples=samples)
    alerts_created = alert_controller.raise_alerts(
        session, patient=source.patient, readings=stored.ok_readings, thresholds=stored.thresholds
    )
    counts = IngestCounts(
        accepted=stored.accepted,
        faulty=stored.faulty,
        duplicates=stored.duplicates,
        alerts_created=alerts_created,
    )
    _audit(session, source=source, counts=counts)
    if idempotency_key is not None and request_hash is not None:
        session.add(
            IdempotencyKey(
                scope=source.scope,
                key=idempotency_key,
                request_hash=request_hash,
                response_status=CREATED,
                response_body=asdict(counts),
            )
        )
    return IngestOutcome(status=CREATED, counts=counts)


def _stored_response(
    session: Session, *, scope: str, key: str, request_hash: str
) -> IngestOutcome | None:
    """The first response to (scope, key), or None if the key is new.

    The lock makes a concurrent request with the same key wait for the first to commit, so
    it replays instead of storing the batch twice.
    """
    if not key or len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise ValidationFailed.single(
            "Idempotency-Key", f"must be 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} characters"
        )
    transaction_lock(session, f"healix.idempotency:{scope}:{key}")
    stored = session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
    )
    if stored is None:
        return None
    if stored.request_hash != request_hash:
        raise Conflict("This Idempotency-Key was already used with a different request body.")
    return IngestOutcome(
        stored.response_status, IngestCounts(**stored.response_body), replayed=True
    )


def store_samples(
    session: Session, *, source: IngestSource, samples: Sequence[Sample]
) -> StoredSamples:
    """Convert, classify and insert `samples` (steps 1 and 2 above); already stored or
    repeated samples are skipped. Alerts and audit are the caller's (step 3 and 4)."""
    rows = _prepare_rows(samples, source=source)
    stored = insert_readings(session, patient_id=source.patient.id, rows=rows)
    ok_readings = [
        (row.biomarker_type, row.value, row.measured_at)
        for row in stored
        if row.status == ReadingStatus.OK
    ]
    return StoredSamples(
        accepted=len(ok_readings),
        faulty=len(stored) - len(ok_readings),
        duplicates=len(samples) - len(stored),
        ok_readings=ok_readings,
        thresholds=stored.thresholds,
    )


def _prepare_rows(samples: Sequence[Sample], *, source: IngestSource) -> list[dict[str, Any]]:
    """Canonical rows for the samples, without those repeated (first one wins): the same
    (type, time) from one device or by hand, or the same external id."""
    received_at = utcnow()
    per_time = source.kind != ReadingSource.IMPORT  # imports repeat times across sources
    seen_samples: set[tuple[str, datetime]] = set()
    seen_external_ids: set[str] = set()
    rows: list[dict[str, Any]] = []
    for reading in samples:
        measured_at = reading.measured_at.astimezone(UTC)
        sample = (reading.type, measured_at)
        if (per_time and sample in seen_samples) or reading.external_id in seen_external_ids:
            continue
        seen_samples.add(sample)
        if reading.external_id is not None:
            seen_external_ids.add(reading.external_id)
        entry = CATALOG[reading.type]
        value = entry.to_canonical(reading.value, reading.unit)
        plausible = entry.is_plausible(value)
        rows.append(
            {
                "id": uuid7(),
                "patient_id": source.patient.id,
                "device_id": source.device_id,
                "biomarker_type": reading.type,
                "value": value,
                "unit": entry.unit,
                "measured_at": measured_at,
                "status": ReadingStatus.OK if plausible else ReadingStatus.FAULTY,
                "fault_reason": None if plausible else FAULT_OUT_OF_RANGE,
                "source": source.kind,
                "external_id": reading.external_id,
                "notes": reading.notes,
                "provenance": reading.provenance,
                "received_at": received_at,
            }
        )
    # a stable order makes concurrent overlapping uploads take index locks in the same order
    rows.sort(key=lambda row: (row["biomarker_type"], row["measured_at"]))
    return rows


class StoredReading(NamedTuple):
    """One row a batch actually stored, as `insert_readings` was given it."""

    id: uuid.UUID
    status: str
    biomarker_type: str
    value: float
    measured_at: datetime


class StoredReadings(list[StoredReading]):
    """The rows a batch actually stored, and the patient's thresholds they were checked by."""

    def __init__(self, rows: list[StoredReading], thresholds: dict[str, Thresholds]) -> None:
        super().__init__(rows)
        self.thresholds = thresholds


def insert_readings(
    session: Session, *, patient_id: uuid.UUID, rows: Sequence[dict[str, Any]]
) -> StoredReadings:
    """The one insert path of readings: insert canonical rows of one patient in bulk (rows
    hitting a unique index are skipped, not failed) and add the stored non-faulty ones to
    the hourly rollups in the same transaction. Every row must carry the columns of
    `_prepare_rows` (canonical unit, status decided, aware `measured_at`); `provenance` may
    be left out.

    Returns the rows actually stored (id, status, biomarker_type, value, measured_at).
    """
    thresholds = effective_thresholds(session, patient_id=patient_id)
    if not rows:
        return StoredReadings([], thresholds)
    if is_postgres(session):
        stored_ids = _insert_rows_postgres(session, rows)
    else:
        stored_ids = _insert_rows_sqlite(session, rows)
    stored = [
        StoredReading(
            row["id"], row["status"], row["biomarker_type"], row["value"], row["measured_at"]
        )
        for row in rows
        if row["id"] in stored_ids
    ]
    rollup_controller.add(
        session,
        patient_id=patient_id,
        readings=[
            (row.biomarker_type, row.value, row.measured_at)
            for row in stored
            if row.status == ReadingStatus.OK
        ],
        in_band=lambda code, value: classify(value, thresholds[code])[0] is Level.NORMAL,
    )
    latest_controller.add(session, patient_id=patient_id, stored=stored)
    return StoredReadings(stored, thresholds)


_INSERT_COLUMNS = (
    "id",
    "patient_id",
    "device_id",
    "biomarker_type",
    "value",
    "unit",
    "measured_at",
    "status",
    "fault_reason",
    "source",
    "external_id",
    "notes",
    "provenance",
    "received_at",
)


@cache
def _insert_from_json() -> Insert:
    """`INSERT ... SELECT * FROM json_to_recordset(CAST(:rows AS JSON)) AS incoming(id UUID,
    ...) ON CONFLICT DO NOTHING RETURNING id`, built once."""
    table = READINGS_TABLE
    rows = (
        func.json_to_recordset(cast(bindparam("rows", type_=Text()), postgresql.JSON))
        .table_valued(*(column(name, table.c[name].type) for name in _INSERT_COLUMNS))
        .render_derived(name="incoming", with_types=True)
    )
    return (
        postgresql.insert(table)
        .from_select(list(_INSERT_COLUMNS), select(rows))
        .on_conflict_do_nothing()
        .returning(table.c.id)
    )


def _insert_rows_postgres(session: Session, rows: Sequence[dict[str, Any]]) -> set[uuid.UUID]:
    """One `INSERT ... SELECT FROM json_to_recordset(:rows) ON CONFLICT DO NOTHING RETURNING
    id`: the whole batch is one JSON text parameter, encoded by orjson (C) and parsed by the
    server, so neither SQLAlchemy's type processors nor psycopg's (Python) array encoder
    touch each value; a missing key (`provenance`) reads as NULL. The ids of the stored
    rows come back."""
    document = orjson.dumps(list(rows)).decode()
    return set(session.scalars(_insert_from_json(), {"rows": document}))


def _insert_rows_sqlite(session: Session, rows: Sequence[dict[str, Any]]) -> set[uuid.UUID]:
    """One compiled `INSERT ... ON CONFLICT DO NOTHING RETURNING id` as an executemany, which
    SQLAlchemy's "insertmanyvalues" sends as multi-row VALUES pages of INSERT_CHUNK_ROWS rows."""
    table = READINGS_TABLE
    statement = sqlite.insert(table).on_conflict_do_nothing().returning(table.c.id)
    result = session.scalars(
        statement,
        list(rows),
        execution_options={"insertmanyvalues_page_size": INSERT_CHUNK_ROWS},
    )
    return set(result)


def _audit(session: Session, *, source: IngestSource, counts: IngestCounts) -> None:
    details: dict[str, Any] = {"source": str(source.kind), **asdict(counts)}
    if source.device_id is not None:
        details["device_id"] = str(source.device_id)
    audit_logger.record(
        session,
        AuditAction.BIOMARKER_READINGS_INGESTED,
        actor=source.patient,
        resource_type=ResourceType.DEVICE if source.device_id else ResourceType.BIOMARKER_READINGS,
        resource_id=source.device_id,
        patient_id=source.patient.id,
        details=details,
    )
