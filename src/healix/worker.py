"""The Celery entry point: `celery -A healix.worker worker` and `celery -A healix.worker beat`.

The worker builds the same Flask app as the web (create_app, settings from the environment)
and uses the Celery app bound to it, so tasks run with the app's database and settings.
"""

from healix import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
