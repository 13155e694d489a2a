"""Domain errors. Controllers raise these; middleware/error_handler.py turns them into
RFC 9457 problem+json responses. No Flask imports here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PendingAuditEvent:
    """An audit row to write in its own transaction after the request's work is rolled back."""

    action: str
    resource_type: str | None = None
    resource_id: str | None = None
    patient_id: Any = None
    outcome: str = "denied"
    severity: str = "warning"
    details: dict[str, Any] = field(default_factory=dict)


class HealixError(Exception):
    status: int = 500
    title: str = "Internal Server Error"
    type_slug: str = "internal-error"
    #: commit the request's session instead of rolling it back (e.g. revoking a session on reuse)
    keep_changes: bool = False

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers or {}
        self.audit_events: list[PendingAuditEvent] = []

    def with_audit(self, event: PendingAuditEvent) -> HealixError:
        self.audit_events.append(event)
        return self


class BadRequest(HealixError):
    status, title, type_slug = 400, "Bad Request", "bad-request"


class Unauthorized(HealixError):
    status, title, type_slug = 401, "Unauthorized", "unauthorized"

    def __init__(self, detail: str | None = None, **kwargs: Any):
        super().__init__(detail, **kwargs)
        self.headers.setdefault("WWW-Authenticate", "Bearer")


class Forbidden(HealixError):
    status, title, type_slug = 403, "Forbidden", "forbidden"


class NotFound(HealixError):
    status, title, type_slug = 404, "Not Found", "not-found"


class Conflict(HealixError):
    status, title, type_slug = 409, "Conflict", "conflict"


class PayloadTooLarge(HealixError):
    status, title, type_slug = 413, "Payload Too Large", "payload-too-large"


class ValidationFailed(HealixError):
    """A payload that is well-formed JSON but breaks a field rule (422)."""

    status, title, type_slug = 422, "Unprocessable Content", "validation-error"

    def __init__(self, errors: list[dict[str, str]], detail: str | None = None):
        super().__init__(detail or "The request body or parameters are invalid.")
        self.errors = errors

    @classmethod
    def single(cls, loc: str, msg: str) -> ValidationFailed:
        return cls([{"loc": loc, "msg": msg}], detail=msg)


class TooManyRequests(HealixError):
    status, title, type_slug = 429, "Too Many Requests", "too-many-requests"

    def __init__(self, detail: str | None = None, *, retry_after: int):
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after))})
        self.retry_after = retry_after


class ServiceUnavailable(HealixError):
    status, title, type_slug = 503, "Service Unavailable", "service-unavailable"
