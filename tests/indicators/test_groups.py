"""The group aggregates beside ITU's published ones (indicators/groups.py)."""

import pytest

from indicators.groups import aggregate_geographies, group_aggregates
from tests.dashboards.countries_factory import build_country_data

pytestmark = pytest.mark.django_db


def test_aggregates_list_the_world_the_six_regions_and_the_three_groups_in_order():
    codes = [geography.code for geography in aggregate_geographies()]
    assert codes[0] == "WLD"
    assert sorted(codes[1:7]) == ["ITU-AFR", "ITU-AMS", "ITU-ARB", "ITU-ASP", "ITU-CIS", "ITU-EUR"]
    assert codes[7:] == ["LDC", "LLDC", "SIDS"]


def test_the_computed_ldc_figure_stands_beside_itus_published_one_with_the_difference(
    django_assert_max_num_queries,
):
    data = build_country_data()
    # the series' releases, their figures, ITU's published figures, the groups
    with django_assert_max_num_queries(4):
        figures = {figure.geography.code: figure for figure in group_aggregates(data.series, 2019)}
    ldc = figures["LDC"]
    assert (ldc.computed.value, ldc.computed.coverage) == (17.9, 0.71)
    assert ldc.computed.release.is_computed
    # fixtures/indicators/itu-published-figures.csv: 2.4-internet-use, LDC, 2019 = 19.1
    assert float(ldc.published.value) == 19.1
    assert ldc.published.edition == "Key ICT indicators, 28 October 2019"
    assert ldc.difference == pytest.approx(-1.2)


def test_a_group_without_figures_is_listed_with_none_on_both_sides():
    data = build_country_data()
    figures = {figure.geography.code: figure for figure in group_aggregates(data.series, 2019)}
    assert figures["ITU-CIS"].computed is None
    assert figures["ITU-CIS"].published is None
    assert figures["ITU-CIS"].difference is None


def test_a_computed_figure_without_a_published_one_has_no_difference():
    data = build_country_data()
    figures = {figure.geography.code: figure for figure in group_aggregates(data.series, 2021)}
    assert figures["WLD"].computed.value == 60.0
    assert figures["LDC"].published is None  # ITU's LDC figures in the fixtures stop in 2019
    assert figures["LDC"].difference is None
