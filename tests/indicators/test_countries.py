"""A country's figures against the plan's targets (indicators/countries.py): the rules on plain
data, then the report read from the factory's data in a constant number of queries."""

import pytest

from indicators import progress
from indicators.countries import (
    Figure,
    country_report,
    parity_scores,
    rank_among,
    read_series,
    region_rank,
    split_breakdowns,
)
from indicators.models import Geography
from tests.dashboards import country_factory

LEVEL_65 = progress.TargetSpec(kind="level", value=65.0, year=2023)
PRICE = progress.TargetSpec(kind="relative", value=-0.25, year=2023, direction="decrease",
                            baseline_year=2017)  # fmt: skip
PARITY = progress.TargetSpec(kind="parity", value=1.0, year=2023, band=(0.98, 1.02))


def test_a_country_that_reached_the_level_by_the_target_year_is_achieved():
    reading = read_series({2017: 96.5, 2021: 99.0}, LEVEL_65, as_of_year=2026)
    assert reading.judgement.verdict is progress.Verdict.ACHIEVED
    assert (reading.judgement.year, reading.judgement.value) == (2021, 99.0)
    assert reading.reached is True


def test_a_country_short_of_the_level_in_the_target_year_is_not():
    reading = read_series({2017: 10.0, 2023: 30.0}, LEVEL_65, as_of_year=2026)
    assert reading.judgement.verdict is progress.Verdict.NOT_ACHIEVED
    assert reading.judgement.shortfall == 35.0
    assert reading.reached is False


def test_no_data_and_one_year_are_not_measured():
    nothing = read_series({}, LEVEL_65, as_of_year=2026)
    assert nothing.judgement.verdict is progress.Verdict.NO_DATA
    assert nothing.assessment.status is progress.Status.NO_DATA
    assert nothing.reached is None
    one = read_series({2020: 50.0}, LEVEL_65, as_of_year=2026)
    assert one.judgement.verdict is progress.Verdict.NO_TARGET_YEAR_FIGURE
    assert one.assessment.status is progress.Status.INSUFFICIENT_DATA  # no pace from one year
    assert one.reached is None


def test_the_pace_is_the_plans_own_method():
    reading = read_series({2017: 20.0, 2020: 30.0}, LEVEL_65, as_of_year=2022)
    assert reading.judgement.verdict is progress.Verdict.OPEN
    assert reading.assessment == progress.assess({2017: 20.0, 2020: 30.0}, LEVEL_65)
    unsd = read_series({2017: 20.0, 2020: 30.0}, LEVEL_65, method="unsd", as_of_year=2022)
    assert unsd.assessment.method is progress.Method.UNSD


def test_a_lower_is_better_target_is_met_by_falling():
    reading = read_series({2017: 6.0, 2021: 2.6}, PRICE, as_of_year=2026)
    assert reading.judgement.verdict is progress.Verdict.ACHIEVED  # 2.6 <= 6 * 0.75


def test_parity_is_women_over_men_in_years_with_both():
    scores = parity_scores({2019: 19.0, 2020: 25.0, 2021: 30.0}, {2019: 26.0, 2021: 0.0})
    assert scores == {2019: pytest.approx(0.7307692)}  # 2020: no men's figure; 2021: men 0
    assert parity_scores({}, {2019: 5.0}) == {}
    reading = read_series(parity_scores({2023: 97.0}, {2023: 97.2}), PARITY, as_of_year=2026)
    assert reading.judgement.verdict is progress.Verdict.ACHIEVED  # 0.998 inside 0.98–1.02
    short = read_series(parity_scores({2023: 19.0}, {2023: 26.0}), PARITY, as_of_year=2026)
    assert short.judgement.verdict is progress.Verdict.NOT_ACHIEVED


def test_rank_counts_better_figures_and_ties_share_a_place():
    assert rank_among(99.0, [94.5, 79.3]) == (1, False)
    assert rank_among(94.5, [99.0, 94.5, 79.3]) == (2, True)
    assert rank_among(79.3, [99.0, 94.5, 94.5]) == (4, False)
    assert rank_among(50.0, []) == (1, False)


def test_rank_is_direction_aware_lower_is_better_for_prices():
    assert rank_among(0.3, [0.3, 1.8], "decrease") == (1, True)
    assert rank_among(1.8, [0.3, 0.3], "decrease") == (3, False)
    assert rank_among(1.8, [0.3, 0.3], "increase") == (1, False)


def test_region_rank_needs_the_countrys_own_figure():
    assert region_rank(1, 2021, {2: 50.0}) is None
    assert region_rank(1, None, {}) is None
    rank = region_rank(1, 2021, {1: 40.0, 2: 50.0, 3: 40.0})
    assert (rank.place, rank.count, rank.tied, rank.value) == (2, 3, True, 40.0)


def _figure(year, value, **breakdown):
    return Figure(1, year, value, False, "ITU", "DDD", "2022", **breakdown)


def test_breakdowns_are_split_by_dimension_totals_and_crosses_left_out():
    figures = [
        _figure(2020, 97.0, sex="F"),
        _figure(2019, 97.5, sex="F"),
        _figure(2019, 98.4, sex="M"),
        _figure(2019, 98.0),
        _figure(2019, 96.9, area="R"),
        _figure(2019, 50.0, sex="F", area="R"),
    ]
    split = split_breakdowns(figures)
    assert list(split) == ["sex", "area"]
    assert [(f.year, f.value) for f in split["sex"]["F"]] == [(2019, 97.5), (2020, 97.0)]
    assert [f.value for f in split["area"]["R"]] == [96.9]
    assert split_breakdowns([]) == {}


@pytest.fixture
def factory(db):
    return country_factory.build()


def report_of(plan, code, **options):
    country = Geography.objects.select_related("region").get(code=code)
    return country_report(plan, country, **options)


def test_norway_against_target_1_2_with_its_region_and_the_world(factory, plan):
    report = report_of(plan, "NOR", as_of_year=2026)
    assert report.region.code == "ITU-EUR"
    assert report.world.code == "WLD"
    internet = next(t for t in report.targets if t.indicator.code == "1.2-internet-use")
    assert (internet.latest.year, internet.latest.value) == (2021, 99.0)
    assert internet.latest.is_estimate is True
    assert internet.latest.edition == "January 2022"  # the leading release, not the restatement
    assert [(f.year, f.value, f.publisher) for f in internet.restated] == [
        (2020, 97.5, "World Bank"),
        (2021, 98.8, "World Bank"),
    ]
    assert internet.reading.judgement.verdict is progress.Verdict.ACHIEVED
    lines = {role: [(f.year, f.value) for f in figures] for role, _g, figures in internet.lines}
    assert lines["region"] == [(2019, 83.0), (2020, 84.9), (2021, 87.0)]
    assert lines["world"] == [(2019, 54.0), (2020, 60.0), (2021, 63.0)]
    assert (2023, 67.0) in lines["world_plan"]  # ITU's published world figure (the plan's)
    assert internet.rank.year == 2021
    assert (internet.rank.place, internet.rank.count, internet.rank.tied) == (1, 3, True)
    assert [p.geography.code for p in internet.peers] == ["NOR", "SWE", "ALB"]
    assert internet.parity.scores == {
        2019: pytest.approx(97.5 / 98.4),
        2020: pytest.approx(97.0 / 97.2),
    }
    assert internet.parity.indicator.code == "2.8-gender-parity"
    assert internet.parity.reading.judgement.verdict is progress.Verdict.ACHIEVED
    assert set(internet.breakdowns) == {"sex", "age"}


def test_prices_rank_lowest_first(factory, plan):
    report = report_of(plan, "KEN", as_of_year=2026)
    price = next(t for t in report.targets if t.indicator.code == "1.3-mobile-broadband-price")
    assert [(p.geography.code, p.value) for p in price.peers] == [("KEN", 2.6), ("NER", 22.7)]
    assert (price.rank.place, price.rank.count) == (1, 2)
    four_g = next(t for t in report.targets if t.indicator.code == "2.7-4g-coverage")
    assert (four_g.latest.year, four_g.latest.value) == (2020, 77.0)
    assert four_g.reading.judgement.verdict is progress.Verdict.NO_NUMERIC_TARGET
    assert (four_g.rank.place, four_g.rank.count, four_g.rank.tied) == (1, 3, True)  # CPV 77


def test_a_country_without_figures_has_sections_without_data(factory, plan):
    report = report_of(plan, "ALB", as_of_year=2026)
    households = next(t for t in report.targets if t.indicator.code == "1.1-households-internet")
    assert households.figures == []
    assert households.rank is None and households.peers == []
    assert households.reading.judgement.verdict is progress.Verdict.NO_DATA
    assert [g.code for g in report_of(plan, "NER").groups] == ["LDC", "LLDC"]


def count_report_queries(plan, code) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    country = Geography.objects.select_related("region").get(code=code)
    with CaptureQueriesContext(connection) as queries:
        country_report(plan, country)
    return len(queries)


def test_the_report_takes_the_same_queries_whatever_the_data_size(db, plan):
    country_factory.build()
    small = count_report_queries(plan, "NOR")
    assert small <= 7
    country_factory.more_countries(12)
    from indicators.models import Release, Series, Statistic

    # more years, another restating release and another series
    series = Series.objects.get(code=country_factory.series_code("internet-use"))
    archive = Release.objects.create(
        series=series, publisher="Archive", publication="Old", edition="1"
    )
    norway = Geography.objects.get(code="NOR")
    Statistic.objects.bulk_create(
        Statistic(release=archive, geography=norway, year=year, value=1.0)
        for year in range(1990, 2022)
    )
    assert count_report_queries(plan, "NOR") == small
