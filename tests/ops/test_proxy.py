"""deploy/nginx/portal.conf in front of gunicorn (DEBUG off, 2 sync workers), as in
docker-compose.yml: slow clients cannot starve the workers, static files come from nginx
compressed and immutable, an oversize body is refused before it reaches a worker.

Slow: each test starts gunicorn and nginx (about 3 s); the slow-client test runs 12 s more.
"""

import gzip
import json
import re
import socket
import threading
import time

import pytest
from django.conf import settings

from .conftest import (
    PORT_BASE,
    PORTAL_CONF,
    Gunicorn,
    Nginx,
    free_port_or_fail,
    get,
    needs_nginx,
    portal_env,
)

GUNICORN_PORT, NGINX_PORT = PORT_BASE + 1, PORT_BASE + 2


def test_body_limit_matches_django():
    """nginx refuses only what Django would refuse too: its limit is Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE plus less than 1 MiB of headroom for form encoding."""
    limit = re.search(r"client_max_body_size (\d+)m;", PORTAL_CONF.read_text())
    assert limit, "portal.conf states client_max_body_size in MiB"
    nginx_bytes = int(limit.group(1)) * 1024 * 1024
    assert nginx_bytes >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert nginx_bytes - settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 1024 * 1024


@pytest.fixture
def stack(servers, collected_static, tmp_path):
    """gunicorn (a database it never needs: /healthz does not touch it) and nginx in front."""
    env = portal_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}", STATIC_ROOT=collected_static
    )
    portal = servers.start(
        Gunicorn, free_port_or_fail(GUNICORN_PORT), env, tmp_path / "gunicorn.log"
    )
    servers.start(
        Nginx, tmp_path / "nginx", free_port_or_fail(NGINX_PORT), [GUNICORN_PORT], collected_static
    )
    return portal


def slow_client(port: int, seconds: float, closed_after: list) -> None:
    """Sends a request's header one line every 2 s for `seconds`, never finishing it."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        try:
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            line = 0
            while time.monotonic() - started < seconds:
                time.sleep(2)
                line += 1
                connection.sendall(f"X-Slow-{line}: waiting\r\n".encode())
        except OSError:
            closed_after.append(time.monotonic() - started)


def probe_while_slow_clients(port: int, clients: int, seconds: float):
    """Latencies of /healthz every 0.5 s while `clients` slow clients hold connections."""
    closed_after: list[float] = []
    threads = [
        threading.Thread(target=slow_client, args=(port, seconds, closed_after), daemon=True)
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # every slow client connected and sending
    latencies = []
    deadline = time.monotonic() + seconds - 1
    while time.monotonic() < deadline:
        began = time.monotonic()
        try:
            status, _, body = get(port, "/healthz", timeout=1)
            ok = status == 200 and json.loads(body) == {"status": "ok"}
        except OSError:  # timed out
            ok = False
        latencies.append((ok, time.monotonic() - began))
        time.sleep(max(0, 0.5 - (time.monotonic() - began)))
    for thread in threads:
        thread.join(timeout=10)
    return latencies, closed_after


@needs_nginx
def test_slow_clients_do_not_starve_the_workers(stack):
    # without the proxy, a few slow clients take both sync workers: probes time out (the finding)
    direct, _ = probe_while_slow_clients(GUNICORN_PORT, clients=4, seconds=4)
    assert not any(ok for ok, _ in direct), "gunicorn alone answered while its workers were held"

    # through nginx: 30 slow clients for 12 s, and every probe answers within a second
    latencies, _ = probe_while_slow_clients(NGINX_PORT, clients=30, seconds=12)
    assert len(latencies) >= 18
    failed = [round(seconds, 2) for ok, seconds in latencies if not ok]
    assert failed == [], f"probes that failed or took over 1 s: {failed}"
    assert max(seconds for _, seconds in latencies) < 1


@needs_nginx
def test_static_files_come_from_nginx_compressed_and_immutable(stack, collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    hashed = manifest["vendor/plotly-basic-4.1.1.min.js"]
    original = (collected_static / "vendor" / "plotly-basic-4.1.1.min.js").read_bytes()

    status, headers, body = get(
        NGINX_PORT, f"/static/{hashed}", headers={"Accept-Encoding": "gzip, br"}
    )
    assert status == 200
    assert headers["content-encoding"] == ["gzip"]
    assert gzip.decompress(body) == original
    assert len(body) < len(original) / 3
    assert headers["cache-control"] == ["public, max-age=31536000, immutable"]
    assert headers["vary"] == ["Accept-Encoding"]

    # a client that takes no gzip gets the file itself
    status, headers, body = get(NGINX_PORT, f"/static/{hashed}")
    assert status == 200 and body == original and "content-encoding" not in headers

    # a name without its hash may change with a release: not immutable
    status, headers, body = get(NGINX_PORT, "/static/vendor/plotly-basic-4.1.1.min.js")
    assert status == 200 and body == original
    assert headers["cache-control"] == ["public, max-age=300"]

    assert "/static/" not in stack.requests_logged(), "a static file reached gunicorn"


@needs_nginx
def test_oversize_body_refused_by_nginx(stack):
    too_large = b"x" * (4 * 1024 * 1024)
    status, _, body = get(
        NGINX_PORT,
        "/api/v1/observations/",
        method="POST",
        body=too_large,
        headers={"Content-Type": "application/json"},
    )
    assert status == 413
    assert b"413" in body
    assert "POST /api/v1/observations/" not in stack.requests_logged()


@needs_nginx
def test_evidence_uploads_alone_may_be_larger(stack):
    """The discussion pages take evidence files up to EVIDENCE_MAX_BYTES (10 MiB): nginx lets
    such a body through to them, and to no other address."""
    body = b"x" * (5 * 1024 * 1024)
    headers = {"Content-Type": "application/octet-stream"}
    upload = "/en/workspace/figures/1/discussion/"
    status, _, _ = get(NGINX_PORT, upload, method="POST", body=body, headers=headers)
    assert status != 413  # Django answers (here: no CSRF token, 403)
    assert f"POST {upload}" in stack.requests_logged(containing=f"POST {upload}")
    status, _, _ = get(
        NGINX_PORT, "/en/workspace/figures/1/", method="POST", body=body, headers=headers
    )
    assert status == 413
    too_large = b"x" * (12 * 1024 * 1024)
    assert get(NGINX_PORT, upload, method="POST", body=too_large, headers=headers)[0] == 413


@needs_nginx
def test_proxy_passes_host_and_the_visitor_address(stack):
    # the Host header reaches Django, which refuses a host it does not serve
    assert get(NGINX_PORT, "/healthz")[0] == 200
    assert get(NGINX_PORT, "/healthz", headers={"Host": "evil.example"})[0] == 400
    # the visitor's address appended to what it sent (TRUSTED_PROXIES=1 reads the last one),
    # and the scheme it used
    get(NGINX_PORT, "/healthz?visitor", headers={"X-Forwarded-For": "203.0.113.9"})
    log = stack.requests_logged(containing="/healthz?visitor")
    logged = [line for line in log.splitlines() if "/healthz?visitor" in line]
    assert len(logged) == 1
    assert 'forwarded-for="203.0.113.9, 127.0.0.1" proto=http ' in logged[0]
