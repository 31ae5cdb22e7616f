"""What each public page shows: its data, read in a constant number of queries.

Each `<page>_context()` returns the template context of one page. Status and numbers come from
indicators.status (plan_progress, indicator_series); words, colours and formats from
indicators.presentation; chart specs from indicators.charts. Nothing here decides a status.

Plan text is read from model instances (modeltranslation gives the visitor's language, else
English, else Chinese); `fallback_note` says where a page falls back to another language.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.db.models import Count, F, Max, Min, Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from frameworks.i18n import first_text
from frameworks.models import (
    DataSource,
    Enabler,
    FrameworkLevel,
    Goal,
    Objective,
    ObjectiveGoalLink,
    Outcome,
    Output,
    SdgContribution,
    SdgIndicator,
    SdgTarget,
    StrategicPlan,
    Target,
    Value,
    WsisContribution,
)
from indicators.models import Geography, Indicator, Observation
from indicators.progress import Status, TargetKind, Verdict, project
from indicators.status import (
    TargetProgress,
    indicator_series,
    no_indicator_judgement,
    plan_base_year,
    plan_closed,
    plan_progress,
    status_counts,
    verdict_counts,
)
from indicators.validation import FIELDS as IMPORT_FIELDS
from risks.models import Mitigation, Risk, RiskAssessment
from risks.models import severity as risk_severity

from . import charts
from .presentation import (
    VERDICT_LOOKS,
    VERDICT_ORDER,
    assessment_facts,
    format_value,
    pace_history,
    status_look,
    status_sentence,
    statuses_for,
    verdict_facts,
    verdict_line,
    verdict_look,
    verdict_sentence,
)

# Verdicts beside which the pace status still means something (a pace towards a number)
PACED = (Verdict.ACHIEVED, Verdict.NOT_ACHIEVED, Verdict.NO_TARGET_YEAR_FIGURE)

# The overview's headline figures: Internet use, household access, affordability (the plan's
# first targets; a later plan without them simply shows fewer headlines).
HEADLINE_TARGETS = ("1.2", "1.1", "1.3")

DOWNLOAD_FIELDS = IMPORT_FIELDS
"""The staff's download is the import format itself, so that a corrected file loads again."""


# --- plans and languages ----------------------------------------------------------------------


def visible_plan(request, code: str) -> StrategicPlan:
    """The plan with this code; a draft only for users with a role (404 for everybody else)."""
    plan = StrategicPlan.objects.visible_to(request.user).filter(code=code).first()
    if plan is None:
        raise Http404(_("No published plan has the code %(code)s.") % {"code": code})
    return plan


def localized(obj, field: str) -> tuple[str, str]:
    """(text, language it is in): the visitor's language, else the first fallback that has it."""
    text, language = first_text(obj, field)
    return text, language or translation.get_language()


def fallback_note(items) -> dict | None:
    """Which languages the plan text of a page falls back to, if any.

    items: (instance, field names) pairs for the text the page shows. A fallback is a localized
    field that is empty in the active language (modeltranslation then shows another one).
    """
    active = translation.get_language()
    used = []
    for obj, fields in items:
        for name in fields:
            if not getattr(obj, build_localized_fieldname(name, active), None):
                text, language = localized(obj, name)
                if text and language != active and language not in used:
                    used.append(language)
    if not used:
        return None
    return {
        "language": get_language_info(active)["name_translated"],
        "fallbacks": [get_language_info(code)["name_translated"] for code in used],
        "codes": used,
    }


def separators() -> str:
    """Plotly's number separators (decimal, thousands) in the active language's format."""
    return get_format("DECIMAL_SEPARATOR") + get_format("THOUSAND_SEPARATOR")


# --- charts -----------------------------------------------------------------------------------


@dataclass
class Chart:
    """A figure with what it needs besides the picture: a caption, a summary in words and the
    same numbers as a table."""

    id: str
    title: str
    figure: dict
    summary: str
    table_headers: list = field(default_factory=list)
    table_rows: list = field(default_factory=list)  # first cell of each row is its header
    small: bool = False

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"


def _slug(code: str) -> str:
    return code.replace(".", "-")


def _point(year, value) -> dict | None:
    if year is None or value is None:
        return None
    return {"year": year, "value": float(value)}


def sparkline_chart(
    chart_id: str, title: str, *, points, unit: str, status: str, target=None, colour=None
) -> Chart:
    years = [point.year for point in points]
    values = [float(point.value) for point in points]
    figure = charts.build_sparkline_figure(
        {
            "unit": unit,
            "status": status,
            "colour": colour,
            "separators": separators(),
            "name": title,
            "years": years,
            "values": values,
            "target": target,
        }
    )
    first, last = points[0], points[-1]
    summary = _("%(title)s: %(first)s in %(first_year)s, %(last)s in %(last_year)s.") % {
        "title": title,
        "first": format_value(first.value, unit),
        "first_year": first.year,
        "last": format_value(last.value, unit),
        "last_year": last.year,
    }
    rows = [[str(point.year), format_value(point.value, unit)] for point in points]
    return Chart(chart_id, title, figure, summary, [_("Year"), _("Value")], rows, small=True)


def bullet_chart(chart_id: str, title: str, row, unit: str, colour=None) -> Chart | None:
    a = row.assessment
    latest = _point(a.latest_year, a.latest_value)
    target = _point(a.target_year, a.target_value)
    if latest is None or target is None:
        return None
    figure = charts.build_bullet_figure(
        {
            "unit": unit,
            "status": row.status,
            "colour": colour,
            "separators": separators(),
            "latest": latest,
            "target": target,
            "baseline": _point(a.base_year, a.base_value),
        }
    )
    summary = _("Latest %(latest)s (%(latest_year)s) against a target of %(target)s by %(year)s.")
    summary %= {
        "latest": format_value(a.latest_value, unit),
        "latest_year": a.latest_year,
        "target": format_value(a.target_value, unit),
        "year": a.target_year,
    }
    rows = [
        [_("Latest (%(year)s)") % {"year": a.latest_year}, format_value(a.latest_value, unit)],
        [_("Target for %(year)s") % {"year": a.target_year}, format_value(a.target_value, unit)],
    ]
    if a.base_value is not None:
        rows.append(
            [_("Baseline (%(year)s)") % {"year": a.base_year}, format_value(a.base_value, unit)]
        )
    return Chart(chart_id, title, figure, summary, [_("Measure"), _("Value")], rows, small=True)


# --- overview ---------------------------------------------------------------------------------


def overview_context(plan: StrategicPlan) -> dict:
    """Vision, mission, the goals' targets counted by verdict once the plan is over (by pace
    status while it runs), the headline figures (5 queries)."""
    progress = plan_progress(plan)
    goals = list(Goal.objects.filter(plan=plan))
    closed = plan_closed(plan)
    # once the plan is over, each target's verdict; while it runs, its pace status
    if closed:
        keys, look_of, count = VERDICT_ORDER, verdict_look, verdict_counts
    else:
        keys, look_of, count = statuses_for(plan.progress_method), status_look, status_counts
    by_goal = defaultdict(list)
    for row in progress:
        by_goal[row.target.goal_id].append(row)
    goal_rows = []
    for goal in goals:
        rows = by_goal.get(goal.pk, [])
        counts = count(rows)
        goal_rows.append(
            {
                "goal": goal,
                "counts": counts,
                "total": len(rows),
                "badges": [(look_of(key), counts[key]) for key in keys if counts.get(key)],
            }
        )
    totals = count(progress)

    chart_data = {
        "separators": separators(),
        "goals": [
            {"label": f"{row['goal'].number}. {row['goal'].short_name}", "counts": row["counts"]}
            for row in goal_rows
        ],
    }
    if closed:
        figure = charts.build_verdict_counts_figure({**chart_data, "verdicts": keys})
        summary = verdict_line(totals, len(progress), plan.period_end)
        title = _("Targets by verdict, per goal")
    else:
        figure = charts.build_status_counts_figure({**chart_data, "statuses": keys})
        parts = [f"{look_of(key).label}: {totals[key]}" for key in keys if totals.get(key)]
        summary = _("Of the plan's %(total)s targets: %(parts)s.") % {
            "total": len(progress),
            "parts": "; ".join(parts),
        }
        title = _("Targets by status, per goal")
    table_rows = [
        [f"{row['goal'].number}. {row['goal'].short_name}"]
        + [str(row["counts"].get(key, 0)) for key in keys]
        + [str(row["total"])]
        for row in goal_rows
    ]
    table_rows.append(
        [_("All goals")] + [str(totals.get(key, 0)) for key in keys] + [str(len(progress))]
    )
    status_chart = Chart(
        "chart-status",
        title,
        figure,
        summary,
        [_("Goal")] + [str(look_of(key).label) for key in keys] + [_("Total")],
        table_rows,
    )

    by_code = {row.target.code: row for row in progress}
    headlines = []
    for code in HEADLINE_TARGETS:
        row = by_code.get(code)
        if row is None or row.series is None or not row.series.points:
            continue
        indicator = row.indicator
        unit = indicator.unit
        latest = row.series.points[-1]
        if closed and row.verdict_point is not None:
            latest = row.verdict_point  # the figure the verdict rests on, not a later one
        look = verdict_look(row.verdict) if closed else status_look(row.status)
        headlines.append(
            {
                "row": row,
                "look": look,
                "closed": closed,
                "indicator": indicator,
                "geography": indicator.headline_geography,
                "latest": format_value(latest.value, unit),
                "latest_year": latest.year,
                "target": format_value(row.assessment.target_value, unit),
                "pace_history": pace_history(row.judgement) if closed else "",
                "chart": sparkline_chart(
                    f"chart-headline-{_slug(code)}",
                    f"{indicator.name} ({indicator.headline_geography.name})",
                    points=row.series.points,
                    unit=unit,
                    status=row.status,
                    target=_point(row.assessment.target_year, row.assessment.target_value),
                    colour=look.colour,
                ),
            }
        )
    return {
        "plan": plan,
        "section": "overview",
        "closed": closed,
        "goal_rows": goal_rows,
        "status_totals": [(look_of(key), totals.get(key, 0)) for key in keys],
        "verdict_line": summary if closed else "",
        "target_count": len(progress),
        "status_chart": status_chart,
        "headlines": headlines,
        "charts": [status_chart] + [headline["chart"] for headline in headlines],
        "fallback": fallback_note(
            [(plan, ("title", "vision", "mission"))]
            + [(goal, ("short_name", "name")) for goal in goals]
            + [(h["indicator"], ("name",)) for h in headlines]
        ),
    }


# --- goal -------------------------------------------------------------------------------------


def sdg_targets_by_goal(plan: StrategicPlan) -> dict[int, list[SdgTarget]]:
    """Each goal's SDG targets in the SDGs' order, each with its `sdg` (and the SDG's `label`)
    and `indicator_list` (2 queries). The plan's 213 links share 84 SDG targets of 17 SDGs:
    one instance of each is kept, and each label is translated once."""
    links = (
        SdgTarget.objects.filter(goals__plan=plan)
        .annotate(goal_pk=F("goals"))
        .select_related("sdg")
        .order_by("order")
    )
    targets, sdgs, by_goal = {}, {}, defaultdict(list)
    for link in links:
        target = targets.setdefault(link.pk, link)
        if target is link:
            target.sdg = sdgs.setdefault(target.sdg_id, target.sdg)
        by_goal[link.goal_pk].append(target)
    for sdg in sdgs.values():
        sdg.label = _("SDG %(number)s") % {"number": sdg.number}
    prefetch_related_objects(
        list(targets.values()),
        Prefetch("indicators", SdgIndicator.objects.order_by("code"), to_attr="indicator_list"),
    )
    return by_goal


def point_citation(point) -> str:
    """The citation of a series' figure (status.Point), '' for none."""
    return citation(point.publisher, point.publication, point.edition) if point else ""


def badge_look(judgement, assessment):
    """What a target's badge shows: its verdict once closed, else its pace status."""
    if judgement is not None and judgement.closed:
        return verdict_look(judgement.verdict)
    return status_look(assessment.status)


def target_card(row) -> dict:
    """One target as the goal page lists it: its verdict once closed (with the pace status as
    history) or its pace status, latest against target, two small charts."""
    indicator = row.indicator
    look = badge_look(row.judgement, row.assessment)
    card = {
        "target": row.target,
        "indicator": indicator,
        "status": row.status,
        "verdict": row.verdict,
        "look": look,
        "pace_history": pace_history(row.judgement),
        "bullet": None,
        "sparkline": None,
    }
    if indicator is None:
        return card
    unit = indicator.unit
    a = row.assessment
    geography = indicator.headline_geography.name
    card.update(
        geography=geography,
        latest=format_value(a.latest_value, unit),
        latest_year=a.latest_year,
        target_value=format_value(a.target_value, unit),
        target_year=a.target_year,
        sentence=verdict_sentence(
            row.judgement,
            unit=unit,
            geography=geography,
            cited=point_citation(row.verdict_point),
            pace=a,
        ),
    )
    slug = _slug(row.target.code)
    card["bullet"] = bullet_chart(
        f"chart-bullet-{slug}",
        _("Target %(code)s: latest value against the target") % {"code": row.target.code},
        row,
        unit,
        colour=look.colour,
    )
    if row.series is not None and len(row.series.points) > 1:
        card["sparkline"] = sparkline_chart(
            f"chart-trend-{slug}",
            _("Target %(code)s: trend") % {"code": row.target.code},
            points=row.series.points,
            unit=unit,
            status=row.status,
            target=_point(a.target_year, a.target_value),
            colour=look.colour,
        )
    return card


def goal_context(plan: StrategicPlan, number: int) -> dict:
    """A goal, its targets with their status and small charts, its SDG targets (7 queries)."""
    goal = get_object_or_404(Goal, plan=plan, number=number)
    goal.sdg_target_list = sdg_targets_by_goal(plan).get(goal.pk, [])
    goals = list(Goal.objects.filter(plan=plan).only("id", "number", "plan_id"))
    cards = [target_card(row) for row in plan_progress(plan) if row.target.goal_id == goal.pk]
    position = [g.number for g in goals].index(goal.number)
    custodian = set(plan.custodian_indicators.values_list("code", flat=True))
    sdg_groups = [
        (sdg, list(targets))
        for sdg, targets in groupby(goal.sdg_target_list, key=lambda target: target.sdg)
    ]
    charts_on_page = [card[key] for card in cards for key in ("bullet", "sparkline") if card[key]]
    return {
        "plan": plan,
        "section": "overview",
        "subpage": True,
        "goal": goal,
        "cards": cards,
        "previous_goal": goals[position - 1] if position > 0 else None,
        "next_goal": goals[position + 1] if position + 1 < len(goals) else None,
        "sdg_groups": sdg_groups,
        "custodian": custodian,
        "charts": charts_on_page,
        "fallback": fallback_note(
            [(goal, ("short_name", "name", "description", "note"))]
            + [(card["target"], ("text",)) for card in cards]
            + [(card["indicator"], ("name",)) for card in cards if card["indicator"]]
        ),
    }


# --- target -----------------------------------------------------------------------------------


def trajectory(assessment, kind: str) -> list[dict]:
    """The path the status method projects: the latest value carried to the target year at the
    observed growth rate (progress.project), one point a year."""
    a = assessment
    if (
        a.projected_value is None
        or a.cagr_observed is None
        or a.latest_year is None
        or a.latest_year >= a.target_year
    ):
        return []
    if kind == TargetKind.PARITY:
        # the method projects the distance to parity; only its end is on the indicator's scale
        return [
            {"year": a.latest_year, "value": a.latest_value},
            {"year": a.target_year, "value": a.projected_value},
        ]
    return [
        {"year": year, "value": project(a.latest_value, a.cagr_observed, year - a.latest_year)}
        for year in range(a.latest_year, a.target_year + 1)
    ]


def citation(publisher: str, publication: str, edition: str) -> str:
    """The citation ("ITU, Facts and Figures 2024"): the publisher and the publication, as
    published, and the edition where the publication's name does not already say it; the
    punctuation around them is the language's."""
    if edition and edition not in publication:
        if publisher:
            return _("%(publisher)s, %(publication)s, %(edition)s") % {
                "publisher": publisher,
                "publication": publication,
                "edition": edition,
            }
        return _("%(publication)s, %(edition)s") % {"publication": publication, "edition": edition}
    if publisher:
        return _("%(publisher)s, %(publication)s") % {
            "publisher": publisher,
            "publication": publication,
        }
    return publication


def _point_row(geography_name: str, point, unit: str) -> dict:
    """A figure's row: its citation (linked to the publisher's page when that is where it was
    read), and its provenance (how the value was obtained) apart, with the report that carries
    it where only a report does."""
    return {
        "geography": geography_name,
        "year": point.year,
        "value": format_value(point.value, unit),
        "edition": point.edition,
        "citation": citation(point.publisher, point.publication, point.edition),
        "citation_url": "" if point.reported_in else point.source_url,
        "source": point.source,
        "source_url": point.source_url,
        "reported_in": point.reported_in,
        "note": point.note,
    }


def indicator_section(
    indicator: Indicator, observations, geographies, plan, *, as_of_year: int | None = None
) -> dict:
    """One indicator of a target: every geography's series, the headline one assessed, the main
    chart and the data tables (chosen figures, and other editions as history). `as_of_year`:
    the year a target counts as closed in (default this year; a report for an earlier year
    gives its own)."""
    unit = indicator.unit
    chosen = indicator_series(indicator, observations, plan, geographies, as_of_year=as_of_year)
    series_list, headline, assessment = chosen.series, chosen.headline, chosen.assessment
    headline_name = indicator.headline_geography.name
    main = indicator.is_main
    section = {
        "indicator": indicator,
        "unit_label": indicator.get_unit_display(),
        "headline": headline,
        "series": series_list,
        "chart": None,
        "rows": [
            _point_row(geographies[s.geography_id].name, point, unit)
            for s in series_list
            for point in s.points
        ],
        "history": [
            _point_row(geographies[s.geography_id].name, point, unit)
            for s in series_list
            for point in s.superseded
        ],
    }
    if main:
        judgement = chosen.judgement
        cited = point_citation(chosen.verdict_point)
        section.update(
            assessment=assessment,
            judgement=judgement,
            closed=judgement.closed,
            look=badge_look(judgement, assessment),
            pace_look=status_look(assessment.status),
            # a closed target's pace words, where they describe a pace towards a number
            pace_shown=not judgement.closed or judgement.verdict in PACED,
            pace_history=pace_history(judgement),
            sentence=verdict_sentence(
                judgement, unit=unit, geography=headline_name, cited=cited, pace=assessment
            ),
            verdict_facts=verdict_facts(judgement, unit=unit, cited=cited),
            pace_sentence=status_sentence(assessment, unit=unit, geography=headline_name),
            facts=assessment_facts(assessment, unit=unit),
        )
    if not series_list:
        return section
    path = trajectory(assessment, indicator.target_kind) if main else []
    baseline = _point(assessment.base_year, assessment.base_value) if main else None
    target = _point(assessment.target_year, assessment.target_value) if main else None
    figure = charts.build_target_figure(
        {
            "unit": unit,
            "status": assessment.status if main else None,
            "colour": section["look"].colour if main else None,
            "separators": separators(),
            "series": [
                {
                    "geography": geographies[s.geography_id].code,
                    "name": geographies[s.geography_id].name,
                    "years": [point.year for point in s.points],
                    "values": [float(point.value) for point in s.points],
                    "headline": s is headline,
                }
                for s in series_list
            ],
            "baseline": baseline,
            "target": target,
            "trajectory": [{"year": p["year"], "value": float(p["value"])} for p in path],
        }
    )
    names = ", ".join(geographies[s.geography_id].name for s in series_list)
    years = [point.year for s in series_list for point in s.points]
    summary = _("Figures for %(names)s, %(first)s to %(last)s.") % {
        "names": names,
        "first": min(years),
        "last": max(years),
    }
    if main:
        summary = f"{section['sentence']} {summary}"
        if target:
            summary += " " + _("The dashed line is the target of %(target)s for %(year)s.") % {
                "target": format_value(target["value"], unit),
                "year": target["year"],
            }
        if path:
            summary += " " + _("The dotted line projects the recent pace to %(year)s.") % {
                "year": path[-1]["year"]
            }
    table_years = sorted(set(years))
    by_geography = {
        s.geography_id: {point.year: format_value(point.value, unit) for point in s.points}
        for s in series_list
    }
    table_rows = [
        [geographies[s.geography_id].name]
        + [by_geography[s.geography_id].get(year, "") for year in table_years]
        for s in series_list
    ]
    section["chart"] = Chart(
        f"chart-{_slug(indicator.code)}",
        f"{indicator.name} ({indicator.get_unit_display()})",
        figure,
        summary,
        [_("Geography")] + [str(year) for year in table_years],
        table_rows,
    )
    return section


def edition_rows(observations) -> list[dict]:
    """The editions that figures are cited from, oldest first: one row per edition (publisher,
    publication, edition), with every way its figures were obtained (provenance) beside it, the
    years and the number of figures (a target's or an indicator's page; no query)."""
    sources = {}
    for obs in observations:
        key = (obs.publisher, obs.publication, obs.edition)
        entry = sources.setdefault(
            key,
            {
                "citation": citation(*key),
                "edition": obs.edition,
                "url": "",
                "provenance": {},
                "years": set(),
                "count": 0,
            },
        )
        if not obs.reported_in and obs.source_url and not entry["url"]:
            entry["url"] = obs.source_url
        entry["provenance"].setdefault(
            (obs.source, obs.source_url, obs.reported_in),
            {"source": obs.source, "url": obs.source_url, "reported_in": obs.reported_in},
        )
        entry["years"].add(obs.year)
        entry["count"] += 1
    editions = sorted(sources.values(), key=lambda e: (min(e["years"]), e["edition"]))
    for entry in editions:
        entry["years"] = sorted(entry["years"])
        entry["provenance"] = list(entry["provenance"].values())
    return editions


def target_context(plan: StrategicPlan, code: str) -> dict:
    """A target: its indicators' series, charts, status in words, tables and sources
    (5 queries)."""
    target = get_object_or_404(
        Target.objects.select_related("goal").prefetch_related("data_sources"),
        plan=plan,
        code=code,
    )
    indicators = list(
        Indicator.objects.filter(target=target).select_related("headline_geography", "data_source")
    )
    observations = list(
        Observation.objects.approved()
        .filter(indicator__target=target)
        .select_related("geography")
        .order_by("indicator_id", "geography__order", "geography__code", "year", "edition")
    )
    siblings = list(Target.objects.filter(goal_id=target.goal_id).values_list("code", flat=True))
    geographies = {obs.geography_id: obs.geography for obs in observations}
    by_indicator = defaultdict(list)
    for obs in observations:
        by_indicator[obs.indicator_id].append(obs)
    sections = [
        indicator_section(indicator, by_indicator.get(indicator.pk, []), geographies, plan)
        for indicator in indicators
    ]
    main = next((s for s in sections if s["indicator"].is_main), None)
    editions = edition_rows(observations)
    organisations = list(
        dict.fromkeys(
            [*target.data_sources.all(), *(indicator.data_source for indicator in indicators)]
        )
    )
    position = siblings.index(target.code)
    return {
        "plan": plan,
        "section": "overview",
        "subpage": True,
        "target": target,
        "goal": target.goal,
        "main": main,
        "sections": sections,
        "editions": editions,
        "organisations": organisations,
        "previous_code": siblings[position - 1] if position > 0 else None,
        "next_code": siblings[position + 1] if position + 1 < len(siblings) else None,
        "observation_count": len(observations),
        "charts": [s["chart"] for s in sections if s["chart"]],
        "fallback": fallback_note(
            [(target.goal, ("short_name",)), (target, ("text", "note"))]
            + [(i, ("name", "definition", "note")) for i in indicators]
            + [(source, ("name",)) for source in organisations]
        ),
    }


def _figure_rows(plan: StrategicPlan, targets, indicators, observations) -> list[dict]:
    """The rows of a download (dashboards.downloads.COLUMNS): every figure of the targets'
    indicators, with the target's status as the pages give it (indicators.status), names in
    the active language. `indicators` with their `target` and `headline_geography`,
    `observations` with their `geography`; no query."""
    geographies = {obs.geography_id: obs.geography for obs in observations}
    by_indicator = defaultdict(list)
    for obs in observations:
        by_indicator[obs.indicator_id].append(obs)
    by_target = defaultdict(list)
    for indicator in indicators:
        by_target[indicator.target_id].append(indicator)
    rows = []
    for target in targets:
        own = sorted(by_target.get(target.pk, []), key=lambda i: i.code)
        chosen = {i.pk: indicator_series(i, by_indicator[i.pk], plan, geographies) for i in own}
        main = next((i for i in own if i.is_main), None)
        if main is None:
            status_row = TargetProgress(target, None, None, *no_indicator_judgement(plan))
        else:
            series = chosen[main.pk]
            status_row = TargetProgress(
                target, main, series.headline, series.assessment, series.judgement
            )
        status, verdict = status_row.status, status_row.verdict
        # a verdict once the target year has passed; while it is ahead, the pace status is all
        verdict_label = (
            str(verdict_look(verdict).label)
            if verdict and verdict != Verdict.OPEN and Verdict(verdict) in VERDICT_LOOKS
            else ""
        )
        for indicator in own:
            assessment = chosen[indicator.pk].assessment
            used = {
                (s.geography_id, point.year, point.edition)
                for s in chosen[indicator.pk].series
                for point in s.points
            }
            figures = sorted(
                by_indicator[indicator.pk],
                key=lambda o: (o.geography.code, o.year, o.edition),  # as the import format
            )
            for obs in figures:
                rows.append(
                    {
                        "target": target.code,
                        "indicator": indicator.code,
                        "indicator_name": localized(indicator, "name")[0],
                        "geography": obs.geography.code,
                        "geography_name": localized(obs.geography, "name")[0],
                        "unit": str(indicator.get_unit_display()),
                        "year": obs.year,
                        "value": obs.value,
                        "used": (obs.geography_id, obs.year, obs.edition) in used,
                        "target_value": _target_level(indicator, assessment),
                        "target_year": assessment.target_year,
                        "verdict": "" if verdict == Verdict.OPEN else verdict or "",
                        "verdict_label": verdict_label,
                        "status": status,
                        "status_label": str(status_look(status).label),
                        "citation": citation(obs.publisher, obs.publication, obs.edition),
                        "source": obs.source,
                        "edition": obs.edition,
                        "source_url": obs.source_url,
                        "note": obs.note,
                    }
                )
    return rows


def _target_level(indicator: Indicator, assessment) -> Decimal | None:
    """The target as a level: the plan's own figure, or for a relative target the level it
    sets from the base (as the status method applies it, to six decimals)."""
    if indicator.target_kind in (TargetKind.LEVEL, TargetKind.PARITY):
        return indicator.target_value
    if assessment.target_value is None:
        return None
    return Decimal(str(round(assessment.target_value, 6)))


def target_download(plan: StrategicPlan, code: str) -> tuple[Target, list[dict]]:
    """Every approved figure of a target's indicators, every edition, with names, unit, target
    and the target's status (2 queries; 3 for a target without indicators)."""
    indicators = list(
        Indicator.objects.filter(plan=plan, target__code=code).select_related(
            "target", "headline_geography"
        )
    )
    target = indicators[0].target if indicators else get_object_or_404(Target, plan=plan, code=code)
    observations = list(
        Observation.objects.approved().filter(indicator__target=target).select_related("geography")
    )
    return target, _figure_rows(plan, [target], indicators, observations)


def plan_download(plan: StrategicPlan) -> list[dict]:
    """Every approved figure of every target of the plan, as target_download gives one target's
    (3 queries)."""
    targets = list(Target.objects.filter(plan=plan).order_by("goal__number", "order"))
    indicators = list(
        Indicator.objects.filter(plan=plan).select_related("headline_geography").order_by()
    )
    observations = list(
        Observation.objects.approved().filter(indicator__plan=plan).select_related("geography")
    )
    return _figure_rows(plan, targets, indicators, observations)


def import_download(plan: StrategicPlan, code: str | None = None) -> list[dict]:
    """Every approved figure of a target (or of the whole plan, without `code`), every edition,
    in the import format (1 query, 2 with a target): the numbers the API's observations
    endpoint gives, for staff to correct and load again."""
    rows = Observation.objects.approved().filter(indicator__plan=plan)
    if code is not None:
        target = get_object_or_404(Target, plan=plan, code=code)
        rows = rows.filter(indicator__target=target)
    columns = [
        f"{name}__code" if name in ("indicator", "geography") else name for name in IMPORT_FIELDS
    ]
    rows = rows.order_by("indicator__code", "geography__code", "year", "edition")
    return [dict(zip(IMPORT_FIELDS, row, strict=True)) for row in rows.values_list(*columns)]


# --- objectives, risks, linkages, about -------------------------------------------------------


def objectives_context(plan: StrategicPlan) -> dict:
    """The sectors' objectives with outcomes, outputs and enablers; Table 3 (7 queries)."""
    # prefetched into lists (to_attr): a related manager's .all() builds a queryset each time,
    # which costs more than the page's hundreds of items are worth
    # and ordered on their own columns: the models' orderings join the plan (and the sector)
    # into every query, which the elements of one objective or plan do not need
    objectives = list(
        Objective.objects.filter(plan=plan)
        .select_related("sector")
        .order_by("sector__order", "order")
        .prefetch_related(
            Prefetch("outcomes", Outcome.objects.order_by("order"), to_attr="outcome_list"),
            Prefetch("outputs", Output.objects.order_by("order"), to_attr="output_list"),
        )
    )
    enablers = list(Enabler.objects.filter(plan=plan).order_by("order"))
    # the enabler-objective links as pairs of ids, joined here to the instances already read (a
    # prefetch on each side built an instance per link: two hundred of them)
    objective_by_id = {objective.pk: objective for objective in objectives}
    enabler_by_id = {enabler.pk: enabler for enabler in enablers}
    for item in (*objectives, *enablers):
        item.linked = []
    for enabler_id, objective_id in Enabler.objectives.through.objects.filter(
        enabler__plan=plan
    ).values_list("enabler_id", "objective_id"):
        enabler_by_id[enabler_id].linked.append(objective_by_id[objective_id])
        objective_by_id[objective_id].linked.append(enabler_by_id[enabler_id])
    position = {objective.pk: index for index, objective in enumerate(objectives)}
    for enabler in enablers:
        enabler.objective_list = sorted(enabler.linked, key=lambda o: position[o.pk])
    for_all = [enabler for enabler in enablers if enabler.supports_all_objectives]
    sectors = []
    for sector, items in groupby(objectives, key=lambda objective: objective.sector):
        items = list(items)
        for objective in items:
            objective.all_enablers = sorted({*objective.linked, *for_all}, key=lambda e: e.order)
        sectors.append({"sector": sector, "objectives": items})
    providers = []
    for value, label in Enabler.Provider.choices:
        items = [enabler for enabler in enablers if enabler.provider == value]
        if items:
            providers.append({"code": value, "label": label, "enablers": items})

    links = list(
        ObjectiveGoalLink.objects.filter(objective__plan=plan).select_related("objective", "goal")
    )
    goals = list(Goal.objects.filter(plan=plan).order_by("number"))
    matrix = None
    if links:
        matrix = linkage_matrix_chart(goals, objectives, links)
    items = [(obj, ("short_name", "text", "note")) for obj in objectives]
    for objective in objectives:
        items += [(child, ("text", "note")) for child in objective.outcome_list]
        items += [(child, ("text", "note")) for child in objective.output_list]
    items += [(enabler, ("activity", "contribution", "results", "note")) for enabler in enablers]
    items += [(entry["sector"], ("name",)) for entry in sectors]
    return {
        "plan": plan,
        "section": "objectives",
        "sectors": sectors,
        "providers": providers,
        "matrix": matrix,
        "link_count": len(links),
        "charts": [matrix] if matrix else [],
        "fallback": fallback_note(items),
    }


def linkage_matrix_chart(goals, objectives, links) -> Chart:
    kinds = dict(ObjectiveGoalLink.Kind.choices)
    linked = {link.objective_id for link in links}
    shown = [objective for objective in objectives if objective.pk in linked]
    figure = charts.build_linkage_matrix_figure(
        {
            "separators": separators(),
            "goals": [{"number": goal.number, "label": str(goal)} for goal in goals],
            "objectives": [objective.code for objective in shown],
            "links": [
                {"objective": link.objective.code, "goal": link.goal.number, "kind": link.kind}
                for link in links
            ],
        }
    )
    cell = {(link.objective_id, link.goal_id): str(kinds[link.kind]) for link in links}
    rows = [
        [objective.code] + [cell.get((objective.pk, goal.pk), "") for goal in goals]
        for objective in shown
    ]
    primary = sum(1 for link in links if link.kind == ObjectiveGoalLink.Kind.PRIMARY)
    summary = _(
        "%(count)s links recorded between %(objectives)s sector objectives and the goals: "
        "%(primary)s primary, %(secondary)s secondary."
    ) % {
        "count": len(links),
        "objectives": len(shown),
        "primary": primary,
        "secondary": len(links) - primary,
    }
    return Chart(
        "chart-linkage",
        _("Sector objectives and the strategic goals they serve (Table 3)"),
        figure,
        summary,
        [_("Objective")] + [str(goal.number) for goal in goals],
        rows,
    )


def risk_heat_map(assessments: list) -> list[dict]:
    """The 5 × 5 matrix of the risks' latest assessments: rows of impact from 5 down to 1,
    cells of likelihood 1 to 5, each with its band and the assessments that fall in it."""
    rows = []
    for impact in range(5, 0, -1):
        cells = [
            {
                "likelihood": likelihood,
                "severity": risk_severity(likelihood, impact),
                "assessments": [
                    a for a in assessments if (a.likelihood, a.impact) == (likelihood, impact)
                ],
            }
            for likelihood in range(1, 6)
        ]
        rows.append({"impact": impact, "cells": cells})
    return rows


def risks_context(plan: StrategicPlan) -> dict:
    """The risk register, each risk's mitigations grouped by strategy, its yearly assessments
    and the heat map of the latest ones (3 queries)."""
    risks = list(
        Risk.objects.filter(plan=plan).prefetch_related(
            "mitigations",
            Prefetch("assessments", queryset=RiskAssessment.objects.order_by("-year")),
        )
    )
    strategies = Mitigation.Strategy
    totals = dict.fromkeys(strategies.values, 0)
    entries = []
    for risk in risks:
        groups = []
        for value, label in strategies.choices:
            items = [m for m in risk.mitigations.all() if m.strategy == value]
            totals[value] += len(items)
            if items:
                groups.append({"strategy": value, "label": label, "mitigations": items})
        history = list(risk.assessments.all())
        entries.append({"risk": risk, "groups": groups, "assessments": history})
    latest = [entry["assessments"][0] for entry in entries if entry["assessments"]]
    items = [(risk, ("title", "description")) for risk in risks]
    items += [(m, ("text",)) for risk in risks for m in risk.mitigations.all()]
    items += [(a, ("owner", "note")) for entry in entries for a in entry["assessments"]]
    return {
        "plan": plan,
        "section": "risks",
        "entries": entries,
        "latest": latest,
        "heat_map": risk_heat_map(latest) if latest else [],
        "assessed_years": sorted({a.year for a in latest}),
        "totals": [(label, totals[value]) for value, label in strategies.choices],
        "fallback": fallback_note(items),
    }


def contributions_chart(chart_id: str, title: str, rows, *, short, name, heading) -> Chart:
    """Outputs and activities per WSIS action line or SDG; `short` and `name` label a row."""
    figure = charts.build_contributions_figure(
        {
            "separators": separators(),
            "categories": [short(row) for row in rows],
            "names": [f"{short(row)} {name(row)}" for row in rows],
            "outputs": [row.outputs for row in rows],
            "activities": [row.activities for row in rows],
        }
    )
    missing = [short(row) for row in rows if row.outputs is None and row.activities is None]
    top = max(rows, key=lambda row: row.outputs or 0, default=None)
    summary = ""
    if top is not None and top.outputs:
        summary = _("Most ITU outputs: %(label)s (%(outputs)s outputs, %(activities)s activities).")
        summary %= {
            "label": f"{short(top)} {name(top)}",
            "outputs": top.outputs,
            "activities": top.activities,
        }
    if missing:
        summary += " " + _("No count given for %(names)s.") % {"names": ", ".join(missing)}
    table = [
        [
            f"{short(row)} {name(row)}",
            "" if row.outputs is None else str(row.outputs),
            "" if row.activities is None else str(row.activities),
        ]
        for row in rows
    ]
    headers = [heading, _("ITU outputs"), _("ITU activities")]
    return Chart(chart_id, title, figure, summary.strip(), headers, table)


def linkages_context(plan: StrategicPlan) -> dict:
    """WSIS action lines and SDGs by ITU outputs and activities; each goal's SDG targets
    (6 queries)."""
    wsis = list(WsisContribution.objects.filter(plan=plan).select_related("action_line"))
    sdgs = list(SdgContribution.objects.filter(plan=plan).select_related("sdg"))
    goals = list(Goal.objects.filter(plan=plan))
    sdg_targets = sdg_targets_by_goal(plan)
    for goal in goals:
        goal.sdg_target_list = sdg_targets.get(goal.pk, [])
    custodian = set(plan.custodian_indicators.values_list("code", flat=True))
    wsis_chart = contributions_chart(
        "chart-wsis",
        _("WSIS action lines by ITU outputs and activities"),
        wsis,
        short=lambda row: row.action_line.code,
        name=lambda row: row.action_line.name,
        heading=_("WSIS action line"),
    )
    sdg_chart = contributions_chart(
        "chart-sdgs",
        _("Sustainable Development Goals by ITU outputs and activities"),
        sdgs,
        short=lambda row: _("SDG %(number)s") % {"number": row.sdg.number},
        name=lambda row: row.sdg.name,
        heading=_("Sustainable Development Goal"),
    )
    items = [(row.action_line, ("name",)) for row in wsis] + [(row.sdg, ("name",)) for row in sdgs]
    items += [(goal, ("short_name", "name")) for goal in goals]
    return {
        "plan": plan,
        "section": "linkages",
        "wsis_chart": wsis_chart,
        "sdg_chart": sdg_chart,
        "goals": goals,
        "custodian": custodian,
        "charts": [wsis_chart, sdg_chart],
        "fallback": fallback_note(items),
    }


def about_context(plan: StrategicPlan) -> dict:
    """The RBM levels, the values, how status and verdict are reached, the data and its gaps
    (9 queries)."""
    levels = list(FrameworkLevel.objects.filter(plan=plan))
    values = list(Value.objects.filter(plan=plan))
    progress = plan_progress(plan)
    editions = list(
        Observation.objects.approved()
        .filter(indicator__plan=plan)
        .values("edition")
        .annotate(count=Count("id"), first=Min("year"), last=Max("year"))
        .order_by("-last", "edition")
    )
    groupings = list(
        Geography.objects.exclude(kind=Geography.Kind.COUNTRY).annotate(
            member_count=Count("members")
        )
    )
    organisations = list(DataSource.objects.all())
    no_data = [row.target for row in progress if row.status == Status.NO_DATA]
    stale = [
        row
        for row in progress
        if row.assessment.latest_year is not None
        and row.assessment.latest_year < row.assessment.target_year
    ]
    joined = [row.target for row in progress if row.series and row.series.joins_editions]
    return {
        "plan": plan,
        "section": "about",
        "levels": levels,
        "values": values,
        "statuses": [status_look(status) for status in statuses_for(plan.progress_method)],
        "verdicts": [verdict_look(verdict) for verdict in VERDICT_ORDER],
        "closed": plan_closed(plan),
        "editions": editions,
        "groupings": groupings,
        "organisations": organisations,
        "no_data": no_data,
        "stale": stale,
        "joined": joined,
        "figure_count": sum(edition["count"] for edition in editions),
        "base_year": plan_base_year(plan),  # the year targets are measured from by default
        "fallback": fallback_note(
            [(plan, ("title", "values_intro"))]
            + [(level, ("name", "definition")) for level in levels]
            + [(value, ("name", "description")) for value in values]
        ),
    }
