"""Progress of the plan's targets: series drawn from approved observations, assessed by the
method the plan chooses (indicators/progress.py holds the pure rules).

Where several editions give a figure for the same year, the series takes it from the newest
edition: the one that reaches the latest year in that series (ITU restates past years in each
edition). Years that edition lacks come from older editions, and the series says it joins them.
"""

from collections import defaultdict, namedtuple
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F

from frameworks.models import StrategicPlan, Target

from . import progress
from .models import Geography, Indicator, Observation


@dataclass(frozen=True)
class Point:
    year: int
    value: Decimal
    edition: str
    source: str
    source_url: str
    note: str
    # the citation (publisher, publication, edition); source and source_url are provenance
    publisher: str = ""
    publication: str = ""
    reported_in: str = ""


@dataclass
class Series:
    geography_id: int
    points: list[Point]
    superseded: list[Point] = field(default_factory=list)  # other editions' figures, as history
    assessment: progress.Assessment | None = None

    @property
    def editions(self) -> list[str]:
        return list(dict.fromkeys(point.edition for point in reversed(self.points)))

    @property
    def joins_editions(self) -> bool:
        return len(self.editions) > 1


@dataclass
class TargetProgress:
    target: Target
    indicator: Indicator | None  # the main indicator
    series: Series | None
    assessment: progress.Assessment  # the pace status (history once the target is closed)
    # the verdict once the target year has passed (plan_progress always gives it; None only
    # where a caller builds a row by hand and reads the pace status alone)
    judgement: progress.Judgement | None = None

    @property
    def status(self) -> str:
        return self.assessment.status.value

    @property
    def verdict(self) -> str | None:
        return self.judgement.verdict.value if self.judgement else None

    @property
    def verdict_point(self) -> Point | None:
        """The published figure the verdict rests on (its edition and source)."""
        return figure_of(self.series, self.judgement.year if self.judgement else None)


def figure_of(series: Series | None, year: int | None) -> Point | None:
    """The chosen figure of `series` for `year`, if there is one (not the indicator's baseline
    value, which has no edition)."""
    if series is None or year is None:
        return None
    return next((point for point in series.points if point.year == year), None)


def target_spec(indicator: Indicator) -> progress.TargetSpec:
    band = None
    if indicator.target_band_low is not None and indicator.target_band_high is not None:
        band = (float(indicator.target_band_low), float(indicator.target_band_high))
    natural_limit = (
        float(indicator.max_value)
        if indicator.unit == Indicator.Unit.PERCENT and indicator.max_value is not None
        else None
    )
    return progress.TargetSpec(
        kind=indicator.target_kind,
        value=None if indicator.target_value is None else float(indicator.target_value),
        year=indicator.target_year,
        direction=indicator.direction,
        band=band,
        baseline_year=indicator.baseline_year,
        natural_limit=natural_limit,
    )


def choose_points(observations) -> tuple[list[Point], list[Point]]:
    """One figure per year, from the newest edition that has it; the rest as history."""
    editions = defaultdict(list)
    for obs in observations:
        editions[obs.edition].append(obs.year)
    # newest edition: reaches the latest year; then covers more years; then by name for stability
    rank = {name: (max(years), len(years), name) for name, years in editions.items()}
    by_year = defaultdict(list)
    for obs in observations:
        by_year[obs.year].append(obs)
    chosen, superseded = [], []
    for year in sorted(by_year):
        candidates = sorted(by_year[year], key=lambda obs: rank[obs.edition], reverse=True)
        points = [
            Point(
                obs.year,
                obs.value,
                obs.edition,
                obs.source,
                obs.source_url,
                obs.note,
                obs.publisher,
                obs.publication,
                obs.reported_in,
            )
            for obs in candidates
        ]
        chosen.append(points[0])
        superseded.extend(points[1:])
    return chosen, superseded


def series_values(indicator: Indicator, series: Series | None) -> dict:
    """Year -> value of a series, with the indicator's baseline value where the series lacks
    its year."""
    points = series.points if series else []
    values = {point.year: point.value for point in points}
    if indicator.baseline_value is not None and indicator.baseline_year not in values:
        values[indicator.baseline_year] = indicator.baseline_value
    return values


def assess_series(
    indicator: Indicator, series: Series | None, plan: StrategicPlan
) -> progress.Assessment:
    return progress.assess(
        series_values(indicator, series),
        target_spec(indicator),
        method=plan.progress_method,
        plan_start_year=plan_base_year(plan),
    )


def judge_series(
    indicator: Indicator,
    series: Series | None,
    plan: StrategicPlan,
    pace: progress.Assessment,
    as_of_year: int | None = None,
) -> progress.Judgement:
    """The verdict on a series once its target year has passed (every target of the plan says
    "by <year>": a figure of any year up to it counts). `pace`: its assess_series()."""
    return progress.judge(
        series_values(indicator, series),
        target_spec(indicator),
        as_of_year=as_of_year,
        method=plan.progress_method,
        plan_start_year=plan_base_year(plan),
        pace=pace,
    )


def no_indicator_judgement(
    plan: StrategicPlan, as_of_year: int | None = None
) -> tuple[progress.Assessment, progress.Judgement]:
    """A target without a main indicator: no data, as status and as verdict."""
    spec = progress.TargetSpec(kind="none", value=None, year=plan.period_end)
    assessment = progress.assess({}, spec)
    return assessment, progress.judge({}, spec, as_of_year=as_of_year, pace=assessment)


def plan_base_year(plan: StrategicPlan) -> int:
    """The year the plan's targets are measured from, unless an indicator names another."""
    # The 2020–2023 plan measures from 2017, the base year its targets name (three years before
    # the plan starts, the year of the last complete data when it was written).
    return plan.period_start - 3


ROW_FIELDS = (
    "indicator_id",
    "geography_id",
    "year",
    "value",
    "edition",
    "source",
    "source_url",
    "note",
    "publisher",
    "publication",
    "reported_in",
)
Row = namedtuple("Row", ROW_FIELDS)


def approved_rows(*, indicator_ids, geography_ids=None) -> list[Row]:
    """Approved figures of these indicators as light tuples (one query, no model instances).

    Filtering by indicator (and geography) first lets the database use the series index
    instead of walking every approved figure.
    """
    rows = Observation.objects.approved().filter(indicator_id__in=indicator_ids)
    if geography_ids is not None:
        rows = rows.filter(geography_id__in=geography_ids)
    return [Row(*values) for values in rows.order_by().values_list(*ROW_FIELDS)]


def build_series(indicator: Indicator, observations, plan: StrategicPlan) -> list[Series]:
    """Every geography's series of one indicator, each assessed."""
    by_geography = defaultdict(list)
    for obs in observations:
        by_geography[obs.geography_id].append(obs)
    result = []
    for geography_id, rows in by_geography.items():
        points, superseded = choose_points(rows)
        series = Series(geography_id, points, superseded)
        series.assessment = assess_series(indicator, series, plan)
        result.append(series)
    return result


@dataclass
class IndicatorSeries:
    """An indicator's series, the headline one first and the others in the geographies' order,
    and the assessment that gives the indicator its status (its headline series')."""

    series: list[Series]
    headline: Series | None
    assessment: progress.Assessment
    judgement: progress.Judgement  # the headline series' verdict

    @property
    def verdict_point(self) -> Point | None:
        return figure_of(self.headline, self.judgement.year)


def indicator_series(
    indicator: Indicator,
    observations,
    plan: StrategicPlan,
    geographies: Mapping[int, Geography],
    *,
    as_of_year: int | None = None,
) -> IndicatorSeries:
    """Every geography's series of one indicator, assessed, and the headline's verdict;
    `geographies` by id, at least those of the observations (for their order); `as_of_year`
    the year a target counts as closed in (default: this year)."""
    series = build_series(indicator, observations, plan)
    headline = next((s for s in series if s.geography_id == indicator.headline_geography_id), None)
    series.sort(key=lambda s: (s is not headline, geographies[s.geography_id].order))
    assessment = headline.assessment if headline else assess_series(indicator, None, plan)
    judgement = judge_series(indicator, headline, plan, assessment, as_of_year)
    return IndicatorSeries(series, headline, assessment, judgement)


# What plan_progress reads of each target and main indicator: what its callers use, and each
# text in every language for the pages' fallback notes.
TARGET_FIELDS = ("id", "code", "goal_id", "proposed", "text")
INDICATOR_FIELDS = (
    "id",
    "target_id",
    "code",
    "name",
    "unit",
    "direction",
    "baseline_year",
    "baseline_value",
    "target_kind",
    "target_value",
    "target_band_low",
    "target_band_high",
    "target_year",
    "max_value",
    "headline_geography__code",
    "headline_geography__name",
)


def _headline_rows(plan: StrategicPlan) -> list[Row]:
    """Approved figures of the plan's main indicators in their headline geographies (the
    series index serves it: indicator, status, geography)."""
    rows = Observation.objects.approved().filter(
        indicator__plan=plan,
        indicator__is_main=True,
        geography_id=F("indicator__headline_geography_id"),
    )
    return [Row(*values) for values in rows.order_by().values_list(*ROW_FIELDS)]


def plan_progress(plan: StrategicPlan, *, as_of_year: int | None = None) -> list[TargetProgress]:
    """Each target's status from its main indicator in its headline geography, and its verdict
    once its year has passed (as of `as_of_year`, default this year) (3 queries).

    Targets (with their `goal_number`) and main indicators (with their headline geography) are
    read with only the fields listed above: a page that reads another one makes a query per
    target."""
    targets = (
        Target.objects.filter(plan=plan)
        .only(*TARGET_FIELDS)
        .annotate(goal_number=F("goal__number"))
        .order_by("goal__number", "order")
    )
    indicators = {
        indicator.target_id: indicator
        for indicator in Indicator.objects.filter(plan=plan, is_main=True)
        .select_related("headline_geography")
        .only(*INDICATOR_FIELDS)
        .order_by()
    }
    observations = defaultdict(list)
    for obs in _headline_rows(plan):
        observations[obs.indicator_id].append(obs)
    result = []
    for target in targets:
        indicator = indicators.get(target.pk)
        if indicator is None:
            assessment, judgement = no_indicator_judgement(plan, as_of_year)
            result.append(TargetProgress(target, None, None, assessment, judgement))
            continue
        rows = observations.get(indicator.pk, [])
        series = None
        if rows:
            points, superseded = choose_points(rows)
            series = Series(indicator.headline_geography_id, points, superseded)
        assessment = assess_series(indicator, series, plan)
        if series:
            series.assessment = assessment
        judgement = judge_series(indicator, series, plan, assessment, as_of_year)
        result.append(TargetProgress(target, indicator, series, assessment, judgement))
    return result


def status_counts(progress_rows: list[TargetProgress]) -> dict[str, int]:
    counts = defaultdict(int)
    for row in progress_rows:
        counts[row.status] += 1
    return dict(counts)


def verdict_counts(progress_rows: list[TargetProgress]) -> dict[str, int]:
    counts = defaultdict(int)
    for row in progress_rows:
        counts[row.verdict] += 1
    return dict(counts)


def plan_closed(plan: StrategicPlan, as_of_year: int | None = None) -> bool:
    """The plan's period is over: its targets are judged, not forecast."""
    return progress.is_closed(plan.period_end, as_of_year)
