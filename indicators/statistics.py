"""Which published figure a country-year shows, when several releases carry it.

Each series has one leading release, chosen explicitly (Release.is_leading): its figure is the one
shown. A country-year the leading release lacks is filled from the other releases, the most
recently released first, and the figure says which release it comes from. The releases left out
for a country-year are its restatements, listed beside it.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, DateField, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from .models import Geography, Statistic


def release_preference(release) -> tuple:
    """Sorts releases from the most to the least preferred."""
    released = (release.released_on or date.min).toordinal()
    return (not release.is_leading, -released, -release.pk)


def breakdown_key(statistic: Statistic) -> tuple:
    """What one figure stands for: a series' value for a geography, year and breakdown."""
    return (
        statistic.release.series_id,
        statistic.geography_id,
        statistic.year,
        statistic.sex,
        statistic.age,
        statistic.area,
    )


def choose(statistics: Iterable[Statistic]) -> list[Statistic]:
    """One figure per series, geography, year and breakdown: the preferred release's (as
    `shown` chooses in SQL), so that figures of several series can be chosen at once. The statistics
    need their release loaded (select_related("release")); the order of the input is kept for
    the figures chosen."""
    chosen: dict[tuple, Statistic] = {}
    for statistic in statistics:
        key = breakdown_key(statistic)
        held = chosen.get(key)
        if held is None or release_preference(statistic.release) < release_preference(held.release):
            chosen[key] = statistic
    return list(chosen.values())


def restatements(statistics: Iterable[Statistic]) -> dict[tuple, list[Statistic]]:
    """The figures `choose` leaves out, by breakdown_key: what other releases said."""
    statistics = list(statistics)
    shown = {id(statistic) for statistic in choose(statistics)}
    others: dict[tuple, list[Statistic]] = {}
    for statistic in statistics:
        if id(statistic) not in shown:
            others.setdefault(breakdown_key(statistic), []).append(statistic)
    return others


def map_years(series) -> dict[int, int]:
    """For each year, how many countries have a figure of `series` (totals, any release): what a
    year selector offers. Two queries (the series' releases, then the figures)."""
    rows = (
        Statistic.objects.of_series(series)
        .totals()
        .filter(geography__kind=Geography.Kind.COUNTRY)
        .values("year")
        .annotate(countries=Count("geography", distinct=True))
        .order_by("year")
    )
    return {row["year"]: row["countries"] for row in rows}


# A map first shows the latest year that is nearly as full as the fullest: the fullest year of a
# long series is often a decade old (Internet use: 217 countries in 2007, 181 in 2023).
FULL_ENOUGH = 0.8


def default_map_year(years: dict[int, int]) -> int | None:
    """The latest year with at least FULL_ENOUGH of the fullest year's countries (`years` as
    map_years gives them)."""
    if not years:
        return None
    enough = FULL_ENOUGH * max(years.values())
    return max(year for year, countries in years.items() if countries >= enough)


def map_figures(series, year: int) -> list[Statistic]:
    """Every country's figure of `series` for `year` (totals), one per country, with its
    release and geography loaded: what a map and its table show. Two queries (the series'
    releases, then the figures)."""
    statistics = (
        Statistic.objects.of_series(series)
        .totals()
        .filter(geography__kind=Geography.Kind.COUNTRY, year=year)
        .select_related("release", "geography")
        .order_by("geography__code")
    )
    return choose(statistics)


def country_figures(geography, series_ids=None) -> dict[str, list[Statistic]]:
    """Every figure of one geography (every release and breakdown; of the series `series_ids`
    names, or of all) by series code, in year order, releases loaded: `choose` and
    `restatements` sort them out. One query."""
    statistics = Statistic.objects.filter(geography=geography)
    if series_ids is not None:
        statistics = statistics.filter(release__series_id__in=series_ids)
    statistics = list(
        statistics.select_related("release__series").order_by(
            "release__series__order", "year", "sex", "age", "area"
        )
    )
    by_series: dict[str, list[Statistic]] = {}
    for statistic in statistics:
        by_series.setdefault(statistic.release.series.code, []).append(statistic)
    return by_series


def shown(statistics):
    """`statistics` (a Statistic queryset) narrowed in the database to the figures `choose`
    keeps: those no preferred release of the same series has for the same geography, year and
    breakdown (release_preference, in SQL). For lists too long to choose from in Python (the
    API's pages); one query, whose NOT EXISTS probes the unique index of each release."""
    released = Coalesce("release__released_on", Value(date.min), output_field=DateField())
    outer_released = Coalesce(
        OuterRef("release__released_on"), Value(date.min), output_field=DateField()
    )
    same_figure = Statistic.objects.filter(
        release__series=OuterRef("release__series"),
        geography=OuterRef("geography"),
        year=OuterRef("year"),
        sex=OuterRef("sex"),
        age=OuterRef("age"),
        area=OuterRef("area"),
    ).alias(released=released)
    leading = OuterRef("release__is_leading")
    preferred = same_figure.filter(
        Q(release__is_leading__gt=leading)  # the leading release over any other
        | Q(release__is_leading=leading, released__gt=outer_released)
        | Q(release__is_leading=leading, released=outer_released, release__gt=OuterRef("release"))
    )
    return statistics.filter(~Exists(preferred))
