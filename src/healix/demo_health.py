"""Demo health data: per demo patient a registered watch, 30 days of readings (heart rate
every minute while awake, hourly steps, nightly sleep, daily calories, SpO2 spot checks), a
few faulty readings, a personal threshold, open alerts and goals.

Readings are generated with a fixed seed in each patient's own time zone and written with
one bulk INSERT per patient, so seeding stays fast on SQLite.
"""

from __future__ import annotations

import math
import random
import secrets
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.orm import Session

from healix.biomarker_catalog import CATALOG
from healix.controllers import latest_controller, threshold_controller
from healix.controllers.biomarker_controller import patient_timezone
from healix.models.alert import Alert, AlertSeverity
from healix.models.base import uuid7
from healix.models.biomarker import BiomarkerReading, ReadingSource, ReadingStatus
from healix.models.biomarker_threshold import BiomarkerThreshold
from healix.models.device import Device, DeviceType
from healix.models.goal import Goal, GoalType
from healix.models.goal_progress_entry import GoalProgressEntry
from healix.models.user import Role, User
from healix.utils.hashing import sha256_hex
from healix.utils.time import utcnow

SEED = 20260301
DAYS = 30
WAKE_HOUR, SLEEP_HOUR = 7, 23
#: per patient: resting heart rate, daily step level, personal heart-rate thresholds
PERSONAS: dict[str, dict[str, float]] = {
    "alice@healix-demo.com": {"resting_hr": 62, "steps": 9500, "hr_warning_max": 115},
    "bob@healix-demo.com": {"resting_hr": 74, "steps": 5200, "hr_warning_max": 100},
    "carol@healix-demo.com": {"resting_hr": 68, "steps": 7400, "hr_warning_max": 110},
}
DEFAULT_PERSONA: dict[str, float] = {"resting_hr": 70, "steps": 7000, "hr_warning_max": 110}


def extend_demo(session: Session, users_by_email: dict[str, User]) -> None:
    """Add devices, readings, thresholds, alerts and goals for every demo patient."""
    patients = sorted(
        (user for user in users_by_email.values() if user.role == Role.PATIENT),
        key=lambda user: user.email,
    )
    now = utcnow().replace(second=0, microsecond=0)
    for index, patient in enumerate(patients):
        rng = random.Random(SEED + index)  # noqa: S311  (reproducible demo values, not secrets)
        persona = PERSONAS.get(patient.email, DEFAULT_PERSONA)
        tz = patient_timezone(session, patient.id)
        device = _register_device(session, patient, now)
        rows = list(_readings(patient.id, device.id, persona, tz, now, rng))
        session.execute(insert(BiomarkerReading), rows)
        _thresholds_and_alerts(session, patient, persona, now)
        session.flush()
        # written around the ingest path, so the hourly rollups and latest readings are
        # built from them here
        threshold_controller.rebuild_rollups(session, patient_id=patient.id)
        latest_controller.rebuild(session, patient_id=patient.id)
        _goals(session, patient, tz, now)
    session.flush()


def _register_device(session: Session, patient: User, now: datetime) -> Device:
    key = "hx_" + secrets.token_urlsafe(32)
    device = Device(
        owner_id=patient.id,
        device_type=DeviceType.SMARTWATCH,
        name=f"{patient.first_name}'s watch",
        model="Pulse 3",
        manufacturer="Healix Demo",
        api_key_hash=sha256_hex(key),
        api_key_prefix=key[:8],
        last_sync_at=now,
    )
    session.add(device)
    session.flush()
    return device


def _row(
    patient_id: uuid.UUID,
    device_id: uuid.UUID,
    kind: str,
    value: float,
    at: datetime,
    received_at: datetime,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": uuid7(),
        "patient_id": patient_id,
        "device_id": device_id,
        "biomarker_type": kind,
        "value": value,
        "unit": CATALOG[kind].unit,
        "measured_at": at,
        "status": ReadingStatus.OK,
        "fault_reason": None,
        "source": ReadingSource.DEVICE,
        "received_at": received_at,
        **extra,
    }


def _readings(
    patient_id: uuid.UUID,
    device_id: uuid.UUID,
    persona: dict[str, float],
    tz: ZoneInfo,
    now: datetime,
    rng: random.Random,
) -> Iterator[dict[str, Any]]:
    today = now.astimezone(tz).date()
    for offset in range(DAYS, -1, -1):
        day = today - timedelta(days=offset)
        wake = datetime.combine(day, time(WAKE_HOUR), tzinfo=tz).astimezone(UTC)
        for row in _day_readings(patient_id, device_id, persona, wake, rng):
            if row["measured_at"] <= now:
                yield row
    for hours_ago in (30, 200, 420):
        at = now - timedelta(hours=hours_ago, seconds=-30)
        yield _row(
            patient_id,
            device_id,
            "heart_rate",
            rng.choice([0.0, 310.0, 275.0]),
            at,
            at,
            status=ReadingStatus.FAULTY,
            fault_reason="out_of_range",
        )


def _day_readings(
    patient_id: uuid.UUID,
    device_id: uuid.UUID,
    persona: dict[str, float],
    wake: datetime,
    rng: random.Random,
) -> Iterator[dict[str, Any]]:
    awake_minutes = (SLEEP_HOUR - WAKE_HOUR) * 60
    workout_start = rng.randrange(60, awake_minutes - 60)
    resting = persona["resting_hr"]
    for minute in range(awake_minutes):
        at = wake + timedelta(minutes=minute)
        daily_rhythm = 6 * math.sin(math.pi * minute / awake_minutes)
        workout = 45 if workout_start <= minute < workout_start + 40 else 0
        value = round(resting + daily_rhythm + workout + rng.gauss(0, 3))
        yield _row(patient_id, device_id, "heart_rate", value, at, at)
    hourly_steps = persona["steps"] / (SLEEP_HOUR - WAKE_HOUR)
    for hour in range(SLEEP_HOUR - WAKE_HOUR):
        at = wake + timedelta(hours=hour, minutes=59)
        steps = max(0, round(rng.gauss(hourly_steps, hourly_steps * 0.4)))
        yield _row(patient_id, device_id, "steps", steps, at, at)
    sleep_hours = round(min(9.5, max(4.5, rng.gauss(7.1, 0.8))), 2)
    yield _row(patient_id, device_id, "sleep", sleep_hours, wake, wake)
    for check in (1, 5, 9, 13):
        at = wake + timedelta(hours=check, seconds=15)
        yield _row(patient_id, device_id, "spo2", round(rng.uniform(94.5, 99.5), 1), at, at)
    end = wake + timedelta(hours=SLEEP_HOUR - WAKE_HOUR, seconds=5)
    calories = round(rng.gauss(2100, 180))
    yield _row(patient_id, device_id, "calories", calories, end, end)


def _thresholds_and_alerts(
    session: Session, patient: User, persona: dict[str, float], now: datetime
) -> None:
    session.add(
        BiomarkerThreshold(
            patient_id=patient.id,
            biomarker_type="heart_rate",
            warning_min=50,
            warning_max=persona["hr_warning_max"],
            critical_min=40,
            critical_max=140,
            updated_by_id=patient.id,
        )
    )
    session.add(
        Alert(
            patient_id=patient.id,
            biomarker_type="heart_rate",
            severity=AlertSeverity.WARNING,
            threshold_value=persona["hr_warning_max"],
            observed_value=persona["hr_warning_max"] + 12,
            last_value=persona["hr_warning_max"] + 4,
            message="Heart rate above your warning threshold.",
            occurrences=3,
            first_seen_at=now - timedelta(days=2),
            last_seen_at=now - timedelta(hours=5),
        )
    )
    session.add(
        Alert(
            patient_id=patient.id,
            biomarker_type="sleep",
            severity=AlertSeverity.WARNING,
            threshold_value=5,
            observed_value=4.6,
            last_value=4.6,
            message="Sleep below 5 hours.",
            first_seen_at=now - timedelta(days=4),
            last_seen_at=now - timedelta(days=4),
        )
    )


def _goals(session: Session, patient: User, tz: ZoneInfo, now: datetime) -> None:
    start = (now - timedelta(days=DAYS)).astimezone(tz).date()
    goals = [
        Goal(goal_type=GoalType.STEPS, title="Walk 8,000 steps", target_value=8000, unit="{steps}"),
        Goal(goal_type=GoalType.SLEEP, title="Sleep 7 hours", target_value=7, unit="h"),
        Goal(
            goal_type=GoalType.WATER_INTAKE,
            title="Drink 2 litres",
            target_value=2000,
            unit="mL",
        ),
    ]
    for goal in goals:
        goal.patient_id = patient.id
        goal.start_date = start
        session.add(goal)
    session.flush()
    water = goals[-1]
    for hours_ago, amount in ((1, 500), (3, 250), (26, 750), (29, 500)):
        session.add(
            GoalProgressEntry(
                goal_id=water.id, value=amount, recorded_at=now - timedelta(hours=hours_ago)
            )
        )
