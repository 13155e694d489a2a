"""The app's JSON encoder: orjson, for every JSON answer.

Output matches what the pydantic-dumped dicts produced through Flask's default provider:
keys sorted, UTC times ending in `Z` (as pydantic writes them), other offsets kept. orjson
also encodes UUIDs, datetimes and dataclasses itself, so hot paths may hand it rows they
built without a pydantic round trip. Request bodies are still parsed by the standard
library (orjson refuses NaN, which would change what a malformed body answers).
A non-finite float is written as `null`: a response is always RFC 8259 JSON (inputs are
finite and bounded by the request schemas, so none should arise).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def _fallback(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return DefaultJSONProvider.default(value)


class OrjsonProvider(DefaultJSONProvider):
    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return orjson.dumps(obj, default=_fallback, option=OPTIONS).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        data = self._prepare_response_obj(args, kwargs)
        body = orjson.dumps(data, default=_fallback, option=OPTIONS)
        return Response(body, mimetype=self.mimetype)
