"""Targets' status from the loaded figures, and the choice of edition in a series."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from frameworks.models import StrategicPlan, Target
from indicators import progress
from indicators.models import Indicator, Observation
from indicators.status import (
    Row,
    choose_points,
    indicator_series,
    plan_base_year,
    plan_closed,
    plan_progress,
    status_counts,
    verdict_counts,
)

pytestmark = pytest.mark.django_db


def row(year, value, edition):
    return SimpleNamespace(
        year=year,
        value=Decimal(value),
        edition=edition,
        source="s",
        source_url="",
        note="",
        publisher="ITU",
        publication=edition,
        reported_in="",
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


def figure(geography_id, year, value, edition="2023"):
    return Row(7, geography_id, year, Decimal(value), edition, "s", "", "", "ITU", edition, "")


WORLD, AFRICA, EUROPE = 1, 2, 3
ORDER = {WORLD: SimpleNamespace(order=0), AFRICA: SimpleNamespace(order=1)}
ORDER[EUROPE] = SimpleNamespace(order=2)


def internet_use(**fields) -> Indicator:
    return Indicator(
        pk=7,
        unit="percent",
        target_kind="level",
        target_value=Decimal(65),
        target_year=2023,
        headline_geography_id=fields.pop("headline", AFRICA),
        **fields,
    )


def test_indicator_series_puts_the_headline_first_then_the_geographies_order():
    plan = StrategicPlan(period_start=2020, period_end=2023, progress_method="statcan")
    rows = [
        figure(g, year, value)
        for g in (EUROPE, WORLD, AFRICA)
        for year, value in (
            (2017, "30"),
            (2023, "60"),
        )
    ]
    chosen = indicator_series(internet_use(), rows, plan, ORDER)
    assert [s.geography_id for s in chosen.series] == [AFRICA, WORLD, EUROPE]
    assert chosen.headline is chosen.series[0]
    assert chosen.assessment is chosen.headline.assessment
    assert chosen.assessment.latest_value == 60.0
    assert all(s.assessment is not None for s in chosen.series)
    # the headline's verdict: 60% in 2023 against 65%, judged once 2023 is over
    judged = indicator_series(internet_use(), rows, plan, ORDER, as_of_year=2024).judgement
    assert (judged.verdict, judged.value, judged.shortfall) == ("not_achieved", 60.0, 5.0)
    open_ = indicator_series(internet_use(), rows, plan, ORDER, as_of_year=2023).judgement
    assert open_.verdict == "open"


def test_indicator_series_without_headline_figures_is_assessed_on_nothing():
    plan = StrategicPlan(period_start=2020, period_end=2023, progress_method="unsd")
    rows = [figure(EUROPE, 2017, "30"), figure(WORLD, 2023, "60")]
    chosen = indicator_series(internet_use(), rows, plan, ORDER)
    assert chosen.headline is None
    assert [s.geography_id for s in chosen.series] == [WORLD, EUROPE]
    assert chosen.assessment.status == "no_data"
    assert chosen.assessment.method == "unsd"


def test_plan_base_year_is_three_years_before_the_plan():
    assert plan_base_year(StrategicPlan(period_start=2020, period_end=2023)) == 2017


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


def test_plan_progress_gives_every_closed_target_its_verdict(plan):
    by_code = {r.target.code: r for r in plan_progress(plan, as_of_year=2026)}
    assert by_code["2.8"].verdict == "not_achieved"
    assert by_code["2.8"].status == "limited"  # the pace status stays, as history
    assert (by_code["2.8"].judgement.year, by_code["2.8"].judgement.value) == (2023, 0.92)
    assert by_code["2.8"].verdict_point.edition == "Facts and Figures 2023"
    assert by_code["1.2"].verdict == "achieved" and by_code["1.2"].verdict_point.value == 67
    assert by_code["2.4"].verdict == "achieved" and by_code["2.4"].judgement.year == 2022
    assert by_code["3.2"].verdict == "no_target_year_figure"
    assert by_code["3.2"].judgement.year == 2022
    assert by_code["3.1"].verdict == "no_numeric_target"
    assert by_code["1.3"].verdict == "no_base_figure"
    assert by_code["1.4"].verdict == "no_data" and by_code["1.4"].verdict_point is None
    assert verdict_counts(list(by_code.values())) == {
        "achieved": 2,
        "not_achieved": 1,
        "no_target_year_figure": 6,
        "no_numeric_target": 1,
        "no_base_figure": 1,
        "no_data": 15,
    }


def test_plan_progress_before_the_target_year_is_over_gives_no_verdict(plan):
    rows = plan_progress(plan, as_of_year=2023)
    assert {r.verdict for r in rows} == {"open"}
    assert not plan_closed(plan, 2023) and plan_closed(plan, 2024)


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


def test_plan_progress_instances_carry_what_pages_read(plan, django_assert_num_queries):
    """Texts in every language (the pages' fallback notes), goal, headline geography."""
    rows = plan_progress(plan)
    with django_assert_num_queries(0):
        targets = [(r.target.goal_number, r.target.text, r.target.text_fr) for r in rows]
        indicators = [
            (r.indicator.name, r.indicator.name_zh_hans, r.indicator.headline_geography.name)
            for r in rows
            if r.indicator
        ]
    assert targets[0][0] == 1 and all(text for _number, text, _fr in targets)
    assert ("Individuals using the Internet", "个人互联网使用率", "World") in indicators


def test_enums_of_the_status_method_are_the_models_choices():
    assert Indicator.Direction is progress.Direction
    assert Indicator.TargetKind is progress.TargetKind
    for field, enum in (("direction", progress.Direction), ("target_kind", progress.TargetKind)):
        choices = Indicator._meta.get_field(field).choices
        assert [value for value, _label in choices] == [member.value for member in enum]
    # frameworks may not import indicators: the plan's choice of method names the same values
    assert StrategicPlan.ProgressMethod.values == [method.value for method in progress.Method]
