"""Security headers on every response (the web app's pages set their own CSP first).

- API answers (JSON, problem+json, files): a CSP that allows nothing (`default-src 'none'`),
  so a response opened in a browser can neither run nor embed anything.
- The API docs page (Swagger UI, an HTML page under /api/): its own CSP, scripts and styles
  from this origin plus, by their SHA-256 hashes, the inline scripts the page carries.
- Everywhere: `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`, `Permissions-Policy`,
  `X-Content-Type-Options: nosniff`; in production also HSTS (two years, subdomains).
The server banner is removed by the gunicorn configuration (deploy/gunicorn.conf.py).
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Response, request

from healix.config import current_settings
from healix.config.settings import Environment

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=63072000; includeSubDomains"
BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_page_csp(html: str) -> str:
    """The docs page's policy: its inline scripts allowed by hash, nothing from elsewhere.
    Swagger UI sets style attributes while it runs, hence the inline styles."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}".rstrip(),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def add_security_headers(response: Response) -> None:
    for name, value in BASE_HEADERS.items():
        response.headers.setdefault(name, value)
    if "Content-Security-Policy" not in response.headers:
        is_docs_page = request.path.startswith("/api/") and response.mimetype == "text/html"
        if is_docs_page and not response.is_streamed:
            response.headers["Content-Security-Policy"] = docs_page_csp(
                response.get_data(as_text=True)
            )
        else:
            response.headers["Content-Security-Policy"] = API_CSP
    if current_settings().healix_env is Environment.PRODUCTION:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
        response.headers.pop("Server", None)
