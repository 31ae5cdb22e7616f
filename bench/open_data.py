"""Time the open-data Data Package (/<lang>/open-data/datapackage.zip) built from the real data
(the plan and the country data as `make data` loads them: ~84,000 statistics), and its memory.

    .venv/bin/python bench/open_data.py         # a new SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itu_package_bench \
        .venv/bin/python bench/open_data.py

Each build runs in a child process of its own that sets Django up on the database just loaded
and asks for the download as a visitor through the test client, the way the portal answers it
(built, kept, then sent): a fresh process, with its peak resident memory (VmHWM) reset just
before the request (Linux's /proc/self/clear_refs), so that the peak is the request's and not
the loading's or the start-up's. The child reports the time to the last byte, the zip's size,
the queries, its resident memory before the request and its peak during it, then the time of a
second request (served from what the first kept). Goal (issue 15): under 5 s for the country data.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _setup import ROOT, database_label, setup_django

ROUNDS = 3
GOAL_SECONDS = 5


def current_rss_mb() -> float:
    """This process's resident memory now (Linux /proc), in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    """The peak resident memory of this process's own memory (VmHWM), in MB. Not ru_maxrss: it
    also keeps the parent's resident memory at the fork that started this process, which
    clear_refs does not reset (with the bench's parent at 217 MB, every child "peaked" there)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1e3  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # not Linux: KB as well


def reset_peak_rss() -> bool:
    """Start the peak (VmHWM) again from the resident memory now (Linux 4.0+), so that it
    measures the request and not the start-up's transient peaks. False where it cannot."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def child_build(address: str) -> dict:
    """In the child: one download built fresh (nothing kept yet in this process's caches, and
    the "api" cache emptied in case it is shared), then one served again."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itu_rbm.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from itu_rbm.caching import forget_public_answers

    forget_public_answers()
    client = Client()
    client.get("/api/v1/ping/")  # the middleware and URLconf loaded before measuring
    peak_reset = reset_peak_rss()
    rss_before = current_rss_mb()
    started = time.perf_counter()
    queries = []  # counted by a wrapper: each request resets connection.queries

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(address)
        assert response.status_code == 200, response.status_code
        # read as a client does, chunk by chunk, without keeping the body
        chunks = response.streaming_content if response.streaming else [response.content]
        size = sum(len(chunk) for chunk in chunks)
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    response.close()
    started = time.perf_counter()
    again = client.get(address)
    chunks = again.streaming_content if again.streaming else [again.content]
    assert sum(len(chunk) for chunk in chunks) == size
    again.close()
    return {
        "seconds": seconds,
        "again_seconds": time.perf_counter() - started,
        "bytes": size,
        "queries": len(queries),
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak,
        "peak_reset": peak_reset,
    }


def build_in_child(address: str = "/en/open-data/datapackage.zip") -> dict:
    """child_build in a new Python on the same database (DATABASE_URL as set up here)."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", address],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def report(label: str, runs: list[dict]) -> float:
    seconds = [run["seconds"] for run in runs]
    median = statistics.median(seconds)
    growth = max(run["peak_rss_mb"] - run["rss_before_mb"] for run in runs)
    last = runs[-1]
    print(
        f"{label}: datapackage.zip {last['bytes'] / 1e6:.2f} MB in {last['queries']} queries; "
        f"built in {median:.2f} s, median of {len(runs)} "
        f"({', '.join(f'{s:.2f}' for s in seconds)}); served again in "
        f"{statistics.median(run['again_seconds'] for run in runs) * 1000:.1f} ms; resident "
        f"memory {last['rss_before_mb']:.0f} MB before, peak {last['peak_rss_mb']:.0f} MB "
        f"(growth {'' if last['peak_reset'] else 'at most '}{growth:.0f} MB)"
    )
    return median


def main() -> None:
    setup_django("open_data")
    from indicators.models import Statistic
    from itu_rbm.caching import content_changed
    from tests.conftest import load_country_data

    load_country_data()  # the ~84,000 statistics (_setup loads the plan only)
    content_changed()
    count = Statistic.objects.count()
    from django.db import connections

    connections.close_all()
    print(f"{database_label()}: {count:,} statistics")
    runs = [build_in_child() for _ in range(ROUNDS)]
    median = report("real country data", runs)
    verdict = "met" if median < GOAL_SECONDS else "NOT met"
    print(f"goal: the whole package under {GOAL_SECONDS} s: {verdict}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child_build(sys.argv[2])))
    else:
        main()
