"""The countries page (/en/countries/): what a first visit downloads, how soon the map is drawn,
and the server time to build the map's data.

    .venv/bin/python bench/countries_page.py [--repeat 60] [--visits 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itu_map_bench \
        .venv/bin/python bench/countries_page.py

Data: the loaded plan and the real country data, as `make data` loads it (fixtures/countries/:
load_countries, load_statistics, compute_aggregates).
Everything runs as in production: DEBUG off, static files collected (compressed, hashed) and
served by whitenoise, the portal under gunicorn (2 sync workers) on 127.0.0.1.

(a) bytes: the gzip and Brotli sizes of every file the page references (JS, CSS and the map's
    geometry, which maps.js fetches), and what Chromium really transferred on a cold visit
    (budget: 800 KB compressed).
(b) map drawn: from navigation start to the "map-drawn" mark static/js/maps.js sets once
    Plotly.newPlot has resolved, cold (a new browser context, empty cache) and warm (budget:
    800 ms cold).
(c) server time, in process: the map's data (dashboards.maps.world_map: the figures, the table
    rows and the plotly spec) and the whole page's context, built fresh (budget: 100 ms).
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

from _setup import RESULTS, database_label, setup_django
from pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    percentile,
    production_environment,
    start_gunicorn,
    stop,
)

PAGE = "/en/countries/"
BLANK_PAGE = "/en/plans/2020-2023/risks/"  # a page without charts, for scale


def add_data() -> None:
    from tests.conftest import load_country_data

    load_country_data()  # the real data, as `make data` loads it


def first_visit_bytes() -> dict:
    from django.conf import settings
    from django.test import Client

    html = Client().get(PAGE).content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    assets += re.findall(rb'data-topojson="(/static/[^"]+)"', html)
    static_root = Path(settings.STATIC_ROOT)
    files = []
    for url in dict.fromkeys(assets):
        path = static_root / url.decode()[len(settings.STATIC_URL) :]
        sizes = [path.stat().st_size]
        for suffix in (".gz", ".br"):
            compressed = path.with_name(path.name + suffix)
            sizes.append(compressed.stat().st_size if compressed.exists() else sizes[0])
        files.append((url.decode(), *sizes))
    return {
        "html": len(html),
        "files": files,
        "gzip": sum(gz for _url, _raw, gz, _br in files),
        "brotli": sum(br for _url, _raw, _gz, br in files),
    }


def server_times(repeat: int) -> dict:
    from django.utils import translation

    from dashboards.maps import countries_context, mapped_series, world_map
    from indicators.statistics import default_map_year, map_years

    with translation.override("en"):
        series = mapped_series()[0]
        year = default_map_year(map_years(series))
        times = {"map data": [], "whole page context": []}
        for _ in range(3):
            world_map("bench", series, year)
        for _ in range(repeat):
            started = time.perf_counter()
            world = world_map("bench", series, year)
            times["map data"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            countries_context({})
            times["whole page context"].append((time.perf_counter() - started) * 1000)
    return {"countries": len(world.rows), "times": times}


def map_times(visits: int) -> dict:
    from playwright.sync_api import sync_playwright

    access_log = RESULTS / "countries-access.log"
    port = free_port()
    server = start_gunicorn(port, access_log)
    base = f"http://127.0.0.1:{port}"
    drawn = "performance.getEntriesByName('map-drawn')[0].startTime"
    cold, warm, transferred, paths, blank = [], [], [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(visits):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                sizes = []
                page.on(
                    "requestfinished",
                    lambda request, sizes=sizes: sizes.append(request.sizes()["responseBodySize"]),
                )
                page.goto(base + PAGE)
                page.wait_for_function("document.documentElement.dataset.mapDrawn === 'true'")
                cold.append(page.evaluate(drawn))
                transferred.append(sum(sizes))
                paths.append(page.locator("path.choroplethlocation").count())
                page.goto(base + PAGE)
                page.wait_for_function("document.documentElement.dataset.mapDrawn === 'true'")
                warm.append(page.evaluate(drawn))
                context.close()
                # for scale: a page without charts, cold, on the same machine at the same time
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(base + BLANK_PAGE)
                blank.append(
                    page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
                )
                context.close()
            browser.close()
    finally:
        stop(server)
    return {"cold": cold, "warm": warm, "transferred": transferred, "paths": paths, "blank": blank}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--visits", type=int, default=7)
    args = parser.parse_args()
    os.environ.update(production_environment())
    setup_django("countries")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    add_data()
    print(f"database: {database_label()}; DEBUG off; Python {sys.version.split()[0]}")

    visit = first_visit_bytes()
    print(f"\n(a) first visit to {PAGE}: HTML {visit['html']:,} B")
    for url, raw, gz, br in visit["files"]:
        print(f"  {url}: {raw:,} B; gzip {gz:,} B, Brotli {br:,} B")
    print(
        f"JS + CSS + geometry compressed: gzip {visit['gzip'] / 1000:,.0f} KB, Brotli "
        f"{visit['brotli'] / 1000:,.0f} KB (budget 800 KB)"
    )

    server = server_times(args.repeat)
    print(f"\n(c) server time, {args.repeat} builds, {server['countries']} countries on the map")
    for name, values in server["times"].items():
        print(
            f"  {name}: median {statistics.median(values):.1f} ms, "
            f"p90 {percentile(values, 0.9):.1f} ms (budget 100 ms)"
        )

    drawn = map_times(args.visits)
    print(f"\n(b) map drawn in headless Chromium, {args.visits} visits")
    print(
        f"  cold: median {statistics.median(drawn['cold']):.0f} ms (min {min(drawn['cold']):.0f},"
        f" max {max(drawn['cold']):.0f}); budget 800 ms"
    )
    print(f"  warm: median {statistics.median(drawn['warm']):.0f} ms")
    print(f"  shapes filled: {drawn['paths'][0]}")
    print(
        f"  for scale, a page without charts ({BLANK_PAGE}) loads in "
        f"{statistics.median(drawn['blank']):.0f} ms (median, cold)"
    )
    print(
        "  bytes Chromium received on a cold visit (bodies, as served compressed): "
        f"{statistics.median(drawn['transferred']):,.0f}"
    )


if __name__ == "__main__":
    main()
