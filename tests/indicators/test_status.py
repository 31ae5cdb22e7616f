"""Targets' status from the loaded figures, and the choice of edition in a series."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from frameworks.models import Target
from indicators.models import Indicator, Observation
from indicators.status import choose_points, plan_progress, status_counts

pytestmark = pytest.mark.django_db


def row(year, value, edition):
    return SimpleNamespace(
        year=year, value=Decimal(value), edition=edition, source="s", source_url="", note=""
    )


def test_choose_points_takes_each_year_from_the_newest_edition():
    # the 2019 release and FF2021 both give 2019; FF2021 reaches 2021, so it wins for 2019
    rows = [
        row(2017, "48.6", "Oct 2019"),
        row(2019, "53.6", "Oct 2019"),
        row(2019, "54", "FF2021"),
        row(2021, "63", "FF2021"),
    ]
    chosen, superseded = choose_points(rows)
    assert [(p.year, p.value, p.edition) for p in chosen] == [
        (2017, Decimal("48.6"), "Oct 2019"),
        (2019, Decimal("54"), "FF2021"),
        (2021, Decimal("63"), "FF2021"),
    ]
    assert [(p.year, p.value) for p in superseded] == [(2019, Decimal("53.6"))]


def test_plan_progress_gives_every_target_a_status(plan):
    rows = plan_progress(plan)
    assert [r.target.code for r in rows] == list(
        Target.objects.filter(plan=plan).values_list("code", flat=True)
    )
    assert all(r.status for r in rows)
    by_code = {r.target.code: r for r in rows}
    internet = by_code["1.2"]
    assert internet.status == "achieved"
    assert (internet.assessment.latest_year, internet.assessment.latest_value) == (2023, 67.0)
    assert internet.assessment.target_value == 65.0
    assert by_code["2.4"].status == "achieved"
    assert by_code["2.4"].assessment.latest_value == 36.0
    # "no data" is a status, not a blank
    for code in ("1.4", "1.5", "1.7", "1.8", "2.9", "2.10", "3.4", "3.5", "4.1", "5.1"):
        assert by_code[code].status == "no_data", code
    # affordability is measured from 2017, which the basket lacks: not assessable
    assert by_code["1.3"].status == "insufficient_data"
    assert sum(status_counts(rows).values()) == 26


def test_plan_progress_uses_approved_figures_only(plan):
    indicator = Indicator.objects.get(plan=plan, code="1.2-internet-use")
    Observation.objects.create(
        indicator=indicator,
        geography=indicator.headline_geography,
        year=2024,
        value=Decimal("10"),
        source="x",
        edition="unreviewed",
        status="submitted",
    )
    internet = next(r for r in plan_progress(plan) if r.target.code == "1.2")
    assert internet.assessment.latest_year == 2023


def test_plan_progress_query_count_is_constant(plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        plan_progress(plan)
