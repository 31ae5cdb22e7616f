"""Two portal instances (two gunicorn processes on two loopback ports, as on two hosts) sharing
one PostgreSQL database and one Redis, behind nginx's upstream listing both: what happens through
one holds on the other at once. PostgreSQL only (SQLite cannot be shared between hosts).

Slow: loads a database (tests/ops/conftest.py's loaded_database, shared with test_backup.py) and
starts three servers, about 25 s in all.
"""

import json
import os
import re
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
import redis

from .conftest import (
    PORT_BASE,
    REDIS,
    ROOT,
    Gunicorn,
    Nginx,
    free_port_or_fail,
    get,
    needs_nginx,
    needs_postgres,
    portal_env,
)

pytestmark = [needs_postgres, needs_nginx]

PORT_A, PORT_B, PROXY_PORT = PORT_BASE + 3, PORT_BASE + 4, PORT_BASE + 5
PASSWORD = "a-long-test-password-41"
VISITOR = "203.0.113.7"  # as nginx would pass it: TRUSTED_PROXIES=1 takes the last address
FIGURE = {
    "indicator": "1.2-internet-use",
    "geography": "WLD",
    "year": "2025",
    "value": "68.5",
    "publisher": "ITU",
    "publication": "Facts and Figures 2025",
    "source": "ITU Facts and Figures 2025",
    "source_url": "https://www.itu.int/itu-d/reports/statistics/facts-figures-2024/",
    "edition": "Facts and Figures 2025",
    "note": "",
}
PUBLIC_FIGURE = "/api/v1/observations/?indicator=1.2-internet-use&geography=WLD&year=2025"

PEOPLE = f"""
from frameworks.models import StrategicPlan
from frameworks.roles import Role
from indicators import services
from tests.personas import make_user

reporter = make_user("ops_reporter", Role.REPORTER, ["ITU-D"])
make_user("ops_reviewer", Role.REVIEWER, ["ITU-D"])
make_user("ops_locked", Role.REVIEWER, ["ITU-D"])
plan = StrategicPlan.objects.get(code="2020-2023")
print(services.observation_report(plan=plan, raw={FIGURE!r}, user=reporter).pk)
"""


class Browser:
    """Cookies kept by hand: the portal's are Secure (DEBUG off), and these requests are plain
    http on loopback, where a cookie jar would not send them."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port, path, *, method="GET", form=None, json_body=None, headers=None):
        headers = {"X-Forwarded-For": VISITOR, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_body is not None:
            body = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        if method == "POST":
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        status, answer, content = get(port, path, method=method, body=body, headers=headers)
        for line in answer.get("set-cookie", []):
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return status, answer, content

    def sign_in(self, port, username, password):
        self.request(port, "/admin/login/")  # the CSRF cookie
        return self.request(
            port,
            "/admin/login/?next=/admin/",
            method="POST",
            form={
                "username": username,
                "password": password,
                "next": "/admin/",
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            },
        )


@pytest.fixture(scope="module")
def instances(loaded_database, collected_static, tmp_path_factory):
    """Instances A and B and nginx in front of both; the figure waiting for review."""
    try:
        for number in (8, 9):
            redis.Redis.from_url(f"{REDIS}/{number}", socket_connect_timeout=1).flushdb()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_REDIS"):
            raise
        pytest.skip(f"Redis is not running at {REDIS}")
    env = portal_env(
        DATABASE_URL=loaded_database,
        CACHE_URL=f"{REDIS}/8",
        API_CACHE_URL=f"{REDIS}/9",
        STATIC_ROOT=collected_static,
        API_REPORT_RATE="3/minute",
        AXES_FAILURE_LIMIT="3",
    )
    people = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PEOPLE],
        cwd=ROOT,
        env={**env, "DEBUG": "true"},  # nothing served: the development defaults suffice
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert people.returncode == 0, people.stderr[-3000:]
    figure = int(people.stdout.split()[-1])
    logs = tmp_path_factory.mktemp("instances")
    started = []
    try:
        started.append(Gunicorn(free_port_or_fail(PORT_A), env, logs / "a.log"))
        started.append(Gunicorn(free_port_or_fail(PORT_B), env, logs / "b.log"))
        started.append(
            Nginx(logs / "nginx", free_port_or_fail(PROXY_PORT), [PORT_A, PORT_B], collected_static)
        )
        yield {"a": started[0], "b": started[1], "figure": figure}
    finally:
        for server in reversed(started):
            server.stop()
        for number in (8, 9):
            redis.Redis.from_url(f"{REDIS}/{number}").flushdb()


def public_figures(port) -> list:
    status, _, body = get(port, PUBLIC_FIGURE)
    assert status == 200
    return json.loads(body)["results"]


def test_the_proxy_spreads_requests_over_both(instances):
    for number in range(6):
        assert get(PROXY_PORT, f"/readyz?spread={number}")[0] == 200
    for name in ("a", "b"):
        assert "GET /readyz?spread=" in instances[name].requests_logged(), f"{name} got none"


def test_a_figure_approved_on_a_shows_on_b_at_once(instances):
    assert public_figures(PORT_B) == []  # and B keeps that answer in the shared cache
    reviewer = Browser()
    assert reviewer.sign_in(PORT_A, "ops_reviewer", PASSWORD)[0] == 302
    reviewer.request(PORT_A, "/en/workspace/review/")
    status, answer, _ = reviewer.request(
        PORT_A,
        "/en/workspace/review/",
        method="POST",
        form={
            "figures": [instances["figure"]],
            "decision": "approve",
            "comment": "",
            "csrfmiddlewaretoken": reviewer.cookies["csrftoken"],
        },
    )
    assert status == 302 and answer["location"] == ["/en/workspace/review/"]
    approved_at = time.monotonic()
    # B trusts the content generation it read for API_STAMP_SECONDS (1 s) at most
    while not (figures := public_figures(PORT_B)) and time.monotonic() - approved_at < 1.5:
        time.sleep(0.1)
    assert [(row["year"], row["value"], row["status"]) for row in figures] == [
        (2025, 68.5, "approved")
    ]
    assert time.monotonic() - approved_at < 1.5


def test_a_session_from_a_works_on_b(instances):
    browser = Browser()
    assert browser.sign_in(PORT_A, "ops_reviewer", PASSWORD)[0] == 302
    assert "sessionid" in browser.cookies
    status, _, body = browser.request(PORT_B, "/en/workspace/")
    assert status == 200
    assert "ops_reviewer" in body.decode()
    signed_out = Browser().request(PORT_B, "/en/workspace/")
    assert signed_out[0] == 302  # to the sign-in page: the session made it, not the address


def test_the_report_throttle_counts_across_both(instances):
    reporter = Browser()
    assert reporter.sign_in(PORT_A, "ops_reporter", PASSWORD)[0] == 302
    answers = [
        reporter.request(port, "/api/v1/observations/", method="POST", json_body={})[0]
        for port in (PORT_A, PORT_B, PORT_A, PORT_B)
    ]
    # three reports a minute (API_REPORT_RATE): the empty ones are refused as invalid, and
    # counted; the fourth, on B, is the one too many whichever instance saw the others
    assert answers == [400, 400, 400, 429]


def test_the_sign_in_lock_out_holds_on_b(instances):
    for attempt in range(3):  # AXES_FAILURE_LIMIT
        status, _, body = Browser().sign_in(PORT_A, "ops_locked", f"wrong-{attempt}")
    assert status == 429
    status, _, body = Browser().sign_in(PORT_B, "ops_locked", PASSWORD)
    assert status == 429, "the right password opened on B an account locked on A"
    assert re.search(r"locked", body.decode(), re.IGNORECASE)
