"""Two requests at the same moment (issue 18), in a process of their own (races.py): only a file
database locks as production does (pytest-django's in-memory SQLite shares one cache between its
connections), and threads need their own connections to a database that is not the test's
uncommitted transaction.

- Two changes of one figure based on the same version answer 200 and 412, never 500 "database is
  locked" (on SQLite, before transaction_mode="IMMEDIATE": [200, 500] in every round).
- Two reports with the same Idempotency-Key write one figure and both answer it.
On SQLite always; on PostgreSQL too in the run whose DATABASE_URL is PostgreSQL.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

SCRIPT = Path(__file__).with_name("races.py")
ROUNDS = 8
TEST_DATABASE = os.environ.get("DATABASE_URL", "")


def race(database_url: str, mode: str) -> list:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(ROUNDS), mode],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('races') / 'races.sqlite3'}"


@pytest.fixture(scope="module")
def postgresql_database():
    if not TEST_DATABASE.startswith("postgres"):
        pytest.skip("PostgreSQL is raced in the run whose DATABASE_URL is PostgreSQL")
    address = urlsplit(TEST_DATABASE)
    name = f"itu_rbm_races_{os.getpid()}"
    admin = psycopg2.connect(urlunsplit(address._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    yield urlunsplit(address._replace(path=f"/{name}"))
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request):
    fixture = {"sqlite": "sqlite_file", "postgresql": "postgresql_database"}[request.param]
    return request.getfixturevalue(fixture)


def test_two_changes_based_on_one_version_answer_200_and_412(database):
    assert race(database, "patch") == [[200, 412]] * ROUNDS


def test_two_reports_with_one_idempotency_key_write_once_and_answer_alike(database):
    # per round: both statuses, how many figures the answers name, how many were stored
    assert race(database, "post-key") == [[[201, 201], 1, 1]] * ROUNDS
