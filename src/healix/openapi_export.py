"""Write the OpenAPI document without a running server or a database:
`python -m healix.openapi_export [FILE]` (stdout without FILE).

The web app's typed client is generated from this output, so it must not depend on local
settings: the app is built with the testing profile on an in-memory SQLite database.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def openapi_document() -> dict[str, object]:
    from healix import create_app
    from healix.config import Settings

    with tempfile.TemporaryDirectory() as instance:
        settings = Settings(
            _env_file=None,
            healix_env="testing",
            instance_path=Path(instance),
            database_url="sqlite://",
            ratelimit_storage_url="memory://",
        )
        app = create_app(settings)
        return app.api_doc


def main(argv: list[str]) -> int:
    text = json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
