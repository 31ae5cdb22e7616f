"""Settings fail at start, with a message naming the variable, on a wrong value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(**env):
    environment = {**os.environ, **env}
    environment.pop("DATABASE_URL", None) if "DATABASE_URL" not in env else None
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        (
            {"DATABASE_URL": "mysql://root@localhost/x"},
            "DATABASE_URL must point to PostgreSQL or SQLite",
        ),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false, not 'maybe'"),
        ({"DEBUG": "false", "SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off"),
        (
            {"DEBUG": "false", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": ""},
            "ALLOWED_HOSTS must be set",
        ),
        ({"DATABASE_CONN_MAX_AGE": "forever"}, "DATABASE_CONN_MAX_AGE must be a whole number"),
        ({"CACHE_URL": "memcached://cache:11211"}, "A cache address must start with redis://"),
        (
            {"CACHE_URL": "redis://redis:6379/0", "API_CACHE_URL": "redis://redis:6379/0"},
            "API_CACHE_URL must name another Redis database than CACHE_URL",
        ),
        ({"API_REPORT_RATE": ""}, "API_REPORT_RATE must be a number of requests per period"),
        ({"API_REPORT_RATE": "60 a minute"}, "API_REPORT_RATE must be a number of requests"),
    ],
)
def test_settings_refuse_a_wrong_value(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_settings_start_with_production_values():
    result = start(DEBUG="false", SECRET_KEY="s" * 50, ALLOWED_HOSTS="rbm.example.org")
    assert result.returncode == 0, result.stderr
