"""The countries page in a real browser: the world map is drawn from the portal's own geometry
(plotly's choropleth paths), the keyboard reaches it, the table beside it has the same
countries, the layout mirrors in Arabic (the map does not), and nothing breaks the CSP."""

import pytest

from tests.dashboards.countries_factory import build_country_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LISTEN = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    const where = `${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`;
    window.violations.push(`${event.effectiveDirective} ${event.blockedURI || "inline"} ${where}`);
});
"""


@pytest.fixture
def countries_server(loaded_server):
    build_country_data()
    return loaded_server


def open_map(page, address: str) -> None:
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.add_init_script(LISTEN)
    page.goto(address)
    page.wait_for_function("document.documentElement.dataset.mapDrawn === 'true'")
    page.requests = requests


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_the_map_is_drawn_reachable_by_keyboard_with_its_table(countries_server, page, language):
    open_map(page, f"{countries_server.url}/{language}/countries/")
    # drawn: one filled path per country with a figure, from the portal's own geometry
    paths = page.locator("#map-countries .choroplethlayer path.choroplethlocation")
    rows = page.locator("#map-countries-table tbody tr")
    assert rows.count() == 18
    assert paths.count() == rows.count()
    assert all(url.startswith(countries_server.url) for url in page.requests)
    assert any(url.endswith(".json") and "topojson" in url for url in page.requests)
    # Tab from the search form's last control reaches the map's container, then its table
    page.locator(".country-filters button[type=submit]").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "map-countries"
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label.endswith("2021")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('map-table')")
    assert page.evaluate("window.violations") == []


def test_arabic_mirrors_the_layout_but_not_the_map(countries_server, page):
    open_map(page, f"{countries_server.url}/ar/countries/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert (
        page.evaluate("getComputedStyle(document.getElementById('map-countries')).direction")
        == "ltr"
    )
    # the table sits beside the map on the left in Arabic, on the right in English
    map_box = page.locator("#map-countries").bounding_box()
    table_box = page.locator(".map-table").bounding_box()
    assert table_box["x"] < map_box["x"]
    # the map is not mirrored: Norway (east of the USA) is drawn to the right of the USA
    norway = page.locator("#map-countries path.choroplethlocation").nth(0)
    assert norway is not None
    xs = page.evaluate(
        """() => {
            const gd = document.getElementById('map-countries');
            const codes = gd.data[0].locations;
            const paths = gd.querySelectorAll('path.choroplethlocation');
            const x = (code) => paths[codes.indexOf(code)].getBoundingClientRect().x;
            return [x('USA'), x('NOR')];
        }"""
    )
    assert xs[0] < xs[1]
    assert page.evaluate("window.violations") == []


def test_live_filtering_and_sorting(countries_server, page):
    open_map(page, f"{countries_server.url}/en/countries/")
    page.fill("#country-search", "nor")
    visible = page.locator("#country-list li[data-code]:visible")
    assert [visible.nth(i).get_attribute("data-code") for i in range(visible.count())] == ["NOR"]
    page.fill("#country-search", "KEN")
    assert page.locator("#country-list li[data-code]:visible").count() == 1
    page.fill("#country-search", "")
    page.select_option("#country-group", "LLDC")
    assert page.locator("#country-list li[data-code]:visible").count() == 3
    # sorting the table by value, twice: highest first
    value_header = page.locator("#map-countries-table thead th").nth(1)
    value_header.locator("button").click()
    value_header.locator("button").click()
    assert value_header.get_attribute("aria-sort") == "descending"
    first = page.locator("#map-countries-table tbody tr").first.get_attribute("data-code")
    assert first in ("NOR", "SAU", "USA")  # 99%
    last = page.locator("#map-countries-table tbody tr").last.get_attribute("data-code")
    assert last == "NER"


def test_the_target_page_draws_the_map_and_its_chart(countries_server, page):
    open_map(page, f"{countries_server.url}/en/plans/2020-2023/targets/1.2/")
    page.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'")
    assert page.locator("#map-target path.choroplethlocation").count() == 3
    assert page.evaluate("window.violations") == []
