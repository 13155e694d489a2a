"""Hourly rollups of readings: count, sum, min, max and in-range count per patient, type and
UTC hour (models/biomarker_rollup.py), so a summary over a year reads 8,760 rows instead of
every reading.

Rules:
- Only the readings a batch actually stored count (the rows `INSERT ... RETURNING` gave
  back), so a re-sent duplicate adds nothing; faulty readings never count.
- They are added in the transaction that stores the readings (`add`, called by the
  ingestion controller's one insert path), so a summary never lags an answered upload.
- `in_range` counts readings inside the patient's normal band in force; when thresholds
  change, the type's rollups are rebuilt from the readings (`rebuild`).
- Erasure deletes them with the readings.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Insert,
    Integer,
    Select,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from healix.db import is_postgres
from healix.models.base import Base
from healix.models.biomarker import BiomarkerReading, ReadingStatus
from healix.models.biomarker_rollup import BiomarkerRollup
from healix.models.biomarker_threshold import BiomarkerThreshold

SLOT_SECONDS = 3600
#: shifts epochs before grouping so that integer division floors on both databases
#: (both truncate towards zero; every supported year lies after 1970 minus this)
_EPOCH_SHIFT = 86400 * 366 * 200

_R = BiomarkerReading
_U = BiomarkerRollup
#: the rollups table itself, for the bulk statements (typed as a Table, which it is)
ROLLUPS_TABLE = Base.metadata.tables[BiomarkerRollup.__tablename__]
_COLUMNS = ("patient_id", "biomarker_type", "slot_start", "count", "sum", "min", "max", "in_range")


def hour_of(moment: datetime) -> int:
    """The start of `moment`'s UTC hour in epoch seconds."""
    epoch = int(moment.astimezone(UTC).timestamp() // 1)
    return epoch - epoch % SLOT_SECONDS


def add(
    session: Session,
    *,
    patient_id: uuid.UUID,
    readings: Iterable[tuple[str, float, datetime]],
    in_band: Callable[[str, float], bool],
) -> None:
    """Add newly stored, non-faulty `(type, canonical value, measured_at)` readings."""
    totals: dict[tuple[str, int], list[Any]] = {}
    for code, value, measured_at in readings:
        key = (code, hour_of(measured_at))
        inside = 1 if in_band(code, value) else 0
        slot = totals.get(key)
        if slot is None:
            totals[key] = [1, value, value, value, inside]
        else:
            slot[0] += 1
            slot[1] += value
            slot[2] = min(slot[2], value)
            slot[3] = max(slot[3], value)
            slot[4] += inside
    if not totals:
        return
    # one order for every writer: concurrent uploads of a patient lock rollup rows alike
    rows = [
        {
            "patient_id": patient_id,
            "biomarker_type": code,
            "slot_start": slot_start,
            "count": n,
            "sum": total,
            "min": low,
            "max": high,
            "in_range": inside,
        }
        for (code, slot_start), (n, total, low, high, inside) in sorted(totals.items())
    ]
    if is_postgres(session):
        columns = {name: [row[name] for row in rows] for name in _COLUMNS}
        session.execute(_upsert_unnest(), columns)
    else:
        session.execute(_upsert_sqlite(), rows)


@cache
def _upsert_unnest() -> Insert:
    """`INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE` adding to the totals."""
    table = ROLLUPS_TABLE
    arrays = [cast(bindparam(name), postgresql.ARRAY(table.c[name].type)) for name in _COLUMNS]
    incoming = func.unnest(*arrays).table_valued(*_COLUMNS).render_derived(name="incoming")
    statement = postgresql.insert(table).from_select(list(_COLUMNS), select(incoming))
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["patient_id", "biomarker_type", "slot_start"],
        set_={
            "count": table.c.count + excluded.count,
            "sum": table.c.sum + excluded.sum,
            "min": func.least(table.c.min, excluded.min),
            "max": func.greatest(table.c.max, excluded.max),
            "in_range": table.c.in_range + excluded.in_range,
        },
    )


@cache
def _upsert_sqlite() -> Insert:
    table = ROLLUPS_TABLE
    statement = sqlite.insert(table)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["patient_id", "biomarker_type", "slot_start"],
        set_={
            "count": table.c.count + excluded.count,
            "sum": table.c.sum + excluded.sum,
            "min": func.min(table.c.min, excluded.min),
            "max": func.max(table.c.max, excluded.max),
            "in_range": table.c.in_range + excluded.in_range,
        },
    )


def _reading_hour(session: Session) -> ColumnElement[int]:
    """SQL: the start of a reading's UTC hour in epoch seconds."""
    if is_postgres(session):
        epoch: ColumnElement[Any] = func.extract("epoch", _R.measured_at)
        return cast(func.floor(epoch / SLOT_SECONDS) * SLOT_SECONDS, BigInteger)
    seconds = cast(func.strftime("%s", _R.measured_at), Integer)
    return (seconds + _EPOCH_SHIFT) // SLOT_SECONDS * SLOT_SECONDS - _EPOCH_SHIFT


def rebuild(
    session: Session,
    *,
    in_band: ColumnElement[bool],
    patient_id: uuid.UUID | None = None,
    biomarker_type: str | None = None,
) -> None:
    """Recompute rollups from the readings: of one patient (or all) and one type (or all).

    `in_band` decides `in_range` for a reading joined (outer) to its patient's
    BiomarkerThreshold row of its type (threshold_controller.effective_band_sql)."""
    remove = delete(_U)
    wanted = [_R.status != ReadingStatus.FAULTY]
    if patient_id is not None:
        remove = remove.where(_U.patient_id == patient_id)
        wanted.append(_R.patient_id == patient_id)
    if biomarker_type is not None:
        remove = remove.where(_U.biomarker_type == biomarker_type)
        wanted.append(_R.biomarker_type == biomarker_type)
    session.execute(remove)
    hour = _reading_hour(session)
    personal = BiomarkerThreshold
    session.execute(
        ROLLUPS_TABLE.insert().from_select(
            list(_COLUMNS),
            select(
                _R.patient_id,
                _R.biomarker_type,
                hour,
                func.count(),
                func.sum(_R.value),
                func.min(_R.value),
                func.max(_R.value),
                func.sum(case((in_band, 1), else_=0)),
            )
            .outerjoin(
                personal,
                (personal.patient_id == _R.patient_id)
                & (personal.biomarker_type == _R.biomarker_type),
            )
            .where(*wanted)
            .group_by(_R.patient_id, _R.biomarker_type, hour),
        )
    )


def totals(*, postgres: bool, slot: int, with_in_range: bool) -> Select[Any]:
    """The statement of (slot start, count, sum, min, max, in_range) per `slot` seconds (an
    hour or a day) of the bound `patient_id` and `biomarker_type` over the whole hours
    [`first_hour`, `last_hour`) (bound, in epoch seconds)."""
    in_range: Any = _U.in_range if with_in_range else literal(0)
    where = (
        _U.patient_id == bindparam("patient_id", type_=_U.patient_id.type),
        _U.biomarker_type == bindparam("biomarker_type", type_=_U.biomarker_type.type),
    )
    first = bindparam("first_hour", type_=BigInteger)
    last = bindparam("last_hour", type_=BigInteger)
    if slot == SLOT_SECONDS:
        return select(_U.slot_start, _U.count, _U.sum, _U.min, _U.max, in_range).where(
            *where, _U.slot_start >= first, _U.slot_start < last
        )
    if postgres:
        return _day_totals_postgres(slot, where, in_range, first, last)
    key = (_U.slot_start + _EPOCH_SHIFT) // slot
    return (
        select(
            key * slot - _EPOCH_SHIFT,
            func.sum(_U.count),
            func.sum(_U.sum),
            func.min(_U.min),
            func.max(_U.max),
            func.sum(in_range),
        )
        .where(*where, _U.slot_start >= first, _U.slot_start < last)
        .group_by(key)
    )


def _day_totals_postgres(
    slot: int,
    where: tuple[ColumnElement[bool], ...],
    in_range: Any,
    first: ColumnElement[int],
    last: ColumnElement[int],
) -> Select[Any]:
    """Per slot (a day), one short index-only range of the rollups, `LATERAL` over the
    slots: a `GROUP BY` of the hours would do the same work plus a sort, which PostgreSQL
    plans for the prepared (generic) statement, whose row estimate is 1 — 5.8 ms instead of
    4.0 for a year of hours on the benchmark machine."""
    first_slot = (first + _EPOCH_SHIFT) // slot * slot - _EPOCH_SHIFT
    slots = (
        func.generate_series(first_slot, last - 1, literal(slot, BigInteger))
        .table_valued("start")
        .render_derived(name="slots")
    )
    within = (
        select(
            func.sum(_U.count).label("n"),
            func.sum(_U.sum).label("total"),
            func.min(_U.min).label("low"),
            func.max(_U.max).label("high"),
            func.sum(in_range).label("inside"),
        )
        .where(
            *where,
            _U.slot_start >= func.greatest(slots.c.start, first),
            _U.slot_start < func.least(slots.c.start + slot, last),
        )
        .lateral("within")
    )
    return (
        select(
            slots.c.start, within.c.n, within.c.total, within.c.low, within.c.high, within.c.inside
        )
        .select_from(slots.join(within, true()))
        .where(within.c.n.is_not(None))
    )
