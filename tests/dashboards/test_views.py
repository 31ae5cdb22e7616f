"""The public pages, read by a visitor: content against the loaded plan and its figures,
languages, drafts, downloads."""

import csv
import gzip
import html as html_module
import io
import json
import re
from decimal import Decimal

import pytest
from django.utils import translation

from frameworks.models import (
    FrameworkLevel,
    Goal,
    Objective,
    ObjectiveGoalLink,
    Outcome,
    StrategicPlan,
    Target,
    WsisContribution,
)
from indicators.models import Indicator, Observation
from indicators.status import build_series, plan_progress, status_counts, verdict_counts
from risks.models import Risk

pytestmark = pytest.mark.django_db

PLAN = "/en/plans/2020-2023"


def page(client, url, status=200, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == status, url
    return response.content.decode()


def chart_data(html: str, chart_id: str) -> dict:
    found = re.search(
        rf'<script id="{re.escape(chart_id)}-data" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    assert found, chart_id
    return json.loads(found.group(1))


def text_of(html: str) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text).strip()


# --- addresses and languages ------------------------------------------------------------------


def test_root_redirects_to_the_visitors_language(visitor):
    assert visitor.get("/").headers["Location"] == "/en/"
    response = visitor.get("/", HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9")
    assert response.status_code == 302
    assert response.headers["Location"] == "/fr/"
    assert visitor.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").headers["Location"] == "/zh-hans/"


def test_pages_carry_their_language_and_direction(visitor, plan):
    assert '<html lang="en" dir="ltr">' in page(visitor, "/en/")
    assert '<html lang="zh-hans" dir="ltr">' in page(visitor, "/zh-hans/")
    arabic = page(visitor, "/ar/plans/2020-2023/targets/1.2/")
    assert '<html lang="ar" dir="rtl">' in arabic


def test_language_switcher_keeps_the_visitor_on_the_same_page(visitor, plan):
    html = page(visitor, f"{PLAN}/targets/1.2/")
    forms = re.findall(
        r'<input type="hidden" name="next" value="([^"]+)"><button type="submit" '
        r'name="language" value="([^"]+)"',
        html,
    )
    assert dict((language, url) for url, language in forms) == {
        "ar": "/ar/plans/2020-2023/targets/1.2/",
        "es": "/es/plans/2020-2023/targets/1.2/",
        "fr": "/fr/plans/2020-2023/targets/1.2/",
        "ru": "/ru/plans/2020-2023/targets/1.2/",
        "zh-hans": "/zh-hans/plans/2020-2023/targets/1.2/",
    }
    assert 'aria-current="true">English</span>' in html
    response = visitor.post(
        "/i18n/setlang/", {"language": "fr", "next": "/fr/plans/2020-2023/targets/1.2/"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/fr/plans/2020-2023/targets/1.2/"
    assert response.cookies["django_language"].value == "fr"
    # the choice is remembered: "/" now leads to French
    assert visitor.get("/").headers["Location"] == "/fr/"


def test_interface_is_translated(visitor, plan):
    with translation.override("fr"):
        from django.utils.translation import gettext

        overview = gettext("Overview")
    assert overview != "Overview"
    assert f">{overview}</a>" in page(visitor, "/fr/plans/2020-2023/")


def test_fallback_note_where_plan_text_is_missing_in_the_language(visitor, plan):
    goal = Goal.objects.get(plan=plan, number=1)
    goal.short_name_es = ""  # whatever translations the fixtures ship, this one is missing
    goal.save()
    spanish = page(visitor, "/es/plans/2020-2023/goals/1/")
    assert 'class="notice notice-fallback"' in spanish
    # the English text is marked as English, so that screen readers read it right
    assert f'<span lang="en" dir="ltr" class="fallback">{goal.short_name_en}</span>' in spanish
    assert "notice-fallback" not in page(visitor, f"{PLAN}/goals/1/")
    chinese = page(visitor, "/zh-hans/plans/2020-2023/risks/")
    assert "notice-fallback" not in chinese
    assert Risk.objects.get(plan=plan, number=1).title_zh_hans in chinese


def test_fallback_note_names_the_language_shown(visitor, plan):
    plan.vision_zh_hans = ""
    plan.save()
    chinese = page(visitor, "/zh-hans/plans/2020-2023/")
    note = re.search(r'class="notice notice-fallback"[^>]*>(.*?)</p>', chinese, re.S).group(1)
    with translation.override("zh-hans"):
        from django.utils.translation import get_language_info

        assert str(get_language_info("en")["name_translated"]) in note
    assert f'<div lang="en" dir="ltr" class="fallback"><p>{plan.vision_en}</p></div>' in chinese


# --- overview ---------------------------------------------------------------------------------


def test_overview_is_the_current_plans(visitor, plan):
    assert StrategicPlan.objects.current() == plan
    home, plan_page = page(visitor, "/en/"), page(visitor, f"{PLAN}/")
    for html in (home, plan_page):
        assert plan.vision_en.strip("“”") in html
        assert plan.mission_en.strip("“”") in html


VERDICTS = {
    "achieved": 2,  # 1.2 (67% in 2023), 2.4 (36% of LDC individuals in 2022)
    "not_achieved": 1,  # 2.8 (gender parity 0.92 in 2023)
    "no_target_year_figure": 6,  # 1.1, 1.6, 2.1, 2.2, 2.3, 3.2
    "no_numeric_target": 1,  # 3.1
    "no_base_figure": 1,  # 1.3 (affordability -25% from 2017: no 2017 figure)
    "no_data": 15,
}


def test_overview_answers_how_many_targets_were_met_in_one_line(visitor, plan):
    html = page(visitor, f"{PLAN}/")
    assert verdict_counts(plan_progress(plan)) == VERDICTS
    line = re.search(r'<p class="verdict-line">(.*?)</p>', html, re.S).group(1)
    assert line == (
        "Of the plan&#x27;s 26 targets: 2 achieved, 1 not achieved, 6 with no figure for 2023, "
        "1 with no numeric target, 1 with no figure for its base year, 15 with no data."
    )
    # the pace statuses are still computed, as the history of each target
    assert status_counts(plan_progress(plan)) == {
        "achieved": 2,
        "on_track": 4,
        "moderate": 1,
        "limited": 3,
        "insufficient_data": 1,
        "no_data": 15,
    }
    assert "On track" not in text_of(html.split('id="headlines-heading"')[0])


def test_overview_chart_counts_targets_by_verdict_per_goal(visitor, plan):
    html = page(visitor, f"{PLAN}/")
    figure = chart_data(html, "chart-status")
    totals = {trace["meta"]: sum(trace["x"]) for trace in figure["data"]}
    assert totals == VERDICTS
    assert [trace["meta"] for trace in figure["data"]] == list(VERDICTS)  # in the listed order
    goal_one = {trace["meta"]: trace["x"][0] for trace in figure["data"]}
    assert goal_one == {
        "achieved": 1,
        "not_achieved": 0,
        "no_target_year_figure": 2,
        "no_numeric_target": 0,
        "no_base_figure": 1,
        "no_data": 5,
    }
    assert next(t for t in figure["data"] if t["meta"] == "not_achieved")["x"] == [0, 1, 0, 0, 0]
    # the chart's table alternative: one row per goal, then all goals
    text = text_of(html)
    assert (
        "Goal Target achieved Target not achieved No figure for the target year "
        "No numeric target No figure for the base year No data Total" in text
    )
    assert "All goals 2 1 6 1 1 15 26" in text


def test_overview_of_a_plan_still_running_counts_targets_by_pace_status(visitor, plan):
    plan.period_end = 2099
    plan.save()
    html = page(visitor, f"{PLAN}/")
    assert 'class="verdict-line"' not in html
    figure = chart_data(html, "chart-status")
    assert {trace["meta"]: sum(trace["x"]) for trace in figure["data"]} == status_counts(
        plan_progress(plan)
    )
    assert "Of the plan's 26 targets: Target achieved: 2; On track: 4;" in text_of(html)


def test_overview_shows_the_headline_figures(visitor, plan):
    text = text_of(page(visitor, f"{PLAN}/"))
    assert "Individuals using the Internet 67% World, 2023 · target 65% by 2023" in text
    assert "Households with Internet access at home 57% World, 2019" in text
    assert "1.3% of GNI per capita World, 2023" in text


def test_overview_offers_every_targets_status_as_csv_and_json_in_its_language(visitor, plan):
    html = page(visitor, "/fr/plans/2020-2023/")
    links = re.findall(r'href="(/api/v1/plans/2020-2023/progress/[^"]+)"', html)
    assert len(links) == 2
    csv_url, json_url = (html_module.unescape(link) for link in links)
    assert 'download="itu-rbm-2020-2023-progress-fr.csv"' in html
    rows = list(csv.DictReader(io.StringIO(page(visitor, csv_url))))
    assert len(rows) == Target.objects.filter(goal__plan=plan).count() == 26
    internet = next(row for row in rows if row["target"] == "1.2")
    assert internet["geography_name"] == "Monde" and internet["status"] == "achieved"
    assert json.loads(page(visitor, json_url))["count"] == 26


# --- goal -------------------------------------------------------------------------------------


def test_goal_page_lists_its_targets_with_status_and_charts(visitor, plan):
    html = page(visitor, f"{PLAN}/goals/1/")
    text = text_of(html)
    codes = list(
        Target.objects.filter(goal__plan=plan, goal__number=1).values_list("code", flat=True)
    )
    for code in codes:
        assert f'href="/en/plans/2020-2023/targets/{code}/"' in html
    assert (
        "Target achieved: the figure for World was 67% in 2023 (ITU, Facts and Figures 2023), "
        "against a target of 65% by 2023." in text
    )
    assert "Latest 67% (2023) Target 65% (2023)" in text
    # 1.1 stopped in 2019: no verdict from a forecast, the pace kept as history
    assert (
        "No figure for the target year: there is no figure for 2023. The latest figure for World "
        "is 57% in 2019" in text
    )
    assert "Pace status in 2019: On track." in text
    bullet = chart_data(html, "chart-bullet-1-2")
    assert {t["meta"]: t["x"] for t in bullet["data"]} == {
        "latest": [67.0],
        "target": [65.0],
        "baseline": [49.0],
    }
    trend = chart_data(html, "chart-trend-1-2")
    # the trend shows every chosen figure, Facts and Figures 2024's 2024 figure too
    assert trend["data"][0]["x"] == [2017, 2018, 2019, 2021, 2022, 2023, 2024]
    assert "No data: no figure for World has been published yet." in text  # 1.4 and others


def test_goal_page_lists_its_sdg_targets(visitor, plan):
    goal = Goal.objects.get(plan=plan, number=1)
    html = page(visitor, f"{PLAN}/goals/1/")
    codes = list(goal.sdg_targets.values_list("code", flat=True))
    assert codes
    for code in codes:
        assert f'<span class="code">{code}</span>' in html


def test_goal_page_unknown_goal_is_404(visitor, plan):
    page(visitor, f"{PLAN}/goals/9/", status=404)


# --- target -----------------------------------------------------------------------------------


def test_target_page_shows_status_in_words_and_numbers(visitor, plan):
    text = text_of(page(visitor, f"{PLAN}/targets/1.2/"))
    assert (
        "Target achieved: the figure for World was 67% in 2023, against a target of 65% by 2023."
        in text
    )
    assert "Base 49% in 2017 Latest 67% in 2023 Target 65% by 2023" in text
    assert "Observed growth 5.4% a year Required growth 4.8% a year" in text


def test_target_page_gives_the_verdict_of_2_8_with_its_gap_and_later_figure(visitor, plan):
    html = page(visitor, f"{PLAN}/targets/2.8/")
    text = text_of(html)
    assert (
        "Verdict ✘ Target not achieved – How status is computed Target not achieved: the figure "
        "for World was 0.92 in 2023 (ITU, Facts and Figures 2023), against a target of 1 "
        "(0.98–1.02). That is 0.06 short of the target: 33.3% of the way from the 2018 base "
        "(0.89)." in text
    )
    assert (
        "Figure judged 0.92 in 2023 (ITU, Facts and Figures 2023) Target 1 (0.98–1.02) by 2023 "
        "Short of the target by 0.06 Share of the way from the base 33.3% (base 0.89 in 2018)"
        in text
    )
    assert "Pace status in 2023: Limited progress." in text  # history, not the verdict
    assert '<a class="status verdict-not_achieved"' in html


def test_target_page_without_a_target_year_figure_shows_the_latest_and_a_projection(visitor, plan):
    text = text_of(page(visitor, f"{PLAN}/targets/3.2/"))
    assert (
        "No figure for the target year: there is no figure for 2023. The latest figure for World "
        "is 22.3% in 2022 (ITU, UNITAR, The Global E-waste Monitor 2024), against a target of 30% "
        "by 2023. That is 7.7 percentage points short of the target: 38.9% of the way from the "
        "2019 base (17.4%). Projection, not a published figure: at the 2019–2022 pace it would "
        "have reached 24.2% in 2023." in text
    )
    assert (
        "Latest figure 22.3% in 2022" in text and "Projection (not a figure) 24.2% in 2023" in text
    )


def test_target_without_a_numeric_target_is_not_on_track(visitor, plan):
    html = page(visitor, f"{PLAN}/targets/3.1/")
    verdict = text_of(html.split('id="status-heading">', 1)[1].split("</section>", 1)[0])
    assert verdict.startswith(
        "Verdict ○ No numeric target – How status is computed No numeric target: the plan asks "
        "for progress but sets no figure to reach, so the target cannot be judged met or missed. "
        "The figure for World went from 38% in 2017 to 64% in 2020."
    )
    assert "On track" not in verdict


def test_a_single_approved_2023_figure_judges_target_1_4(visitor, plan):
    indicator = Indicator.objects.get(plan=plan, target__code="1.4", is_main=True)
    Observation.objects.create(
        indicator=indicator,
        geography=indicator.headline_geography,
        year=2023,
        value=Decimal("85"),
        publisher="ITU",
        publication="Reviewer test",
        source="s",
        edition="Reviewer test",
        status=Observation.Status.APPROVED,
    )
    text = text_of(page(visitor, f"{PLAN}/targets/1.4/"))
    assert (
        "Target not achieved: the figure for World was 85% in 2023 (ITU, Reviewer test), against "
        "a target of 100%. That is 15 percentage points short of the target." in text
    )
    assert "progress cannot be measured" not in text.split("The pace of progress")[0]


def test_target_page_projects_an_unfinished_series(visitor, plan):
    html = page(visitor, f"{PLAN}/targets/2.2/")
    assert (
        "Limited progress: at the recent pace the figure for Least developed countries reaches "
        "15.5% in 2023, against a target of 30%." in text_of(html)
    )
    figure = chart_data(html, "chart-2-2-households-internet")
    projection = next(t for t in figure["data"] if t["meta"] == "projection")
    assert projection["x"] == [2019, 2020, 2021, 2022, 2023]
    assert projection["y"][0] == 11.8
    assert projection["y"][-1] == pytest.approx(15.487, abs=0.001)


def test_target_chart_draws_every_chosen_figure(visitor, plan):
    html = page(visitor, f"{PLAN}/targets/1.2/")
    figure = chart_data(html, "chart-1-2-internet-use")
    indicator = Indicator.objects.get(plan=plan, code="1.2-internet-use")
    series = build_series(
        indicator, Observation.objects.approved().filter(indicator=indicator), plan
    )
    drawn = {t["meta"]: t for t in figure["data"]}
    for s in series:
        code = s.geography_id
        trace = next(t for t in figure["data"] if t["meta"].startswith("observed:") and t["name"])
        assert trace
        geography = indicator.observations.filter(geography_id=code).first().geography.code
        assert drawn[f"observed:{geography}"]["x"] == [p.year for p in s.points]
        assert drawn[f"observed:{geography}"]["y"] == [float(p.value) for p in s.points]
    # Facts and Figures 2024's 2024 figure is drawn too, after the target year
    assert drawn["observed:WLD"]["x"] == [2017, 2018, 2019, 2021, 2022, 2023, 2024]
    assert drawn["target"]["y"] == [65.0, 65.0]
    assert drawn["baseline"]["x"] == [2017]
    assert "projection" not in drawn  # the latest year is the target year


def test_target_page_tables_show_editions_and_history(visitor, plan):
    html = page(visitor, f"{PLAN}/targets/1.2/")
    text = text_of(html)
    assert "Other editions (history)" in text
    # 2019 comes from the newest edition that has it; the October 2019 release's 53.6 is history
    history = html.split("Other editions (history)", 1)[1]
    history = history.split("</table>", 1)[0]
    assert "53.6%" in history
    assert "Facts and Figures 2023" in text
    observations = Observation.objects.approved().filter(indicator__target__code="1.2")
    assert f"The target's {observations.count()} approved figures" in text
    for edition in observations.values_list("edition", flat=True).distinct():
        assert edition.replace("'", "&#x27;").replace('"', "&quot;") in html


def test_target_without_data_says_so(visitor, plan):
    text = text_of(page(visitor, f"{PLAN}/targets/1.4/"))
    assert "No data: no figure for World has been published yet." in text
    assert "No figure has been published for this indicator yet." in text


def test_unknown_target_is_404(visitor, plan):
    page(visitor, f"{PLAN}/targets/9.9/", status=404)
    page(visitor, "/en/plans/1999-2000/targets/1.2/", status=404)


# --- downloads --------------------------------------------------------------------------------


def database_rows(code):
    return [
        {
            "indicator": obs.indicator.code,
            "geography": obs.geography.code,
            "year": obs.year,
            "value": obs.value,
            "edition": obs.edition,
            "source": obs.source,
        }
        for obs in Observation.objects.approved()
        .filter(indicator__target__code=code)
        .select_related("indicator", "geography")
        .order_by("indicator__code", "geography__code", "year", "edition")
    ]


def test_download_csv_has_the_targets_figures(staff_client, plan):
    # the import format, for staff (tests/dashboards/test_downloads.py: the public downloads)
    response = staff_client.get(f"{PLAN}/targets/1.2/download.import.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="itu-rbm-2020-2023-target-1.2-import.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [
        "indicator",
        "geography",
        "year",
        "value",
        "publisher",
        "publication",
        "edition",
        "source",
        "source_url",
        "reported_in",
        "note",
    ]  # the import format itself: a corrected file loads again
    expected = database_rows("1.2")
    assert len(rows) == len(expected) == 29  # with the two world figures of Facts and Figures 2024
    for row, obs in zip(rows, expected, strict=True):
        assert Decimal(row["value"]) == obs["value"]
        assert (row["indicator"], row["geography"], int(row["year"]), row["edition"]) == (
            obs["indicator"],
            obs["geography"],
            obs["year"],
            obs["edition"],
        )


def test_download_json_has_the_same_figures(visitor, plan):
    document = visitor.get(f"{PLAN}/targets/1.2/download.json").json()
    assert (document["plan"], document["target"]) == ("2020-2023", "1.2")
    expected = database_rows("1.2")
    assert [
        (o["indicator"], o["geography"], o["year"], Decimal(o["value"]), o["edition"])
        for o in document["observations"]
    ] == [(o["indicator"], o["geography"], o["year"], o["value"], o["edition"]) for o in expected]
    world_2023 = [
        o
        for o in document["observations"]
        if (o["indicator"], o["geography"], o["year"]) == ("1.2-internet-use", "WLD", 2023)
    ]
    assert [o["value"] for o in world_2023] == ["67"]


def test_download_leaves_out_figures_not_approved(visitor, plan):
    indicator = Indicator.objects.get(plan=plan, code="1.2-internet-use")
    Observation.objects.create(
        indicator=indicator,
        geography=indicator.headline_geography,
        year=2024,
        value=Decimal("70"),
        source="x",
        edition="unreviewed",
        status="submitted",
    )
    document = visitor.get(f"{PLAN}/targets/1.2/download.json").json()
    assert "unreviewed" not in {o["edition"] for o in document["observations"]}


def test_download_of_another_format_is_404(visitor, plan):
    page(visitor, f"{PLAN}/targets/1.2/download.xml", status=404)


# --- objectives, risks, linkages, about -------------------------------------------------------


def test_objectives_page_lists_every_objective_outcome_and_enabler(visitor, plan):
    html = page(visitor, f"{PLAN}/objectives/")
    for code in Objective.objects.filter(plan=plan).values_list("code", flat=True):
        assert f'id="objective-{code}"' in html
    for code in Outcome.objects.filter(plan=plan).values_list("code", flat=True):
        assert f'<span class="code">{code}</span>' in html
    assert 'id="enabler-BDT-1"' in html
    for sector in ("ITU-R", "ITU-T", "ITU-D", "intersectoral"):
        assert f'id="sector-{sector}"' in html


def test_objectives_page_says_no_links_rather_than_an_empty_matrix(visitor, plan):
    html = page(visitor, f"{PLAN}/objectives/")
    assert "No links between sector objectives and strategic goals have been recorded" in html
    assert "chart-linkage" not in html
    assert "plotly" not in html  # no chart on the page: the bundle is not loaded


def test_objectives_page_draws_links_once_recorded(visitor, plan):
    r1 = Objective.objects.get(plan=plan, code="R.1")
    d1 = Objective.objects.get(plan=plan, code="D.1")
    goal1, goal2 = Goal.objects.get(plan=plan, number=1), Goal.objects.get(plan=plan, number=2)
    ObjectiveGoalLink.objects.create(objective=r1, goal=goal1, kind="primary")
    ObjectiveGoalLink.objects.create(objective=d1, goal=goal2, kind="primary")
    ObjectiveGoalLink.objects.create(objective=d1, goal=goal1, kind="secondary")
    html = page(visitor, f"{PLAN}/objectives/")
    figure = chart_data(html, "chart-linkage")
    traces = {t["meta"]: t for t in figure["data"]}
    assert traces["primary"]["y"] == ["R.1", "D.1"]
    assert traces["secondary"]["y"] == ["D.1"]
    assert (
        "3 links recorded between 2 sector objectives and the goals: 2 primary, 1 secondary."
        in (text_of(html))
    )


def test_risks_page_groups_mitigations_by_strategy(visitor, plan):
    html = page(visitor, f"{PLAN}/risks/")
    for risk in Risk.objects.filter(plan=plan).prefetch_related("mitigations"):
        assert risk.title_en in html
        for mitigation in risk.mitigations.all():
            assert mitigation.text_en.replace("'", "&#x27;") in html
    first = html.split('id="risk-1"', 1)[1].split('id="risk-2"', 1)[0]
    assert re.findall(r'class="strategy strategy-(\w+)"', first) == ["avoid", "limit", "transfer"]
    assert "Avoid 5 mitigations" in text_of(html)  # avoid 5, limit 10, transfer 4 in the plan


def test_linkages_page_charts_wsis_and_sdgs(visitor, plan):
    html = page(visitor, f"{PLAN}/linkages/")
    wsis = chart_data(html, "chart-wsis")
    outputs = next(t for t in wsis["data"] if t["meta"] == "outputs")
    expected = list(
        WsisContribution.objects.filter(plan=plan).values_list("action_line__code", "outputs")
    )
    assert list(zip(outputs["y"], outputs["x"], strict=True)) == expected
    sdgs = chart_data(html, "chart-sdgs")
    assert len(sdgs["data"][0]["y"]) == 17
    text = text_of(html)
    assert "No count given for C8, C9, C10." in text
    assert "9.c.1 (ITU custodian)" in text


def test_about_page_explains_levels_status_and_data(visitor, plan):
    html = page(visitor, f"{PLAN}/about/")
    text = text_of(html)
    for name in FrameworkLevel.objects.filter(plan=plan).values_list("name_en", flat=True):
        assert name in text
    assert "this plan uses the Statistics Canada / Open SDG method" in text
    assert 'href="/en/method/"' in html
    assert "The portal holds 186 approved figures for this plan" in text
    # the plan is over: the verdicts are explained beside the pace statuses
    assert "The plan's period ended in 2023: each target's status is now a verdict" in text
    assert "✘ Target not achieved – How status is computed The figure for the target year" in text
    for code in ("1.4", "1.5", "1.7", "5.1"):
        assert f'href="/en/plans/2020-2023/targets/{code}/">{code}</a>' in html
    assert "1.1</a> (2019)" in html  # a series that stops before 2023


def test_method_page_is_a_page_of_the_portal(visitor):
    # in full, in six languages: tests/dashboards/test_method.py
    response = visitor.get("/en/method/")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>How status is computed</h1>" in response.content


# --- drafts, assets, errors -------------------------------------------------------------------


def test_draft_plan_is_hidden_from_visitors_and_shown_to_staff(visitor, staff_client, plan):
    plan.status = StrategicPlan.Status.DRAFT
    plan.save()
    for url in (
        f"{PLAN}/",
        f"{PLAN}/goals/1/",
        f"{PLAN}/targets/1.2/",
        f"{PLAN}/targets/1.2/download.csv",
        f"{PLAN}/objectives/",
        f"{PLAN}/risks/",
        f"{PLAN}/linkages/",
        f"{PLAN}/about/",
    ):
        page(visitor, url, status=404)
        assert staff_client.get(url).status_code == 200, url
    assert "This plan is a draft: only staff can see it." in page(staff_client, f"{PLAN}/")
    assert "No plan has been published yet" in page(visitor, "/en/")


def test_chart_pages_load_plotly_deferred_and_no_inline_script(visitor, plan):
    html = page(visitor, f"{PLAN}/targets/3.1/")
    assert '<script src="/static/vendor/plotly-basic-4.1.1.min.js" defer></script>' in html
    # a page with a map loads plotly's geo bundle instead (it draws lines too)
    mapped = page(visitor, f"{PLAN}/targets/1.2/")
    assert '<script src="/static/vendor/plotly-geo-4.1.1.min.js" defer></script>' in mapped
    assert "plotly-basic" not in mapped
    assert '<script src="/static/js/charts.js" defer></script>' in html
    scripts = re.findall(r"<script([^>]*)>", html)
    # data only: charts' figures and the schema.org Dataset markup, never inline code
    data = ('type="application/json"', 'type="application/ld+json"')
    assert all("src=" in attrs or any(kind in attrs for kind in data) for attrs in scripts)
    assert "style=" not in html
    assert "plotly" not in page(visitor, f"{PLAN}/risks/")


def test_unknown_page_is_a_translated_404(visitor):
    html = page(visitor, "/fr/nowhere/", status=404)
    assert '<html lang="fr" dir="ltr">' in html


def test_pages_are_served_compressed_to_browsers_that_accept_it(visitor, plan):
    plain = visitor.get("/en/plans/2020-2023/targets/1.2/")
    compressed = visitor.get("/en/plans/2020-2023/targets/1.2/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    body = gzip.decompress(compressed.content).decode()
    assert 'id="chart-1-2-internet-use"' in body
    # a page of text and figures shrinks to well under a third of its size
    assert len(compressed.content) < len(plain.content) / 3


# --- citations and provenance (issue 13) --------------------------------------------------------


def _figure_rows(html: str, caption: str) -> list[str]:
    """The text of each body row of the figures table with this caption."""
    table = html.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    return [text_of(row) for row in table.split("<tr>")[2:]]


def test_target_page_cites_publisher_publication_and_edition_on_every_row(
    visitor, plan, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):  # with the map of the Member States
        html = page(visitor, f"{PLAN}/targets/1.2/")
    rows = _figure_rows(
        html, "Individuals using the Internet: figures used, one per geography and year"
    )
    world = {row.split(" ")[1]: row for row in rows if row.startswith("World ")}
    assert world["2023"].startswith(
        "World 2023 67% Facts and Figures 2023 ITU, Facts and Figures 2023 Provenance"
    )
    # Facts and Figures 2024, read in reports of ITU's press release: said in the provenance
    assert world["2024"].startswith(
        "World 2024 68% Facts and Figures 2024 ITU, Facts and Figures 2024 Provenance "
        "As reported by digitaldemocracynow.org, dataxpat.com. ITU press release"
    )
    # the October 2019 release: its edition is named beside the workbook's title
    assert (
        world["2017"]
        .split("% ", 1)[1]
        .startswith(
            "Key ICT indicators, 28 October 2019 ITU, Key ICT indicators for developed and "
            "developing countries and the world, Key ICT indicators, 28 October 2019 Provenance "
            "ITU workbook"
        )
    )
    assert all(" Provenance " in row for row in rows)


def test_target_page_history_lists_other_editions_with_their_citation(visitor, plan):
    html = page(visitor, f"{PLAN}/targets/1.2/")
    history = _figure_rows(html, "Individuals using the Internet: figures from other editions")
    # 2019: the series takes 54 (Facts and Figures 2021 vintage); the October 2019 release said
    # 53.6 and stays as history, cited
    assert [row for row in history if row.startswith("World 2019 53.6%")] == [
        next(row for row in history if row.startswith("World 2019 53.6% Key ICT indicators"))
    ]


def test_target_page_citations_keep_proper_names_and_translate_what_surrounds_them(visitor, plan):
    html = page(visitor, "/ar/plans/2020-2023/targets/1.2/")
    text = text_of(html)
    assert "ITU، Facts and Figures 2023" in text  # the Arabic comma, the names as published
    assert "كما أورده digitaldemocracynow.org, dataxpat.com." in text
    assert "مصدر الحصول على القيمة" in text  # "Provenance"
    zh = text_of(page(visitor, "/zh-hans/plans/2020-2023/targets/3.1/"))
    assert "ITU，Global Cybersecurity Index 2024" in zh
    assert "据Computer Weekly报道。" in zh


def test_target_page_sources_table_cites_each_edition_once_with_every_provenance(visitor, plan):
    html = page(visitor, f"{PLAN}/targets/3.3/")
    sources = html.split('id="sources-heading"', 1)[1].split("</table>", 1)[0]
    rows = [text_of(row) for row in sources.split("<tr>")[2:]]
    monitor_2017 = next(row for row in rows if row.startswith("Global E-waste Monitor 2017"))
    # the monitor read on ITU's library, and two figures only a press report carries
    assert monitor_2017.startswith(
        "Global E-waste Monitor 2017 UNU, ITU, ISWA, The Global E-waste Monitor 2017 Provenance"
    )
    assert "As reported by WastePlant." in monitor_2017
    assert sum(row.startswith("Global E-waste Monitor 2017") for row in rows) == 1
