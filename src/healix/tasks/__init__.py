"""Celery: the worker side of background jobs.

`init_celery(app, settings)` (called by create_app) builds the Celery app that web and worker
share and installs the after-commit hand-off; `healix.worker` is what `celery -A` loads.
Tasks are thin, like routes: they take a job id and call one controller function.
"""

from healix.tasks.celery_app import init_celery

__all__ = ["init_celery"]
