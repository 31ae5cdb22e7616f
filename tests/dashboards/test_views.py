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
from indicators.status import build_series, plan_progress, status_counts
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


def test_overview_counts_targets_by_status(visitor, plan):
    html = page(visitor, f"{PLAN}/")
    expected = status_counts(plan_progress(plan))
    shown = dict(
        re.findall(
            r'<li><span class="status status-([a-z_]+)">(?:(?!</li>).)*?<strong>(\d+)</strong>',
            html,
            re.S,
        )
    )
    assert {status: int(count) for status, count in shown.items() if int(count)} == expected
    assert expected == {
        "achieved": 2,
        "on_track": 4,
        "moderate": 1,
        "limited": 3,
        "insufficient_data": 1,
        "no_data": 15,
    }
    figure = chart_data(html, "chart-status")
    totals = {trace["meta"]: sum(trace["x"]) for trace in figure["data"]}
    assert totals == expected
    goal_one = {trace["meta"]: trace["x"][0] for trace in figure["data"]}
    assert goal_one == {
        "achieved": 1,
        "on_track": 2,
        "moderate": 0,
        "limited": 0,
        "insufficient_data": 1,
        "no_data": 5,
    }
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
        "Target achieved: the figure for World was 67% in 2023, against a target of 65% by 2023."
        in text
    )
    assert "Latest 67% (2023) Target 65% (2023)" in text
    bullet = chart_data(html, "chart-bullet-1-2")
    assert {t["meta"]: t["x"] for t in bullet["data"]} == {
        "latest": [67.0],
        "target": [65.0],
        "baseline": [49.0],
    }
    trend = chart_data(html, "chart-trend-1-2")
    assert trend["data"][0]["x"] == [2017, 2018, 2019, 2021, 2022, 2023]
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
    assert drawn["observed:WLD"]["x"] == [2017, 2018, 2019, 2021, 2022, 2023]
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


def test_download_csv_has_the_targets_figures(visitor, plan):
    response = visitor.get(f"{PLAN}/targets/1.2/download.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="itu-rbm-2020-2023-target-1.2.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [
        "indicator",
        "geography",
        "year",
        "value",
        "source",
        "source_url",
        "edition",
        "note",
    ]
    expected = database_rows("1.2")
    assert len(rows) == len(expected) == 27
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
    assert "The portal holds 184 approved figures for this plan" in text
    for code in ("1.4", "1.5", "1.7", "5.1"):
        assert f'href="/en/plans/2020-2023/targets/{code}/">{code}</a>' in html
    assert "1.1</a> (2019)" in html  # a series that stops before 2023


def test_method_page_serves_the_method_document(visitor):
    response = visitor.get("/en/method/")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"# How the portal decides a progress status" in response.content


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
    html = page(visitor, f"{PLAN}/targets/1.2/")
    assert '<script src="/static/vendor/plotly-basic-4.1.1.min.js" defer></script>' in html
    assert '<script src="/static/js/charts.js" defer></script>' in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
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
