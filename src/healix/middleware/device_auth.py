"""Device authentication for the ingestion endpoint.

A device proves itself with its API key in the `X-Device-Key` header and nothing else:
a key in the query string (where it would end up in access logs) is refused outright, and
a user's bearer token is not accepted in its place. Device keys are not JWTs, so they open
no other endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from healix.audit.logger import ActorRef
from healix.controllers.device_controller import (
    API_KEY_PREFIX,
    DEVICE_KEY_HEADER,
    authenticate_device,
    invalid_device_key,
)
from healix.extensions import db
from healix.middleware.auth_middleware import validated_after
from healix.models.device import Device

F = TypeVar("F", bound=Callable[..., Any])

#: query parameters that look like an attempt to pass a key in the URL
_KEY_PARAMS = frozenset({"api_key", "apikey", "key", "device_key", "x-device-key", "token"})


def _key_in_url() -> bool:
    return any(
        name.lower() in _KEY_PARAMS or value.startswith(API_KEY_PREFIX)
        for name, value in request.args.items(multi=True)
    )


def device_key_required(view: F) -> F:
    """Authenticate the calling device; `current_device()` then names it. The request is
    validated only after that (see `validated_after`)."""
    validated = validated_after(view)

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _key_in_url():
            raise invalid_device_key("Send the device key in the X-Device-Key header, not the URL.")
        api_key = request.headers.get(DEVICE_KEY_HEADER, "").strip()
        if not api_key:
            raise invalid_device_key("A device key is required in the X-Device-Key header.")
        g.device, g.actor = authenticate_device(db.session(), api_key=api_key)
        g.actor_ref = ActorRef.of(g.actor)
        return validated(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def current_device() -> Device:
    """The device authenticated for this request."""
    device: Device = g.device
    return device
