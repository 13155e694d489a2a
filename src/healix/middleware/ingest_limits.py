"""The size limit of a batch of readings (`INGEST_MAX_READINGS`), checked on the raw JSON
before any reading is validated, so an oversized batch costs nothing to refuse (413)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import request

from healix.config import current_settings
from healix.exceptions import PayloadTooLarge
from healix.middleware.auth_middleware import validated_after

F = TypeVar("F", bound=Callable[..., Any])


def readings_limited(view: F) -> F:
    """Refuse a batch of more than INGEST_MAX_READINGS readings, then validate the request."""
    validated = validated_after(view)

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        data = request.get_json(silent=True)
        readings = data.get("readings") if isinstance(data, dict) else None
        limit = current_settings().ingest_max_readings
        if isinstance(readings, list) and len(readings) > limit:
            raise PayloadTooLarge(f"A batch may hold at most {limit} readings; split it.")
        return validated(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
