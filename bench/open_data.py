"""Time the open-data Data Package (/<lang>/open-data/datapackage.zip) built from the real data:
the zip in memory, as the view builds it before caching it, and its size.

    .venv/bin/python bench/open_data.py         # a new SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itu_package_bench \
        .venv/bin/python bench/open_data.py
"""

import statistics
import time

from _setup import database_label, setup_django

ROUNDS = 3


def main() -> None:
    setup_django("open_data")
    from django.utils import translation

    from indicators.models import Statistic
    from opendata.datapackage import build_zip
    from tests.conftest import load_country_data

    load_country_data()  # the ~84,000 statistics (_setup loads the plan only)

    seconds = []
    with translation.override("en"):
        for _ in range(ROUNDS):
            start = time.perf_counter()
            content = build_zip(homepage="")
            seconds.append(time.perf_counter() - start)
    print(f"{database_label()}: {Statistic.objects.count():,} statistics")
    print(
        f"datapackage.zip: {len(content) / 1e6:.2f} MB, "
        f"median {statistics.median(seconds):.2f}s of {ROUNDS} "
        f"({', '.join(f'{s:.2f}' for s in seconds)})"
    )


if __name__ == "__main__":
    main()
