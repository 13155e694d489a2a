"""Health goals: a patient's own targets, with progress per day, week or month.

Periods follow the patient's time zone (weeks start on Monday). Progress of a goal measured
by readings aggregates the period's non-faulty readings as the catalog says for its type
(`mean`: the average, e.g. heart rate; `sum`/`nightly_total`: the total, e.g. steps or
sleep); water-intake and custom goals add up manual progress entries. Only the patient
changes their goals; their providers (in care) and admins may read them.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.biomarker_catalog import CATALOG, Aggregation
from healix.controllers.access import access_denied, ensure_patient_access
from healix.controllers.biomarker_controller import (
    BucketTotals,
    bucket_totals,
    patient_timezone,
    resolve_patient,
)
from healix.exceptions import Conflict, ValidationFailed
from healix.models.goal import Goal, GoalDirection, GoalPeriod, GoalStatus, GoalType
from healix.models.goal_progress_entry import GoalProgressEntry
from healix.models.user import User
from healix.schemas.goal import GoalCreate, GoalUpdate, ProgressEntryCreate
from healix.utils.pagination import Paged, keyset_page
from healix.utils.periods import PeriodUnit, recent_periods
from healix.utils.time import utcnow

#: goal types measured by readings -> biomarker type
READING_GOALS = {
    GoalType.STEPS: "steps",
    GoalType.CALORIES: "calories",
    GoalType.SLEEP: "sleep",
    GoalType.HEART_RATE: "heart_rate",
}
MANUAL_GOALS = {GoalType.WATER_INTAKE, GoalType.CUSTOM}
DEFAULT_MANUAL_UNITS = {GoalType.WATER_INTAKE: "mL"}
PERIOD_UNITS = {
    GoalPeriod.DAILY: PeriodUnit.DAY,
    GoalPeriod.WEEKLY: PeriodUnit.WEEK,
    GoalPeriod.MONTHLY: PeriodUnit.MONTH,
}


@dataclass(frozen=True)
class PeriodProgress:
    period_start: datetime
    period_end: datetime
    current_value: float | None
    percent: float | None
    achieved: bool


#: how many periods back a streak is counted (and the window "the last 7" is taken from)
STREAK_PERIODS = 60
RECENT_PERIODS = 7


@dataclass(frozen=True)
class GoalView:
    """A goal with its progress in the current period, how many of the last 7 periods (this
    one included) achieved it, and its current streak of achieved periods."""

    goal: Goal
    progress: PeriodProgress
    achieved_recently: int
    streak: int


def _goal_unit(goal_type: str, unit: str | None) -> str:
    """The unit stored with a goal: a readings goal's unit must be one its biomarker accepts."""
    biomarker = READING_GOALS.get(GoalType(goal_type))
    if biomarker is not None:
        entry = CATALOG[biomarker]
        resolved = entry.resolve_unit(unit) if unit else entry.unit
        if resolved is None:
            raise ValidationFailed.single(
                "unit", f"must be one of {', '.join(entry.accepted_units)} for a {goal_type} goal"
            )
        return resolved
    unit = unit or DEFAULT_MANUAL_UNITS.get(GoalType(goal_type))
    if not unit:
        raise ValidationFailed.single("unit", "is required for a custom goal")
    return unit


def create_goal(session: Session, *, actor: User, data: GoalCreate) -> GoalView:
    """A new goal for the signed-in patient."""
    tz = patient_timezone(session, actor.id)
    start_date = data.start_date or utcnow().astimezone(tz).date()
    if data.end_date is not None and data.end_date < start_date:
        raise ValidationFailed.single("end_date", "must not be before start_date")
    goal = Goal(
        patient_id=actor.id,
        goal_type=data.goal_type,
        title=data.title,
        target_value=data.target_value,
        unit=_goal_unit(data.goal_type, data.unit),
        period=data.period,
        direction=data.direction,
        status=GoalStatus.ACTIVE,
        start_date=start_date,
        end_date=data.end_date,
    )
    session.add(goal)
    session.flush()
    _audit(session, AuditAction.GOAL_CREATED, actor, goal, {"goal_type": str(goal.goal_type)})
    return with_progress(session, [goal])[0]


def list_goals(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID | None,
    status: str | None,
    limit: int | None,
    cursor: str | None,
) -> Paged[GoalView]:
    """A patient's goals, newest first (providers in care and admins may read them)."""
    patient = resolve_patient(
        session, actor=actor, patient_id=patient_id, resource_type=ResourceType.GOAL
    )
    statement = select(Goal).where(Goal.patient_id == patient.id)
    if status is not None:
        statement = statement.where(Goal.status == status)
    page = keyset_page(
        session,
        statement,
        sort_columns=[Goal.created_at, Goal.id],
        sort_key=lambda goal: (goal.created_at, goal.id),
        limit=limit,
        cursor=cursor,
    )
    return Paged(with_progress(session, page.items), page.next_cursor)


def get_goal(session: Session, *, actor: User, goal_id: uuid.UUID) -> GoalView:
    """A goal its patient, a provider in their care or an admin may read (404 otherwise)."""
    return with_progress(session, [_readable_goal(session, actor=actor, goal_id=goal_id)])[0]


def goal_progress(
    session: Session, *, actor: User, goal_id: uuid.UUID, periods: int
) -> list[PeriodProgress]:
    """Progress of a readable goal over the last `periods` periods, newest first."""
    goal = _readable_goal(session, actor=actor, goal_id=goal_id)
    return progress(session, goal=goal, periods=periods)


def _readable_goal(session: Session, *, actor: User, goal_id: uuid.UUID) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise access_denied(ResourceType.GOAL, goal_id)
    ensure_patient_access(
        session,
        actor=actor,
        patient_id=goal.patient_id,
        action=AuditAction.PROVIDER_VIEW_HEALTH_DATA,
        resource_type=ResourceType.GOAL,
    )
    return goal


def _own_goal(session: Session, *, actor: User, goal_id: uuid.UUID) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None or goal.patient_id != actor.id:
        raise access_denied(ResourceType.GOAL, goal_id, goal.patient_id if goal else None)
    return goal


def update_goal(session: Session, *, actor: User, goal_id: uuid.UUID, data: GoalUpdate) -> GoalView:
    """Change the patient's own goal; the audit row names the changed fields."""
    goal = _own_goal(session, actor=actor, goal_id=goal_id)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    if "unit" in changes:
        changes["unit"] = _goal_unit(goal.goal_type, changes["unit"])
    start = changes.get("start_date", goal.start_date)
    end = changes.get("end_date", goal.end_date)
    if end is not None and end < start:
        raise ValidationFailed.single("end_date", "must not be before start_date")
    changed = sorted(name for name, value in changes.items() if getattr(goal, name) != value)
    for name in changed:
        setattr(goal, name, changes[name])
    session.flush()
    if changed:
        _audit(session, AuditAction.GOAL_UPDATED, actor, goal, {"fields": changed})
    return with_progress(session, [goal])[0]


def delete_goal(session: Session, *, actor: User, goal_id: uuid.UUID) -> None:
    goal = _own_goal(session, actor=actor, goal_id=goal_id)
    _audit(session, AuditAction.GOAL_DELETED, actor, goal, {"goal_type": str(goal.goal_type)})
    session.delete(goal)
    session.flush()


def record_progress(
    session: Session, *, actor: User, goal_id: uuid.UUID, data: ProgressEntryCreate
) -> GoalProgressEntry:
    """A manual progress entry for a water-intake or custom goal of the patient."""
    goal = _own_goal(session, actor=actor, goal_id=goal_id)
    if goal.goal_type not in MANUAL_GOALS:
        raise Conflict(f"Progress of a {goal.goal_type} goal comes from device readings.")
    if goal.status != GoalStatus.ACTIVE:
        raise Conflict("Progress can only be recorded for an active goal.")
    recorded_at = data.recorded_at or utcnow()
    entry = GoalProgressEntry(
        goal_id=goal.id, value=data.value, recorded_at=recorded_at, note=data.note
    )
    session.add(entry)
    session.flush()
    _audit(session, AuditAction.GOAL_PROGRESS_RECORDED, actor, goal, {"entry_id": str(entry.id)})
    return entry


def _audit(
    session: Session, action: AuditAction, actor: User, goal: Goal, details: dict[str, Any]
) -> None:
    audit_logger.record(
        session,
        action,
        actor=actor,
        resource_type=ResourceType.GOAL,
        resource_id=goal.id,
        patient_id=goal.patient_id,
        details=details,
    )


# --- progress -----------------------------------------------------------------------------


def progress(
    session: Session, *, goal: Goal, periods: int = 1, tz: ZoneInfo | None = None
) -> list[PeriodProgress]:
    """Progress for the current period and the `periods - 1` before it, newest first."""
    tz = tz or patient_timezone(session, goal.patient_id)
    edges = recent_periods(utcnow(), PERIOD_UNITS[GoalPeriod(goal.period)], tz, periods)
    if goal.goal_type in MANUAL_GOALS:
        totals = _entry_totals(session, goal=goal, edges=edges)
    else:
        totals = bucket_totals(
            session,
            patient_id=goal.patient_id,
            biomarker_type=READING_GOALS[GoalType(goal.goal_type)],
            edges=edges,
        )
    result = [
        _period_progress(goal, bucket, end.astimezone(tz), tz)
        for bucket, end in zip(totals, edges[1:], strict=True)
    ]
    return result[::-1]


def with_progress(session: Session, goals: list[Goal]) -> list[GoalView]:
    """Each goal with this period's progress and its recent record (one time-zone lookup per
    patient; one aggregate query per goal over its last STREAK_PERIODS periods)."""
    zones = {
        patient: patient_timezone(session, patient) for patient in {g.patient_id for g in goals}
    }
    views = []
    for goal in goals:
        history = progress(session, goal=goal, periods=STREAK_PERIODS, tz=zones[goal.patient_id])
        achieved_recently, streak = recent_record(goal, history)
        views.append(GoalView(goal, history[0], achieved_recently, streak))
    return views


def recent_record(goal: Goal, history: list[PeriodProgress]) -> tuple[int, int]:
    """From progress newest first: periods achieved among the last RECENT_PERIODS (the current
    one included), and the streak — consecutive achieved periods counted back from the current
    one, or from the previous one while the current period has not been achieved yet (it is
    still open). Periods that ended before the goal's start date do not count."""
    counted = [period for period in history if period.period_end.date() > goal.start_date]
    achieved_recently = sum(period.achieved for period in counted[:RECENT_PERIODS])
    run = counted if counted and counted[0].achieved else counted[1:]
    streak = 0
    for period in run:
        if not period.achieved:
            break
        streak += 1
    return achieved_recently, streak


def _entry_totals(session: Session, *, goal: Goal, edges: list[datetime]) -> list[BucketTotals]:
    rows = session.execute(
        select(GoalProgressEntry.recorded_at, GoalProgressEntry.value).where(
            GoalProgressEntry.goal_id == goal.id,
            GoalProgressEntry.recorded_at >= edges[0],
            GoalProgressEntry.recorded_at < edges[-1],
        )
    ).all()
    sums = [0.0] * (len(edges) - 1)
    counts = [0] * (len(edges) - 1)
    for recorded_at, value in rows:
        index = bisect_right(edges, recorded_at) - 1
        sums[index] += value
        counts[index] += 1
    return [
        BucketTotals(start=edges[i], count=counts[i], sum=sums[i], min=None, max=None)
        for i in range(len(sums))
    ]


#: the largest percent shown: a tiny target must not make the ratio overflow to Infinity
MAX_PERCENT = 1e9


def _in_goal_unit(goal: Goal, canonical_value: float) -> float:
    """Convert a reading total (catalog unit) into the goal's unit (e.g. sleep h -> min)."""
    biomarker = READING_GOALS.get(GoalType(goal.goal_type))
    if biomarker is None:
        return canonical_value
    return canonical_value / CATALOG[biomarker].to_canonical(1.0, goal.unit)


def _averaged(goal: Goal) -> bool:
    """Is the goal's progress the period's average (rather than its total)?"""
    biomarker = READING_GOALS.get(GoalType(goal.goal_type))
    return biomarker is not None and CATALOG[biomarker].aggregation is Aggregation.MEAN


def _period_progress(
    goal: Goal, totals: BucketTotals, end: datetime, tz: ZoneInfo
) -> PeriodProgress:
    raw = totals.avg if _averaged(goal) else totals.sum
    value = None if raw is None else round(_in_goal_unit(goal, raw), 4)
    percent = None if value is None else round(min(value / goal.target_value * 100, MAX_PERCENT), 1)
    if value is None:
        achieved = False
    elif goal.direction == GoalDirection.AT_MOST:
        achieved = value <= goal.target_value
    else:
        achieved = value >= goal.target_value
    return PeriodProgress(
        period_start=totals.start.astimezone(tz),
        period_end=end,
        current_value=value,
        percent=percent,
        achieved=achieved,
    )
