"""The overview answers the first question of a closed plan in a real browser: how many of the
26 targets were achieved, not achieved and not measured, in one line and one chart, in English,
Arabic (right to left) and Chinese."""

import pytest
from django.utils import translation

from dashboards.presentation import VERDICT_LOOKS, verdict_line
from frameworks.models import StrategicPlan
from indicators.progress import Verdict
from indicators.status import plan_progress, verdict_counts

from .conftest import wait_for_charts

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LINES = {
    "en": "Of the plan's 26 targets: 2 achieved, 1 not achieved, 6 with no figure for 2023, "
    "1 with no numeric target, 1 with no figure for its base year, 15 with no data.",
    "ar": "من مقاصد الخطة البالغ عددها 26: 2 تحققا، 1 لم يتحقق، 6 بلا رقم لسنة 2023، "
    "1 بلا مقصد رقمي، 1 بلا رقم لسنة الأساس، 15 بلا بيانات.",
    "zh-hans": "在规划的26个具体目标中：2个已实现，1个未实现，6个无2023年数字，1个无数值目标，"
    "1个无基准年数字，15个无数据。",
}


def test_overview_verdict_line_and_chart_in_english_arabic_and_chinese(loaded_server, page):
    plan = StrategicPlan.objects.get(code="2020-2023")
    counts = verdict_counts(plan_progress(plan))
    for language, expected in LINES.items():
        with translation.override(language):
            assert verdict_line(counts, 26, 2023) == expected  # the page's words, from the data
        page.goto(f"{loaded_server.url}/{language}/")
        wait_for_charts(page)
        line = page.locator(".verdict-line")
        assert line.inner_text() == expected
        assert line.is_visible()
        # the chart draws one bar series per verdict present, achieved first
        metas = page.evaluate("document.getElementById('chart-status').data.map(t => t.meta)")
        assert metas == [
            "achieved",
            "not_achieved",
            "no_target_year_figure",
            "no_numeric_target",
            "no_base_figure",
            "no_data",
        ]
        # the same numbers as a table, for those who do not see the chart
        page.locator("#chart-status").locator("xpath=..").locator(
            "details.chart-table > summary"
        ).click()
        last_row = page.locator("#chart-status ~ details tbody tr").last
        assert last_row.locator("td").all_inner_texts() == ["2", "1", "6", "1", "1", "15", "26"]
        # the headline card of target 1.1 no longer reads "On track" from its 2019 figure
        card = page.locator(".card.headline").nth(1)
        with translation.override(language):
            label = str(VERDICT_LOOKS[Verdict.NO_TARGET_YEAR_FIGURE].label)
        assert label in card.locator(".status").inner_text()
