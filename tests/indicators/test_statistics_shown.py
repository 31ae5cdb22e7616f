"""indicators.statistics.shown: the database's choice is choose()'s, on every combination of
releases (leading or not, dated or not) and breakdowns."""

import random
from datetime import date

import pytest

from indicators.models import Geography, Release, Series, Statistic
from indicators.statistics import choose, shown
from tests.conftest import set_aside_country_data

pytestmark = pytest.mark.django_db


def test_shown_in_the_database_keeps_what_choose_keeps():
    set_aside_country_data()
    series = Series.objects.create(code="shown-test", name="Shown", unit="percent")
    other = Series.objects.create(code="shown-other", name="Other", unit="percent")
    releases = [
        Release.objects.create(
            series=series,
            publisher="ITU",
            publication="DDD",
            edition="2022",
            is_leading=True,
            released_on=date(2022, 1, 31),
        ),
        Release.objects.create(
            series=series,
            publisher="WB",
            publication="WDI",
            edition="2024",
            released_on=date(2024, 12, 16),
        ),
        Release.objects.create(series=series, publisher="WB", publication="WDI", edition="undated"),
        Release.objects.create(
            series=series,
            publisher="UN",
            publication="SDG",
            edition="2024",
            released_on=date(2024, 12, 16),  # the same day as the WDI: the later row wins
        ),
        Release.objects.create(series=other, publisher="X", publication="Y", edition="1"),
    ]
    countries = list(Geography.objects.countries()[:4])
    draw = random.Random(14)
    figures = [
        Statistic(release=release, geography=country, year=year, sex=sex, value=draw.random())
        for release in releases
        for country in countries
        for year in (2020, 2021, 2022)
        for sex in ("_T", "F")
        if draw.random() < 0.6
    ]
    Statistic.objects.bulk_create(figures)
    every = Statistic.objects.select_related("release")
    # choose() sorts out the figures of one series (as country_figures groups them)
    expected = {
        s.pk
        for code in ("shown-test", "shown-other")
        for s in choose(every.filter(release__series__code=code))
    }
    assert {statistic.pk for statistic in shown(every)} == expected
    assert 0 < len(expected) < every.count()
