"""The Celery entry point: `celery -A healix.worker worker` and `celery -A healix.worker beat`.

The worker builds the same Flask app as the web (create_app, settings from the environment)
and uses the Celery app bound to it, so tasks run with the app's database and settings.
"""

from typing import Any

from celery.signals import worker_process_init

from healix import create_app
from healix.extensions import db

flask_app = create_app()
if flask_app.extensions["healix_settings"].eager_jobs:
    raise SystemExit(
        "CELERY_BROKER_URL is not set: without a broker the web process runs jobs itself "
        "(see docs/background.md). Set it, e.g. CELERY_BROKER_URL=redis://127.0.0.1:6379/1, "
        "for the web app and the worker alike."
    )
celery_app = flask_app.extensions["celery"]


@worker_process_init.connect
def _fresh_connections(**_kwargs: Any) -> None:
    """A forked pool process must not reuse the parent's database connections."""
    with flask_app.app_context():
        db.engine.dispose(close=False)
