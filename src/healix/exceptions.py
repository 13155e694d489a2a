"""Domain errors. Controllers raise these; middleware/error_handler.py turns them into
RFC 9457 problem+json responses. No Flask imports here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, Self

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class FailureRecord(Protocol):
    """Something that must be saved although the request fails (e.g. an audit row of a
    refusal). The error handler calls `persist` in a transaction of its own, after the
    request's work was rolled back, with the request's actor (or None)."""

    def persist(self, session: Session, actor: Any) -> None: ...


class HealixError(Exception):
    status: int = 500
    title: str = "Internal Server Error"
    type_slug: str = "internal-error"
    #: per-field problems of a 422 (`{loc, msg}`), never the submitted values
    errors: list[dict[str, str]] | None = None

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers or {}
        self.failure_records: list[FailureRecord] = []

    def persist_despite_failure(self, record: FailureRecord) -> Self:
        """Keep `record` although this error rolls the request's work back."""
        self.failure_records.append(record)
        return self


class BadRequest(HealixError):
    status, title, type_slug = 400, "Bad Request", "bad-request"


class TokenGone(HealixError):
    """A one-time token or link was valid once but is used up or expired."""

    status, title, type_slug = 410, "Gone", "token-gone"


class Unauthorized(HealixError):
    status, title, type_slug = 401, "Unauthorized", "unauthorized"

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None):
        super().__init__(detail, headers=headers)
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
