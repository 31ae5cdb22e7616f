"""Which release's figure a country-year shows (indicators/statistics.py)."""

from datetime import date

import pytest
from django.urls import reverse

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
    assert [f.value for f in left_out[(leading.series_id, norway.pk, 2020, "_T", "_T", "_T")]] == [
        97.5
    ]
    assert [f.value for f in left_out[(leading.series_id, norway.pk, 2023, "_T", "_T", "_T")]] == [
        99.1
    ]


def test_breakdowns_are_chosen_apart(releases):
    leading, newer, _ = releases
    kenya = Geography.objects.get(code="KEN")
    figures = [
        Statistic(release=newer, geography=kenya, year=2019, sex="F", value=20.0),
        Statistic(release=leading, geography=kenya, year=2019, sex="M", value=30.0),
        Statistic(release=newer, geography=kenya, year=2019, sex="M", value=31.0),
    ]
    assert sorted((f.sex, f.value) for f in choose(figures)) == [("F", 20.0), ("M", 30.0)]


def test_making_a_release_leading_leaves_its_series_one_leader(releases):
    _, newer, _ = releases
    newer.make_leading()
    assert list(Release.objects.filter(series=newer.series, is_leading=True)) == [newer]


def test_an_administrator_chooses_the_leading_release_in_the_admin(releases, client):
    from django.contrib.auth.models import Group, User

    from tests.conftest import ensure_roles

    ensure_roles()
    administrator = User.objects.create_user("admin-statistics", password="x", is_staff=True)
    administrator.groups.add(Group.objects.get(name="Administrator"))
    client.force_login(administrator)
    _, newer, _ = releases
    answer = client.post(
        reverse("admin:indicators_release_change", args=[newer.pk]), {"is_leading": "on"}
    )
    assert answer.status_code == 302, answer.content[:2000]
    assert set(Release.objects.filter(series=newer.series, is_leading=True)) == {newer}
    # published figures are read, never edited, in the admin
    statistic = Statistic.objects.create(
        release=newer, geography=Geography.objects.get(code="NOR"), year=2021, value=99.0
    )
    page = client.get(reverse("admin:indicators_statistic_change", args=[statistic.pk]))
    assert page.status_code == 200
    assert b'name="value"' not in page.content


def test_a_map_first_shows_the_latest_year_nearly_as_full_as_the_fullest():
    from indicators.statistics import default_map_year

    # Internet use, as loaded: the fullest year is 2007; 2023 is nearly as full; 2024 is not
    years = {2007: 217, 2022: 190, 2023: 181, 2024: 49}
    assert default_map_year(years) == 2023
    assert default_map_year({2020: 3}) == 2020
    assert default_map_year({}) is None


def test_figures_of_several_series_are_chosen_apart(releases):
    leading, _, _ = releases
    other = Series.objects.create(code="coverage-test", name="Coverage", unit="percent")
    other_release = Release.objects.create(
        series=other, publisher="ITU", publication="DDD", edition="2022"
    )
    norway = Geography.objects.get(code="NOR")
    figures = [
        Statistic(release=leading, geography=norway, year=2020, value=97.0),
        Statistic(release=other_release, geography=norway, year=2020, value=99.9),
    ]
    assert sorted(f.value for f in choose(figures)) == [97.0, 99.9]
