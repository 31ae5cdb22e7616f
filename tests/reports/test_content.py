"""The progress report's content (reports.content): the public pages' verdicts, read as the
figures stood at the year's cut-off."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from dashboards.pages import overview_context
from dashboards.presentation import VERDICT_ORDER, verdict_look
from frameworks.models import Output, Target
from indicators.models import Geography, Indicator, Observation
from indicators.status import plan_progress, verdict_counts
from reports.content import (
    ReportError,
    build_report,
    reporting_cut_off,
    reporting_period_end,
)
from reports.document import Chart, Paragraph, Table

pytestmark = pytest.mark.django_db


def section(report, anchor):
    return next(s for s in report.sections if s.anchor == anchor)


def table(section_, caption):
    return next(b for b in section_.blocks if isinstance(b, Table) and b.caption == caption)


def verdict_of(report, code):
    """The badge paragraph of a target's section: its verdict or status words."""
    target = section(report, f"target-{code.replace('.', '-')}")
    return next(
        b.text for b in target.blocks if isinstance(b, Paragraph) and b.style.startswith("verdict")
    )


def test_reporting_period_ends_on_31_march_after_the_year():
    assert reporting_period_end(2023) == date(2024, 3, 31)
    assert reporting_period_end(2020) == date(2021, 3, 31)


def test_cut_off_is_the_period_end_when_figures_were_approved_in_time(plan):
    Observation.objects.approved().update(reviewed_at=datetime(2024, 1, 15, tzinfo=UTC))

    assert reporting_cut_off(plan, 2023) == date(2024, 3, 31)
    # nothing was approved by 31 March 2023: the 2022 report reads the figures as first loaded
    assert reporting_cut_off(plan, 2022) == date(2024, 1, 15)


def test_cut_off_is_the_first_load_when_figures_came_later(plan):
    """The session loaded the published figures today: a 2023 report reads them as loaded."""
    assert reporting_cut_off(plan, 2023) == timezone.localdate()


def test_cut_off_of_an_approval_without_review_time_is_its_creation(plan):
    first = datetime(2024, 2, 1, 9, tzinfo=UTC)
    Observation.objects.approved().update(reviewed_at=None, submitted_at=None, created_at=first)

    assert reporting_cut_off(plan, 2023) == date(2024, 3, 31)
    assert reporting_cut_off(plan, 2020) == date(2024, 2, 1)


def test_summary_counts_equal_the_public_pages(plan):
    report = build_report(plan, 2023, "en")

    progress = plan_progress(plan)
    counts = verdict_counts(progress)
    summary = section(report, "summary")
    by_goal = table(summary, "Targets by verdict, per goal")
    labels = [str(verdict_look(v).label) for v in VERDICT_ORDER]
    assert by_goal.headers == ["Goal", *labels, "Total"]
    assert by_goal.rows[-1] == ["All goals"] + [str(counts.get(v, 0)) for v in VERDICT_ORDER] + [
        "26"
    ]
    overview = overview_context(plan)
    for row, goal_row in zip(by_goal.rows[:-1], overview["goal_rows"], strict=True):
        assert row[1:] == [str(goal_row["counts"].get(v, 0)) for v in VERDICT_ORDER] + [
            str(goal_row["total"])
        ]
    assert summary.blocks[0].text == overview["verdict_line"]
    assert any(isinstance(b, Chart) and b.figure["data"] for b in summary.blocks)


def test_every_target_has_its_section_and_its_verdict(plan):
    report = build_report(plan, 2023, "en")

    progress = plan_progress(plan)
    codes = list(Target.objects.filter(plan=plan).values_list("code", flat=True))
    assert len(codes) == 26
    titles = [s.title for s in report.sections if s.level == 2 and s.anchor.startswith("target-")]
    assert titles == [f"Target {row.target.code}" for row in progress]
    for row in progress:
        assert verdict_of(report, row.target.code).endswith(str(verdict_look(row.verdict).label))
    # target 1.2 (65% of the world online): achieved, with its figure, chart and sources
    internet = section(report, "target-1-2")
    sentence = internet.blocks[2].text
    assert sentence.startswith("Target achieved: the figure for World was 67% in 2023")
    assert "Facts and Figures 2023" in sentence
    chart = next(b for b in internet.blocks if isinstance(b, Chart))
    assert chart.source.startswith("Data from: ITU, ")
    figures = next(
        b for b in internet.blocks if isinstance(b, Table) and "figures used" in b.caption
    )
    assert figures.headers == ["Geography", "Year", "Value", "Source", "Edition"]
    assert ["World", "2023", "67%"] in [row[:3] for row in figures.rows]
    assert all(row[1] <= "2023" for row in figures.rows)


def test_report_has_objectives_risks_and_the_method(plan):
    report = build_report(plan, 2023, "en")

    anchors = [s.anchor for s in report.sections]
    assert anchors[0] == "summary"
    assert anchors[-1] == "method"
    objectives = [s for s in report.sections if s.anchor.startswith("objective-")]
    assert len(objectives) == 18
    outcomes = sum(
        len(table(s, "Outcomes").rows)
        for s in objectives
        if any(isinstance(b, Table) and b.caption == "Outcomes" for b in s.blocks)
    )
    outputs = sum(
        len(b.rows)
        for s in objectives
        for b in s.blocks
        if isinstance(b, Table) and b.caption == "Outputs"
    )
    assert (outcomes, outputs) == (64, 70)
    risks = [s for s in report.sections if s.anchor.startswith("risk-")]
    assert len(risks) == 6
    assert sum(len(table(s, "Mitigations").rows) for s in risks) == 19
    method = section(report, "method")
    verdicts = table(method, "The verdicts")
    assert [row[0] for row in verdicts.rows] == [str(verdict_look(v).label) for v in VERDICT_ORDER]
    editions = table(method, "Sources and editions")
    assert (
        sum(int(row[3]) for row in editions.rows)
        == Observation.objects.approved().filter(year__lte=2023).count()
    )


def test_cut_off_excludes_a_figure_approved_after_it(plan):
    """Target 1.1 (65% of households online by 2023) has no 2023 figure; one approved two days
    after the cut-off is not read, and the report says a figure was left out."""
    indicator = Indicator.objects.get(target__code="1.1", is_main=True)
    later = timezone.now() + timedelta(days=2)
    Observation.objects.create(
        indicator=indicator,
        geography=Geography.objects.get(code="WLD"),
        year=2023,
        value=Decimal("70"),
        publisher="ITU",
        publication="Facts and Figures 2099",
        edition="Facts and Figures 2099",
        source="a test",
        status=Observation.Status.APPROVED,
        submitted_at=later,
        reviewed_at=later,
    )
    no_figure = str(verdict_look("no_target_year_figure").label)

    report = build_report(plan, 2023, "en")

    assert report.cut_off == timezone.localdate()
    assert verdict_of(report, "1.1").endswith(no_figure)
    notes = [b.text for b in section(report, "summary").blocks if isinstance(b, Paragraph)]
    assert "1 figure approved after that day is not read." in notes
    # a later cut-off reads it: the target is achieved
    again = build_report(plan, 2023, "en", cut_off=later.date() + timedelta(days=1))
    assert verdict_of(again, "1.1").endswith("Target achieved")


def test_report_for_an_earlier_year_judges_only_its_targets(plan):
    """In 2021 the 2023 targets were still ahead: the report gives their pace status."""
    report = build_report(plan, 2021, "en")

    summary = section(report, "summary")
    assert summary.title == "Summary of progress"
    assert all(
        row[1] <= "2021"
        for s in report.sections
        for b in s.blocks
        if isinstance(b, Table) and "figures used" in b.caption
        for row in b.rows
    )


def test_report_speaks_the_language_asked(plan):
    report = build_report(plan, 2023, "ar")

    assert report.language == "ar" and report.is_rtl
    with translation.override("ar"):
        achieved = str(verdict_look("achieved").label)
    assert verdict_of(report, "1.2").endswith(achieved)
    assert section(report, "target-1-2").title == "المقصد 1.2"
    assert translation.get_language() == "en"  # the caller's language is left as it was


@pytest.mark.parametrize("year", [2019, 2024])
def test_year_outside_the_plan_is_refused(plan, year):
    with pytest.raises(ReportError, match=f"{year} is not a year of the 2020-2023 plan"):
        build_report(plan, year, "en")


def test_report_counts_the_outputs_delivered_in_its_year(plan):
    from indicators import services
    from tests.personas import make_persona

    reporter, reviewer = make_persona("reporter_d"), make_persona("reviewer_d")
    for code, year, state in (
        ("D.1-1", 2023, "delivered"),
        ("D.1-2", 2023, "partly"),
        ("D.2-1", 2022, "delivered"),
    ):
        saved = services.delivery_record(
            plan=plan,
            raw={
                "output": code,
                "year": str(year),
                "delivery": state,
                "narrative": "Done.",
                "narrative_language": "en",
            },
            user=reporter,
        )
        services.deliveries_review(deliveries=[saved], user=reviewer, approve=True)
    report = build_report(plan, 2023, "en")
    delivered = table(section(report, "objectives"), "Delivery of the outputs in 2023")
    assert delivered.headers[1:] == [
        "Delivered",
        "Partly delivered",
        "Not delivered",
        "Not due yet",
        "No record",
    ]
    itu_d = next(row for row in delivered.rows if row[0] == "ITU-D")
    # 2022's record is not this year's; the sector's other outputs have no record for 2023
    assert itu_d[1:5] == ["1", "1", "0", "0"]
    outputs = Output.objects.filter(plan=plan, objective__sector__code="ITU-D").count()
    assert int(itu_d[5]) == outputs - 2


def test_report_reads_in_constant_queries(plan, django_assert_max_num_queries):
    # the verdicts, targets, figures, charts and risks (15), the objectives page's reading of
    # the outputs' delivery records and public evidence (2), the delivery summary (2)
    with django_assert_max_num_queries(19):
        build_report(plan, 2023, "fr")
