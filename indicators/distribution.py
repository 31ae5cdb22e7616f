"""How the Member States stand against a target of the plan, each judged on its own figures.

The plan's targets are global ("70% of individuals use the Internet by 2023"); applied to each
country's series of the indicator's country_series, the same rules (indicators.progress.judge,
with the indicator's TargetSpec from indicators.status) tell which countries reached the
target's level by the target year and which did not.
"""

from dataclasses import dataclass, field

from . import progress
from .models import Geography, Indicator, Statistic
from .statistics import choose
from .status import plan_base_year, target_spec


@dataclass
class CountryVerdict:
    geography: Geography
    judgement: progress.Judgement


@dataclass
class Distribution:
    """Every Member State's verdict on one target, sorted into reached, not reached and the rest
    (no figure up to the target year, target year not passed, …), each in name order."""

    indicator: Indicator
    spec: progress.TargetSpec
    reached: list[CountryVerdict] = field(default_factory=list)
    not_reached: list[CountryVerdict] = field(default_factory=list)
    unjudged: list[CountryVerdict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.reached) + len(self.not_reached) + len(self.unjudged)


def country_distribution(indicator: Indicator, plan, *, as_of_year: int | None = None):
    """The Member States' verdicts on `indicator`'s target, from their figures of its
    country_series (totals, one per year as statistics.choose picks them); None when the
    indicator has no country series. Two queries."""
    if indicator.country_series_id is None:
        return None
    states = list(Geography.objects.member_states())
    statistics = choose(
        Statistic.objects.filter(release__series_id=indicator.country_series_id)
        .totals()
        .filter(geography__kind=Geography.Kind.COUNTRY, geography__is_member_state=True)
        .select_related("release")
        .order_by("geography_id", "year")
    )
    values: dict[int, dict[int, float]] = {}
    for statistic in statistics:
        values.setdefault(statistic.geography_id, {})[statistic.year] = statistic.value
    spec = target_spec(indicator)
    result = Distribution(indicator, spec)
    for state in sorted(states, key=lambda geography: geography.name.casefold()):
        judgement = progress.judge(
            values.get(state.pk, {}),
            spec,
            as_of_year=as_of_year,
            method=plan.progress_method,
            plan_start_year=plan_base_year(plan),
        )
        verdict = CountryVerdict(state, judgement)
        if judgement.verdict is progress.Verdict.ACHIEVED:
            result.reached.append(verdict)
        elif judgement.verdict is progress.Verdict.NOT_ACHIEVED:
            result.not_reached.append(verdict)
        else:
            result.unjudged.append(verdict)
    return result
