"""The Member States against a target, each on its own figures (indicators/distribution.py)."""

import pytest

from indicators.distribution import country_distribution
from indicators.models import Indicator, Statistic
from indicators.progress import Verdict
from tests.dashboards.countries_factory import build_country_data

pytestmark = pytest.mark.django_db


def codes(verdicts):
    return [verdict.geography.code for verdict in verdicts]


def test_each_member_state_is_judged_against_the_target_level_by_the_target_year(
    plan, django_assert_max_num_queries
):
    build_country_data()
    indicator = Indicator.objects.get(code="1.2-internet-use")  # 65% by 2023
    with django_assert_max_num_queries(2):
        distribution = country_distribution(indicator, plan, as_of_year=2025)
    # the factory: 2017 value + 3 points a year to 2021 (and a few 2022 figures)
    assert sorted(codes(distribution.reached)) == sorted(
        ["NOR", "FRA", "DEU", "USA", "BRA", "SAU", "CHN", "RUS", "KAZ"]
    )
    # nobody has a 2023 figure, so no one "did not" reach it: the others cannot be judged
    assert distribution.not_reached == []
    assert sorted(codes(distribution.unjudged)) == sorted(
        ["KEN", "NER", "NGA", "HTI", "EGY", "IND", "AFG", "FJI"]
    )
    assert distribution.total == 17
    kenya = next(v for v in distribution.unjudged if v.geography.code == "KEN")
    assert kenya.judgement.verdict is Verdict.NO_TARGET_YEAR_FIGURE
    assert (kenya.judgement.year, kenya.judgement.value) == (2022, 30.0)  # the WDI's


def test_a_figure_for_the_target_year_below_the_level_is_not_reached(plan):
    data = build_country_data()
    Statistic.objects.create(
        release=data.leading, geography=data.states["NER"], year=2023, value=20.0
    )
    indicator = Indicator.objects.get(code="1.2-internet-use")
    distribution = country_distribution(indicator, plan, as_of_year=2025)
    assert codes(distribution.not_reached) == ["NER"]
    assert distribution.not_reached[0].judgement.value == 20.0


def test_an_indicator_without_a_country_series_has_no_distribution(plan):
    indicator = Indicator.objects.get(code="1.4-digital-agenda")
    assert indicator.country_series is None
    assert country_distribution(indicator, plan) is None
