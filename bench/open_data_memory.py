"""The open-data Data Package at 1.8 million statistics: its time and its memory.

    .venv/bin/python bench/open_data_memory.py             # a new SQLite file, ~5 min
    .venv/bin/python bench/open_data_memory.py --reuse     # the file an earlier run left
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itu_package_memory \
        .venv/bin/python bench/open_data_memory.py

The synthetic series of bench/country_scale.py (193 Member States, 36 series), written with
bulk_create in batches: first the real size (≈ 58,000 totals), then the 30× grid (every year
2000–2023, the breakdowns, three releases: 1,834,272 statistics). At each size the download
/en/open-data/datapackage.zip is built in a fresh child process (bench/open_data.py's
build_in_child): the time to its last byte, its size, its queries (the same at both sizes), and
the child's resident memory before the request and at its peak.

Goal (issue 15): the 1.8 million figures stream without holding them all in memory — the peak
grows by less than 200 MB over the process's resident memory before the request (the portal's
code and libraries, ~160 MB, are there whatever the data). Exits 1 if it grows more, or if the
query count differs between the sizes.
"""

import argparse
import os
import sys
import time

import country_scale
from _setup import RESULTS, ROOT, database_label, setup_django
from open_data import build_in_child, report

LIMIT_MB = 200
NAME = "open_data_memory"


def write_data() -> dict:
    """The real size, measured (its run returned), then the 30× grid (country_scale's
    generators)."""
    from itu_rbm.caching import content_changed

    country_scale.forget_earlier_run()
    countries = country_scale.member_states()
    series = country_scale.make_series()
    started = time.perf_counter()
    written = country_scale.real_size(series, countries)
    content_changed()  # bulk_create sends no signal
    print(f"real size: {written:,} statistics written in {time.perf_counter() - started:.1f} s")
    small = measure("real size (synthetic)")
    started = time.perf_counter()
    country_scale.scale_up(series, countries)
    content_changed()
    country_scale.analyze()
    print(f"30x written in {time.perf_counter() - started:.1f} s")
    return small


def measure(label: str) -> dict:
    from django.db import connections

    from indicators.models import Statistic

    count = Statistic.objects.count()
    connections.close_all()  # the child opens its own (and SQLite must see committed data)
    run = build_in_child()
    report(f"{label}, {count:,} statistics", [run])
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database an earlier run wrote"
    )
    args = parser.parse_args()
    if args.reuse:
        if "DATABASE_URL" not in os.environ:
            os.environ["DATABASE_URL"] = f"sqlite:///{RESULTS / f'{NAME}.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itu_rbm.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        small = None
    else:
        setup_django(NAME)
        small = write_data()
    print(database_label())
    run = measure("30x")
    growth = run["peak_rss_mb"] - run["rss_before_mb"]
    failed = growth > LIMIT_MB
    print(
        f"goal: memory grows by less than {LIMIT_MB} MB while building: "
        f"{'NOT met' if failed else 'met'} ({growth:.0f} MB)"
    )
    if small is not None and small["queries"] != run["queries"]:
        print(f"queries differ: {small['queries']} at the real size, {run['queries']} at 30x")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
