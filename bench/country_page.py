"""A country page (/<lang>/countries/<ISO3>/): server time to build it fresh, its query count,
and the time until its charts are drawn on a cold visit in headless Chromium.

    .venv/bin/python bench/country_page.py [--repeat 60] [--visits 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itu_country_bench \
        .venv/bin/python bench/country_page.py

The database (a fresh SQLite file under bench/results/, or DATABASE_URL) gets the loaded plan
and the real country data, as `make data` loads it (fixtures/countries/). Run as bench/pages.py
runs: DEBUG off, static files collected and served by whitenoise, gunicorn with 2 workers for the
browser.

Budgets (issue 14): built fresh in under 50 ms of server time; charts drawn within 600 ms of a
cold visit ("charts-drawn": static/js/charts.js marks it once the page's first main chart is
drawn; the others are drawn as they come near the screen).
"""

import argparse
import os
import statistics
import sys
import time

from _setup import RESULTS, database_label, rebuilding_session, setup_django
from pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    percentile,
    production_environment,
    start_gunicorn,
    stop,
    timed,
)

PAGES = [
    ("Norway, English", "/en/countries/NOR/"),
    ("Norway, French", "/fr/countries/NOR/"),
    ("Norway, Arabic", "/ar/countries/NOR/"),
    ("Kenya, Chinese", "/zh-hans/countries/KEN/"),
    ("Norway download.csv", "/en/countries/NOR/download.csv"),
    ("Norway download.xlsx", "/en/countries/NOR/download.xlsx"),
]
BROWSER_PAGE = "/en/countries/NOR/"
SCALE_PAGE = "/en/plans/2020-2023/targets/1.2/"  # bench/pages.py's, measured alongside for scale
DRAWN = "performance.getEntriesByName('charts-drawn')[0].startTime"


def server_times(repeat: int) -> list[tuple]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    signed_in = Client()  # built afresh: a signed-in user's answers bypass the public cache
    signed_in.cookies[settings.SESSION_COOKIE_NAME] = rebuilding_session()
    cached = Client()
    rows = []
    for name, url in PAGES:
        for _ in range(3):
            assert signed_in.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            signed_in.get(url)
        count = len(queries)
        fresh = timed(signed_in, url, repeat)
        served = timed(cached, url, repeat)
        rows.append((name, statistics.median(fresh), percentile(fresh, 0.9), count,
                     statistics.median(served)))  # fmt: skip
    return rows


def wait_until_drawn(page, timeout: float = 10) -> None:
    # polled from here: a predicate polled in the page is an eval, which the CSP refuses
    deadline = time.monotonic() + timeout
    while not page.evaluate("document.documentElement.dataset.chartsDrawn === 'true'"):
        if time.monotonic() > deadline:
            raise SystemExit("the charts were not drawn")
        time.sleep(0.01)


def chart_times(visits: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    access_log = RESULTS / "country-access.log"
    port = free_port()
    server = start_gunicorn(port, access_log)
    cold = {BROWSER_PAGE: [], SCALE_PAGE: []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(visits):
                for url, times in cold.items():  # alternately, under the same load
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    page.goto(f"http://127.0.0.1:{port}{url}")
                    wait_until_drawn(page)
                    times.append(page.evaluate(DRAWN))
                    context.close()
            browser.close()
    finally:
        stop(server)
    return cold


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--visits", type=int, default=7)
    args = parser.parse_args()
    os.environ.update(production_environment())
    setup_django("country_page")
    from django.core.management import call_command

    from tests.conftest import load_country_data

    load_country_data()  # the real data, as `make data` loads it
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"database: {database_label()}; DEBUG off; Python {sys.version.split()[0]}")
    print(f"\n1. server time, {args.repeat} requests a page (Django test client, in process)")
    print(f"{'page':<24} {'fresh median ms':>16} {'p90 ms':>8} {'queries':>8} {'cached ms':>10}")
    for name, median, p90, count, served in server_times(args.repeat):
        print(f"{name:<24} {median:>16.1f} {p90:>8.1f} {count:>8} {served:>10.1f}")
    print(
        f"\n2. charts drawn, cold visits in headless Chromium ({args.visits} each); budget 600 ms"
    )
    for url, cold in chart_times(args.visits).items():
        print(
            f"{url}: median {statistics.median(cold):.0f} ms "
            f"(min {min(cold):.0f}, max {max(cold):.0f})"
        )


if __name__ == "__main__":
    main()
