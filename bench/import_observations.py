"""Import speed: a synthetic 100,000-row statistics file through the real import path.

    .venv/bin/python bench/import_observations.py [--rows 100000]

Prints rows/s for checking (validation only, --dry-run) and for the full import (validation and
writing, with history), and the peak memory of the process. Goal (issue 3): >= 10,000 rows/s.
"""

import argparse
import csv
import resource
import time

from _setup import RESULTS, database_label, setup_django


def write_file(path, rows):
    from indicators.models import Geography, Indicator

    indicators = list(Indicator.objects.values_list("code", "unit", "min_value", "max_value"))
    geographies = list(Geography.objects.values_list("code", flat=True))
    years = range(1990, 2036)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["indicator", "geography", "year", "value", "source", "source_url", "edition", "note"]
        )
        for code, _unit, _low, high in indicators:
            value = 50 if high is None or high >= 50 else float(high)
            for geography in geographies:
                for year in years:
                    out.writerow([code, geography, year, value, "Synthetic", "", "bench", ""])
                    written += 1
                    if written == rows:
                        return written
    return written


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    setup_django("import")
    from frameworks.models import StrategicPlan
    from indicators.imports import observations_import, read_rows
    from indicators.models import Observation

    plan = StrategicPlan.objects.get(code="2020-2023")
    path = RESULTS / "synthetic-observations.csv"
    rows = write_file(path, args.rows)
    memory_before = peak_mib()

    started = time.perf_counter()
    checked = observations_import(read_rows(path), plan=plan, dry_run=True)
    check_seconds = time.perf_counter() - started
    assert checked.ok, checked.problems[:3]

    started = time.perf_counter()
    result = observations_import(read_rows(path), plan=plan)
    import_seconds = time.perf_counter() - started
    assert result.created == rows, result

    print(f"database: {database_label()}")
    print(f"rows: {rows:,}")
    print(f"check only (--dry-run): {check_seconds:.2f} s, {rows / check_seconds:,.0f} rows/s")
    print(f"full import:            {import_seconds:.2f} s, {rows / import_seconds:,.0f} rows/s")
    print(f"peak memory: {peak_mib():.0f} MiB (before the imports: {memory_before:.0f} MiB)")
    Observation.objects.filter(edition="bench").delete()


if __name__ == "__main__":
    main()
