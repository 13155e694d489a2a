"""The demo seed adds past completed and upcoming appointments inside working hours."""

from __future__ import annotations

from sqlalchemy import select

from healix.config import current_settings
from healix.controllers.schedule_controller import get_schedule, within_working_hours
from healix.demo import seed_demo
from healix.extensions import db
from healix.models.appointment import Appointment, AppointmentStatus
from healix.utils.time import utcnow


def test_demo_appointments(app):
    with app.app_context():
        assert seed_demo(db.session, settings=current_settings())
        db.session.commit()
        appointments = db.session.scalars(select(Appointment)).all()
        now = utcnow()
        past = [a for a in appointments if a.start_time < now]
        upcoming = [a for a in appointments if a.start_time >= now]
        assert past
        assert upcoming
        assert {a.status for a in past} == {AppointmentStatus.COMPLETED}
        # one upcoming visit is a request still waiting for the provider (issue 10)
        assert {a.status for a in upcoming} == {
            AppointmentStatus.SCHEDULED,
            AppointmentStatus.REQUESTED,
        }
        for appointment in upcoming:
            schedule = get_schedule(db.session, provider_id=appointment.provider_id)
            assert schedule.timezone in ("Europe/London", "America/New_York")
            assert within_working_hours(schedule, appointment.start_time, appointment.end_time)
        db.session.remove()
