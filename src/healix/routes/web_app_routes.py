"""The built web app (`web/dist`), served next to the API.

- `/assets/<file>`: Vite's content-hashed files, cached for a year as immutable.
- Any other path outside `/api/` answers the app's `index.html` (the app routes in the
  browser), never cached, with a per-response nonce for the Content-Security-Policy: scripts
  only from this origin (no inline script at all), styles from this origin plus the style
  elements the component library writes with that nonce.

`/api/...` paths never reach this blueprint, so unknown API paths keep their problem+json 404.
"""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, request, send_from_directory
from werkzeug.routing import BaseConverter

from healix.config import current_settings

ASSET_MAX_AGE = 365 * 24 * 3600
NONCE_PLACEHOLDER = "__CSP_NONCE__"

#: headers of every app page (index.html); /api responses get theirs elsewhere
PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

NOT_BUILT = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Healix</title>"
    "<p>The web app has not been built. Run <code>make web-build</code> (or <code>make run</code>)."
    " The API is at <a href=/api/docs>/api/docs</a>.</p></html>"
)


class AppPathConverter(BaseConverter):
    """A path the app routes in the browser: anything outside /api/ and /assets/."""

    regex = r"(?!api(?:/|$)|assets/)[^/].*?"
    part_isolating = False


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _dist() -> Path:
    return current_settings().effective_web_dist_dir


def _index_page() -> Response:
    index = _dist() / "index.html"
    if not index.is_file():
        return Response(NOT_BUILT, status=503, mimetype="text/html", headers=PAGE_HEADERS)
    nonce = secrets.token_urlsafe(18)
    html = index.read_text(encoding="utf-8").replace(NONCE_PLACEHOLDER, nonce)
    headers = {**PAGE_HEADERS, "Content-Security-Policy": content_security_policy(nonce)}
    return Response(html, mimetype="text/html", headers=headers)


bp = Blueprint("web_app", __name__)


@bp.get("/assets/<path:filename>")
def asset(filename: str) -> Response:
    """A content-hashed build file: its name changes with its content, so cache it forever.
    The gzip copy the build wrote beside it goes to browsers that accept gzip."""
    folder = _dist() / "assets"
    compressed = (
        request.accept_encodings.quality("gzip") > 0 and (folder / f"{filename}.gz").is_file()
    )
    if compressed and (folder / filename).is_file():
        mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = send_from_directory(folder, f"{filename}.gz", mimetype=mimetype)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = send_from_directory(folder, filename)
    response.headers["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}, immutable"
    response.vary.add("Accept-Encoding")
    return response


@bp.get("/")
@bp.get("/<app_path:path>")
def app_page(path: str = "") -> Response:
    """A top-level file of the build (the icon), else the app's index.html; app routes have no
    file extension, so a missing file such as /favicon.ico is a 404 rather than the page."""
    if path and "/" not in path and path != "index.html" and (_dist() / path).is_file():
        return send_from_directory(_dist(), path, max_age=3600)
    if Path(path).suffix:
        abort(404)
    return _index_page()


def register_web_app(app: Flask) -> None:
    app.url_map.converters["app_path"] = AppPathConverter
    app.register_blueprint(bp)
