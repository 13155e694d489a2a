"""The Celery app, configured from Settings and bound to a Flask app (one per create_app)."""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask

from healix.config import Settings

RUN_JOB = "healix.jobs.run"
RELAY = "healix.jobs.relay"
SCHEDULE = "healix.jobs.schedule"


def init_celery(app: Flask, settings: Settings) -> Celery[Any]:
    """Build the Celery app for `app`: every task runs inside `app`'s application context."""
    from healix.controllers import upkeep_controller
    from healix.tasks import job_tasks, queue

    class FlaskTask(Task[Any, Any]):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery: Celery[Any] = Celery(app.import_name, task_cls=FlaskTask, set_as_current=False)
    celery.conf.update(_config(settings, upkeep_controller.PERIODIC))
    celery.task(name=RUN_JOB, bind=True, autoretry_for=(Exception,))(job_tasks.run_job)
    celery.task(name=RELAY)(job_tasks.relay)
    celery.task(name=SCHEDULE)(job_tasks.schedule)
    app.extensions["celery"] = celery
    queue.install()
    return celery


def _config(settings: Settings, periodic: list[Any]) -> dict[str, Any]:
    visibility = settings.celery_visibility_timeout_seconds
    return {
        # without a broker nothing is published: jobs run in-process (tasks/queue.py)
        "broker_url": settings.celery_broker_url or "memory://",
        "broker_connection_retry_on_startup": True,
        # a broker that is down must not hold a request: fail fast, the relay hands over later
        "broker_connection_timeout": 2,
        "broker_transport_options": {
            # an unacknowledged message goes back to the queue after this long (worker died);
            # it must exceed every countdown we use (retry backoff cap, job lease)
            "visibility_timeout": visibility,
            "socket_connect_timeout": 2,
            "socket_timeout": 5,
        },
        "task_default_queue": settings.celery_queue,
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "result_backend": None,
        "timezone": "UTC",
        "enable_utc": True,
        # acknowledge after the task ran, and put it back if the worker process was killed
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_hijack_root_logger": False,
        "task_annotations": {
            RUN_JOB: {
                "max_retries": settings.job_max_retries,
                "retry_backoff": settings.job_retry_backoff_seconds,
                "retry_backoff_max": settings.job_retry_backoff_max_seconds,
                "retry_jitter": True,
            }
        },
        # a beat message nobody consumed before the next one is due is dropped, not piled up
        "beat_schedule": {
            "relay": {
                "task": RELAY,
                "schedule": settings.relay_interval_seconds,
                "options": {"expires": settings.relay_interval_seconds},
            },
            **{
                task.kind: {
                    "task": SCHEDULE,
                    "schedule": task.every,
                    "args": (task.kind,),
                    "options": {"expires": task.every.total_seconds()},
                }
                for task in periodic
            },
        },
        "beat_schedule_filename": str(settings.instance_path / "celerybeat-schedule"),
    }
