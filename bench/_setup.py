"""Shared start-up for the benchmark scripts: a fresh database with the loaded plan.

By default a new SQLite file under bench/results/; set DATABASE_URL to measure PostgreSQL (the
database is created if it does not exist, migrated and the plan loaded; data the scripts add is
removed at the end).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def setup_django(name: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" not in os.environ:
        database = RESULTS / f"{name}.sqlite3"
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itu_rbm.settings")
    # Plain http on loopback, as the portal behind its proxy: with DEBUG off it would otherwise
    # redirect every request to https (SECURE_SSL_REDIRECT).
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django
    from django.core.management import call_command

    django.setup()
    create_database()
    call_command("migrate", verbosity=0)
    from tests.conftest import load_everything

    load_everything()
    analyze()


def create_database() -> None:
    """Create the PostgreSQL database that DATABASE_URL names, if it is not there yet."""
    from django.db import OperationalError, connection

    if connection.vendor != "postgresql":
        return
    try:
        connection.ensure_connection()
    except OperationalError:
        # the server's maintenance database, as Django's test runner reaches it
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                f"CREATE DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])}"
            )


def analyze() -> None:
    """Give the query planner statistics of the data just loaded, as autovacuum does within a
    minute in production (it is off on the benchmark machine: without statistics, PostgreSQL
    chose a walk through every approved figure for the progress query)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def database_label() -> str:
    from django.db import connection

    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def rebuilding_session() -> str:
    """The session key of a signed-in user without a role, for requests that must be built
    afresh: only a signed-in user's answers bypass the cache of public answers (a visitor's
    `Cache-Control: no-cache` is answered from it, itu_rbm/caching.py). Without a role, the
    user sees what the public sees, so the answer built is the public one; signing in adds the
    session and user lookups (two small queries)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-rebuild")
    client = Client()
    client.force_login(user)
    from django.conf import settings

    return client.cookies[settings.SESSION_COOKIE_NAME].value
