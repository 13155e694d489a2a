"""The Celery app that web and worker share: delivery guarantees and the beat schedule."""

from __future__ import annotations

from datetime import timedelta

from healix.controllers import upkeep_controller
from healix.tasks.celery_app import RELAY, RUN_JOB, SCHEDULE


def test_jobs_are_acknowledged_late_and_survive_a_lost_worker(make_app):
    celery = make_app(
        celery_broker_url="redis://127.0.0.1:6379/1",
        celery_visibility_timeout_seconds=7200,
        job_max_retries=4,
        job_retry_backoff_seconds=3,
        job_retry_backoff_max_seconds=120,
    ).extensions["celery"]
    conf = celery.conf
    assert conf.broker_url == "redis://127.0.0.1:6379/1"
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] == 7200
    task = celery.tasks[RUN_JOB]
    assert task.autoretry_for == (Exception,)
    assert (task.max_retries, task.retry_backoff, task.retry_backoff_max) == (4, 3, 120)
    assert task.ignore_result is True


def test_beat_runs_the_relay_and_every_upkeep_task(make_app):
    celery = make_app(relay_interval_seconds=15).extensions["celery"]
    schedule = celery.conf.beat_schedule
    assert schedule["relay"] == {"task": RELAY, "schedule": 15, "options": {"expires": 15}}
    for task in upkeep_controller.PERIODIC:
        assert schedule[task.kind] == {
            "task": SCHEDULE,
            "schedule": task.every,
            "args": (task.kind,),
            "options": {"expires": task.every.total_seconds()},
        }
    assert schedule["upkeep.audit_checkpoint"]["schedule"] == timedelta(days=1)


def test_without_a_broker_jobs_run_in_process(app):
    assert app.extensions["healix_settings"].eager_jobs
    assert app.extensions["celery"].conf.broker_url == "memory://"
