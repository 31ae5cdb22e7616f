"""The production stack on loopback: gunicorn processes with DEBUG off and Debian's nginx running
the repository's own deploy/nginx/portal.conf in front of them. These tests start real servers
(each on a port of 8301-8329, or above OPS_TEST_PORT_BASE when set, so that two runs can share a
machine) and stop them at the end; each takes a few seconds to half a minute.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = Path("/usr/sbin/nginx")
PORTAL_CONF = ROOT / "deploy" / "nginx" / "portal.conf"
PORT_BASE = int(os.environ.get("OPS_TEST_PORT_BASE", "8300"))
SECRET_KEY = "ops-tests-secret-key-not-for-production-0123456789abcdef"

needs_nginx = pytest.mark.skipif(
    not NGINX.exists(),
    reason="Debian's nginx (/usr/sbin/nginx) is not installed; .ci/run installs it",
)


def postgres_url() -> str | None:
    """The test run's DATABASE_URL when it names PostgreSQL (CI runs the suite on both)."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


needs_postgres = pytest.mark.skipif(
    postgres_url() is None,
    reason="needs PostgreSQL (DATABASE_URL=postgres://...): several processes share one database",
)


def database_url(name: str) -> str:
    """The test run's PostgreSQL server, database `name`."""
    parts = urlsplit(postgres_url())
    return parts._replace(path=f"/{name}", query="").geturl()


def psql(url: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-tA", "-d", url, "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def portal_env(**variables) -> dict:
    """A production process's environment (DEBUG off), nothing inherited that names a database or
    cache: each test says which it uses."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "API_CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        TRUSTED_PROXIES="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update({key: str(value) for key, value in variables.items()})
    return env


def manage(*args: str, env: dict, timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"
    return result.stdout


def wait_for(port: int, path: str = "/healthz", seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, _, _ = get(port, path, timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing answered 200 at 127.0.0.1:{port}{path}")
        time.sleep(0.2)


def get(port: int, path: str, *, timeout: float = 5, headers=None, method="GET", body=None):
    """(status, headers as a dict of lists, body) of one request on a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})}
        )
        response = connection.getresponse()
        answer = {}
        for name, value in response.getheaders():
            answer.setdefault(name.lower(), []).append(value)
        return response.status, answer, response.read()
    finally:
        connection.close()


class Gunicorn:
    """One portal instance: gunicorn with 2 sync workers on 127.0.0.1:port, its log in a file."""

    def __init__(self, port: int, env: dict, log: Path):
        self.port, self.log = port, log
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
        env["GUNICORN_ACCESS_LOG"] = "1"
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "itu_rbm.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_for(port)
        except AssertionError:
            self.stop()
            raise AssertionError(f"gunicorn did not start:\n{log.read_text()[-3000:]}") from None

    def requests_logged(self, containing: str = "", wait: float = 5.0) -> str:
        """The access log; with `containing`, once that text is in it (gunicorn writes each line
        after answering, so a busy machine may show it a moment after the client got its
        answer)."""
        deadline = time.monotonic() + wait
        while containing not in (text := self.log.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        return text

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # quick: nothing to finish here
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def substitute(text: str, pattern: str, replacement: str) -> str:
    changed, count = re.subn(pattern, lambda _: replacement, text, flags=re.MULTILINE)
    assert count == 1, f"{PORTAL_CONF.name}: expected one line matching {pattern!r}, found {count}"
    return changed


class Nginx:
    """Debian's nginx with deploy/nginx/portal.conf, changing only the upstream addresses, the
    port it listens on and the static files' directory; the main context (pid, logs, temporary
    files under `prefix`) is what the official image's nginx.conf provides in production."""

    def __init__(self, prefix: Path, port: int, upstreams: list[int], static_root: Path):
        self.prefix, self.port = prefix, port
        prefix.mkdir(parents=True, exist_ok=True)
        portal = PORTAL_CONF.read_text()
        upstream = re.search(r"^\s*server web:8000( [^;]*)?;$", portal, re.MULTILINE)
        assert upstream, "portal.conf's upstream names web:8000"
        servers = "\n".join(
            f"    server 127.0.0.1:{upstream_port}{upstream.group(1) or ''};"
            for upstream_port in upstreams
        )
        portal = substitute(portal, r"^\s*server web:8000( [^;]*)?;$", servers)
        portal = substitute(portal, r"^\s*listen 80;$", f"    listen 127.0.0.1:{port};")
        portal = substitute(portal, r"^\s*alias /srv/static/;$", f"        alias {static_root}/;")
        temp = "\n".join(
            f"    {kind}_temp_path {prefix}/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # as root, the workers would run as "nobody", who cannot read pytest's directories
        user = "user root;" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(
            f"""{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
{temp}
{portal}
}}
"""
        )
        command = [str(NGINX), "-p", f"{prefix}/", "-e", f"{prefix}/error.log"]
        command += ["-c", f"{prefix}/nginx.conf"]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(
            [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for(port)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # fast: nothing to finish here
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """Static files collected as production does (hashed names, gzip copies) once per run;
    without the Brotli copies, which nginx does not serve and which take a minute and a half."""
    root = tmp_path_factory.mktemp("staticfiles")
    script = (
        "import django, whitenoise.compress; django.setup();"
        "whitenoise.compress.brotli_installed = False;"
        "from django.core.management import call_command;"
        "call_command('collectstatic', interactive=False, verbosity=0)"
    )
    env = portal_env(STATIC_ROOT=root, DJANGO_SETTINGS_MODULE="itu_rbm.settings")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=120)
    assert (root / "staticfiles.json").exists()
    return root


@pytest.fixture
def servers():
    """Starts servers through `servers.start(Kind, ...)` and stops them all at the end."""

    class Started(list):
        def start(self, kind, *args, **kwargs):
            server = kind(*args, **kwargs)
            self.append(server)
            return server

    started = Started()
    yield started
    for server in reversed(started):
        server.stop()


def free_port_or_fail(port: int) -> int:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            pytest.fail(f"port {port} is in use: another run of these tests, or a leftover server")
    return port


REDIS = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379").rstrip("/")
# migrate, then what `make data` loads (tests/conftest.py's load_everything runs the same
# commands), in one process
LOAD = (
    "from django.core.management import call_command; call_command('migrate', verbosity=0);"
    "from tests.conftest import load_everything; load_everything()"
)


def create_database(name: str) -> str:
    maintenance = database_url("postgres")
    psql(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(maintenance, f'CREATE DATABASE "{name}"')
    return database_url(name)


def drop_database(name: str) -> None:
    psql(database_url("postgres"), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def loaded_database():
    """A PostgreSQL database of its own, loaded as `make data` loads it (migrate, the plan, the
    indicators, the published figures), shared by tests/ops' modules and dropped at the end."""
    if postgres_url() is None:
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    name = f"itu_rbm_ops_loaded_{os.getpid()}"
    url = create_database(name)
    try:
        manage("shell", "-c", LOAD, env=portal_env(DATABASE_URL=url, DEBUG="true"))
        yield url
    finally:
        drop_database(name)
