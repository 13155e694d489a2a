"""The newest non-faulty reading per patient and type (models/biomarker_latest.py), so the
provider's overview reads 4 rows per patient by primary key instead of walking each
history.

Rules (those of the overview, which shows them):
- Only readings a batch actually stored count (the rows `INSERT ... RETURNING` gave back),
  faulty ones never; the newest is the greatest (measured_at, id).
- They are kept in the transaction that stores the readings (`add`, called by the ingestion
  controller's one insert path) by an upsert that replaces a row only with a newer reading,
  so an older or late reading and concurrent uploads in any commit order leave the newest.
- Readings loaded around the ingest path (demo seeding, COPY) are followed by `rebuild`
  (`flask rebuild-rollups` does it for all); erasure deletes them with the readings.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Protocol

from sqlalchemy import Insert, delete, func, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from healix.biomarker_catalog import CATALOG
from healix.db import is_postgres
from healix.models.base import Base
from healix.models.biomarker import BiomarkerReading, ReadingStatus
from healix.models.biomarker_latest import BiomarkerLatest

#: the table itself, for the bulk statements (typed as a Table, which it is)
LATEST_TABLE = Base.metadata.tables[BiomarkerLatest.__tablename__]
_R = BiomarkerReading
_L = BiomarkerLatest


class StoredRow(Protocol):
    """A reading the insert path stored (ingestion_controller.StoredReading)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def status(self) -> str: ...
    @property
    def biomarker_type(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def measured_at(self) -> datetime: ...


def add(session: Session, *, patient_id: uuid.UUID, stored: Iterable[StoredRow]) -> None:
    """Take newly stored readings of one patient (rows of id, status, biomarker_type, value,
    measured_at; values in the catalog's canonical unit) into the latest per type."""
    newest: dict[str, tuple[datetime, uuid.UUID, float]] = {}
    for row in stored:
        if row.status == ReadingStatus.FAULTY:
            continue
        candidate = (row.measured_at, row.id, row.value)
        best = newest.get(row.biomarker_type)
        if best is None or candidate[:2] > best[:2]:
            newest[row.biomarker_type] = candidate
    if not newest:
        return
    # one order for every writer: concurrent uploads of a patient lock the rows alike
    rows = [
        {
            "patient_id": patient_id,
            "biomarker_type": code,
            "reading_id": reading_id,
            "value": value,
            "unit": CATALOG[code].unit,
            "measured_at": measured_at,
        }
        for code, (measured_at, reading_id, value) in sorted(newest.items())
    ]
    session.execute(_upsert("postgresql" if is_postgres(session) else "sqlite"), rows)


@cache
def _upsert(dialect: str) -> Insert:
    """`INSERT ... ON CONFLICT (patient_id, biomarker_type) DO UPDATE ... WHERE` the incoming
    reading is newer than the stored one."""
    table = LATEST_TABLE
    statement = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    incoming = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["patient_id", "biomarker_type"],
        set_={name: incoming[name] for name in ("reading_id", "value", "unit", "measured_at")},
        where=tuple_(incoming.measured_at, incoming.reading_id)
        > tuple_(table.c.measured_at, table.c.reading_id),
    )


def rebuild(session: Session, *, patient_id: uuid.UUID | None = None) -> None:
    """Recompute the latest readings from the readings: of one patient, or of everyone."""
    remove = delete(_L)
    wanted = [_R.status != ReadingStatus.FAULTY]
    if patient_id is not None:
        remove = remove.where(_L.patient_id == patient_id)
        wanted.append(_R.patient_id == patient_id)
    session.execute(remove)
    position = (
        func.row_number()
        .over(
            partition_by=(_R.patient_id, _R.biomarker_type),
            order_by=(_R.measured_at.desc(), _R.id.desc()),
        )
        .label("position")
    )
    ranked = (
        select(_R.patient_id, _R.biomarker_type, _R.id, _R.value, _R.unit, _R.measured_at, position)
        .where(*wanted)
        .subquery()
    )
    columns = ["patient_id", "biomarker_type", "reading_id", "value", "unit", "measured_at"]
    session.execute(
        LATEST_TABLE.insert().from_select(
            columns,
            select(
                ranked.c.patient_id,
                ranked.c.biomarker_type,
                ranked.c.id,
                ranked.c.value,
                ranked.c.unit,
                ranked.c.measured_at,
            ).where(ranked.c.position == 1),
        )
    )
