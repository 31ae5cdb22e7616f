"""The pages in a real browser: languages, right-to-left Arabic, the way from a goal to a
target, its chart as drawn, language switching, downloads, an accessibility scan, and printing."""

import csv
import json
from pathlib import Path

import pytest
from django.utils import translation

from frameworks.models import StrategicPlan
from indicators.models import Indicator, Observation
from indicators.status import build_series

from .conftest import AXE, wait_for_charts

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PLAN = "/plans/2020-2023"


def test_overview_in_english_chinese_and_arabic(loaded_server, page):
    plan = StrategicPlan.objects.get(code="2020-2023")
    for language, direction in (("en", "ltr"), ("zh-hans", "ltr"), ("ar", "rtl")):
        with translation.override(language):
            title = plan.title  # in the language, or its fallback
        page.goto(f"{loaded_server.url}/{language}/")
        wait_for_charts(page)
        html = page.locator("html")
        assert html.get_attribute("lang") == language
        assert html.get_attribute("dir") == direction
        assert page.locator("h1").inner_text() == title
        # the status chart is drawn, one bar series per status present
        assert page.locator("#chart-status .main-svg").count() >= 1
        assert page.evaluate("document.getElementById('chart-status').data.length") == 6
        # the goals' names beside the bars are whole: none starts left of the chart
        cut = page.evaluate(
            """() => {
                const chart = document.querySelector('#chart-status .main-svg')
                    .getBoundingClientRect();
                return [...document.querySelectorAll('#chart-status .ytick text')]
                    .filter(label => label.getBoundingClientRect().left < chart.left)
                    .map(label => label.textContent);
            }"""
        )
        assert cut == [], f"{language}: labels cut off: {cut}"
        if language == "zh-hans":
            assert title == "国际电联2020-2023年战略规划"


def test_goal_to_target_chart_language_switch_and_downloads(loaded_server, page, tmp_path):
    page.goto(f"{loaded_server.url}/en{PLAN}/goals/1/")
    page.get_by_role("link", name="Target 1.2", exact=True).click()
    page.wait_for_url(f"**/en{PLAN}/targets/1.2/")
    wait_for_charts(page)

    indicator = Indicator.objects.get(code="1.2-internet-use")
    series = build_series(
        indicator, Observation.objects.approved().filter(indicator=indicator), indicator.plan
    )
    world = next(s for s in series if s.geography_id == indicator.headline_geography_id)
    drawn = page.evaluate(
        """() => document.getElementById('chart-1-2-internet-use').data
                 .filter(t => t.meta.startsWith('observed:'))
                 .map(t => [t.meta, t.x.length])"""
    )
    assert (
        dict(drawn)["observed:WLD"] == len(world.points) == 7
    )  # 2017–2024, Facts and Figures 2024 included
    assert len(drawn) == len(series)
    # the points are really on the screen: one marker per point of the world's series
    world_trace = page.locator("#chart-1-2-internet-use .scatterlayer .trace").first
    assert world_trace.locator(".points path").count() == 7
    assert "Target achieved" in page.locator(".status-sentence").inner_text()

    page.get_by_role("button", name="français").click()
    page.wait_for_url(f"**/fr{PLAN}/targets/1.2/")
    wait_for_charts(page)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() != "Target 1.2"
    assert page.evaluate("document.getElementById('chart-1-2-internet-use').data.length") >= 6

    files = {}
    for fmt in ("csv", "json"):
        with page.expect_download() as download:
            page.locator(f'a[href$="download.{fmt}"]').click()
        files[fmt] = tmp_path / download.value.suggested_filename
        download.value.save_as(files[fmt])
    assert files["csv"].name == "itu-rbm-2020-2023-target-1.2.csv"
    assert files["csv"].read_bytes().startswith(b"\xef\xbb\xbf")  # a byte-order mark
    with files["csv"].open(encoding="utf-8-sig") as handle:
        from_csv = list(csv.reader(handle))[1:]
    from_json = json.loads(Path(files["json"]).read_text(encoding="utf-8"))["observations"]
    assert (
        len(from_csv)
        == len(from_json)
        == Observation.objects.approved().filter(indicator__target__code="1.2").count()
    )
    for row, obs in zip(from_csv, from_json, strict=True):
        # the same figures; the CSV's columns in the JSON's order, headed in the page's language
        assert (row[1], row[3], row[4], row[6], row[7]) == (
            obs["indicator"],
            obs["geography"],
            obs["geography_name"],
            str(obs["year"]),
            obs["value"],
        )


PAGES = [
    "/en/",
    f"/en{PLAN}/goals/1/",
    f"/en{PLAN}/targets/1.2/",
    f"/en{PLAN}/targets/1.4/",
    f"/en{PLAN}/objectives/",
    f"/en{PLAN}/risks/",
    f"/en{PLAN}/linkages/",
    f"/en{PLAN}/about/",
    "/en/nowhere/",
    "/ar/",
    f"/ar{PLAN}/targets/2.8/",
    f"/zh-hans{PLAN}/goals/2/",
]


# WCAG 2.2 AA, named rather than left to axe's defaults: 2.2 AA includes target-size (2.5.8),
# which the figures tables' citation links and disclosures must pass
AXE_RUN = """axe.run(document, {
    resultTypes: ['violations'],
    runOnly: {type: 'tag', values: [
        'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
})"""


def test_every_page_type_passes_an_accessibility_scan_and_fits_a_phone(loaded_server, page):
    problems = []
    for url in PAGES:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(loaded_server.url + url)
        if page.locator(".chart-plot").count():
            wait_for_charts(page)
        # through the devtools protocol, as an extension would: the page's CSP refuses an
        # inline <script> (add_script_tag), and governs the page, not the tester
        page.evaluate(AXE.read_text())
        result = page.evaluate(AXE_RUN)
        problems += [
            f"{url}: {violation['id']} ({violation['impact']}) {violation['help']} "
            f"{[node['target'] for node in violation['nodes'][:3]]}"
            for violation in result["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        # 360 px: nothing wider than the screen (wide tables scroll inside their own region)
        page.set_viewport_size({"width": 360, "height": 800})
        page.wait_for_timeout(100)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            problems.append(f"{url}: {width} px wide on a 360 px screen")
    assert not problems, "\n".join(problems)


def test_printing_draws_every_chart_and_leaves_out_the_navigation(loaded_server, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{loaded_server.url}/en/")
    wait_for_charts(page)
    drawn = "[...document.querySelectorAll('.chart-plot')].map(e => e.dataset.drawn || '')"
    # the status chart at once; the headline cards' trend lines wait until they are scrolled to
    assert page.evaluate(drawn) == ["true", "", "", ""]
    assert page.pdf().startswith(b"%PDF")
    assert page.evaluate(drawn) == ["true"] * 4  # drawn for the printout
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "['.languages', '.site-nav', '.skip-link', '.site-footer']"
        ".map(s => getComputedStyle(document.querySelector(s)).display)"
    )
    assert hidden == ["none"] * 4
