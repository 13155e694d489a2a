"""Hostile input, refused once for every endpoint before authentication and validation.

- A JSON body that is not valid JSON or nests deeper than MAX_JSON_DEPTH → 400.
- A NUL character in any string — the path, a query parameter (name or value), a urlencoded
  form field or anywhere in a JSON body (the keys of nested objects included) → 422 with the
  field's path: PostgreSQL cannot store NUL in text, and no field of Healix has a use for it.
  Multipart bodies (the file uploads of /api/imports) are left to their route: it sets its own
  size limit before the body is read, and their only text field is an enumeration.

Numbers: finite and within sane bounds is the schemas' rule (`RequestSchema` in
schemas/common.py), since only they know which fields are numbers: `NaN`, `Infinity` and
`1e999` are read, then refused with a 422 naming the field. No response can carry one: the
app's encoder (utils/fast_json.py, orjson) writes a non-finite float as `null`, never as a
`NaN`/`Infinity` literal.
"""

from __future__ import annotations

from typing import Any

from flask import request

from healix.exceptions import BadRequest, ValidationFailed

#: deeper JSON than any Healix request needs (the deepest is a handful of levels)
MAX_JSON_DEPTH = 32
NUL = "\x00"
NUL_MESSAGE = "must not contain NUL characters"
_CONTAINERS = (dict, list)


def check_request() -> None:
    """Refuse the request if it carries hostile input (see the module docstring)."""
    errors: list[dict[str, str]] = []
    if NUL in request.path:
        errors.append({"loc": "path", "msg": NUL_MESSAGE})
    for name, value in request.args.items(multi=True):
        if NUL in name or NUL in value:
            errors.append({"loc": name.replace(NUL, "") or "query", "msg": NUL_MESSAGE})
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.content_length:
        if request.is_json:
            errors.extend(_json_body_errors())
        elif request.mimetype == "application/x-www-form-urlencoded":
            for name, value in request.form.items(multi=True):
                if NUL in name or NUL in value:
                    errors.append({"loc": name.replace(NUL, "") or "body", "msg": NUL_MESSAGE})
    if errors:
        raise ValidationFailed(errors[:20])


def _json_body_errors() -> list[dict[str, str]]:
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        raise BadRequest(f"The request body nests deeper than {MAX_JSON_DEPTH} levels.") from None
    if data is None:
        raise BadRequest("The request body is not valid JSON.")
    if _too_deep(data):
        raise BadRequest(f"The request body nests deeper than {MAX_JSON_DEPTH} levels.")
    if not _may_hold_nul(request.get_data()):
        return []
    return _nul_errors(data)


def _too_deep(data: Any) -> bool:
    """Whether any value of parsed JSON lies deeper than MAX_JSON_DEPTH (the top level is 1):
    only the containers are walked, so a wide body such as a batch of readings costs little."""
    stack: list[tuple[Any, int]] = [(data, 1)] if isinstance(data, _CONTAINERS) else []
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if not children:
            continue
        if depth >= MAX_JSON_DEPTH:
            return True
        for child in children:
            if isinstance(child, _CONTAINERS):
                stack.append((child, depth + 1))
    return False


def _may_hold_nul(body: bytes) -> bool:
    """JSON can carry a NUL character only as the escape `\\u0000` (a raw one is invalid) and
    a body in UTF-16 or UTF-32 has zero bytes: a body with neither holds no NUL, and is not
    walked value by value."""
    return b"\\u0000" in body or b"\x00" in body


def _nul_errors(data: Any) -> list[dict[str, str]]:
    """NUL characters anywhere in parsed JSON with their field paths, walked without
    recursion (`_too_deep` has capped the depth)."""
    errors: list[dict[str, str]] = []
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, loc, depth = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                errors.append({"loc": loc or "body", "msg": NUL_MESSAGE})
        elif isinstance(value, dict):
            for key, item in value.items():
                clean_key = str(key).replace(NUL, "")
                child = f"{loc}.{clean_key}" if loc else clean_key
                # a top-level key names a field: unknown ones are refused or ignored anyway
                if NUL in str(key) and depth > 1:
                    errors.append({"loc": child or "body", "msg": NUL_MESSAGE})
                stack.append((item, child, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{loc}[{index}]", depth + 1) for index, item in enumerate(value))
    return errors
