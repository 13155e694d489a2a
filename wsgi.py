"""Production entry point: `gunicorn wsgi:app`."""

from healix import create_app

app = create_app()
