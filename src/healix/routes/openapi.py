"""The published OpenAPI document, made a contract a typed client can be generated from.

flask-openapi3 builds the document from the routes' pydantic models; `HealixAPI` finishes it:

- every error answer (4xx) is declared as `application/problem+json` with the Problem
  schema, including 422 (the framework's default is a plain array of its own model);
- 401 is declared wherever a credential is required, 400 (malformed JSON) and 413 (body
  too large) wherever a body is read, and 422 exactly where there is something to validate;
- 503 (with `Retry-After`) everywhere: any operation answers it while the database cannot be
  reached.
"""

from http import HTTPStatus
from typing import Any

from flask_openapi3.openapi import OpenAPI

from healix.middleware.error_handler import PROBLEM_MIME

PROBLEM_SCHEMA = "Problem"
#: the framework's own 422 model, replaced by Problem
FRAMEWORK_ERROR_SCHEMA = "ValidationErrorModel"

DESCRIPTION = """\
Healix is the backend of a personal-health platform: patients connect devices and log
biomarkers, book appointments and receive prescriptions; providers see only the patients in
their care; administrators run the platform; every touch of health data is audited.

**Authentication.** Sign in with `POST /api/auth/login` and send the access token as
`Authorization: Bearer <token>`. Devices upload readings with their `X-Device-Key`.

**Errors** are RFC 9457 `application/problem+json` documents (`type`, `title`, `status`,
`detail`, `instance`, `request_id`); a 422 adds `errors: [{loc, msg}]`, one per bad field.
Someone else's record answers 404, a wrong role 403.

**Lists** answer `{items, next_cursor}`; pass `next_cursor` back as `cursor` for the next page.
**Times** are ISO 8601 with a UTC offset; periods are half-open: `from` <= t < `to`.
"""


def _problem(status: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_MIME: {"schema": {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA}"}}},
    }
    if status == HTTPStatus.SERVICE_UNAVAILABLE:
        answer["description"] += " (the database cannot be reached; retry after the delay)"
        answer["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before retrying",
                "schema": {"type": "integer"},
            }
        }
    return answer


def finish_operation(operation: dict[str, Any]) -> None:
    """Declare the operation's error answers as problem documents (see the module doc)."""
    declared: dict[str, Any] = operation.get("responses") or {}
    statuses = {int(code) for code in declared} | {503}
    if operation.get("security"):
        statuses.add(401)
    if operation.get("requestBody"):
        statuses |= {400, 413}
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.add(422)
    else:
        statuses.discard(422)
    operation["responses"] = {
        str(status): _problem(status) if status >= 400 else declared[str(status)]
        for status in sorted(statuses)
    }


def finish_document(spec: dict[str, Any]) -> dict[str, Any]:
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            finish_operation(operation)
    spec["components"]["schemas"].pop(FRAMEWORK_ERROR_SCHEMA, None)
    return spec


class HealixAPI(OpenAPI):
    """The Flask app class: flask-openapi3's, with the document finished as above."""

    def generate_spec_json(self) -> None:
        super().generate_spec_json()  # type: ignore[no-untyped-call]
        finish_document(self.spec_json)
