"""The built web app served by Flask: index.html fallback with its CSP, hashed assets cached
as immutable, and /api paths untouched."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from healix.middleware.security_headers import API_CSP

INDEX = (
    '<!doctype html><html><head><meta name="csp-nonce" content="__CSP_NONCE__" />'
    '<script type="module" src="/assets/index-abc123.js"></script></head>'
    '<body><div id="root"></div></body></html>'
)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('healix')")
    (tmp_path / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return tmp_path


@pytest.fixture
def web(make_app, dist: Path) -> FlaskClient:
    return make_app(web_dist_dir=dist).test_client()


@pytest.mark.parametrize("path", ["/", "/sign-in", "/vitals/heart_rate", "/reset-password"])
def test_app_routes_answer_index_html(web: FlaskClient, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert '<div id="root">' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-cache"


def test_index_carries_a_fresh_nonce_and_a_strict_csp(web: FlaskClient) -> None:
    first, second = web.get("/"), web.get("/")
    nonce = re.search(r'name="csp-nonce" content="([^"]+)"', first.get_data(as_text=True))
    assert nonce is not None
    assert "__CSP_NONCE__" not in first.get_data(as_text=True)
    assert nonce.group(1) not in second.get_data(as_text=True)
    csp = first.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"  # no inline scripts, no eval
    assert directives["style-src"] == f"'self' 'nonce-{nonce.group(1)}'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


def test_pages_carry_the_usual_security_headers(web: FlaskClient) -> None:
    headers = web.get("/dashboard").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_hashed_assets_are_cached_as_immutable(web: FlaskClient) -> None:
    with web.get("/assets/index-abc123.js") as response:
        assert response.status_code == 200
        assert response.get_data(as_text=True) == "console.log('healix')"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_gzip_copies_go_to_browsers_that_accept_gzip(web: FlaskClient, dist: Path) -> None:
    body = "console.log('healix')"
    (dist / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(body.encode()))
    with web.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip, br"}) as response:
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.mimetype == "text/javascript"
        assert gzip.decompress(response.get_data()).decode() == body
        assert "Accept-Encoding" in response.headers["Vary"]
        assert "immutable" in response.headers["Cache-Control"]
    with web.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"}) as response:
        assert "Content-Encoding" not in response.headers
        assert response.get_data(as_text=True) == body


def test_a_missing_asset_is_404_not_the_page(web: FlaskClient) -> None:
    assert web.get("/assets/index-gone.js").status_code == 404
    assert web.get("/favicon.ico").status_code == 404


def test_top_level_build_files_are_served(web: FlaskClient) -> None:
    with web.get("/favicon.svg") as response:
        assert response.status_code == 200
        assert "immutable" not in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    ["/assets/../../pyproject.toml", "/assets/..%2f..%2fpyproject.toml", "/index.html/../x.py"],
)
def test_files_outside_the_build_are_not_reachable(web: FlaskClient, path: str) -> None:
    assert web.get(path).status_code == 404


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_paths_keep_their_problem_404(web: FlaskClient, method: str) -> None:
    response = getattr(web, method)("/api/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_api_responses_are_not_given_the_page_headers(web: FlaskClient) -> None:
    response = web.get("/api/health")
    assert response.status_code == 200
    # the API's own policy (middleware/security_headers.py), not the page's
    assert response.headers["Content-Security-Policy"] == API_CSP
    assert response.headers["Cache-Control"] == "no-store"


def test_without_a_build_the_page_says_how_to_build_it(make_app, tmp_path: Path) -> None:
    response = make_app(web_dist_dir=tmp_path / "missing").test_client().get("/")
    assert response.status_code == 503
    assert "make web-build" in response.get_data(as_text=True)
