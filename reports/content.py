"""What a plan's progress report for a reporting year says, as a document (reports.document).

The report is the public pages read as they stood at the end of the year's reporting period: the
same functions build each part (dashboards.pages for a target's series, verdict sentence, chart
and figures tables, the sector objectives and the risk register; dashboards.presentation for the
words; indicators.status for verdicts and their counts). Nothing here decides a status or a
verdict: what differs is only which figures are read (`figures_as_of`).

`build_report` reads the database in a constant number of queries (about fifteen), whatever the
plan's size.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dashboards import charts
from dashboards.pages import (
    citation,
    indicator_section,
    objectives_context,
    point_citation,
    risks_context,
    separators,
)
from dashboards.presentation import (
    VERDICT_LOOKS,
    VERDICT_ORDER,
    assessment_facts,
    pace_history,
    status_look,
    statuses_for,
    verdict_count_part,
    verdict_facts,
    verdict_line,
    verdict_look,
    verdict_sentence,
)
from frameworks.models import Goal, StrategicPlan, Target
from indicators.delivery import delivery_summary
from indicators.models import Indicator, Observation, OutputDelivery
from indicators.status import (
    TargetProgress,
    no_indicator_judgement,
    plan_closed,
    status_counts,
    verdict_counts,
)
from risks.models import Mitigation

from .document import Chart, Paragraph, Report, Section, Table

# The reporting period of year Y ends on 31 March of Y + 1: ITU publishes a year's figures
# (Facts and Figures) in its last weeks, and they are reviewed before the report goes to the
# Council, which meets in the middle of the year.
PERIOD_END_MONTH, PERIOD_END_DAY = 3, 31


class ReportError(ValueError):
    """A report that cannot be built as asked: the message says why, in the active language."""


# --- which figures a report reads ------------------------------------------------------------


def approval_time():
    """When a figure was approved: its review time. An approved figure without one (entered
    approved through the admin) counts from when it was submitted, else from when it was
    created: never from "now", so that it cannot move into a past report later."""
    return Coalesce("reviewed_at", "submitted_at", "created_at")


def reporting_period_end(year: int) -> date:
    return date(year + 1, PERIOD_END_MONTH, PERIOD_END_DAY)


def reporting_cut_off(plan: StrategicPlan, year: int) -> date:
    """The last day whose approvals the report for `year` reads (1 query).

    The end of the year's reporting period, 31 March of the next year. If the portal held no
    approved figure of the plan by then (its figures were loaded later, from the publications,
    as when the portal started after the plan's period), the cut-off is the day the plan's first
    figure was approved: the report reads the figures as first loaded, and none approved since.
    Either way the day is fixed once passed, so a report regenerated later says the same thing.
    """
    period_end = reporting_period_end(year)
    first = (
        Observation.objects.approved()
        .filter(indicator__plan=plan)
        .aggregate(first=Min(approval_time()))["first"]
    )
    if first is None:
        return period_end
    return max(period_end, timezone.localdate(first))


def end_of_day(day: date) -> datetime:
    """The first moment after `day`, in the portal's time zone."""
    return datetime.combine(
        day + timedelta(days=1), time.min, tzinfo=timezone.get_default_timezone()
    )


def figures_as_of(plan: StrategicPlan, year: int, cut_off: date):
    """The plan's figures a report for `year` reads: approved by the end of `cut_off`, for a
    year up to the reporting year (a later year's figure cannot have been part of it)."""
    return (
        Observation.objects.approved()
        .filter(indicator__plan=plan, year__lte=year)
        .alias(approved_at=approval_time())
        .filter(approved_at__lt=end_of_day(cut_off))
    )


def figures_left_out(plan: StrategicPlan, year: int, cut_off: date) -> int:
    """How many of the plan's approved figures up to `year` were approved after the cut-off."""
    return (
        Observation.objects.approved()
        .filter(indicator__plan=plan, year__lte=year)
        .alias(approved_at=approval_time())
        .filter(approved_at__gte=end_of_day(cut_off))
        .count()
    )


def check_year(plan: StrategicPlan, year: int) -> None:
    """A report is for one of the plan's years."""
    if not plan.period_start <= year <= plan.period_end:
        raise ReportError(
            _("%(year)s is not a year of the %(plan)s plan: choose one from %(first)s to %(last)s.")
            % {"year": year, "plan": plan.code, "first": plan.period_start, "last": plan.period_end}
        )


# --- the report ------------------------------------------------------------------------------


def build_report(
    plan: StrategicPlan, year: int, language: str, *, cut_off: date | None = None
) -> Report:
    """The progress report of `plan` for `year` in `language` (a code of settings.LANGUAGES),
    reading the figures approved by `cut_off` (default: reporting_cut_off). About fifteen
    queries, whatever the plan's size."""
    check_year(plan, year)
    with translation.override(language):
        return _build(plan, year, language, cut_off or reporting_cut_off(plan, year))


def _build(plan: StrategicPlan, year: int, language: str, cut_off: date) -> Report:
    as_of_year = year + 1  # the targets of the reporting year and before are judged
    closed = plan_closed(plan, as_of_year)
    goals = list(Goal.objects.filter(plan=plan).order_by("number"))
    targets = list(Target.objects.filter(plan=plan).order_by("goal__number", "order"))
    indicators = list(
        Indicator.objects.filter(plan=plan)
        .select_related("headline_geography", "data_source")
        .order_by("target_id", "-is_main", "code")
    )
    observations = list(
        figures_as_of(plan, year, cut_off)
        .select_related("geography")
        .order_by("indicator_id", "geography__order", "geography__code", "year", "edition")
    )
    left_out = figures_left_out(plan, year, cut_off)

    geographies = {obs.geography_id: obs.geography for obs in observations}
    by_indicator = defaultdict(list)
    for obs in observations:
        by_indicator[obs.indicator_id].append(obs)
    by_target = defaultdict(list)
    for indicator in indicators:
        section = indicator_section(
            indicator, by_indicator[indicator.pk], geographies, plan, as_of_year=as_of_year
        )
        by_target[indicator.target_id].append(section)

    # each target's row as plan_progress gives it, from the figures the report reads
    progress = []
    for target in targets:
        main = next((s for s in by_target[target.pk] if s["indicator"].is_main), None)
        if main is None:
            progress.append(
                TargetProgress(target, None, None, *no_indicator_judgement(plan, as_of_year))
            )
        else:
            progress.append(
                TargetProgress(
                    target,
                    main["indicator"],
                    main["headline"],
                    main["assessment"],
                    main["judgement"],
                )
            )

    report = Report(
        plan_code=plan.code,
        year=year,
        language=language,
        title=plan.title,
        subtitle=_("Progress report for %(year)s") % {"year": year},
        cut_off=cut_off,
        generated_on=timezone.localdate(),
    )
    report.sections.append(
        summary_section(
            plan, year, goals, progress, closed=closed, cut_off=cut_off, left_out=left_out
        )
    )
    for goal in goals:
        rows = [row for row in progress if row.target.goal_id == goal.pk]
        report.sections.append(goal_section(goal, rows, closed=closed))
        for row in rows:
            report.sections.append(target_section(row, by_target[row.target.pk]))
    report.sections.extend(objectives_sections(plan, year))
    report.sections.extend(risks_sections(plan))
    report.sections.append(method_section(plan, year, cut_off, observations))
    return report


# --- parts -----------------------------------------------------------------------------------


def _keys(plan: StrategicPlan, closed: bool):
    """The verdicts once the plan's targets are judged; the pace statuses while they run."""
    if closed:
        return VERDICT_ORDER, verdict_look, verdict_counts
    return statuses_for(plan.progress_method), status_look, status_counts


def row_look(row: TargetProgress, closed: bool):
    return verdict_look(row.verdict) if closed else status_look(row.status)


def summary_section(
    plan, year, goals, progress, *, closed: bool, cut_off: date, left_out: int
) -> Section:
    """The verdicts (or, before the plan's last year, the pace statuses) counted by goal: a
    line, a table and a chart, as the overview page gives them."""
    keys, look_of, count = _keys(plan, closed)
    section = Section(
        _("Summary of the verdicts") if closed else _("Summary of progress"), 1, "summary"
    )
    totals = count(progress)
    if closed:
        section.blocks.append(
            Paragraph(verdict_line(totals, len(progress), plan.period_end), "lead")
        )
    else:
        parts = [f"{look_of(key).label}: {totals[key]}" for key in keys if totals.get(key)]
        section.blocks.append(
            Paragraph(
                _("Of the plan's %(total)s targets: %(parts)s.")
                % {"total": len(progress), "parts": "; ".join(parts)},
                "lead",
            )
        )
    section.blocks.append(
        Paragraph(
            _(
                "Figures approved by %(cut_off)s, for the years up to %(year)s. "
                "A report regenerated later reads the same figures."
            )
            % {"cut_off": _day(cut_off), "year": year},
            "note",
        )
    )
    if left_out:
        section.blocks.append(
            Paragraph(
                translation.ngettext(
                    "%(count)s figure approved after that day is not read.",
                    "%(count)s figures approved after that day are not read.",
                    left_out,
                )
                % {"count": left_out},
                "note",
            )
        )
    by_goal = defaultdict(list)
    for row in progress:
        by_goal[row.target.goal_id].append(row)
    goal_counts = [(goal, count(by_goal[goal.pk]), len(by_goal[goal.pk])) for goal in goals]
    rows = [
        [f"{goal.number}. {goal.short_name}"]
        + [str(counts.get(key, 0)) for key in keys]
        + [str(total)]
        for goal, counts, total in goal_counts
    ]
    rows.append([_("All goals")] + [str(totals.get(key, 0)) for key in keys] + [str(len(progress))])
    title = _("Targets by verdict, per goal") if closed else _("Targets by status, per goal")
    section.blocks.append(
        Table(title, [_("Goal")] + [str(look_of(key).label) for key in keys] + [_("Total")], rows)
    )
    data = {
        "separators": separators(),
        "goals": [
            {"label": f"{goal.number}. {goal.short_name}", "counts": counts}
            for goal, counts, _total in goal_counts
        ],
    }
    if closed:
        figure = charts.build_verdict_counts_figure({**data, "verdicts": keys})
    else:
        figure = charts.build_status_counts_figure({**data, "statuses": keys})
    section.blocks.append(Chart(title, figure, section.blocks[0].text))
    # each target in one line: code, verdict
    section.blocks.append(
        Table(
            _("Targets"),
            [_("Target"), _("Verdict") if closed else _("Status")],
            [[row.target.code, str(row_look(row, closed).label)] for row in progress],
        )
    )
    return section


def goal_section(goal: Goal, rows: list[TargetProgress], *, closed: bool) -> Section:
    title = _("Goal %(number)s") % {"number": goal.number} + f": {goal.short_name}"
    section = Section(title, 1, f"goal-{goal.number}")
    section.blocks.append(Paragraph(goal.name, "lead"))
    if goal.description:
        section.blocks.append(Paragraph(goal.description))
    if closed:
        # the goal's targets by verdict, in the overview line's words
        counts = verdict_counts(rows)
        parts = [
            verdict_count_part(verdict, counts[verdict], goal_target_year(rows))
            for verdict in VERDICT_ORDER
            if counts.get(verdict)
        ]
        separator = pgettext("between the parts of a list", ", ")
        section.blocks.append(Paragraph(separator.join(parts)))
    return section


def goal_target_year(rows: list[TargetProgress]) -> int:
    """The year a goal's targets are due ("no figure for 2023")."""
    years = [row.judgement.target_year for row in rows if row.judgement is not None]
    return max((year for year in years if year is not None), default=0)


def target_section(row: TargetProgress, indicator_sections: list[dict]) -> Section:
    """A target: its verdict (or pace status) in words with the numbers behind it, then each
    indicator's chart and the figures used, with their sources and editions."""
    target = row.target
    section = Section(
        _("Target %(code)s") % {"code": target.code}, 2, f"target-{target.code.replace('.', '-')}"
    )
    section.blocks.append(Paragraph(target.text, "lead"))
    judgement = row.judgement
    closed = judgement is not None and judgement.closed
    look = row_look(row, closed)
    section.blocks.append(
        Paragraph(f"{look.icon} {look.label}", f"{'verdict' if closed else 'status'}-{look.value}")
    )
    main = next((s for s in indicator_sections if s["indicator"].is_main), None)
    if main is None:
        section.blocks.append(Paragraph(_("No figure has been published for this target yet.")))
        return section
    indicator = main["indicator"]
    unit = indicator.unit
    geography = indicator.headline_geography.name
    section.blocks.append(
        Paragraph(
            verdict_sentence(
                judgement,
                unit=unit,
                geography=geography,
                cited=point_citation(row.verdict_point),
                pace=row.assessment,
            )
        )
    )
    history = pace_history(judgement)
    if history:
        section.blocks.append(Paragraph(history, "note"))
    if closed:
        facts = verdict_facts(judgement, unit=unit, cited=point_citation(row.verdict_point))
    else:
        facts = assessment_facts(row.assessment, unit=unit)
    if facts:
        section.blocks.append(
            Table(
                _("The numbers behind it"),
                [_("Measure"), _("Value")],
                [[str(label), str(text)] for label, text in facts],
            )
        )
    for part in indicator_sections:
        section.blocks.extend(indicator_blocks(part))
    return section


def indicator_blocks(part: dict) -> list:
    """The main indicator's chart, and each indicator's figures with their citations and
    editions (the other indicators' charts are the pages': a chart costs a report a second)."""
    indicator = part["indicator"]
    blocks = []
    chart = part["chart"]
    citations = list(dict.fromkeys(row["citation"] for row in part["rows"]))
    if chart is not None and indicator.is_main:
        blocks.append(
            Chart(chart.title, chart.figure, chart.summary, source=_source_line(citations))
        )
    if part["rows"]:
        blocks.append(
            Table(
                _("%(name)s: figures used, one per geography and year") % {"name": indicator.name},
                [_("Geography"), _("Year"), _("Value"), _("Source"), _("Edition")],
                [
                    [
                        row["geography"],
                        str(row["year"]),
                        row["value"],
                        row["citation"],
                        row["edition"],
                    ]
                    for row in part["rows"]
                ],
            )
        )
    elif not indicator.is_main:
        blocks.append(
            Paragraph(
                f"{indicator.name}: " + _("No figure has been published for this indicator yet."),
                "note",
            )
        )
    return blocks


def _source_line(citations: list[str]) -> str:
    if not citations:
        return ""
    separator = pgettext("between the parts of a list", ", ")
    return f"{_('Data from:')} {separator.join(citations)}"


def delivery_table(plan: StrategicPlan, year: int) -> Table:
    """Each sector's outputs by delivery in the reporting year, from the approved delivery
    records (indicators.delivery.delivery_summary, as the objectives page counts them)."""
    deliveries = OutputDelivery.Delivery
    rows = [
        [
            entry.sector,
            *(str(entry.count(value)) for value in deliveries.values),
            str(entry.no_record),
        ]
        for entry in delivery_summary(plan, year)
    ]
    return Table(
        _("Delivery of the outputs in %(year)s") % {"year": year},
        [_("Sector"), *(str(label) for label in deliveries.labels), _("No record")],
        rows,
    )


def objectives_sections(plan: StrategicPlan, year: int) -> list[Section]:
    """The sector objectives with their outcomes and outputs, as the objectives page lists
    them (dashboards.pages.objectives_context), after the delivery of the outputs that year."""
    context = objectives_context(plan)
    sections = [Section(_("Sector objectives"), 1, "objectives")]
    sections[0].blocks.append(delivery_table(plan, year))
    for entry in context["sectors"]:
        for objective in entry["objectives"]:
            section = Section(
                f"{objective.code} {objective.short_name}", 2, f"objective-{objective.code}"
            )
            section.blocks.append(Paragraph(objective.text, "lead"))
            if objective.outcome_list:
                section.blocks.append(
                    Table(
                        _("Outcomes"),
                        [_("Code"), _("Outcomes")],
                        [[item.code, item.text] for item in objective.outcome_list],
                    )
                )
            if objective.output_list:
                section.blocks.append(
                    Table(
                        _("Outputs"),
                        [_("Code"), _("Outputs")],
                        [[item.code, item.text] for item in objective.output_list],
                    )
                )
            sections.append(section)
    return sections


def risks_sections(plan: StrategicPlan) -> list[Section]:
    """The risk register, each risk's mitigations by strategy (pages.risks_context)."""
    context = risks_context(plan)
    sections = [Section(_("Strategic risks"), 1, "risks")]
    if not context["entries"]:
        sections[0].blocks.append(Paragraph(_("No risk recorded for this plan.")))
    for entry in context["entries"]:
        risk = entry["risk"]
        section = Section(f"{risk.number}. {risk.title}", 2, f"risk-{risk.number}")
        section.blocks.append(Paragraph(risk.description))
        rows = [
            [str(group["label"]), mitigation.text]
            for group in entry["groups"]
            for mitigation in group["mitigations"]
        ]
        if rows:
            strategy = capfirst(Mitigation._meta.get_field("strategy").verbose_name)
            section.blocks.append(Table(_("Mitigations"), [strategy, _("Mitigation")], rows))
        else:
            section.blocks.append(Paragraph(_("No mitigation recorded.")))
        sections.append(section)
    return sections


def method_section(plan: StrategicPlan, year: int, cut_off: date, observations) -> Section:
    """Annex: how the statuses and verdicts are reached (the method page's words), which
    figures the report reads, and the editions it cites."""
    section = Section(_("Annex: the method"), 1, "method")
    section.blocks.append(
        Paragraph(
            _(
                "Each indicator of the strategic plan has a series of yearly values and, usually, "
                'a target ("65%% of the world population uses the Internet by 2023"). The portal '
                "gives it a status: has the target been met, and if not, is the indicator moving "
                "towards it fast enough?"
            )
            % {}  # the method page's words, where the template escapes the percent sign
        )
    )
    section.blocks.append(
        Paragraph(
            _(
                "The status is computed, not typed in, by one of two published methods. Both "
                "compare the pace observed so far with the pace the target requires. The portal "
                "always shows the numbers behind a status (base value, latest value, target, both "
                "growth rates, ratio or share, projection) so that anyone can check it with a "
                "calculator."
            )
        )
    )
    section.blocks.append(
        Paragraph(
            _("Computed by the %(method)s method from the headline series.")
            % {"method": plan.get_progress_method_display()}
        )
    )
    section.blocks.append(
        Paragraph(
            _(
                "Only years up to the target year count, and only approved figures. Where "
                "editions restate a year, the series takes it from the newest edition; older "
                "editions stay visible as history."
            )
        )
    )
    section.blocks.append(
        Table(
            _("The verdicts"),
            [_("Verdict"), _("Meaning")],
            [[str(look.label), str(look.meaning)] for look in VERDICT_LOOKS.values()],
        )
    )
    section.blocks.append(
        Table(
            _("The status words"),
            [_("Status"), _("Meaning")],
            [
                [str(status_look(status).label), str(status_look(status).meaning)]
                for status in statuses_for(plan.progress_method)
            ],
        )
    )
    section.blocks.append(
        Paragraph(
            _(
                "The figures of this report: those approved by %(cut_off)s, the end of the "
                "reporting period for %(year)s (31 March of the next year), for the years up to "
                "%(year)s. Where the portal held no approved figure by the end of the period, "
                "because its figures were loaded later from the publications, the cut-off is the "
                "day the first figures were approved."
            )
            % {"cut_off": _day(cut_off), "year": year}
        )
    )
    editions = defaultdict(lambda: {"count": 0, "years": set()})
    for obs in observations:
        entry = editions[(obs.publisher, obs.publication, obs.edition)]
        entry["count"] += 1
        entry["years"].add(obs.year)
    rows = [
        [
            citation(*key),
            key[2],
            _year_span(entry["years"]),
            str(entry["count"]),
        ]
        for key, entry in sorted(
            editions.items(), key=lambda item: (min(item[1]["years"]), item[0])
        )
    ]
    if rows:
        section.blocks.append(
            Table(
                _("Sources and editions"),
                [_("Source"), _("Edition"), _("Years"), _("Figures")],
                rows,
            )
        )
    return section


def _year_span(years: set[int]) -> str:
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")
