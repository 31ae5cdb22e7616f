"""What one country's own figures say against the plan's targets: the data of a country page.

For every indicator of the plan that has a per-country series (Indicator.country_series): the
country's figures (indicators.statistics.choose: the leading release, gaps filled by the others),
its ITU region's and the world's (aggregates computed by the portal, Release.is_computed; and
ITU's published world figures where the plan has them, as approved observations), the target's
level and year, and the verdict and pace of the country's own series, by the plan's own rules
(indicators.progress.judge/assess with the indicator's TargetSpec from indicators.status: the
same rules as the world's status, never a copy). Breakdowns where the data has them (women and
men with the parity score of target 2.8, urban and rural, age groups), the country's rank among
its region's countries and its peers' figures for that year.

`country_report()` reads everything in a constant number of queries (8), whatever the number of
years, releases, series or countries. The small functions below it are the rules, on plain data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Q

from frameworks.models import StrategicPlan

from . import aggregates, progress, statistics
from .models import Geography, Indicator, Statistic
from .status import approved_rows, choose_points, plan_base_year, target_spec

TOTAL = Statistic.TOTAL
WORLD = "WLD"

# The breakdowns a page shows, each a dimension of Statistic with the others at "all".
DIMENSIONS = ("sex", "area", "age")


@dataclass(frozen=True)
class Figure:
    """One figure as the page shows it, with its release (the citation) and estimate flag."""

    geography_id: int
    year: int
    value: float
    is_estimate: bool | None  # None: the publication does not say (the plan's observations)
    publisher: str
    publication: str
    edition: str
    is_computed: bool = False
    coverage: float | None = None
    sex: str = TOTAL
    age: str = TOTAL
    area: str = TOTAL

    @classmethod
    def of(cls, statistic: Statistic) -> Figure:
        """Reads statistic.release: select_related it."""
        release = statistic.release
        return cls(
            geography_id=statistic.geography_id,
            year=statistic.year,
            value=statistic.value,
            is_estimate=statistic.is_estimate,
            publisher=release.publisher,
            publication=release.publication,
            edition=release.edition,
            is_computed=release.is_computed,
            coverage=statistic.coverage,
            sex=statistic.sex,
            age=statistic.age,
            area=statistic.area,
        )

    @property
    def is_total(self) -> bool:
        return self.sex == TOTAL and self.age == TOTAL and self.area == TOTAL

    @property
    def dimension(self) -> str | None:
        """The one breakdown this figure is of ("sex", "area", "age"), None for a total or a
        cross of two."""
        broken = [name for name in DIMENSIONS if getattr(self, name) != TOTAL]
        return broken[0] if len(broken) == 1 else None

    @property
    def group(self) -> str:
        """The code of its breakdown (F, U, Y15T24…), TOTAL for a total."""
        dimension = self.dimension
        return getattr(self, dimension) if dimension else TOTAL


def values_of(figures: Iterable[Figure]) -> dict[int, float]:
    """Year -> value of one line's figures (one per year)."""
    return {figure.year: figure.value for figure in figures}


# --- the rules, on plain data -----------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What a series says against a target: its pace status and, once the year has passed, the
    verdict (reached / not reached by the target year), both from indicators.progress."""

    assessment: progress.Assessment
    judgement: progress.Judgement

    @property
    def reached(self) -> bool | None:
        """True: reached by the target year; False: not; None: not measured (no data, no figure
        for the target year, no numeric target, the year has not passed)."""
        if self.judgement.verdict is progress.Verdict.ACHIEVED:
            return True
        if self.judgement.verdict is progress.Verdict.NOT_ACHIEVED:
            return False
        return None


def read_series(
    values: Mapping[int, float],
    spec: progress.TargetSpec,
    *,
    method: str = progress.Method.STATCAN,
    plan_start_year: int = 2017,
    as_of_year: int | None = None,
) -> Reading:
    """A country's series against the plan's target: the same assess/judge as the world's."""
    pace = progress.assess(values, spec, method=method, plan_start_year=plan_start_year)
    verdict = progress.judge(
        values,
        spec,
        as_of_year=as_of_year,
        method=method,
        plan_start_year=plan_start_year,
        pace=pace,
    )
    return Reading(pace, verdict)


def parity_scores(women: Mapping[int, float], men: Mapping[int, float]) -> dict[int, float]:
    """Target 2.8's parity score for each year with both figures: women's figure / men's.
    A year where men's figure is 0 has no score (the ratio is undefined)."""
    return {
        year: women[year] / men[year] for year in sorted(women.keys() & men.keys()) if men[year]
    }


@dataclass(frozen=True)
class Rank:
    """A country's place among its region's countries with a figure for `year`: 1 is the best
    (the highest, or the lowest where lower is better); tied countries share a place."""

    year: int
    value: float
    place: int
    count: int
    tied: bool


def rank_among(
    value: float, others: Iterable[float], direction: str = progress.Direction.INCREASE
) -> tuple[int, bool]:
    """(place, tied) of `value` among `others` (the other countries' figures): one more than the
    number of better figures ("1, 2, 2, 4"), direction-aware."""
    better, tied = 0, False
    factor = progress.Direction(direction).factor
    for other in others:
        if other * factor > value * factor:
            better += 1
        elif other == value:
            tied = True
    return better + 1, tied


def region_rank(
    geography_id: int,
    year: int | None,
    by_geography: Mapping[int, float],
    direction: str = progress.Direction.INCREASE,
) -> Rank | None:
    """The country's Rank among `by_geography` (every country of the region with a figure for
    `year`, the country included); None where it has no figure."""
    if year is None or geography_id not in by_geography:
        return None
    value = by_geography[geography_id]
    others = [v for gid, v in by_geography.items() if gid != geography_id]
    place, tied = rank_among(value, others, direction)
    return Rank(year=year, value=value, place=place, count=len(by_geography), tied=tied)


def split_breakdowns(figures: Iterable[Figure]) -> dict[str, dict[str, list[Figure]]]:
    """Chosen figures of one series by breakdown: {"sex": {"F": [...], "M": [...]}, ...}, each
    list in year order; totals and crossed breakdowns left out."""
    result: dict[str, dict[str, list[Figure]]] = {}
    for figure in sorted(figures, key=lambda f: f.year):
        dimension = figure.dimension
        if dimension is not None:
            result.setdefault(dimension, {}).setdefault(figure.group, []).append(figure)
    return {name: result[name] for name in DIMENSIONS if name in result}


# --- the page's data --------------------------------------------------------------------------


@dataclass
class Parity:
    """Women's and men's figures of a series as target 2.8's parity score, judged against the
    2.8 indicator's parity spec."""

    indicator: Indicator
    scores: dict[int, float]
    women: dict[int, float]
    men: dict[int, float]
    reading: Reading


@dataclass
class Peer:
    """A country of the region with its figure for the rank's year."""

    geography: Geography
    figure: Figure

    @property
    def value(self) -> float:
        return self.figure.value


@dataclass
class CountryTarget:
    """One indicator of the plan with the country's figures against its target."""

    indicator: Indicator
    spec: progress.TargetSpec
    figures: list[Figure]  # the country's chosen totals, by year
    breakdowns: dict[str, dict[str, list[Figure]]]
    restated: list[Figure]  # what other releases said for the same country-years
    reading: Reading
    lines: list[tuple[str, Geography, list[Figure]]]  # (role, geography, figures): region, world
    parity: Parity | None = None
    rank: Rank | None = None
    peers: list[Peer] = field(default_factory=list)

    @property
    def latest(self) -> Figure | None:
        return self.figures[-1] if self.figures else None


@dataclass
class CountryReport:
    country: Geography
    region: Geography | None
    groups: list[Geography]
    world: Geography | None
    targets: list[CountryTarget]


def page_indicators(plan: StrategicPlan) -> list[Indicator]:
    """The plan's indicators with a per-country series, and the parity indicator of target 2.8
    (whose spec judges women's figures against men's), target and series loaded (1 query)."""
    return list(
        Indicator.objects.filter(plan=plan)
        .filter(Q(country_series__isnull=False) | Q(target_kind=progress.TargetKind.PARITY))
        .select_related("target", "country_series")
        .order_by("target__goal__number", "target__order", "-is_main", "code")
    )


def applicable_indicators(indicators: Iterable[Indicator], geography_ids: set[int]) -> list:
    """The indicators a country is held against: those set for the world or for a group the
    country is in (an LDC sees target 2.4's, Norway does not), one per target and series — the
    main indicator where it has the series (target 1.1's urban and rural indicators are
    breakdowns of its main series; target 2.7's 3G and 4G coverage are two series).
    `indicators` come ordered by target with the main one first (page_indicators)."""
    chosen: dict[tuple[int, int], Indicator] = {}
    for indicator in indicators:
        if indicator.country_series_id and indicator.headline_geography_id in geography_ids:
            chosen.setdefault((indicator.target_id, indicator.country_series_id), indicator)
    return list(chosen.values())


def country_report(
    plan: StrategicPlan, country: Geography, *, as_of_year: int | None = None
) -> CountryReport:
    """Everything a country page shows (7 queries besides `country`, which needs its region
    loaded: select_related("region"))."""
    region = country.region
    indicators = page_indicators(plan)
    parity_indicator = next(
        (i for i in indicators if i.target_kind == progress.TargetKind.PARITY), None
    )
    others = list(
        Geography.objects.filter(
            Q(kind=Geography.Kind.WORLD, code=WORLD)
            | Q(kind=Geography.Kind.DEVELOPMENT_GROUP, members=country)
        ).distinct()
    )
    world = next((g for g in others if g.code == WORLD), None)
    groups = [g for g in others if g.kind == Geography.Kind.DEVELOPMENT_GROUP]
    indicators = applicable_indicators(indicators, {g.pk for g in others})
    series_ids = {indicator.country_series_id for indicator in indicators}
    own = statistics.country_figures(country, series_ids)  # by series code, every release
    method = plan.progress_method
    base_year = plan_base_year(plan)

    by_aggregate: dict[tuple[int, int], list[Statistic]] = defaultdict(list)
    published: dict[int, list] = defaultdict(list)
    peer_statistics: list[Statistic] = []
    if indicators:
        wanted = [g.pk for g in (region, world) if g is not None]
        for statistic in (
            Statistic.objects.totals()
            .filter(geography_id__in=wanted, release__series_id__in=series_ids)
            .select_related("release")
            .order_by("year")
        ):
            by_aggregate[(statistic.release.series_id, statistic.geography_id)].append(statistic)
        if world is not None:
            for row in approved_rows(
                indicator_ids=[i.pk for i in indicators], geography_ids=[world.pk]
            ):
                published[row.indicator_id].append(row)

    chosen_by_series: dict[int, list[Figure]] = {}
    restated_by_series: dict[int, list[Figure]] = {}
    latest_year: dict[int, int] = {}
    for indicator in indicators:
        series = indicator.country_series
        if series.pk in chosen_by_series:
            continue
        mine = own.get(series.code, [])
        chosen_by_series[series.pk] = [Figure.of(s) for s in statistics.choose(mine)]
        restated_by_series[series.pk] = [
            Figure.of(s) for group in statistics.restatements(mine).values() for s in group
        ]
        years = [f.year for f in chosen_by_series[series.pk] if f.is_total]
        if years:
            latest_year[series.pk] = max(years)
    if region is not None and latest_year:
        # the region's countries in the year of the country's latest figure, every series at
        # once (one query whatever the number of series)
        wanted_years = Q()
        for series_id, year in latest_year.items():
            wanted_years |= Q(release__series_id=series_id, year=year)
        peer_statistics = list(
            Statistic.objects.totals()
            .filter(wanted_years, geography__region=region, geography__kind=Geography.Kind.COUNTRY)
            .select_related("release", "geography")
            .order_by("geography__code")
        )
    peers_by_series: dict[int, list[Statistic]] = defaultdict(list)
    for statistic in statistics.choose(peer_statistics):
        peers_by_series[statistic.release.series_id].append(statistic)

    targets = []
    for indicator in indicators:
        series_id = indicator.country_series_id
        series_unit = indicator.country_series.unit
        chosen = chosen_by_series[series_id]
        totals = [f for f in chosen if f.is_total]
        breakdowns = split_breakdowns(chosen)
        spec = target_spec(indicator)
        parity = None
        sexes = breakdowns.get("sex", {})
        if parity_indicator is not None and "F" in sexes and "M" in sexes:
            women, men = values_of(sexes["F"]), values_of(sexes["M"])
            scores = parity_scores(women, men)
            parity = Parity(
                parity_indicator,
                scores,
                women,
                men,
                read_series(
                    scores,
                    target_spec(parity_indicator),
                    method=method,
                    plan_start_year=base_year,
                    as_of_year=as_of_year,
                ),
            )
        if indicator.target_kind == progress.TargetKind.PARITY:
            # the parity indicator's own section: the score is the series judged
            reading = parity.reading if parity else read_series({}, spec, as_of_year=as_of_year)
        else:
            reading = read_series(
                values_of(totals),
                spec,
                method=method,
                plan_start_year=base_year,
                as_of_year=as_of_year,
            )
        lines = []
        for role, geography in (("region", region), ("world", world)):
            if geography is None:
                continue
            found = by_aggregate.get((series_id, geography.pk), [])
            for computed in (True, False):
                # the portal's and the publishers' aggregates apart: each has its own line
                side = [s for s in found if s.release.is_computed is computed]
                figures = [Figure.of(s) for s in statistics.choose(side) if aggregates.is_shown(s)]
                if figures:
                    lines.append((role if computed else f"{role}_published", geography, figures))
        # the plan's own world figures, where they are in the series' unit (not 2.8's ratio)
        if world is not None and published.get(indicator.pk) and indicator.unit == series_unit:
            points, _superseded = choose_points(published[indicator.pk])
            lines.append(
                (
                    "world_plan",
                    world,
                    [
                        Figure(
                            geography_id=world.pk,
                            year=p.year,
                            value=float(p.value),
                            is_estimate=None,
                            publisher=p.publisher,
                            publication=p.publication,
                            edition=p.edition,
                        )
                        for p in points
                    ],
                )
            )
        year = latest_year.get(series_id)
        peer_figures = peers_by_series.get(series_id, [])
        by_geography = {s.geography_id: s.value for s in peer_figures}
        rank = region_rank(country.pk, year, by_geography, indicator.direction)
        factor = progress.Direction(indicator.direction).factor
        peers = sorted(
            (Peer(s.geography, Figure.of(s)) for s in peer_figures),
            key=lambda peer: (-peer.value * factor, peer.geography.code),
        )
        targets.append(
            CountryTarget(
                indicator=indicator,
                spec=spec,
                figures=totals,
                breakdowns=breakdowns,
                restated=sorted(restated_by_series[series_id], key=lambda f: f.year),
                reading=reading,
                lines=lines,
                parity=parity,
                rank=rank,
                peers=peers if rank else [],
            )
        )
    return CountryReport(country, region, groups, world, targets)
