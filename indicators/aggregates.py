"""Aggregates computed by the portal: population-weighted averages of the countries' figures for
the world, the six ITU regions and the LDC, LLDC and SIDS groups.

For each rate series (per cent, % of GNI per capita, per 100 inhabitants; never counts, which
would need sums and complete data) and year, the average of each member country's chosen figure
(indicators.statistics.choose: the leading release's, gaps filled from other releases), weighted
by the country's population that year. Totals only: breakdowns by sex, age or area are not
aggregated (their weights would be the female, youth or rural population, which is not loaded).
Each aggregate states its coverage: the share of the group's population (that year) whose
countries have a figure. The world is every country and territory with a population; a region,
the Member States ITU places in it; a group, its members (SIDS includes territories).

Population: the copy of Gapminder's file gives every year to 2013, then 2050 and 2100 only. A
year in such a gap is weighted with the population interpolated geometrically (constant growth)
between the nearest years given: a weight, never shown as a population figure.

These are the portal's computations, stored as one Release per series with is_computed=True,
never mistaken for ITU's published aggregates.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction

from itu_rbm.caching import content_changed

from .country_loading import FileReport, statistics_write
from .models import Geography, Indicator, Population, Release, Series, Statistic
from .statistics import choose

RATE_UNITS = (Indicator.Unit.PERCENT, Indicator.Unit.PERCENT_GNI, Indicator.Unit.PER_100)
REGIONS = ("ITU-AFR", "ITU-AMS", "ITU-ARB", "ITU-ASP", "ITU-CIS", "ITU-EUR")
DEVELOPMENT_GROUPS = ("LDC", "LLDC", "SIDS")
WORLD = "WLD"
PUBLISHER = "ITU Strategic Plan results portal"
PUBLICATION = "Population-weighted averages computed by the portal"
METHOD = (
    "Computed by the portal (indicators/aggregates.py): the average of the member countries' "
    "figures (the leading release's; where it has none, another release's, the newest first), "
    "weighted by each country's population that year (Gapminder, UN World Population "
    "Prospects); coverage is the share of the group's population whose countries have a figure. "
    "Totals only: breakdowns by sex, age and area are not aggregated."
)


# Below this coverage an aggregate says more about which countries report than about the group
# (the world's households with Internet in 2011: 31.8 % from a fifth of its population): pages
# draw only aggregates at or above it, and every table states the coverage.
MIN_SHOWN_COVERAGE = 0.5


def is_shown(statistic: Statistic) -> bool:
    """A computed aggregate is drawn when enough of its group's population has figures; every
    other figure is."""
    return statistic.coverage is None or statistic.coverage >= MIN_SHOWN_COVERAGE


@dataclass(frozen=True)
class Aggregate:
    value: float
    coverage: float  # 0-1: share of the group's population with a figure


def weighted_average(
    figures: Mapping[int, float], population: Mapping[int, int], members: Iterable[int]
) -> Aggregate | None:
    """The population-weighted average of the members' figures, or None when no member with a
    population has one. Members without a population that year count neither in the average
    nor in the coverage (they cannot be weighted)."""
    group_people = covered_people = 0
    weighted = 0.0
    for member in members:
        people = population.get(member) or 0
        if people <= 0:
            continue
        group_people += people
        if member in figures:
            covered_people += people
            weighted += figures[member] * people
    if covered_people == 0:
        return None
    return Aggregate(weighted / covered_people, covered_people / group_people)


def interpolated_population(
    known: Mapping[int, int], year: int, years: list[int] | None = None
) -> float | None:
    """The population of `year`: as given, or interpolated geometrically between the nearest
    years given before and after; None outside the years given. `years`: sorted(known), when
    the caller has it."""
    if year in known:
        return known[year]
    years = sorted(known) if years is None else years
    position = bisect.bisect(years, year)
    if position == 0 or position == len(years):
        return None
    before, after = years[position - 1], years[position]
    start, end = known[before], known[after]
    if start <= 0 or end <= 0:
        return None
    return start * (end / start) ** ((year - before) / (after - before))


def group_aggregates(
    figures_by_year: Mapping[int, Mapping[int, float]],
    population_by_year: Mapping[int, Mapping[int, int]],
    groups: Mapping[str, Iterable[int]],
) -> dict[tuple[str, int], Aggregate]:
    """Every group's aggregate for every year that has figures: {(group, year): Aggregate}."""
    result = {}
    for year, figures in sorted(figures_by_year.items()):
        population = population_by_year.get(year, {})
        for group, members in groups.items():
            aggregate = weighted_average(figures, population, members)
            if aggregate is not None:
                result[(group, year)] = aggregate
    return result


def computed_release_edition(leading: Release | None) -> str:
    if leading is None:
        return "from the series' published releases"
    return (
        f"from {leading.publisher}, {leading.publication}, {leading.edition} "
        "(other releases where it has no figure)"
    )


@dataclass
class AggregatesReport:
    series: int = 0
    figures: FileReport = field(default_factory=lambda: FileReport("aggregates"))
    by_group: Counter = field(default_factory=Counter)

    def __str__(self):
        figures = self.figures
        groups = ", ".join(f"{code} {n}" for code, n in sorted(self.by_group.items()))
        return (
            f"{self.series} rate series, {sum(self.by_group.values())} group-years ({groups}); "
            f"{figures.created} written, {figures.updated} updated, {figures.deleted} removed, "
            f"{figures.unchanged} unchanged"
        )


def group_members() -> dict[str, set[int]]:
    """Country ids of the world, each ITU region and each development group. One query each."""
    countries = Geography.objects.countries()
    groups: dict[str, set[int]] = {WORLD: set(countries.values_list("pk", flat=True))}
    for code in REGIONS:
        groups[code] = set(countries.filter(region__code=code).values_list("pk", flat=True))
    for code in DEVELOPMENT_GROUPS:
        groups[code] = set(countries.filter(groups__code=code).values_list("pk", flat=True))
    return groups


def population_by_year(years: Iterable[int]) -> dict[int, dict[int, float]]:
    """{year: {country id: population}} for `years`, interpolated where the file has a gap."""
    by_geography: dict[int, dict[int, int]] = {}
    for geography, year, value in Population.objects.values_list("geography_id", "year", "value"):
        by_geography.setdefault(geography, {})[year] = value
    sorted_years = {geography: sorted(known) for geography, known in by_geography.items()}
    result: dict[int, dict[int, float]] = {}
    for year in years:
        result[year] = {}
        for geography, known in by_geography.items():
            people = interpolated_population(known, year, sorted_years[geography])
            if people is not None:
                result[year][geography] = people
    return result


def aggregates_compute() -> AggregatesReport:
    """Compute and store every aggregate (see the module's docstring); writes only what
    differs, so running twice changes nothing."""
    report = AggregatesReport()
    with transaction.atomic():
        groups = group_members()
        geography_ids = dict(
            Geography.objects.filter(code__in=list(groups)).values_list("code", "pk")
        )
        # order_by(): the model's ordering would otherwise take part in DISTINCT
        years = Statistic.objects.filter(geography__kind=Geography.Kind.COUNTRY).order_by("year")
        population = population_by_year(set(years.values_list("year", flat=True).distinct()))
        computed_releases = []
        for series in Series.objects.filter(unit__in=RATE_UNITS):
            statistics = (
                Statistic.objects.of_series(series)
                .totals()
                .filter(geography__kind=Geography.Kind.COUNTRY, release__is_computed=False)
                .select_related("release")
            )
            figures_by_year: dict[int, dict[int, float]] = {}
            for statistic in choose(statistics):
                figures_by_year.setdefault(statistic.year, {})[statistic.geography_id] = (
                    statistic.value
                )
            if not figures_by_year:
                continue
            report.series += 1
            release = computed_release(series, report.figures)
            computed_releases.append(release)
            rows = {}
            for (group, year), aggregate in group_aggregates(
                figures_by_year, population, groups
            ).items():
                key = (release.pk, geography_ids[group], year, *(Statistic.TOTAL,) * 3)
                rows[key] = (aggregate.value, aggregate.coverage, False)
                report.by_group[group] += 1
            statistics_write(
                [release], rows, report.figures, fields=("value", "coverage", "is_estimate")
            )
        # a series that lost its rate unit or its figures keeps no stale aggregates
        stale = Release.objects.filter(is_computed=True).exclude(
            pk__in=[release.pk for release in computed_releases]
        )
        report.figures.deleted += Statistic.objects.filter(release__in=stale).count()
        if stale.exists():
            stale.delete()
            report.figures.releases_changed += 1
        if report.figures.written or report.figures.releases_changed:
            content_changed()
    return report


def computed_release(series: Series, report: FileReport) -> Release:
    """The series' one computed release, its edition naming the release it was computed from."""
    leading = Release.objects.filter(series=series, is_leading=True, is_computed=False).first()
    values = {
        "publisher": PUBLISHER,
        "publication": PUBLICATION,
        "edition": computed_release_edition(leading),
        "source": METHOD,
        "is_computed": True,
        "is_leading": False,
    }
    release = Release.objects.filter(series=series, is_computed=True).first()
    if release is not None and all(getattr(release, k) == v for k, v in values.items()):
        return release
    release = release or Release(series=series)
    for name, value in values.items():
        setattr(release, name, value)
    release.save()
    report.releases_changed += 1
    return release
