"""Which release's figure a country-year shows (indicators/statistics.py)."""

from datetime import date

import pytest

from indicators.models import Geography, Release, Series, Statistic
from indicators.statistics import choose, restatements


@pytest.fixture
def releases(db):
    series = Series.objects.create(code="internet-use-test", name="Internet use", unit="percent")
    older = Release.objects.create(
        series=series,
        publisher="ITU",
        publication="DDD",
        edition="2022",
        released_on=date(2022, 1, 31),
        is_leading=True,
    )
    newer = Release.objects.create(
        series=series,
        publisher="World Bank",
        publication="WDI",
        edition="2024",
        released_on=date(2024, 11, 1),
    )
    newest = Release.objects.create(
        series=series,
        publisher="World Bank",
        publication="WDI via Gapminder",
        edition="2025",
        released_on=date(2025, 12, 8),
    )
    return older, newer, newest


def test_the_leading_release_wins_and_the_newest_other_fills_its_gaps(releases):
    leading, newer, newest = releases
    norway = Geography.objects.get(code="NOR")
    figures = [
        Statistic(release=leading, geography=norway, year=2020, value=97.0),
        Statistic(release=newer, geography=norway, year=2020, value=97.5),
        Statistic(release=newer, geography=norway, year=2023, value=99.1),
        Statistic(release=newest, geography=norway, year=2023, value=99.3),
        Statistic(release=newer, geography=norway, year=2022, value=99.0),
    ]
    shown = {(f.year, f.value) for f in choose(figures)}
    assert shown == {(2020, 97.0), (2023, 99.3), (2022, 99.0)}
    left_out = restatements(figures)
    assert [f.value for f in left_out[(norway.pk, 2020, "_T", "_T", "_T")]] == [97.5]
    assert [f.value for f in left_out[(norway.pk, 2023, "_T", "_T", "_T")]] == [99.1]


def test_breakdowns_are_chosen_apart(releases):
    leading, newer, _ = releases
    kenya = Geography.objects.get(code="KEN")
    figures = [
        Statistic(release=newer, geography=kenya, year=2019, sex="F", value=20.0),
        Statistic(release=leading, geography=kenya, year=2019, sex="M", value=30.0),
        Statistic(release=newer, geography=kenya, year=2019, sex="M", value=31.0),
    ]
    assert sorted((f.sex, f.value) for f in choose(figures)) == [("F", 20.0), ("M", 30.0)]
