"""Every endpoint answers in a fixed number of queries, whatever the size of the page or of the
plan. Each request here rebuilds its answer (the cache of public answers is emptied first); the
cache's content generation is no query (itu_rbm/caching.py), so the counts are the answer's own."""

from decimal import Decimal

import pytest
from django.core.cache import caches

from frameworks.models import DataSource, Goal, Objective, Outcome, Sector, Target
from indicators.models import Geography, Indicator, Observation

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/plans/2020-2023"
PAGINATOR_COUNT = 'SELECT COUNT(*) AS "__count"'

# address: the most queries it may take (plan, count, rows, one per prefetched relation)
BOUNDS = {
    "/api/v1/plans/": 2,
    f"{PLAN}/": 1,
    f"{PLAN}/tree/": 20,
    f"{PLAN}/goals/": 5,
    f"{PLAN}/goals/1/": 4,
    f"{PLAN}/targets/": 5,
    f"{PLAN}/targets/1.2/": 4,
    f"{PLAN}/objectives/": 6,
    f"{PLAN}/outcomes/": 3,
    f"{PLAN}/outputs/": 3,
    f"{PLAN}/enablers/": 4,
    f"{PLAN}/risks/": 4,
    f"{PLAN}/indicators/": 3,
    "/api/v1/indicators/": 2,
    "/api/v1/geographies/": 3,
    "/api/v1/geographies/LDC/": 2,
    "/api/v1/observations/": 2,
    "/api/v1/progress/": 4,
    f"{PLAN}/progress/": 4,
    f"{PLAN}/targets/1.2/progress/": 5,
    "/api/v1/countries/": 3,
    "/api/v1/series/": 4,
    "/api/v1/statistics/": 2,
}


def count_queries(client, url, params, django_assert_max_num_queries, bound) -> int:
    """The queries of one fresh request, within `bound`; the number returned leaves out the
    paginator's COUNT, which depends on whether the page is full (api.base.Paginator), not on
    the size of the page or of the plan."""
    caches["api"].clear()
    with django_assert_max_num_queries(bound) as context:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.content[:300])
    counts = [q for q in context.captured_queries if q["sql"].startswith(PAGINATOR_COUNT)]
    assert len(counts) <= 1
    return len(context.captured_queries) - len(counts)


@pytest.mark.parametrize("url", list(BOUNDS))
def test_endpoint_query_bound(api, url, django_assert_max_num_queries):
    count_queries(api, url, {}, django_assert_max_num_queries, BOUNDS[url])


@pytest.mark.parametrize(
    "url", [url for url in BOUNDS if url.endswith("s/") and "progress" not in url]
)
def test_query_count_does_not_grow_with_the_page_size(api, url, django_assert_max_num_queries):
    small = count_queries(api, url, {"page_size": 2}, django_assert_max_num_queries, BOUNDS[url])
    # a full page of 500 may need the paginator's COUNT as well, which count_queries leaves out
    large = count_queries(api, url, {"page_size": 500}, django_assert_max_num_queries, small + 1)
    assert large == small


def _grow(plan, size: int) -> None:
    """Add `size` targets, each with an outcome, a main indicator, a geography and 10 years of
    figures, to the loaded plan."""
    goal = Goal.objects.get(plan=plan, number=1)
    objective = Objective.objects.get(plan=plan, code="R.1")
    sector = Sector.objects.get(code="ITU-D")
    source = DataSource.objects.get(code="ITU")
    world = Geography.objects.get(code="WLD")
    observations = []
    for n in range(size):
        target = Target.objects.create(
            plan=plan, goal=goal, code=f"1.{100 + n}", order=100 + n, text=f"grown {n}"
        )
        Outcome.objects.create(
            plan=plan, objective=objective, code=f"R.1-{chr(103 + n % 20)}", order=50 + n, text="o"
        ) if n < 20 else None
        geography = Geography.objects.create(code=f"X{n:03}", kind="country", name=f"Land {n}")
        world.members.add(geography)
        indicator = Indicator.objects.create(
            plan=plan,
            target=target,
            sector=sector,
            code=f"grown-{n}",
            is_main=True,
            name="grown",
            unit="percent",
            target_value=Decimal(50),
            target_year=2023,
            headline_geography=world,
            data_source=source,
        )
        for year in range(2014, 2024):
            for where in (world, geography):
                observations.append(
                    Observation(
                        indicator=indicator,
                        geography=where,
                        year=year,
                        value=Decimal(year - 2000),
                        source="synthetic",
                        edition="synthetic",
                        status=Observation.Status.APPROVED,
                    )
                )
    Observation.objects.bulk_create(observations)


def test_query_counts_do_not_change_when_the_plan_grows(api, plan, django_assert_max_num_queries):
    before = {
        url: count_queries(api, url, {}, django_assert_max_num_queries, bound)
        for url, bound in BOUNDS.items()
    }
    # ten times the targets: 234 more, with their indicators, 234 countries, 4,680 figures
    _grow(plan, 234)
    assert api.get("/api/v1/observations/").json()["count"] == 186 + 4680
    assert api.get(f"{PLAN}/progress/", {"page_size": 500}).json()["count"] == 26 + 234
    after = {
        url: count_queries(api, url, {"page_size": 500}, django_assert_max_num_queries, BOUNDS[url])
        for url in before
    }
    assert after == before
