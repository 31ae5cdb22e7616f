"""A country page in a real browser: its charts are drawn in English, Arabic and Chinese with no
Content-Security-Policy violation or console error, right to left in Arabic."""

import pytest

from tests.dashboards import country_factory

from .conftest import wait_for_charts
from .test_csp import LISTEN

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_country_page_charts_are_drawn_without_csp_violation(loaded_server, page, language):
    country_factory.build()
    page.add_init_script(LISTEN)
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.goto(f"{loaded_server.url}/{language}/countries/NOR/")
    wait_for_charts(page)
    # every chart, the lazy ones too (charts.js draws them all before printing)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    # polled from here: a predicate polled in the page would be an eval, which the CSP refuses
    every_drawn = (
        "[...document.querySelectorAll('.chart-plot')].every(e => e.dataset.drawn === 'true')"
    )
    for _attempt in range(100):
        if page.evaluate(every_drawn):
            break
        page.wait_for_timeout(100)
    assert page.evaluate(every_drawn)
    drawn = page.locator(".chart-plot .main-svg").count()
    assert drawn >= page.locator(".chart-plot").count() >= 6
    main = page.locator("#chart-1-2-internet-use .scatterlayer .trace")
    assert main.count() >= 4  # Norway, Europe, the world (computed and ITU's), the target
    assert page.evaluate("window.violations") == []
    assert console == []
    direction = page.evaluate("document.documentElement.dir")
    assert direction == ("rtl" if language == "ar" else "ltr")
    assert (
        page.locator("h1").inner_text()
        == {"en": "Norway", "ar": "النرويج", "zh-hans": "挪威"}[language]
    )
