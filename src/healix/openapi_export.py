"""The API's contract for the web app, without a running server or a database:
`python -m healix.openapi_export [FILE]` writes the OpenAPI document, and
`python -m healix.openapi_export --catalog [FILE]` the biomarker catalog exactly as
`GET /api/biomarkers/types` answers it (stdout without FILE).

The web app's typed client and its built-in catalog are generated from this output, so it must
not depend on local settings: the app is built with the testing profile on an in-memory SQLite
database.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask


@contextmanager
def _offline_app() -> Iterator[Flask]:
    from healix import create_app
    from healix.config import Settings
    from healix.config.settings import Environment

    with tempfile.TemporaryDirectory() as instance:
        settings = Settings(
            _env_file=None,
            healix_env=Environment.TESTING,
            instance_path=Path(instance),
            database_url="sqlite://",
            ratelimit_storage_url="memory://",
        )
        yield create_app(settings)


def openapi_document() -> dict[str, Any]:
    with _offline_app() as app:
        return app.api_doc  # type: ignore[attr-defined, no-any-return]


def biomarker_catalog() -> dict[str, Any]:
    with _offline_app() as app:
        response = app.test_client().get("/api/biomarkers/types")
        assert response.status_code == 200, response.status_code
        return response.get_json()  # type: ignore[no-any-return]


def main(argv: list[str]) -> int:
    catalog = "--catalog" in argv
    targets = [arg for arg in argv if arg != "--catalog"]
    document = biomarker_catalog() if catalog else openapi_document()
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if targets:
        Path(targets[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
