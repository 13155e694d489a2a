"""Who and where the current request comes from, for the audit logger and logs.

Set by middleware at the start of each request; empty in CLI commands and jobs.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None


_current: ContextVar[RequestContext] = ContextVar("healix_request_context")


def set_request_context(context: RequestContext) -> None:
    _current.set(context)


def get_request_context() -> RequestContext:
    return _current.get(RequestContext())
