"""The baseline for the history figure: a bare Flask app that answers with the same 100 rows
of JSON from memory (no database, no auth). Served by gunicorn like the real app;
BENCH_BARE_ROWS_FILE names the JSON page to serve."""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask, jsonify

app = Flask(__name__)
_PAGE = json.loads(Path(os.environ["BENCH_BARE_ROWS_FILE"]).read_text())


@app.get("/rows")
def rows():
    return jsonify(_PAGE)
