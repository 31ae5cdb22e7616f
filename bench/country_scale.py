"""Per-economy statistics at the real size and at 30 times it: the map data, a country page and
the one-series-every-country API call, with their query counts.

    .venv/bin/python bench/country_scale.py [--repeat 30] [--seconds 3] [--rounds 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itu_api_country_scale \\
        .venv/bin/python bench/country_scale.py

A database of its own (a fresh SQLite file under bench/results/, or DATABASE_URL: created if
missing; the synthetic series of an earlier run are deleted first) gets the loaded plan, 193
Member States (the loaded ones if load_countries ran, else the first 193 country geographies,
spread over the six ITU regions) and synthetic series, written with bulk_create:

- real size: 36 series × the Member States × 2010–2021, totals, one leading release, about
  70% of the country-years present (≈ 58,000 figures, as the loaded DDD and WDI files);
- 30×: every Member State × every series × 2000–2023 × breakdowns (sex and age for a third of
  the series, urban and rural for a third, sex for the rest) × three releases (≈ 1.8 million).

At each size, in this process: indicators.statistics.map_figures (the map's data) and the map
API call built fresh (cache of public answers emptied before each request), and the country page
/en/countries/NOR/ through the test client, fresh (skipped with a message while that page does
not resolve): the median of `--repeat` and the query count. At 30× also the map API call served
from the cache under gunicorn, as a ratio to the floor (/api/v1/ping/) measured just before it,
in `--rounds` rounds: bench/api.py's measure, load generators and portal start-up.

Goals (issue 14): map data < 100 ms, country page < 50 ms, both fresh at either size and in the
same number of queries; the map API call from cache >= 0.7 of the floor.
"""

import argparse
import importlib.util
import os
import random
import shutil
import signal
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from _setup import analyze, database_label, setup_django

SERIES_COUNT = 36
MEMBER_STATES = 193
REAL_YEARS = range(2010, 2022)
SCALED_YEARS = range(2000, 2024)
PREFIX = "bench-"  # the synthetic series' codes
COUNTRY_PAGE = "/en/countries/NOR/"
BATCH = 20_000


def bench_api():
    """bench/api.py, loaded under another name: `api` is the portal's own package."""
    spec = importlib.util.spec_from_file_location("bench_api", Path(__file__).with_name("api.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the data ---------------------------------------------------------------------------------


def forget_earlier_run() -> None:
    """Delete the synthetic series of an earlier run in one statement per table (a Django delete
    would load every row to send its signals)."""
    from django.db import connection, transaction

    from indicators.models import Release, Series, Statistic

    releases = list(
        Release.objects.filter(series__code__startswith=PREFIX).values_list("pk", flat=True)
    )
    if not releases:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(releases))
        cursor.execute(
            f"DELETE FROM {Statistic._meta.db_table} WHERE release_id IN ({marks})", releases
        )
    Series.objects.filter(code__startswith=PREFIX).delete()


def member_states() -> list:
    """The loaded Member States, or the first 193 countries made Member States (NOR among them),
    spread over the six ITU regions."""
    from indicators.models import Geography

    loaded = list(Geography.objects.member_states().order_by("code"))
    if len(loaded) >= 150:
        return loaded
    regions = list(Geography.objects.regions().order_by("code"))
    countries = list(Geography.objects.countries().exclude(code="NOR").order_by("code"))
    chosen = [Geography.objects.get(code="NOR"), *countries[: MEMBER_STATES - 1]]
    for n, country in enumerate(chosen):
        country.is_member_state, country.region = True, regions[n % len(regions)]
    Geography.objects.bulk_update(chosen, ["is_member_state", "region"])
    return chosen


def breakdowns(index: int) -> list[tuple[str, str, str]]:
    """(sex, age, area) of a series' figures: the total, and by series, sex and age, urban and
    rural, or sex only."""
    total = ("_T", "_T", "_T")
    if index % 3 == 0:
        sex = [("F", "_T", "_T"), ("M", "_T", "_T")]
        return [total, *sex, ("_T", "Y15T24", "_T"), ("_T", "Y25T74", "_T")]
    if index % 3 == 1:
        return [total, ("_T", "_T", "U"), ("_T", "_T", "R")]
    return [total, ("F", "_T", "_T"), ("M", "_T", "_T")]


def make_series() -> list:
    from indicators.models import Release, Series

    series = Series.objects.bulk_create(
        [
            Series(code=f"{PREFIX}{n:02}", order=n, name=f"Synthetic series {n}", unit="percent")
            for n in range(SERIES_COUNT)
        ]
    )
    for one in series:
        Release.objects.create(
            series=one,
            publisher="ITU",
            publication="World Telecommunication/ICT Indicators Database",
            edition="January 2022",
            released_on=date(2022, 1, 31),
            is_leading=True,
        )
    return series


def write(figures) -> int:
    """bulk_create in batches from a generator (1.8 million instances at once would not fit a
    small machine's memory)."""
    from indicators.models import Statistic

    written, batch = 0, []
    for figure in figures:
        batch.append(figure)
        if len(batch) == BATCH:
            Statistic.objects.bulk_create(batch)
            written, batch = written + len(batch), []
    Statistic.objects.bulk_create(batch)
    return written + len(batch)


def real_size(series, countries) -> int:
    """Totals of the leading release for 2010–2021, about 70% of the country-years present."""
    from indicators.models import Statistic

    draw = random.Random(14)

    def figures():
        for one in series:
            release = one.releases.get()
            for country in countries:
                for year in REAL_YEARS:
                    if country.code == "NOR" or draw.random() < 0.7:
                        value = draw.uniform(1, 100)
                        yield Statistic(release=release, geography=country, year=year, value=value)

    return write(figures())


def scale_up(series, countries) -> int:
    """Complete the grid: every year of 2000–2023, every breakdown, and two more releases of
    every series (a newer edition of the same publisher, another publisher's)."""
    from indicators.models import Release, Statistic

    draw = random.Random(30)
    present = set(
        Statistic.objects.filter(release__series__in=series).values_list(
            "release_id", "geography_id", "year", "sex", "age", "area"
        )
    )

    def figures():
        for index, one in enumerate(series):
            releases = [
                one.releases.get(),
                Release.objects.create(
                    series=one,
                    publisher="ITU",
                    publication="World Telecommunication/ICT Indicators Database",
                    edition="December 2023",
                    released_on=date(2023, 12, 20),
                ),
                Release.objects.create(
                    series=one,
                    publisher="World Bank",
                    publication="World Development Indicators",
                    edition="2024-12",
                    released_on=date(2024, 12, 16),
                ),
            ]
            for release in releases:
                for country in countries:
                    for year in SCALED_YEARS:
                        for sex, age, area in breakdowns(index):
                            key = (release.pk, country.pk, year, sex, age, area)
                            if key not in present:
                                yield Statistic(
                                    release=release,
                                    geography=country,
                                    year=year,
                                    sex=sex,
                                    age=age,
                                    area=area,
                                    value=draw.uniform(1, 100),
                                    is_estimate=draw.random() < 0.1,
                                )

    return write(figures())


# --- the measures -----------------------------------------------------------------------------


def timed(function, repeat: int) -> tuple[float, int]:
    """The median milliseconds of `repeat` calls, after two, and the queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function(), function()
    with CaptureQueriesContext(connection) as queries:
        function()
    query_count = len(queries)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), query_count


def fresh_get(client, address: str, expected: int = 200):
    """A GET built afresh: the cache of public answers is emptied first (outside the timing,
    which starts in `timed` after this call's own emptying: see measure_in_process)."""
    from itu_rbm.caching import forget_public_answers

    forget_public_answers()
    response = client.get(address)
    assert response.status_code == expected, (address, response.status_code)
    return response


def country_page_resolves() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(COUNTRY_PAGE)
    except Resolver404:
        return False
    return True


def measure_in_process(series, repeat: int) -> dict[str, tuple[float, int] | str]:
    from django.core.cache import caches
    from django.test import Client

    from indicators.statistics import map_figures, map_years

    years = map_years(series)
    year = max(years, key=lambda y: (years[y], y))
    client = Client()
    api_address = f"/api/v1/series/{series.code}/countries/?year={year}"
    cache = caches["api"]

    def map_api():
        cache.clear()  # built afresh (the generation is read again: no query)
        client.get(api_address)

    def country_page():
        cache.clear()
        client.get(COUNTRY_PAGE)

    assert len(fresh_get(client, api_address).json()["results"]) > 100
    results = {
        "map data (map_figures)": timed(lambda: map_figures(series, year), repeat),
        "map API call, built fresh": timed(map_api, repeat),
    }
    if not country_page_resolves():
        results["country page /en/countries/NOR/"] = "skipped: the address does not resolve yet"
    elif Client().get(COUNTRY_PAGE).status_code != 200:
        results["country page /en/countries/NOR/"] = "skipped: the page does not answer 200 yet"
    else:
        results["country page /en/countries/NOR/"] = timed(country_page, repeat)
    return results


GOALS = {
    "map data (map_figures)": 100,
    "map API call, built fresh": None,
    "country page /en/countries/NOR/": 50,
}


def print_sizes(label: str, count: int, results: dict) -> None:
    print(f"\n{label}: {count:,} statistics")
    for name, value in results.items():
        if isinstance(value, str):
            print(f"  {name:34} {value}")
            continue
        milliseconds, queries = value
        goal = GOALS.get(name)
        verdict = (
            ""
            if goal is None
            else f"  goal < {goal} ms: {'met' if milliseconds < goal else 'NOT met'}"
        )
        print(f"  {name:34} {milliseconds:7.2f} ms  {queries} queries{verdict}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed calls (default 30)")
    parser.add_argument("--seconds", type=int, default=3, help="per load measure (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="floor/case pairs (default 3)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--python-client", action="store_true", help="even if wrk is installed")
    args = parser.parse_args()

    setup_django("country_scale")
    api_bench = bench_api()
    from django.db import connections

    from indicators.models import Statistic
    from itu_rbm.caching import content_changed

    forget_earlier_run()
    countries = member_states()
    series = make_series()
    started = time.perf_counter()
    real = real_size(series, countries)
    content_changed()  # bulk_create sends no signal
    analyze()
    print(f"real size written in {time.perf_counter() - started:.1f} s")
    measured = series[0]
    before = measure_in_process(measured, args.repeat)
    print_sizes("real size", real, before)

    started = time.perf_counter()
    scale_up(series, countries)
    content_changed()
    analyze()
    scaled = Statistic.objects.count()
    print(f"\n30x written in {time.perf_counter() - started:.1f} s")
    after = measure_in_process(measured, args.repeat)
    print_sizes("30x", scaled, after)
    print("\nqueries the same at both sizes:")
    for name in before:
        if not isinstance(before[name], str):
            same = before[name][1] == after[name][1]
            print(f"  {name:34} {before[name][1]} and {after[name][1]}: {'yes' if same else 'NO'}")

    label = database_label()
    connections.close_all()  # the portal's workers open their own
    use_wrk = shutil.which("wrk") and not args.python_client
    load = api_bench.run_wrk if use_wrk else api_bench.run_python
    tool = f"wrk -t2 -c{args.connections}" if use_wrk else f"python, {args.connections} threads"
    port = api_bench.free_port()
    server = api_bench.start_portal(port)
    address = f"/api/v1/series/{measured.code}/countries/"
    cases = [("map API call, cached (30x)", address, {}, 0.7)]
    try:
        results = api_bench.measure(port, cases, args.seconds, args.connections, load, args.rounds)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    row = results[cases[0][0]]
    print(
        f"\ndatabase: {label}; gunicorn 2 sync workers; {tool}; {args.rounds} rounds of the "
        f"floor then the case, {args.seconds} s each; {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f}"
    )
    verdict = "met" if row["ratio"] >= 0.7 else "NOT met"
    print(
        f"{cases[0][0]}: {row['rps']:.0f} req/s, p50 {row['p50']:.2f} ms, floor "
        f"{row['floor']:.0f} req/s, {row['ratio']:.3f} x floor (goal >= 0.7: {verdict})"
    )


if __name__ == "__main__":
    main()
