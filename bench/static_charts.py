"""Time the static charts (dashboards.static_charts.render_chart): target 1.2's main chart of
the loaded plan as SVG and PNG, 800x450, in English and Arabic, after one warm-up rendering each
(fonts loaded); also a few threads rendering at once, as gunicorn's threads would.

    .venv/bin/python bench/static_charts.py            # --runs 20, a new SQLite file
"""

import argparse
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from _setup import setup_django


def measure(render, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each run (CPU time too: the machine is shared, and
    wall-clock times move with its load)."""
    render()  # warm-up: fonts and glyph caches
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        render()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    setup_django("static_charts")
    from django.utils import translation

    from dashboards.pages import target_context
    from dashboards.static_charts import render_chart
    from frameworks.models import StrategicPlan

    plan = StrategicPlan.objects.get(code="2020-2023")
    for language in ("en", "ar"):
        with translation.override(language):
            chart = target_context(plan, "1.2")["main"]["chart"]
            for fmt in ("svg", "png"):

                def render(chart=chart, fmt=fmt, language=language):
                    return render_chart(
                        chart.figure, fmt, title=chart.title, source="ITU", language=language
                    )

                size = len(render())
                times, cpu = measure(render, args.runs)
                print(
                    f"target 1.2, {language}, {fmt}: median {statistics.median(times):.0f} ms "
                    f"(min {min(times):.0f}, max {max(times):.0f}; CPU "
                    f"{statistics.median(cpu):.0f} ms) of {args.runs}, {size / 1024:.0f} KiB"
                )
    with translation.override("en"):
        chart = target_context(plan, "1.2")["main"]["chart"]
    expected = render_chart(chart.figure, "svg", title=chart.title, language="en")

    def render_in_thread(_):
        return render_chart(chart.figure, "svg", title=chart.title, language="en")

    start = time.perf_counter()
    count = args.runs
    with ThreadPoolExecutor(args.threads) as pool:
        results = list(pool.map(render_in_thread, range(count)))
    elapsed = (time.perf_counter() - start) * 1000
    same = all(result == expected for result in results)
    print(
        f"{count} SVGs in {args.threads} threads: {elapsed / count:.0f} ms each on average, "
        f"{'all identical to the serial one' if same else 'SOME DIFFER from the serial one'}"
    )


if __name__ == "__main__":
    main()
