"""Public pages: server time and query count of each page type, the bytes a first visit to a
target page downloads, and the time until its charts are drawn in headless Chromium, cold and
warm.

    .venv/bin/python bench/pages.py [--repeat 60] [--visits 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itu_rbm_bench .venv/bin/python bench/pages.py

The database (a fresh SQLite file under bench/results/, or DATABASE_URL) gets the loaded plan.
Everything runs as in production: DEBUG off, static files collected (compressed, content-hashed)
and served by whitenoise.

1. Server time: each page through Django's test client, in this process, `--repeat` times after
   three warm-up requests: built afresh (signed in: _setup.rebuilding_session), the median, the 90th
   percentile and the query count (the cache's content generation is no query); and served from
   the cache of public pages, the median.
2. Bytes of a first visit to the target page: the HTML as served, and the gzip and Brotli sizes
   of each file it references (whitenoise serves the .gz or .br that collectstatic wrote, as the
   browser accepts), plus what Chromium really transferred.
3. Charts drawn: the portal under gunicorn (gunicorn.conf.py, 2 sync workers) on 127.0.0.1; for
   each visit, the time from navigation start to the "charts-drawn" mark that static/js/charts.js
   sets once every Plotly.newPlot of the page has resolved (plotly's 'plotly_afterplot'). Cold:
   a new browser context (empty cache). Warm: the same context visits again (and a third time:
   from then on Chromium also reuses V8's compiled code of the scripts). The requests that reach
   the server on a warm visit are read from gunicorn's access log.

4. The machine, against the issue's reference: the same Chromium opens a blank page and a page
   that only loads the full plotly.min.js shipped by the plotly package and draws one line
   (issue 4: "about 30 ms" and "about 1.2 s" on the reference machine), and one that loads the
   portal's own plotly bundle instead; cold, served by Python's http.server.

Goals (issue 4): server time < 50 ms for every page; JS+CSS of a first visit < 600 KB
compressed; charts drawn within 600 ms cold and 150 ms warm; a repeat visit downloads only the
HTML.
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _setup import RESULTS, ROOT, database_label, rebuilding_session, setup_django

PLAN = "/en/plans/2020-2023"
PAGES = [
    ("overview (current plan)", "/en/"),
    ("goal 1", f"{PLAN}/goals/1/"),
    ("goal 2", f"{PLAN}/goals/2/"),
    ("target 1.2", f"{PLAN}/targets/1.2/"),
    ("target 1.2, Arabic", f"/ar{PLAN[3:]}/targets/1.2/"),
    ("target 1.4 (no data)", f"{PLAN}/targets/1.4/"),
    ("target 1.2 download.csv", f"{PLAN}/targets/1.2/download.csv"),
    ("sector objectives", f"{PLAN}/objectives/"),
    ("risks", f"{PLAN}/risks/"),
    ("linkages", f"{PLAN}/linkages/"),
    ("about", f"{PLAN}/about/"),
]
TARGET_PAGE = f"{PLAN}/targets/1.2/"
BLANK_PAGE = f"{PLAN}/risks/"  # a page without charts, for scale
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SECRET = "bench-only-secret-key-" + "x" * 40


def production_environment() -> dict:
    return {
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    }


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- 1. server time ---------------------------------------------------------------------------


def timed(client, url, repeat: int, **headers) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, **headers)
        times.append((time.perf_counter() - started) * 1000)
    return times


def server_times(repeat: int) -> list[tuple]:
    """Each page built afresh (for a signed-in user without a role: a visitor's no-cache is
    answered from the cache), and served from the cache of public pages (itu_rbm.caching)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, signed_in = Client(), Client()
    signed_in.cookies[settings.SESSION_COOKIE_NAME] = rebuilding_session()
    rows = []
    for name, url in PAGES:
        for _ in range(3):
            assert signed_in.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            response = signed_in.get(url)
        query_count = len(queries)  # read now: the next request empties the connection's log
        fresh = timed(signed_in, url, repeat)
        cached = timed(client, url, repeat)
        rows.append(
            (
                name,
                statistics.median(fresh),
                percentile(fresh, 0.9),
                query_count,
                statistics.median(cached),
                len(response.content),
            )
        )
    return rows


# --- 2. bytes of a first visit ----------------------------------------------------------------


def first_visit_bytes() -> dict:
    from django.conf import settings
    from django.test import Client

    html = Client().get(TARGET_PAGE).content
    served = Client().get(TARGET_PAGE, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    static_root = Path(settings.STATIC_ROOT)
    files = []
    for url in assets:
        path = static_root / url.decode()[len(settings.STATIC_URL) :]
        sizes = [path.stat().st_size]
        for suffix in (".gz", ".br"):  # whitenoise serves the smaller copy a browser accepts
            compressed = path.with_name(path.name + suffix)
            sizes.append(compressed.stat().st_size if compressed.exists() else sizes[0])
        files.append((url.decode(), *sizes))
    return {
        "html": len(html),
        "html_served": len(served.content),
        "html_encoding": served.get("Content-Encoding", "none"),
        "files": files,
        "assets_gzip": sum(gz for _url, _raw, gz, _br in files),
        "assets_brotli": sum(br for _url, _raw, _gz, br in files),
    }


# --- 3. charts in Chromium --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, access_log: Path) -> subprocess.Popen:
    environment = {
        **os.environ,
        **production_environment(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--access-logfile",
            str(access_log),
            "itu_rbm.wsgi",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=10)


def log_lines(access_log: Path) -> list[str]:
    return access_log.read_text().splitlines() if access_log.exists() else []


def requested(log_line: str) -> str:
    """'GET /en/… 304' from a line of gunicorn's access log (request in quotes, then status)."""
    _, request, after = log_line.split('"', 2)
    return f"{request.rsplit(' ', 1)[0]} {after.split()[0]}"


def chart_times(visits: int) -> dict:
    from playwright.sync_api import sync_playwright

    access_log = RESULTS / "pages-access.log"
    access_log.unlink(missing_ok=True)
    port = free_port()
    server = start_gunicorn(port, access_log)
    base = f"http://127.0.0.1:{port}"
    drawn = "performance.getEntriesByName('charts-drawn')[0].startTime"
    cold, warm, third, blank, transferred, warm_requests = [], [], [], [], [], []
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
                page.goto(base + TARGET_PAGE)
                page.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'")
                cold.append(page.evaluate(drawn))
                transferred.append(sum(sizes))
                before = len(log_lines(access_log))
                page.goto(base + TARGET_PAGE)
                page.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'")
                warm.append(page.evaluate(drawn))
                time.sleep(0.2)  # let gunicorn write its log line
                warm_requests.append([requested(line) for line in log_lines(access_log)[before:]])
                # Chromium keeps V8's compiled code of a script from its second run on
                page.goto(base + TARGET_PAGE)
                page.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'")
                third.append(page.evaluate(drawn))
                context.close()
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
    return {
        "cold": cold,
        "warm": warm,
        "third": third,
        "blank": blank,
        "transferred": transferred,
        "warm_requests": warm_requests,
    }


REFERENCE_CHART = """<!doctype html><meta charset="utf-8"><title>reference</title>
<link rel="icon" href="data:,"><div id="c" style="width:800px;height:420px"></div>
<script src="{script}"></script>
<script>Plotly.newPlot("c", [{{x: [2017, 2019, 2021, 2023], y: [49, 54, 63, 67]}}]).then(() => {{
  performance.mark("charts-drawn"); document.documentElement.dataset.chartsDrawn = "true"; }});
</script>"""


def reference_times(visits: int) -> dict:
    """Cold visits to a blank page and to pages that only draw one line with plotly."""
    import functools
    import http.server
    import shutil
    import tempfile
    import threading

    import plotly
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-reference-"))
    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", folder)
    shutil.copy(
        next((ROOT / "static" / "vendor").glob("plotly-basic-*.min.js")), folder / "basic.js"
    )
    (folder / "blank.html").write_text(
        '<!doctype html><title>blank</title><link rel="icon" href="data:,"><p>blank</p>'
    )
    (folder / "full.html").write_text(REFERENCE_CHART.format(script="plotly.min.js"))
    (folder / "basic.html").write_text(REFERENCE_CHART.format(script="basic.js"))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    times = {"blank": [], "full": [], "basic": []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(visits):
                for name, measured in times.items():
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    page.goto(f"{base}/{name}.html")
                    if name == "blank":
                        page.wait_for_load_state("load")
                        script = "performance.getEntriesByType('navigation')[0].loadEventEnd"
                    else:
                        page.wait_for_function("document.documentElement.dataset.chartsDrawn")
                        script = "performance.getEntriesByName('charts-drawn')[0].startTime"
                    measured.append(page.evaluate(script))
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(folder)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--visits", type=int, default=7)
    args = parser.parse_args()
    os.environ.update(production_environment())
    setup_django("pages")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)

    print(f"database: {database_label()}; DEBUG off; Python {sys.version.split()[0]}")
    print(f"\n1. server time, {args.repeat} requests a page (Django test client, in process)")
    print(f"{'':<28} {'built afresh':^28} {'cached':>8}")
    print(
        f"{'page':<28} {'median ms':>10} {'p90 ms':>8} {'queries':>8} {'ms':>8} {'HTML bytes':>11}"
    )
    for name, median, p90, queries, cached, size in server_times(args.repeat):
        print(f"{name:<28} {median:>10.1f} {p90:>8.1f} {queries:>8} {cached:>8.1f} {size:>11,}")

    visit = first_visit_bytes()
    print(f"\n2. first visit to {TARGET_PAGE}")
    print(
        f"HTML: {visit['html']:,} B, served as {visit['html_served']:,} B "
        f"(Content-Encoding: {visit['html_encoding']})"
    )
    for url, raw, gz, br in visit["files"]:
        print(f"  {url}: {raw:,} B; gzip {gz:,} B, Brotli {br:,} B")
    print(
        f"JS + CSS compressed: gzip {visit['assets_gzip'] / 1024:,.0f} KiB, Brotli "
        f"{visit['assets_brotli'] / 1024:,.0f} KiB (goal < 600 KB)"
    )

    charts = chart_times(args.visits)
    print(f"\n3. charts of {TARGET_PAGE} in headless Chromium, {args.visits} visits")
    print(
        f"cold (new context): median {statistics.median(charts['cold']):.0f} ms "
        f"(min {min(charts['cold']):.0f}, max {max(charts['cold']):.0f}); goal 600 ms"
    )
    print(
        f"warm (same context): median {statistics.median(charts['warm']):.0f} ms "
        f"(min {min(charts['warm']):.0f}, max {max(charts['warm']):.0f}); goal 150 ms"
    )
    print(f"third visit (compiled code cached): median {statistics.median(charts['third']):.0f} ms")
    print(
        f"for scale, a page without charts ({BLANK_PAGE}) loads in "
        f"{statistics.median(charts['blank']):.0f} ms (median, cold)"
    )
    print(
        f"bytes Chromium received on a cold visit: {statistics.median(charts['transferred']):,.0f}"
    )
    warm_requests = sorted({", ".join(visit) for visit in charts["warm_requests"]})
    print(f"requests reaching the server on a warm visit: {' | '.join(warm_requests)}")

    reference = reference_times(args.visits)
    print(f"\n4. this machine against the issue's reference (cold, median of {args.visits})")
    print(f"blank page: {statistics.median(reference['blank']):.0f} ms (reference: about 30 ms)")
    print(
        f"one line drawn with the full plotly.min.js: {statistics.median(reference['full']):.0f} ms"
        " (reference: about 1,200 ms)"
    )
    print(
        "one line drawn with the portal's plotly bundle: "
        f"{statistics.median(reference['basic']):.0f} ms"
    )


if __name__ == "__main__":
    main()
