"""Real-browser tests: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright,
against pytest-django's live server.

The live server needs a transactional database, which is emptied after each test; each test
loads the plan itself (`loaded_server`), and once the module is done the session's data is put
back for any test that runs after these.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import ensure_roles, load_everything

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run beside
# one unless told that it is safe (it is: the loop is idle while the ORM runs).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def loaded_server(live_server):
    from django.db import connections

    # The live server answers each browser connection in a thread that keeps its database
    # connection while the browser keeps the socket alive; with persistent connections
    # (CONN_MAX_AGE) one may outlive the test and block the test database's removal on
    # PostgreSQL. Closing it after each request avoids that.
    database = connections.settings["default"]
    persistent = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    load_everything()
    yield live_server
    database["CONN_MAX_AGE"] = persistent
    # While Playwright's event loop runs in this thread, the ORM keeps its connection apart from
    # the test's own (asgiref's Local follows the async context): close it, or it outlives the
    # session and blocks the removal of the test database on PostgreSQL.
    connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture(scope="module", autouse=True)
def restore_session_data(django_db_blocker):
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:  # what the migrations created (roles), serialized when the test db was made
            connection.creation.deserialize_db_from_string(contents)
        ensure_roles()
        load_everything()
        connection.close()


def wait_for_charts(page) -> None:
    """Until static/js/charts.js says the page's main charts are drawn."""
    page.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'")
