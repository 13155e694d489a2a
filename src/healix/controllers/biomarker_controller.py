"""Reading biomarker data: the latest value per type, history pages and bucketed summaries.

Who may read: the patient, an admin, or a provider with an active relationship
(`ensure_patient_access`, which also audits the read). Faulty readings never count; the
history shows them only on request.

Summaries are aggregated in SQL per UTC slot (a day or an hour, or 15 minutes for zones
with half-hour offsets) and the slots are folded in Python into buckets whose boundaries come
from zoneinfo, so local days and weeks are right across daylight-saving changes on both
PostgreSQL and SQLite. Count, sum, min and max fold exactly; avg = sum / count.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session

from healix.audit.events import AuditAction, ResourceType
from healix.biomarker_catalog import BIOMARKER_CODES, CATALOG, Thresholds
from healix.controllers import rollup_controller
from healix.controllers.access import ensure_patient_access, patient_or_self
from healix.controllers.threshold_controller import (
    classify,
    effective_thresholds,
    normal_band,
    thresholds_in_force,
)
from healix.db import is_postgres
from healix.exceptions import ValidationFailed
from healix.models.biomarker import BiomarkerReading, ReadingStatus
from healix.models.biomarker_threshold import BiomarkerThreshold
from healix.models.profile import Profile
from healix.models.user import User
from healix.utils.pagination import (
    AnySelect,
    Paged,
    clamp_limit,
    decode_cursor,
    encode_cursor,
)
from healix.utils.periods import Period, PeriodUnit, boundaries, slot_seconds
from healix.utils.time import zone

DEFAULT_SUMMARY_DAYS = 7
MAX_BUCKETS = 2000

_R = BiomarkerReading
READING_COLUMNS = (
    _R.id,
    _R.biomarker_type,
    _R.value,
    _R.unit,
    _R.measured_at,
    _R.status,
    _R.fault_reason,
    _R.source,
    _R.device_id,
)
NOT_FAULTY = _R.status != ReadingStatus.FAULTY


@dataclass(slots=True)
class BucketTotals:
    """One bucket's totals, folded in place from its slots' rows (`bucket_totals`). Not
    frozen: a summary builds hundreds per request, and a frozen dataclass's `__init__` costs
    about five times as much."""

    start: datetime
    count: int
    sum: float
    min: float | None
    max: float | None
    #: readings inside the patient's normal band (counted only when a band is asked for)
    in_range: int = 0

    @property
    def avg(self) -> float | None:
        return self.sum / self.count if self.count else None


@dataclass(frozen=True)
class LatestReading:
    """The newest non-faulty reading of one type, with its level against the thresholds."""

    id: uuid.UUID
    biomarker_type: str
    value: float
    unit: str
    measured_at: datetime
    level: str


@dataclass(frozen=True)
class CurrentReadings:
    patient_id: uuid.UUID
    readings: list[LatestReading]


@dataclass(frozen=True)
class Summary:
    patient_id: uuid.UUID
    biomarker_type: str
    unit: str
    bucket: str
    timezone: str
    start: datetime
    end: datetime
    items: list[BucketTotals]
    #: share of the range's readings inside the normal band; None without readings or a band
    time_in_range: float | None = None


def patient_timezone(session: Session, patient_id: uuid.UUID) -> ZoneInfo:
    """The patient's zone (Profile.timezone); UTC when they have no profile."""
    return zone(session.scalar(select(Profile.timezone).where(Profile.user_id == patient_id)))


def resolve_patient(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID | None,
    resource_type: ResourceType = ResourceType.BIOMARKER_READINGS,
) -> User:
    """The patient whose data is read (default: the caller), after the audited access check."""
    return ensure_patient_access(
        session,
        actor=actor,
        patient_id=patient_or_self(actor, patient_id),
        action=AuditAction.PROVIDER_VIEW_HEALTH_DATA,
        resource_type=resource_type,
    )


def current_readings(
    session: Session, *, actor: User, patient_id: uuid.UUID | None
) -> CurrentReadings:
    """The latest non-faulty reading of every type the patient has, with its level.

    One statement: a UNION ALL of one `ORDER BY measured_at DESC LIMIT 1` per catalog type,
    each answered by a short backward walk of the history index.
    """
    patient = resolve_patient(session, actor=actor, patient_id=patient_id)
    rows = session.execute(_latest_per_type(), {"patient_id": patient.id}).all()
    thresholds = effective_thresholds(session, patient_id=patient.id)
    readings = [
        LatestReading(
            id=row.id,
            biomarker_type=row.biomarker_type,
            value=row.value,
            unit=row.unit,
            measured_at=row.measured_at,
            level=str(classify(row.value, thresholds[row.biomarker_type])[0]),
        )
        for row in rows
    ]
    readings.sort(key=lambda item: BIOMARKER_CODES.index(item.biomarker_type))
    return CurrentReadings(patient.id, readings)


@cache
def _latest_per_type() -> CompoundSelect[*tuple[Any, ...]]:
    """Built once; the patient id is bound at execution."""
    latest = [
        select(*READING_COLUMNS)
        .where(
            _R.patient_id == bindparam("patient_id", type_=_R.patient_id.type),
            _R.biomarker_type == code,
            NOT_FAULTY,
        )
        .order_by(_R.measured_at.desc(), _R.id.desc())
        .limit(1)
        .subquery()
        for code in BIOMARKER_CODES
    ]
    return union_all(*(select(sub) for sub in latest))


def history(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID | None,
    biomarker_type: str | None,
    period: Period,
    include_faulty: bool,
    limit: int | None,
    cursor: str | None,
) -> Paged[Any]:
    """Readings newest first, one keyset page at a time over (measured_at, id).

    With a type, the history index answers the page directly; without one, the page is
    merged from one short index range per type (see `_all_types_history`). The statements
    are built once per filter shape and the values bound at execution.
    """
    patient = resolve_patient(session, actor=actor, patient_id=patient_id)
    size = clamp_limit(limit)
    params: dict[str, Any] = {"patient_id": patient.id, "limit": size + 1}
    if cursor:
        params["after_measured_at"], params["after_id"] = decode_cursor(
            cursor, 2, types=(datetime, uuid.UUID)
        )
    if period.start is not None:
        params["start"] = period.start
    if period.end is not None:
        params["end"] = period.end
    shape = (bool(cursor), include_faulty, period.start is not None, period.end is not None)
    if biomarker_type is None:
        statement = _all_types_history(*shape)
    else:
        params["biomarker_type"] = biomarker_type
        statement = _typed_history(*shape)
    rows = session.execute(statement, params).all()
    last = rows[size - 1] if len(rows) > size else None
    return Paged(list(rows[:size]), encode_cursor((last.measured_at, last.id)) if last else None)


@cache
def _typed_history(
    after_cursor: bool, include_faulty: bool, from_start: bool, until_end: bool
) -> AnySelect:
    """The next readings of the bound type, straight from the history index."""
    return (
        _history_range(after_cursor, include_faulty, from_start, until_end, code=None)
        .order_by(_R.measured_at.desc(), _R.id.desc())
        .limit(bindparam("limit", type_=Integer))
    )


@cache
def _all_types_history(
    after_cursor: bool, include_faulty: bool, from_start: bool, until_end: bool
) -> AnySelect:
    """The next readings of every type: a UNION ALL of one short, ordered, limited range of
    the history index per type, which PostgreSQL merges (Merge Append) instead of sorting
    the patient's whole history."""
    branches = [
        select(
            _history_range(after_cursor, include_faulty, from_start, until_end, code=code)
            .order_by(_R.measured_at.desc(), _R.id.desc())
            .limit(bindparam("limit", type_=Integer))
            .subquery()
        )
        for code in BIOMARKER_CODES
    ]
    merged = union_all(*branches).subquery("readings")
    return (
        select(merged)
        .order_by(merged.c.measured_at.desc(), merged.c.id.desc())
        .limit(bindparam("limit", type_=Integer))
    )


def _history_range(
    after_cursor: bool, include_faulty: bool, from_start: bool, until_end: bool, *, code: str | None
) -> AnySelect:
    """A patient's readings of type `code` (None: the bound `biomarker_type`) in the period
    (the half-open [start, end) of `Period`) after the cursor, all values bound."""
    when = _R.measured_at.type
    statement: AnySelect = select(*READING_COLUMNS).where(
        _R.patient_id == bindparam("patient_id", type_=_R.patient_id.type),
        _R.biomarker_type == (code or bindparam("biomarker_type", type_=_R.biomarker_type.type)),
    )
    if not include_faulty:
        statement = statement.where(NOT_FAULTY)
    if from_start:
        statement = statement.where(_R.measured_at >= bindparam("start", type_=when))
    if until_end:
        statement = statement.where(_R.measured_at < bindparam("end", type_=when))
    if after_cursor:
        statement = statement.where(
            tuple_(_R.measured_at, _R.id)
            < tuple_(
                bindparam("after_measured_at", type_=when),
                bindparam("after_id", type_=_R.id.type),
            )
        )
    return statement


def _slot_start(postgres: bool, slot: int) -> tuple[ColumnElement[Any], ColumnElement[int]]:
    """(group key, start of the slot in epoch seconds) for a reading's UTC slot.

    PostgreSQL bins with `date_bin` (integer timestamp arithmetic per reading) and converts
    only each group's key to epoch seconds; SQLite divides the epoch seconds.
    """
    if postgres:
        stride: ColumnElement[Any] = literal_column(f"'{int(slot)} seconds'::interval")
        binned: ColumnElement[Any] = func.date_bin(
            stride, _R.measured_at, literal_column("'epoch'::timestamptz")
        )
        return binned, cast(func.extract("epoch", binned), BigInteger)
    key = cast(func.strftime("%s", _R.measured_at), Integer) // slot
    return key, key * slot


def _lower(current: float | None, value: float | None) -> float | None:
    return value if current is None else current if value is None else min(current, value)


def _higher(current: float | None, value: float | None) -> float | None:
    return value if current is None else current if value is None else max(current, value)


#: a band's sides as bound: (lowest normal value given, highest normal value given)
BandShape = tuple[bool, bool]


def _slot_totals(
    session: Session,
    *,
    patient_id: uuid.UUID,
    biomarker_type: str,
    low: datetime,
    high: datetime,
    slot: int,
    band: tuple[float | None, float | None] | None,
) -> list[Any]:
    """(slot start, count, sum, min, max, in range) rows over [low, high) per UTC `slot`, in
    one statement.

    Slots of an hour or a day come from the hourly rollups for the whole hours and from the
    readings for the partial hours at either end; shorter slots (zones with half-hour
    offsets) from the readings alone. `band` must be the patient's normal band in force
    (threshold_controller.normal_band), which is the band the rollups count."""
    params: dict[str, Any] = {"patient_id": patient_id, "biomarker_type": biomarker_type}
    first_hour = -(-int(low.timestamp()) // rollup_controller.SLOT_SECONDS)
    first_hour *= rollup_controller.SLOT_SECONDS
    last_hour = rollup_controller.hour_of(high)
    rollups = slot >= rollup_controller.SLOT_SECONDS and first_hour < last_hour
    if rollups:
        params |= {"first_hour": first_hour, "last_hour": last_hour}
        params |= {"head_low": low, "head_high": datetime.fromtimestamp(first_hour, UTC)}
        params |= {"tail_low": datetime.fromtimestamp(last_hour, UTC), "tail_high": high}
    else:
        params |= {"head_low": low, "head_high": high, "tail_low": high, "tail_high": high}
    shape: BandShape | None = None
    if band is not None:
        shape = (band[0] is not None, band[1] is not None)
        params |= {"band_low": band[0], "band_high": band[1]}
    statement = _totals_statement(
        is_postgres(session),
        slot,
        rollups=rollups,
        head=params["head_low"] < params["head_high"],
        tail=params["tail_low"] < params["tail_high"],
        band=shape,
    )
    return list(session.execute(statement, params).all())


@cache
def _totals_statement(
    postgres: bool, slot: int, *, rollups: bool, head: bool, tail: bool, band: BandShape | None
) -> Any:
    """The UNION ALL of the rollups' whole hours and the readings' partial hours, built once
    per shape; every value is bound at execution."""
    parts: list[Select[Any]] = []
    if rollups:
        parts.append(
            rollup_controller.totals(postgres=postgres, slot=slot, with_in_range=band is not None)
        )
    for piece, wanted in (("head", head), ("tail", tail)):
        if wanted:
            parts.append(_raw_totals(postgres, slot, piece, band))
    return union_all(*parts) if len(parts) > 1 else parts[0]


def _raw_totals(postgres: bool, slot: int, piece: str, band: BandShape | None) -> Select[Any]:
    """The readings' totals per UTC `slot` over the bound [`<piece>_low`, `<piece>_high`)."""
    group_key, slot_epoch = _slot_start(postgres, slot)
    when = _R.measured_at.type
    in_range: ColumnElement[Any] = literal(0)
    if band is not None:
        sides = [
            _R.value >= bindparam("band_low", type_=_R.value.type) if band[0] else None,
            _R.value <= bindparam("band_high", type_=_R.value.type) if band[1] else None,
        ]
        inside = and_(*(side for side in sides if side is not None))
        in_range = func.sum(case((inside, 1), else_=0))
    return (
        select(
            slot_epoch,
            func.count().label("n"),
            func.sum(_R.value).label("total"),
            func.min(_R.value).label("low"),
            func.max(_R.value).label("high"),
            in_range.label("in_range"),
        )
        .where(
            _R.patient_id == bindparam("patient_id", type_=_R.patient_id.type),
            _R.biomarker_type == bindparam("biomarker_type", type_=_R.biomarker_type.type),
            NOT_FAULTY,
            _R.measured_at >= bindparam(f"{piece}_low", type_=when),
            _R.measured_at < bindparam(f"{piece}_high", type_=when),
        )
        .group_by(group_key)
    )


def bucket_totals(
    session: Session,
    *,
    patient_id: uuid.UUID,
    biomarker_type: str,
    edges: list[datetime],
    end: datetime | None = None,
    tz: ZoneInfo | None = None,
    start: datetime | None = None,
    band: tuple[float | None, float | None] | None = None,
) -> list[BucketTotals]:
    """Count/sum/min/max of non-faulty readings in each bucket [edges[i], edges[i+1]), and
    with `band` (the patient's normal band in force, `threshold_controller.normal_band`) how
    many of them lie inside it.

    `end` (default: the last edge) cuts the range short, e.g. at "now", and `start`
    (default: the first edge) at its beginning, e.g. a report starting mid-day; bucket
    starts are given in `tz` (default UTC).
    """
    epochs = [int(edge.timestamp()) for edge in edges]
    slot = slot_seconds(epochs)
    low = max(edges[0], start or edges[0])
    high = min(edges[-1], end or edges[-1])
    rows = _slot_totals(
        session,
        patient_id=patient_id,
        biomarker_type=biomarker_type,
        low=low,
        high=high,
        slot=slot,
        band=band,
    )
    zone_ = tz or UTC
    buckets = [BucketTotals(edge.astimezone(zone_), 0, 0.0, None, None) for edge in edges[:-1]]
    position = {epoch: index for index, epoch in enumerate(epochs)}
    for epoch, n, total, lowest, highest, normal_count in rows:
        index = position.get(epoch)
        if index is None:
            index = bisect_right(epochs, epoch) - 1
        if not 0 <= index < len(buckets):
            continue
        bucket = buckets[index]
        bucket.min = _lower(bucket.min, lowest)
        bucket.max = _higher(bucket.max, highest)
        bucket.count += n
        bucket.sum += total
        bucket.in_range += int(normal_count or 0)
    return buckets


def summary(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID | None,
    biomarker_type: str,
    bucket: str,
    period: Period,
) -> Summary:
    """Per-bucket count/avg/min/max/sum in the patient's time zone (default: last 7 days), and
    the share of the period's readings inside the patient's normal band (time in range)."""
    patient = resolve_patient(session, actor=actor, patient_id=patient_id)
    tz, thresholds = _zone_and_thresholds(session, patient.id, biomarker_type)
    span = period.bounded(default_length=timedelta(days=DEFAULT_SUMMARY_DAYS))
    start, end = span.start, span.end
    _check_bucket_count(start, end, PeriodUnit(bucket))
    edges = boundaries(start, end, PeriodUnit(bucket), tz)
    band = normal_band(thresholds)
    items = bucket_totals(
        session,
        patient_id=patient.id,
        biomarker_type=biomarker_type,
        edges=edges,
        end=end,
        tz=tz,
        band=band,
    )
    readings = sum(item.count for item in items)
    return Summary(
        patient_id=patient.id,
        biomarker_type=biomarker_type,
        unit=CATALOG[biomarker_type].unit,
        bucket=bucket,
        timezone=tz.key,
        start=edges[0].astimezone(tz),
        end=end.astimezone(tz),
        items=items,
        time_in_range=(
            round(sum(item.in_range for item in items) / readings, 4)
            if band is not None and readings
            else None
        ),
    )


def _zone_and_thresholds(
    session: Session, patient_id: uuid.UUID, code: str
) -> tuple[ZoneInfo, Thresholds]:
    """The patient's zone and their thresholds of one type, in one statement."""
    personal = BiomarkerThreshold
    row = session.execute(
        select(Profile.timezone, personal)
        .select_from(User)
        .outerjoin(Profile, Profile.user_id == User.id)
        .outerjoin(personal, (personal.patient_id == User.id) & (personal.biomarker_type == code))
        .where(User.id == patient_id)
    ).one()
    return zone(row.timezone), thresholds_in_force(code, row.BiomarkerThreshold)


def _check_bucket_count(start: datetime, end: datetime, unit: PeriodUnit) -> None:
    approximate = {PeriodUnit.HOUR: 3600, PeriodUnit.DAY: 86400, PeriodUnit.WEEK: 604800}
    if (end - start).total_seconds() / approximate[unit] > MAX_BUCKETS:
        raise ValidationFailed.single(
            "from", f"the range holds more than {MAX_BUCKETS} {unit} buckets"
        )
