"""Fire HTTP requests at the same moment, each from its own thread and test client (so each
has its own app context, database session and transaction), to test rules under races."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

Call = Callable[[FlaskClient], TestResponse]


def responses_in_parallel(app: Flask, calls: Sequence[Call]) -> list[TestResponse]:
    """Start every call together (behind a barrier); their responses, in call order."""
    barrier = threading.Barrier(len(calls))
    responses: list[TestResponse | None] = [None] * len(calls)

    def run(position: int, call: Call) -> None:
        client = app.test_client()
        barrier.wait()
        responses[position] = call(client)

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert None not in responses, "a request raised instead of answering"
    return responses  # type: ignore[return-value]


def statuses_in_parallel(app: Flask, calls: Sequence[Call]) -> list[int]:
    """The status codes of `responses_in_parallel`, in call order."""
    return [response.status_code for response in responses_in_parallel(app, calls)]
