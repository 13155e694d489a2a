"""Production entry point: `gunicorn wsgi:app`.

The objects of start-up (modules, the app, SQLAlchemy's mappers: ~250,000) live as long as
the worker: `gc.freeze()` keeps them out of every later full collection, which otherwise
scans them all whenever a large answer's rows were promoted (100-290 ms pauses, the p95 of
the patient overview; docs/scaling.md).
"""

import gc

from healix import create_app

app = create_app()
gc.collect()
gc.freeze()
