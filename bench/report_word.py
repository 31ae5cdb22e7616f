"""Time the progress report as Word (reports.content.build_report + reports.word.render_docx)
for the loaded plan, with its per-country data, and 2023, in each of the six
languages: the content (with its query count), the Word file with every chart drawn (cold: the
chart cache emptied first) and again with the charts cached (a rebuild after an unrelated change,
or the next format). Wall-clock and CPU seconds: the machine is shared, and wall-clock times move
with its load.

    .venv/bin/python bench/report_word.py            # a new SQLite file
"""

import time

from _setup import setup_django

LANGUAGES = ("en", "ar", "es", "fr", "ru", "zh-hans")


def timed(work):
    start, start_cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - start, time.process_time() - start_cpu


def main() -> None:
    setup_django("report_word")
    import os

    from tests.conftest import load_country_data

    # the full report: the per-country data gives the targets their country charts
    load_country_data()

    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from frameworks.models import StrategicPlan
    from reports.content import build_report
    from reports.document import Chart
    from reports.word import render_docx

    plan = StrategicPlan.objects.get(code="2020-2023")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print("language | content s (queries) | Word, charts drawn: wall s (CPU s) | cached | KiB")
    for language in LANGUAGES:
        cache.clear()
        reset_queries()  # the loading filled the log past its limit
        with CaptureQueriesContext(connection) as queries:
            report, content_wall, _cpu = timed(lambda lang=language: build_report(plan, 2023, lang))
        charts = sum(isinstance(b, Chart) for s in report.sections for b in s.blocks)
        data, cold_wall, cold_cpu = timed(lambda r=report: render_docx(r))
        _data, warm_wall, warm_cpu = timed(lambda r=report: render_docx(r))
        print(
            f"{language} | {content_wall:.2f} ({len(queries)}) | "
            f"{content_wall + cold_wall:.1f} ({content_wall + cold_cpu:.1f}), {charts} charts | "
            f"{content_wall + warm_wall:.1f} ({content_wall + warm_cpu:.1f}) | {len(data) // 1024}"
        )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
