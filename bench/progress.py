"""Progress of a plan as the data grows: query count and time of the status computation and
of the progress endpoint, on a synthetic plan of up to 1,000 indicators x 200 geographies x 10
years (2,000,000 observations).

    .venv/bin/python bench/progress.py            # sizes 100x20x10 and 1000x200x10

Goal (issue 3): the query count stays the same as the data grows.
"""

import statistics
import time
from decimal import Decimal

from _setup import database_label, rebuilding_session, setup_django

SIZES = [(100, 20, 10), (1000, 200, 10)]


def build_plan(code, indicators, geographies, years):
    from django.db import transaction
    from django.utils import timezone

    from frameworks.models import DataSource, Goal, Sector, StrategicPlan, Target
    from indicators.imports import _insert, table_rows
    from indicators.models import Geography, Indicator, Observation

    plan = StrategicPlan.objects.create(
        code=code,
        title=code,
        period_start=2020,
        period_end=2023,
        vision="v",
        mission="m",
        status=StrategicPlan.Status.PUBLISHED,
    )
    itu, sector = DataSource.objects.get(code="ITU"), Sector.objects.get(code="ITU-D")
    places = list(Geography.objects.order_by("code")[:geographies])
    world = Geography.objects.get(code="WLD")
    if world not in places:
        places[0] = world
    now = timezone.now()
    with transaction.atomic():
        goals = [
            Goal.objects.create(plan=plan, number=n, short_name=f"G{n}", name="n", description="d")
            for n in range(1, indicators // 100 + 2)
        ]
        for i in range(indicators):
            goal = goals[i // 100]
            target = Target.objects.create(
                plan=plan, goal=goal, code=f"{goal.number}.{i % 100 + 1}", order=i, text="t"
            )
            indicator = Indicator.objects.create(
                plan=plan,
                target=target,
                sector=sector,
                code=f"i{i}",
                is_main=True,
                name="n",
                unit="percent",
                target_kind="level",
                target_value=Decimal(60),
                target_year=2023,
                min_value=0,
                max_value=100,
                headline_geography=world,
                data_source=itu,
            )
            _insert(
                Observation,
                table_rows(
                    Observation,
                    (
                        {
                            "indicator_id": indicator.pk,
                            "geography_id": place.pk,
                            "year": 2014 + y,
                            "value": Decimal(30 + y * 3 + i % 7),
                            "source": "synthetic",
                            "edition": "bench",
                            "status": "approved",
                            "created_at": now,
                            "updated_at": now,
                        }
                        for place in places
                        for y in range(years)
                    ),
                ),
            )
    return plan


def measure(plan, repeat=5):
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from indicators.status import plan_progress

    results = {}
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            rows = plan_progress(plan)
            timings.append(time.perf_counter() - started)
    results["plan_progress()"] = (
        len(queries.captured_queries),
        statistics.median(timings),
        len(rows),
    )
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = rebuilding_session()
    url = f"/api/v1/plans/{plan.code}/progress/"
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            # signed in: the answer is built each time instead of served from the public cache
            response = client.get(url, {"page_size": 500})
            timings.append(time.perf_counter() - started)
    if response.status_code == 200:
        results[f"GET {url}"] = (len(queries.captured_queries), statistics.median(timings), None)
    else:
        results[f"GET {url}"] = (None, None, f"status {response.status_code}")
    return results


def main():
    setup_django("progress")
    from indicators.models import Observation

    print(f"database: {database_label()}")
    for n, (indicators, geographies, years) in enumerate(SIZES):
        started = time.perf_counter()
        plan = build_plan(f"209{n}-209{n + 3}", indicators, geographies, years)
        built = time.perf_counter() - started
        total = Observation.objects.filter(indicator__plan=plan).count()
        print(
            f"\n{indicators} indicators x {geographies} geographies x {years} years = "
            f"{total:,} observations (built in {built:.0f} s)"
        )
        for name, (queries, seconds, extra) in measure(plan).items():
            if queries is None:
                print(f"  {name}: {extra}")
            else:
                print(f"  {name}: {queries} queries, median {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
