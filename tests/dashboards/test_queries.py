"""Each page computes its data in a fixed number of queries, whatever the size of the plan."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frameworks.models import (
    DataSource,
    Enabler,
    Goal,
    Objective,
    ObjectiveGoalLink,
    Outcome,
    Output,
    SdgTarget,
    Sector,
    Target,
)
from indicators.models import Geography, Indicator, Observation
from risks.models import Mitigation, Risk

pytestmark = pytest.mark.django_db

PLAN = "/en/plans/2020-2023"
PAGES = {
    # page: the most queries it may make for an anonymous visitor when it is not cached
    "/en/": 6,
    f"{PLAN}/": 6,
    f"{PLAN}/goals/1/": 9,
    f"{PLAN}/targets/1.2/": 13,  # 6, and the map of the Member States with their verdicts
    f"{PLAN}/targets/1.2/download.csv": 3,
    f"{PLAN}/targets/1.2/download.json": 3,
    f"{PLAN}/objectives/": 9,  # 8, and the outputs' approved delivery records
    f"{PLAN}/risks/": 4,  # the plan, its risks, their mitigations, their yearly assessments
    f"{PLAN}/linkages/": 7,
    f"{PLAN}/about/": 9,
}


@pytest.mark.parametrize(("url", "most"), PAGES.items())
def test_page_query_count_is_bounded(visitor, plan, django_assert_max_num_queries, url, most):
    with django_assert_max_num_queries(most):
        assert visitor.get(url).status_code == 200


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(plan, size: int = 12) -> None:
    """Add a goal with `size` targets (each with data), objectives, enablers, links and risks."""
    world = Geography.objects.get(code="WLD")
    others = list(Geography.objects.exclude(code="WLD")[:5])
    source = DataSource.objects.get(code="ITU")
    sector = Sector.objects.get(code="ITU-D")
    goal = Goal.objects.create(
        plan=plan, number=6, short_name="More", name="More", description="More"
    )
    goal.sdg_targets.set(SdgTarget.objects.all()[:10])
    goal_one = Goal.objects.get(plan=plan, number=1)
    for order in range(1, size + 1):
        target = Target.objects.create(
            plan=plan,
            goal=goal_one if order % 2 else goal,
            code=f"6.{order}",
            order=order,
            text=f"Target 6.{order}",
        )
        target.data_sources.add(source)
        for main in (True, False):
            indicator = Indicator.objects.create(
                plan=plan,
                target=target,
                sector=sector,
                code=f"6.{order}-{main}",
                is_main=main,
                name="Extra",
                unit="percent",
                target_value=Decimal(50),
                target_year=2023,
                headline_geography=world,
                data_source=source,
            )
            Observation.objects.bulk_create(
                Observation(
                    indicator=indicator,
                    geography=geography,
                    year=year,
                    value=Decimal(year - 1990),
                    source="Extra",
                    edition=edition,
                    status="approved",
                )
                for geography in [world, *others]
                for year in range(2010, 2024)
                for edition in ("first", "second")
            )
        objective = Objective.objects.create(
            plan=plan,
            sector=sector,
            code=f"D.{10 + order}",
            order=10 + order,
            short_name="Extra",
            text="Extra",
        )
        ObjectiveGoalLink.objects.create(objective=objective, goal=goal, kind="primary")
        ObjectiveGoalLink.objects.create(objective=objective, goal=goal_one, kind="secondary")
        for letter in "abc":
            Outcome.objects.create(
                plan=plan,
                objective=objective,
                code=f"D.{10 + order}-{letter}",
                order=ord(letter),
                text="Extra",
            )
        Output.objects.create(
            plan=plan, objective=objective, code=f"D.{10 + order}-1", order=1, text="Extra"
        )
        enabler = Enabler.objects.create(
            plan=plan,
            code=f"BDT-{100 + order}",
            order=100 + order,
            provider="BDT",
            activity="Extra",
            contribution="Extra",
            results="Extra",
        )
        enabler.objectives.add(objective)
        risk = Risk.objects.create(plan=plan, number=10 + order, title="Extra", description="x")
        for index, strategy in enumerate(("avoid", "limit", "transfer"), start=1):
            Mitigation.objects.create(risk=risk, order=index, strategy=strategy, text="Extra")


def test_a_larger_plan_does_not_raise_the_query_count(visitor, plan):
    urls = [url for url in PAGES if "download" not in url]
    urls += [f"{PLAN}/goals/6/", f"{PLAN}/targets/6.2/", f"{PLAN}/targets/6.2/download.csv"]
    grow_urls = urls[-3:]
    before = {url: count_queries(visitor, url) for url in urls[:-3]}
    before[grow_urls[0]] = before[f"{PLAN}/goals/1/"]
    # the new targets have no per-country series, so no map: as target 3.1's page
    before[grow_urls[1]] = count_queries(visitor, f"{PLAN}/targets/3.1/")
    before[grow_urls[2]] = count_queries(visitor, f"{PLAN}/targets/1.2/download.csv")
    grow(plan)
    after = {url: count_queries(visitor, url) for url in urls}
    assert after == before
    # and the new content is there
    html = visitor.get(f"{PLAN}/goals/6/").content.decode()
    assert 'href="/en/plans/2020-2023/targets/6.12/"' in html
    html = visitor.get(f"{PLAN}/targets/6.2/").content.decode()
    assert "Target 6.2" in html


def test_staff_pages_add_only_the_session_and_role_queries(staff_client, visitor, plan):
    url = f"{PLAN}/targets/1.2/"
    anonymous = count_queries(visitor, url)
    # session, user, and the user's roles (draft plans are shown to users with a role)
    assert count_queries(staff_client, url) <= anonymous + 3
