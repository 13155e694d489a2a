"""Healix behind Debian's nginx with the shipped site file (deploy/nginx/healix.conf), on
loopback with a self-signed certificate made here: HTTP redirects to HTTPS, the web app and
the API answer, the audit row holds the client's address (not nginx's, nor a spoofed one),
headers appear once, and bodies over the app's limit stop at nginx."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from werkzeug.serving import make_server

from healix.audit.events import AuditAction
from healix.models.audit_log import AuditLog

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "healix.conf"
#: this helper's ports (app, HTTP, HTTPS)
APP_PORT, HTTP_PORT, HTTPS_PORT = 5130, 5131, 5132
#: the client connects from another loopback address than nginx's, so the two differ
CLIENT = "127.0.0.2"
ONCE = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cache-Control",
    "Strict-Transport-Security",
    "X-Request-ID",
)


@dataclass(frozen=True)
class Site:
    cafile: Path


def _nginx() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        pytest.fail("nginx is not installed: apt-get install nginx (.ci/run installs it)")
    return found


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(IPv4Address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _site_config(cert: Path, key: Path, dist: Path) -> str:
    """The shipped site with loopback ports and the test's paths; nothing else changes."""
    text = SITE.read_text()
    replacements = {
        "server 127.0.0.1:5000;": f"server 127.0.0.1:{APP_PORT};",
        "    listen 80;\n    listen [::]:80;": f"    listen 127.0.0.1:{HTTP_PORT};",
        "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;": (
            f"    listen 127.0.0.1:{HTTPS_PORT} ssl http2;"
        ),
        "/etc/letsencrypt/live/healix.example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/healix.example.org/privkey.pem": str(key),
        "/srv/healix/web/dist": str(dist),
    }
    for old, new in replacements.items():
        assert old in text, f"the site file no longer contains {old!r}"
        text = text.replace(old, new)
    return text


def _main_config(directory: Path, site: Path) -> Path:
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = directory / "nginx.conf"
    conf.write_text(
        f"""{user}worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {directory}/access.log;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {site};
}}
"""
    )
    return conf


def _wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            probe.connect()
            return
        except OSError:
            time.sleep(0.05)
        finally:
            probe.close()
    pytest.fail(f"nothing answers on 127.0.0.1:{port}")


@pytest.fixture
def site(make_app, tmp_path) -> Iterator[Site]:
    nginx = _nginx()
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(
        '<!doctype html><title>Healix</title><div id="root"></div>'
        '<script type="module" src="/assets/app-abc123.js"></script>'
        '<style nonce="__CSP_NONCE__"></style>'
    )
    (dist / "assets" / "app-abc123.js").write_text("console.log('healix');\n")
    app = make_app(trusted_proxies=1, web_dist_dir=dist)
    server = make_server("127.0.0.1", APP_PORT, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    cert, key = _certificate(tmp_path)
    site_file = tmp_path / "healix.conf"
    site_file.write_text(_site_config(cert, key, dist))
    conf = _main_config(tmp_path, site_file)
    check = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(HTTPS_PORT)
        yield Site(cafile=cert)
    finally:
        process.terminate()
        process.communicate(timeout=10)
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def https(site: Site, method: str, path: str, body: bytes | None = None, **headers: str):
    context = ssl.create_default_context(cafile=str(site.cafile))
    connection = http.client.HTTPSConnection(
        "127.0.0.1", HTTPS_PORT, context=context, source_address=(CLIENT, 0), timeout=10
    )
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response, content


def assert_headers_once(response: http.client.HTTPResponse) -> None:
    for name in ONCE:
        values = response.headers.get_all(name) or []
        assert len(values) <= 1, (name, values)


def test_behind_nginx(site, dbs):
    plain = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=10)
    plain.request("GET", "/api/health?x=1")
    redirect = plain.getresponse()
    redirect.read()
    plain.close()
    assert redirect.status == 301
    assert redirect.headers["Location"].startswith("https://127.0.0.1")
    assert redirect.headers["Location"].endswith("/api/health?x=1")

    page, html = https(site, "GET", "/appointments")
    assert page.status == 200
    assert b'<div id="root">' in html
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert page.headers["Cache-Control"] == "no-cache"
    assert_headers_once(page)

    asset, script = https(site, "GET", "/assets/app-abc123.js")
    assert asset.status == 200
    assert script == b"console.log('healix');\n"
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Request-ID" not in asset.headers  # served by nginx from disk, not by the app
    assert_headers_once(asset)

    health, body = https(site, "GET", "/api/health")
    assert health.status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok"}
    assert health.headers["Cache-Control"] == "no-store"
    assert_headers_once(health)

    # a client that forges X-Forwarded-For: the audit row holds its real address
    login, _ = https(
        site,
        "POST",
        "/api/auth/login",
        body=b'{"email": "who@example.com", "password": "wrong-password-xyz"}',
        **{"Content-Type": "application/json", "X-Forwarded-For": "203.0.113.66"},
    )
    assert login.status == 401
    assert_headers_once(login)
    with dbs() as session:
        row = session.scalars(
            select(AuditLog).where(AuditLog.action == AuditAction.AUTH_LOGIN_FAILED)
        ).one()
        assert row.ip_address == CLIENT

    too_big, _ = https(
        site,
        "POST",
        "/api/biomarkers/readings",
        body=b"x" * (4 * 1024 * 1024 + 1),
        **{"Content-Type": "application/json"},
    )
    assert too_big.status == 413

    metrics, _ = https(site, "GET", "/api/metrics")
    assert metrics.status == 403  # only the scraper on the host itself may ask


def test_the_body_limit_matches_the_apps():
    from healix.config import Settings

    [line] = [line for line in SITE.read_text().splitlines() if "client_max_body_size" in line]
    megabytes = int(line.split()[1].rstrip(";").removesuffix("m"))
    assert megabytes * 1024 * 1024 == Settings.model_fields["max_content_length"].default
