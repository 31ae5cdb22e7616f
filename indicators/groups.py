"""Aggregates of the world, the ITU regions and the development groups, two ways side by side:
as the portal computes them from the countries' figures (Releases with is_computed, each figure
with its population coverage) and as ITU published them (approved Observations of the plan's
indicators measured by the same series).

The two seldom agree exactly: ITU estimates the countries without data, the portal weighs only
the countries that have a figure and says how much of the group's population they hold; and
ITU's group lists change with graduations. Showing both, with the difference, lets a reader see
how far the portal's quick aggregate can be trusted.
"""

from dataclasses import dataclass

from django.db.models import Q

from .models import Geography, Indicator, Observation, Statistic
from .statistics import choose
from .status import Point, choose_points

DEVELOPMENT_GROUPS = ("LDC", "LLDC", "SIDS")
"""The UN's development groups whose aggregates ITU publishes, in the order pages list them."""


@dataclass
class GroupFigure:
    """One group's figure for a year: the portal's computed one and ITU's published one (each
    None where there is none)."""

    geography: Geography
    computed: Statistic | None
    published: Point | None

    @property
    def difference(self) -> float | None:
        """The portal's figure minus ITU's, in the series' unit (None unless both exist)."""
        if self.computed is None or self.published is None:
            return None
        return round(self.computed.value - float(self.published.value), 6)


def aggregate_geographies() -> list[Geography]:
    """The world, the six ITU regions and the development groups, in that order (one query)."""
    geographies = Geography.objects.filter(
        Q(kind=Geography.Kind.WORLD)
        | Q(kind=Geography.Kind.REGION)
        | Q(kind=Geography.Kind.DEVELOPMENT_GROUP, code__in=DEVELOPMENT_GROUPS)
    )
    rank = {Geography.Kind.WORLD: 0, Geography.Kind.REGION: 1, Geography.Kind.DEVELOPMENT_GROUP: 2}

    def position(geography):
        group = (
            DEVELOPMENT_GROUPS.index(geography.code) if geography.code in DEVELOPMENT_GROUPS else 0
        )
        return (rank[geography.kind], group, geography.order, geography.code)

    return sorted(geographies, key=position)


def comparable_indicators(series) -> Q:
    """The plan's indicators whose published group figures are the same aggregate as the
    portal's: the main indicators measured by `series`, in its unit. Not a breakdown (target
    1.1's urban households, 2.8's women), not a score built on the series (2.8's parity ratio),
    and not a price: ITU's price figures for the world and groups are medians across economies,
    not population-weighted averages."""
    return Q(
        indicator__country_series=series, indicator__is_main=True, indicator__unit=series.unit
    ) & ~Q(indicator__unit=Indicator.Unit.PERCENT_GNI)


def group_aggregates(series, year: int) -> list[GroupFigure]:
    """For `series` and `year`: each aggregate geography's computed figure (totals; the leading
    computed release's, as statistics.choose prefers) beside ITU's published figure of the same
    geography and year (the newest approved edition among the indicators whose country_series is
    `series`). Every aggregate geography is listed, with None where a side has no figure.
    Three queries."""
    geographies = aggregate_geographies()
    ids = [geography.pk for geography in geographies]
    computed = choose(
        Statistic.objects.of_series(series)
        .totals()
        .filter(release__is_computed=True, geography_id__in=ids, year=year)
        .select_related("release")
    )
    computed_by_geography = {statistic.geography_id: statistic for statistic in computed}
    observations = (
        Observation.objects.approved()
        .filter(comparable_indicators(series), geography_id__in=ids, year=year)
        .order_by("geography_id", "edition", "pk")
    )
    by_geography: dict[int, list[Observation]] = {}
    for observation in observations:
        by_geography.setdefault(observation.geography_id, []).append(observation)
    published = {
        geography_id: choose_points(rows)[0][0] for geography_id, rows in by_geography.items()
    }
    return [
        GroupFigure(geography, computed_by_geography.get(geography.pk), published.get(geography.pk))
        for geography in geographies
    ]
