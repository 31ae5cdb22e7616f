"""Progress status of an indicator series against its target.

Pure Python (no Django) so the rules can be read, tested and audited on their own. Two published
methods are implemented as written; docs/progress-method.md gives the formulas, the sources and
every adaptation made for the ITU strategic plan.

* ``Method.STATCAN``: Statistics Canada / Open SDG (open-sdg/sdg-build ``sdg/ProgressMeasure.py``).
  The observed compound annual growth rate is divided by the required one (ratio R).
* ``Method.UNSD``: UN Statistics Division SDG Progress Chart 2023 (as transcribed by EUSTAT).
  The latest value is projected to the target year at the observed pace; P is the share of the
  way from the base value to the target that the projection covers.

Every number behind a status is returned with it (``Assessment``), so a page can show why.

Once a target's year has passed, its status is a verdict rather than a forecast: ``judge`` says
whether the target was achieved, with which figure, or by how much it was missed (``Judgement``);
the pace status stays beside it as history ("on track in 2019").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

Number = Decimal | float | int
Series = Mapping[int, Number | None] | Iterable[tuple[int, Number | None]]

ZERO_SUBSTITUTE = 0.001
"""Both methods divide by the base (and Open SDG by the target): 0 is replaced by this."""

LIMIT_EXPONENT = 4.44
"""Open SDG's exponent a in the natural-limit coefficient C."""

STATCAN_TARGET_THRESHOLDS = (0.95, 0.6, 0.0)
"""R thresholds with a numeric target: on track, moderate, limited (below: deterioration)."""

STATCAN_PACE_THRESHOLDS = (0.015, 0.005, 0.0)
"""Growth-rate thresholds without a numeric target, before the natural-limit coefficient."""

UNSD_SHARE_THRESHOLDS = (0.95, 0.10)
"""P thresholds: met or on the way, fair progress (below the last: stagnation or regression)."""

UNSD_PACE_THRESHOLDS = (0.02, 0.005)
"""Growth-rate thresholds of the UNSD chart for indicators without a numeric target."""

SCORE_BANDS = (2.5, 0.0, -2.5)
"""Open SDG score bands: [2.5, 5] on track, [0, 2.5) moderate, [-2.5, 0) limited, below: worse."""

ACHIEVED_SCORE = 5.0


class Method(StrEnum):
    STATCAN = "statcan"
    UNSD = "unsd"


class Status(StrEnum):
    # Statistics Canada / Open SDG
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    MODERATE = "moderate"
    LIMITED = "limited"
    DETERIORATION = "deterioration"
    # UNSD Progress Chart
    MET_OR_ON_WAY = "met_or_on_way"
    FAIR = "fair_progress"
    STAGNATION = "stagnation_or_regression"
    # both
    INSUFFICIENT_DATA = "insufficient_data"
    NO_DATA = "no_data"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"

    @property
    def factor(self) -> int:
        """+1 when higher is better, -1 when lower is better (Open SDG's ``direction``)."""
        return 1 if self is Direction.INCREASE else -1


class TargetKind(StrEnum):
    LEVEL = "level"
    RELATIVE = "relative"
    PARITY = "parity"
    NONE = "none"


@dataclass(frozen=True)
class TargetSpec:
    """What the plan asks of one indicator series.

    ``value`` means: LEVEL the level itself (65.0); RELATIVE the change as a fraction of the base
    value (+0.25, -0.25); PARITY the parity value (1.0); NONE nothing (None).
    """

    kind: TargetKind
    value: float | None
    year: int
    direction: Direction = Direction.INCREASE
    band: tuple[float, float] | None = None
    baseline_year: int | None = None
    natural_limit: float | None = None

    def __post_init__(self) -> None:
        # accept the plain strings a form or a fixture gives
        object.__setattr__(self, "kind", TargetKind(self.kind))
        object.__setattr__(self, "direction", Direction(self.direction))
        if (self.kind is TargetKind.NONE) != (self.value is None):
            raise ValueError("a target value is required unless the kind is NONE, and only then")
        if self.kind is TargetKind.RELATIVE and float(self.value) < -1:
            raise ValueError("a relative target cannot fall more than 100% below the base")
        if self.kind is TargetKind.PARITY and self.band is not None:
            low, high = self.band
            if not low <= float(self.value) <= high:
                raise ValueError("the parity band must contain the parity value")


@dataclass(frozen=True)
class Assessment:
    """A status and the numbers it was decided on (None where a number cannot be computed)."""

    status: Status
    method: Method
    base_year: int | None
    base_value: float | None
    latest_year: int | None
    latest_value: float | None
    target_value: float | None
    target_year: int
    gap: float | None
    cagr_observed: float | None
    cagr_required: float | None
    ratio: float | None
    share_covered: float | None
    projected_value: float | None
    score: float | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: enums as their values, non-finite floats (overflowed projections) as None."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["status"] = self.status.value
        data["method"] = self.method.value
        return {key: _finite_or_none(value) for key, value in data.items()}


# --- public helpers ---------------------------------------------------------------------------


def growth(v1: float, v0: float, t1: int, t0: int) -> float:
    """Compound annual growth rate from (t0, v0) to (t1, v1): the pace both methods compare.

    Uses the actual year difference, so series with gaps are handled. Raises ValueError where the
    rate is undefined (same year, zero start, values of opposite signs).
    """
    if t1 == t0:
        raise ValueError("growth needs two different years")
    if v0 == 0:
        raise ValueError("growth from zero is undefined; substitute ZERO_SUBSTITUTE first")
    ratio = v1 / v0
    if ratio < 0:
        raise ValueError("growth between values of opposite signs is undefined")
    return ratio ** (1 / (t1 - t0)) - 1


def project(value: float, rate: float, years: int) -> float:
    """Value reached after ``years`` more years at the compound annual ``rate`` (UNSD's v_T)."""
    try:
        return value * (1 + rate) ** years
    except OverflowError:
        return math.copysign(math.inf, value)


def limit_coefficient(base: float, limit: float) -> float:
    """Open SDG's C: shrinks the no-target thresholds as the base nears a natural limit.

    Near 100% of a percentage, a small growth rate is all that is possible, so it counts for more.
    """
    base, limit = abs(base), abs(limit)
    if base >= 2 * limit:  # checked first so that base = limit = 0 gives 1
        return 1.0
    if base <= limit:
        return 1 - (base / limit) ** LIMIT_EXPONENT
    return 1 - ((2 * limit - base) / limit) ** LIMIT_EXPONENT


def statcan_band(value: float, thresholds: tuple[float, float, float]) -> Status:
    """Open SDG status for a progress value against (high, medium, low) thresholds."""
    high, medium, low = thresholds
    if value >= high:
        return Status.ON_TRACK
    if value >= medium:
        return Status.MODERATE
    if value >= low:
        return Status.LIMITED
    return Status.DETERIORATION


def statcan_score(ratio: float) -> float:
    """Open SDG score in [-5, 5] for a ratio R with a numeric target (not achieved)."""
    if ratio >= STATCAN_TARGET_THRESHOLDS[1]:
        return min(7.1429 * ratio - 4.2857, 5.0)
    return max(4.1667 * ratio - 2.5, -5.0)


def statcan_pace_score(rate: float, coefficient: float = 1.0) -> float:
    """Open SDG score in [-5, 5] without a numeric target (sdg-build ``get_score``, method 1).

    ``rate`` is sign * direction * CAGR; the coefficient puts it on the unreduced threshold scale.
    """
    if rate < 0:
        return max(125 * rate - 2.5, -5.0)
    if coefficient == 0:  # base exactly at the limit and not moving away: as good as it gets
        return 5.0
    high, medium, _ = (t * coefficient for t in STATCAN_PACE_THRESHOLDS)
    if rate >= high:
        return min(500 * rate / coefficient - 5, 5.0)
    if rate >= medium:
        return 250 * rate / coefficient - 1.25
    return 500 * rate / coefficient - 2.5


def unsd_band(value: float, thresholds: tuple[float, float]) -> Status:
    """UNSD status for P (or, without a target, a growth rate) against (met, fair) thresholds."""
    met, fair = thresholds
    if value >= met:
        return Status.MET_OR_ON_WAY
    if value >= fair:
        return Status.FAIR
    return Status.STAGNATION


def score_status(score: float) -> Status:
    """Open SDG status for a score in [-5, 5]."""
    on_track, moderate, limited = SCORE_BANDS
    if score >= on_track:
        return Status.ON_TRACK
    if score >= moderate:
        return Status.MODERATE
    if score >= limited:
        return Status.LIMITED
    return Status.DETERIORATION


def combine_scores(scores: list[float], *, all_achieved: bool = False) -> Status:
    """Open SDG status of an indicator with several series: the mean of their scores.

    ACHIEVED only when the caller says every series met its target: a score of 5 alone does not
    prove it (a fast pace scores 5 too). Series without a score are left out by the caller.
    """
    if not scores:
        return Status.NO_DATA
    if any(not -5 <= score <= 5 for score in scores):
        raise ValueError("scores lie in [-5, 5]")
    if all_achieved:
        return Status.ACHIEVED
    return score_status(sum(scores) / len(scores))


# --- assessment -------------------------------------------------------------------------------


def assess(
    series: Series,
    spec: TargetSpec,
    *,
    method: Method = Method.STATCAN,
    plan_start_year: int = 2017,
) -> Assessment:
    """Status of ``series`` (year -> value) against ``spec`` by ``method``, with its numbers.

    Only years from the base year up to the target year count: a target year in the past is
    assessed up to that year, and data before the base year is context, not progress.
    """
    method = Method(method)
    points = _points(series)
    if not points:
        return _blank(spec, method, Status.NO_DATA, "no data")
    start = spec.baseline_year if spec.baseline_year is not None else plan_start_year
    usable = [(year, value) for year, value in points if start <= year <= spec.year]
    if not usable:
        reason = "no data between the base year and the target year"
        return _blank(
            spec, method, Status.INSUFFICIENT_DATA, reason, target_value=_fixed_target(spec)
        )
    (base_year, base), (latest_year, latest) = usable[0], usable[-1]
    if (
        spec.kind is TargetKind.RELATIVE
        and spec.baseline_year is not None
        and base_year != spec.baseline_year
    ):
        # "+25% from 2017" is a level only once 2017 is known: a later base moves the target.
        return _blank(
            spec,
            method,
            Status.INSUFFICIENT_DATA,
            f"relative target is measured from {spec.baseline_year}, which has no value",
            latest_year=latest_year,
            latest_value=latest,
        )
    if spec.kind is TargetKind.RELATIVE and base == 0:
        return _blank(
            spec,
            method,
            Status.INSUFFICIENT_DATA,
            "relative target needs a non-zero base value",
            base_year=base_year,
            base_value=base,
            latest_year=latest_year,
            latest_value=latest,
        )

    target = _resolve_target(spec, base)
    frame = _frame(spec, target, base_year, base, latest_year, latest)
    cagr_observed, cagr_required, projected = _measure(frame)
    reading = _READINGS[method](frame, cagr_observed, cagr_required, projected)
    status, reason, score = reading.status, reading.reason, reading.score
    if _meets_target(spec, target, latest):
        status, reason = _ACHIEVED[method], "latest value meets the target"
        score = ACHIEVED_SCORE if method is Method.STATCAN else None
    elif blocker := _blocker(frame):
        status, reason, score = Status.INSUFFICIENT_DATA, blocker, None

    return Assessment(
        status=status,
        method=method,
        base_year=base_year,
        base_value=base,
        latest_year=latest_year,
        latest_value=latest,
        target_value=target,
        target_year=spec.year,
        gap=None if target is None else target - latest,
        cagr_observed=cagr_observed,
        cagr_required=cagr_required,
        ratio=reading.ratio,
        share_covered=reading.share,
        projected_value=_display_projection(spec, target, latest, projected),
        score=score,
        reason=reason,
    )


@dataclass(frozen=True)
class _Frame:
    """The numbers a method works on: the series itself or, for parity, its distance to parity."""

    base_year: int
    base: float
    latest_year: int
    latest: float
    target_year: int
    target: float | None
    direction: int
    limit: float | None

    @property
    def sign(self) -> int:
        """Open SDG's sign: growth of negative values reads the other way."""
        return -1 if self.base < 0 else 1


@dataclass(frozen=True)
class _Reading:
    status: Status
    reason: str
    ratio: float | None = None
    share: float | None = None
    score: float | None = None


_ACHIEVED = {Method.STATCAN: Status.ACHIEVED, Method.UNSD: Status.MET_OR_ON_WAY}
_MOVED_AWAY = "target equals the base value and the latest value moved away from it"


def _statcan(f: _Frame, cagr_o: float | None, cagr_r: float | None, _: float | None) -> _Reading:
    """Open SDG methodology 2 (numeric target) or 1 (no target, natural-limit coefficient)."""
    if cagr_o is None:
        return _Reading(Status.INSUFFICIENT_DATA, "observed growth not computable")
    if f.target is None:
        rate = f.sign * f.direction * cagr_o
        coefficient = 1.0 if f.limit is None else limit_coefficient(f.base, f.limit)
        high, medium, low = (t * coefficient for t in STATCAN_PACE_THRESHOLDS)
        status = statcan_band(rate, (high, medium, low))
        score = statcan_pace_score(rate, coefficient)
        return _Reading(status, _STATCAN_PACE_REASONS[status], ratio=rate, score=score)
    if cagr_r is None:
        return _Reading(Status.INSUFFICIENT_DATA, "base and target values have opposite signs")
    if cagr_r == 0:
        return _Reading(Status.DETERIORATION, _MOVED_AWAY, score=-5.0)
    ratio = f.sign * f.direction * cagr_o / abs(cagr_r)
    status = statcan_band(ratio, STATCAN_TARGET_THRESHOLDS)
    return _Reading(status, _STATCAN_REASONS[status], ratio=ratio, score=statcan_score(ratio))


def _unsd(f: _Frame, cagr_o: float | None, _: float | None, projected: float | None) -> _Reading:
    """UNSD Progress Chart: share P covered by the projection, or the pace without a target."""
    if cagr_o is None or projected is None:
        return _Reading(Status.INSUFFICIENT_DATA, "observed growth not computable")
    if f.target is None:
        status = unsd_band(f.sign * f.direction * cagr_o, UNSD_PACE_THRESHOLDS)
        return _Reading(status, _UNSD_PACE_REASONS[status])
    if f.target == f.base:
        return _Reading(Status.STAGNATION, _MOVED_AWAY)
    share = (projected - f.base) / (f.target - f.base)
    status = unsd_band(share, UNSD_SHARE_THRESHOLDS)
    return _Reading(status, _UNSD_REASONS[status], share=share)


_READINGS: dict[Method, Callable[..., _Reading]] = {Method.STATCAN: _statcan, Method.UNSD: _unsd}

_STATCAN_REASONS = {
    Status.ON_TRACK: "observed pace at least 95% of the required pace",
    Status.MODERATE: "observed pace 60% to 95% of the required pace",
    Status.LIMITED: "observed pace below 60% of the required pace",
    Status.DETERIORATION: "moving away from the target",
}
_STATCAN_PACE_REASONS = {
    Status.ON_TRACK: "no numeric target; growth at or above the substantial threshold",
    Status.MODERATE: "no numeric target; growth between the moderate and substantial thresholds",
    Status.LIMITED: "no numeric target; growth below the moderate threshold",
    Status.DETERIORATION: "no numeric target; moving in the wrong direction",
}
_UNSD_REASONS = {
    Status.MET_OR_ON_WAY: "projection covers at least 95% of the way to the target",
    Status.FAIR: "projection covers 10% to 95% of the way to the target",
    Status.STAGNATION: "projection covers less than 10% of the way to the target",
}
_UNSD_PACE_REASONS = {
    Status.MET_OR_ON_WAY: "no numeric target; growth of 2% a year or more in the desired direction",
    Status.FAIR: "no numeric target; growth of 0.5% to 2% a year in the desired direction",
    Status.STAGNATION: "no numeric target; growth below 0.5% a year in the desired direction",
}


_NUMBERS = tuple(
    f.name
    for f in fields(Assessment)
    if f.name not in ("status", "method", "target_year", "reason")
)


def _blank(
    spec: TargetSpec, method: Method, status: Status, reason: str, **known: Any
) -> Assessment:
    """An assessment that stops early: only the numbers already known are filled."""
    numbers = dict.fromkeys(_NUMBERS) | known
    return Assessment(status=status, method=method, target_year=spec.year, reason=reason, **numbers)


def _points(series: Series) -> list[tuple[int, float]]:
    """Sorted (year, value) pairs as floats; missing values (None, NaN) are left out."""
    items = series.items() if isinstance(series, Mapping) else series
    values: dict[int, float] = {}
    for year, value in items:
        if value is None:
            continue
        number = float(value)
        if math.isnan(number):
            continue
        if math.isinf(number):
            raise ValueError(f"value for {year} is infinite")
        if int(year) in values:
            raise ValueError(f"two values for {year}")
        values[int(year)] = number
    return sorted(values.items())


def _fixed_target(spec: TargetSpec) -> float | None:
    """The target level where it does not depend on the base value."""
    if spec.kind in (TargetKind.LEVEL, TargetKind.PARITY):
        return float(spec.value)
    return None


def _resolve_target(spec: TargetSpec, base: float) -> float | None:
    """Target as a level: a relative change applies to the base value (+25% of 10 is 12.5)."""
    if spec.kind is TargetKind.RELATIVE:
        return base * (1 + float(spec.value))
    return _fixed_target(spec)


def _band(spec: TargetSpec, parity: float) -> tuple[float, float]:
    """Parity band; without one, only exact parity counts."""
    return spec.band if spec.band is not None else (parity, parity)


def _meets_target(spec: TargetSpec, target: float | None, latest: float) -> bool:
    if target is None:
        return False
    if spec.kind is TargetKind.PARITY:
        low, high = _band(spec, target)
        return low <= latest <= high
    return latest >= target if spec.direction is Direction.INCREASE else latest <= target


def _frame(
    spec: TargetSpec,
    target: float | None,
    base_year: int,
    base: float,
    latest_year: int,
    latest: float,
) -> _Frame:
    """Parity becomes a decreasing distance to parity, aiming at the band's half-width."""
    if spec.kind is TargetKind.PARITY:
        low, high = _band(spec, target)
        return _Frame(
            base_year,
            abs(base - target),
            latest_year,
            abs(latest - target),
            spec.year,
            (high - low) / 2,
            Direction.DECREASE.factor,
            None,
        )
    return _Frame(
        base_year,
        base,
        latest_year,
        latest,
        spec.year,
        target,
        spec.direction.factor,
        None if spec.natural_limit is None else float(spec.natural_limit),
    )


def _nonzero(value: float) -> float:
    return ZERO_SUBSTITUTE if value == 0 else value


def _safe_growth(v1: float, v0: float, t1: int, t0: int) -> float | None:
    try:
        return growth(v1, v0, t1, t0)
    except ValueError:
        return None


def _measure(f: _Frame) -> tuple[float | None, float | None, float | None]:
    """Observed CAGR, required CAGR and the latest value projected to the target year."""
    base = _nonzero(f.base)
    cagr_o = _safe_growth(f.latest, base, f.latest_year, f.base_year)
    cagr_r = None
    if f.target is not None:
        cagr_r = _safe_growth(_nonzero(f.target), base, f.target_year, f.base_year)
    projected = None if cagr_o is None else project(f.latest, cagr_o, f.target_year - f.latest_year)
    return cagr_o, cagr_r, projected


def _blocker(f: _Frame) -> str | None:
    """Why the series cannot be assessed at all, if it cannot (checked after 'achieved')."""
    if f.latest_year == f.base_year:
        return "only one year of data from the base year"
    base = _nonzero(f.base)
    if (base > 0 and f.latest < 0) or (base < 0 and f.latest > 0):
        return "base and latest values have opposite signs"
    return None


def _display_projection(
    spec: TargetSpec, target: float | None, latest: float, projected: float | None
) -> float | None:
    """Projection on the indicator's own scale (a parity distance goes back beside parity)."""
    if projected is None or spec.kind is not TargetKind.PARITY:
        return projected
    return target + math.copysign(projected, latest - target)


def _finite_or_none(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --- the verdict on a closed target -----------------------------------------------------------


class Verdict(StrEnum):
    """What a target came to once its year has passed (docs/progress-method.md, "The verdict")."""

    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    NO_TARGET_YEAR_FIGURE = "no_target_year_figure"
    NO_BASE_FIGURE = "no_base_figure"
    NO_NUMERIC_TARGET = "no_numeric_target"
    NO_DATA = "no_data"
    OPEN = "open"  # the target year has not passed: the pace status is the status


MEASURED = (Verdict.ACHIEVED, Verdict.NOT_ACHIEVED)
"""Verdicts that compare a figure with the target; the others say why none could be compared."""


@dataclass(frozen=True)
class Judgement:
    """A verdict and the numbers it rests on (None where a number does not apply).

    ``year``/``value``: the figure the verdict rests on (achieved: the latest figure up to the
    target year that meets it; not achieved: the target year's; otherwise the latest figure up to
    the target year). ``shortfall``: how far that figure falls short of the target, in the
    indicator's unit and in the desired direction (0 or less: met). ``share_of_way``: the share of
    the way from the base value to the target it covers. ``later_*``: figures after the target
    year, for a target not achieved by then: the first that meets it, else the latest.
    ``projected_value``: the pace method's projection to the target year, where the series stops
    before it (a projection, not a figure). ``pace_status``/``pace_year``: the pace method's
    status on the figures up to ``pace_year``, kept as history.
    """

    verdict: Verdict
    target_year: int
    target_value: float | None
    target_band_low: float | None
    target_band_high: float | None
    year: int | None
    value: float | None
    base_year: int | None
    base_value: float | None
    shortfall: float | None
    share_of_way: float | None
    later_year: int | None
    later_value: float | None
    reached_later: bool | None
    projected_value: float | None
    pace_status: Status
    pace_year: int | None
    reason: str

    @property
    def closed(self) -> bool:
        return self.verdict is not Verdict.OPEN

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: enums as their values, non-finite floats as None."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["verdict"] = self.verdict.value
        data["pace_status"] = self.pace_status.value
        return {key: _finite_or_none(value) for key, value in data.items()}


def is_closed(target_year: int, as_of_year: int | None = None) -> bool:
    """A target is closed once its year is over: its year is before the current one."""
    return target_year < (date.today().year if as_of_year is None else as_of_year)


def judge(
    series: Series,
    spec: TargetSpec,
    *,
    as_of_year: int | None = None,
    method: Method = Method.STATCAN,
    plan_start_year: int = 2017,
    by_target_year: bool = True,
    pace: Assessment | None = None,
) -> Judgement:
    """The verdict on ``series`` against ``spec`` as of ``as_of_year`` (default: this year).

    ``by_target_year``: the plan says "by 2023", so a figure of any year from the base year up to
    the target year that meets the target achieves it; False: only the target year's figure
    counts. ``pace``: the ``assess`` of the same series, if the caller has it already.
    """
    if pace is None:
        pace = assess(series, spec, method=method, plan_start_year=plan_start_year)
    points = _points(series)
    start = spec.baseline_year if spec.baseline_year is not None else plan_start_year
    window = [(year, value) for year, value in points if start <= year <= spec.year]
    until = [(year, value) for year, value in points if year <= spec.year]
    after = [(year, value) for year, value in points if year > spec.year]
    shown = window[-1] if window else (until[-1] if until else (None, None))
    base = window[0] if window else (None, None)
    band = _band(spec, float(spec.value)) if spec.kind is TargetKind.PARITY else (None, None)
    known = {
        "target_year": spec.year,
        "target_value": _fixed_target(spec),
        "target_band_low": band[0],
        "target_band_high": band[1],
        "year": shown[0],
        "value": shown[1],
        "base_year": base[0],
        "base_value": base[1],
        "pace_status": pace.status,
        "pace_year": pace.latest_year,
    }

    def verdict(kind: Verdict, reason: str, **numbers: Any) -> Judgement:
        values = dict.fromkeys(_JUDGEMENT_NUMBERS) | known | numbers
        return Judgement(verdict=kind, reason=reason, **values)

    if not is_closed(spec.year, as_of_year):
        return verdict(Verdict.OPEN, "the target year has not passed: the pace status applies")
    if not points:
        return verdict(Verdict.NO_DATA, "no data")
    if spec.kind is TargetKind.NONE:
        return verdict(Verdict.NO_NUMERIC_TARGET, "the plan sets no numeric target")
    if spec.kind is TargetKind.RELATIVE:
        if not window or (spec.baseline_year is not None and base[0] != spec.baseline_year):
            year = spec.baseline_year if spec.baseline_year is not None else start
            reason = f"the target is a change from {year}, which has no figure"
            return verdict(Verdict.NO_BASE_FIGURE, reason, base_year=year, base_value=None)
        if base[1] == 0:
            return verdict(Verdict.NO_BASE_FIGURE, "a relative target needs a non-zero base value")
    target = _resolve_target(spec, base[1]) if window else _fixed_target(spec)
    known["target_value"] = target

    def measured(year: int, value: float) -> dict[str, Any]:
        return {
            "year": year,
            "value": value,
            "shortfall": _shortfall(spec, target, value),
            "share_of_way": _share_of_way(spec, target, base, year, value),
        }

    meeting = [(y, v) for y, v in window if _meets_target(spec, target, v)]
    if not by_target_year:
        meeting = [(y, v) for y, v in meeting if y == spec.year]
    if meeting:
        year, value = meeting[-1]
        return verdict(
            Verdict.ACHIEVED, f"the {year} figure meets the target", **measured(year, value)
        )
    later = _later(spec, target, after)
    if window and window[-1][0] == spec.year:
        year, value = window[-1]
        reason = f"the {year} figure falls short of the target"
        return verdict(Verdict.NOT_ACHIEVED, reason, **measured(year, value), **later)
    numbers = measured(*shown) if shown[0] is not None else {}
    if pace.projected_value is not None and (pace.latest_year or spec.year) < spec.year:
        numbers["projected_value"] = pace.projected_value
    reason = f"no figure for {spec.year}" + (f"; the latest is for {shown[0]}" if shown[0] else "")
    return verdict(Verdict.NO_TARGET_YEAR_FIGURE, reason, **numbers, **later)


_JUDGEMENT_NUMBERS = tuple(f.name for f in fields(Judgement) if f.name not in ("verdict", "reason"))


def _shortfall(spec: TargetSpec, target: float, value: float) -> float:
    """How far ``value`` falls short of the target in the desired direction (0 or less: met)."""
    if spec.kind is TargetKind.PARITY:
        low, high = _band(spec, target)
        return round(max(low - value, value - high, 0.0), 10)
    return round((target - value) * spec.direction.factor, 10)


def _share_of_way(
    spec: TargetSpec, target: float, base: tuple, year: int, value: float
) -> float | None:
    """Share of the way from the base value to the target that ``value`` covers (parity: of the
    way from the base's distance to parity to the band's half-width)."""
    base_year, base_value = base
    if base_year is None or base_year >= year:
        return None
    if spec.kind is TargetKind.PARITY:
        low, high = _band(spec, target)
        start, now, goal = abs(base_value - target), abs(value - target), (high - low) / 2
    else:
        start, now, goal = base_value, value, target
    if goal == start:
        return None
    return round((now - start) / (goal - start), 10)


def _later(spec: TargetSpec, target: float, after: list[tuple[int, float]]) -> dict[str, Any]:
    """After the target year: the first figure that meets the target, else the latest."""
    if not after:
        return {}
    met = [(year, value) for year, value in after if _meets_target(spec, target, value)]
    year, value = met[0] if met else after[-1]
    return {"later_year": year, "later_value": value, "reached_later": bool(met)}
