"""Time `make data`'s country steps on a fresh database: load_countries, load_statistics,
compute_aggregates, then all three again (nothing to change: the idempotent path).

    .venv/bin/python bench/country_data.py         # a new SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itu_loader_bench \
        .venv/bin/python bench/country_data.py
"""

import time

from _setup import setup_django

STEPS = ("load_countries", "load_statistics", "compute_aggregates")


def run_steps() -> dict[str, float]:
    from django.core.management import call_command

    seconds = {}
    for step in STEPS:
        start = time.perf_counter()
        call_command(step, verbosity=0)
        seconds[step] = time.perf_counter() - start
    return seconds


def main() -> None:
    setup_django("country_data")
    from django.db import connection

    from indicators.models import Population, Release, Statistic

    first = run_steps()
    counts = (Statistic.objects.count(), Release.objects.count(), Population.objects.count())
    second = run_steps()
    assert counts == (
        Statistic.objects.count(),
        Release.objects.count(),
        Population.objects.count(),
    )
    print(
        f"{connection.vendor}: {counts[0]:,} figures, {counts[1]} releases, "
        f"{counts[2]:,} population rows"
    )
    print(f"{'step':20} {'first run':>10} {'second run':>11}")
    for step in STEPS:
        print(f"{step:20} {first[step]:9.2f}s {second[step]:10.2f}s")
    print(f"{'total':20} {sum(first.values()):9.2f}s {sum(second.values()):10.2f}s")


if __name__ == "__main__":
    main()
