"""The progress report as PDF (issue 16): time per language of the full 2020-2023 report for
2023 (content, charts, layout), its size, pages and queries.

    .venv/bin/python bench/report.py               # ar en es fr ru zh-hans, 2 rounds each
    .venv/bin/python bench/report.py ar zh-hans    # some languages

Goal: under 30 s per language, in a constant number of queries (tests/reports/test_content.py).
The process's CPU time is printed beside the wall time: on a machine other work shares, the wall
time measures the queue as much as the report (the build is single-threaded).
"""

import os
import statistics
import sys
import time

from _setup import database_label, setup_django

ROUNDS = 2


def main(languages):
    setup_django("report")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from frameworks.models import StrategicPlan
    from reports.content import build_report
    from reports.pdf import render_pdf

    plan = StrategicPlan.objects.get(code="2020-2023")
    print(f"database: {database_label()}; load average at start: {os.getloadavg()[0]:.1f}")
    print("language | content (s) | PDF (s) | total, median (s) | CPU (s) | pages | KiB | queries")
    for language in languages:
        content_times, pdf_times, totals, cpu = [], [], [], []
        for _round in range(ROUNDS):
            cpu_start = time.process_time()
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                report = build_report(plan, 2023, language)
            built = time.perf_counter()
            pdf = render_pdf(report)
            done = time.perf_counter()
            content_times.append(built - start)
            pdf_times.append(done - built)
            totals.append(done - start)
            cpu.append(time.process_time() - cpu_start)
        path = f"bench/results/report-{language}.pdf"
        with open(path, "wb") as file:
            file.write(pdf)
        pages = len(PdfReader(path).pages)
        print(
            f"{language} | {statistics.median(content_times):.2f} | "
            f"{statistics.median(pdf_times):.2f} | {statistics.median(totals):.2f} | "
            f"{statistics.median(cpu):.2f} | {pages} | "
            f"{len(pdf) // 1024} | {len(queries)}"
        )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["ar", "en", "es", "fr", "ru", "zh-hans"])
