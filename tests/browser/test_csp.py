"""Every kind of page works under the Content-Security-Policy (itu_rbm/settings.py): the browser
reports no violation and no console error, the charts are drawn, the admin's translation tabs
switch and Swagger UI lists the API's operations."""

import pytest

from frameworks.models import Goal
from tests.personas import PASSWORD, make_persona

from .conftest import wait_for_charts

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PLAN = "/plans/2020-2023"
PUBLIC = [
    "/",
    f"{PLAN}/",
    f"{PLAN}/goals/1/",
    f"{PLAN}/targets/1.2/",
    f"{PLAN}/objectives/",
    f"{PLAN}/risks/",
    f"{PLAN}/linkages/",
    f"{PLAN}/about/",
    "/method/",
]
# Each violation is reported to the page as an event, before anything else runs on it.
LISTEN = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.violations.push(`${event.effectiveDirective} ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, listening for CSP violations and console errors; asserts none at the end."""
    page.add_init_script(LISTEN)
    console = []

    def record(message):
        source = message.location.get("url", "")
        # the browser asks for /favicon.ico by itself on the admin's pages, which name no icon
        if message.type == "error" and not source.endswith("/favicon.ico"):
            console.append(f"{message.text} {source}")

    page.on("console", record)
    page.console_errors = console
    yield page
    assert not console, console


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")


def assert_clean(page) -> None:
    assert page.evaluate("window.violations") == [], page.url
    assert page.console_errors == [], page.url


def draw_every_chart(page) -> int:
    """Draws the charts that wait to be scrolled to (as for printing); how many were drawn."""
    charts = page.locator(".chart-plot[data-figure]").count()
    if charts:
        wait_for_charts(page)
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.wait_for_function(
            f"document.querySelectorAll('.chart-plot[data-drawn=true]').length === {charts}"
        )
        # each one an svg with its traces, as plotly draws them once its style rules apply
        assert page.locator(".chart-plot .main-svg").count() >= charts
        assert page.locator(".chart-plot .trace").count() >= charts
    return charts


def sign_in(page, server, username: str, next_url: str) -> None:
    page.goto(f"{server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_url}")


def test_public_pages_in_three_languages_draw_their_charts_without_violation(
    loaded_server, watched
):
    drawn = 0
    for language in ("en", "ar", "zh-hans"):
        for path in PUBLIC:
            visit(watched, f"{loaded_server.url}/{language}{path}")
            drawn += draw_every_chart(watched)
            assert_clean(watched)
        missing = f"{loaded_server.url}/{language}/no-such-page/"
        visit(watched, missing)
        # the one error: the page's own status, which the browser logs
        assert watched.console_errors == [
            f"Failed to load resource: the server responded with a status of 404 (Not Found) "
            f"{missing}"
        ]
        watched.console_errors.clear()
        assert watched.locator("h1").count() == 1
        assert_clean(watched)
    # plotly's rules come from static/vendor/plotly.css, not from a <style> it inserts
    assert watched.locator("style").count() == 0
    assert watched.evaluate(
        "getComputedStyle(document.body).direction"
    )  # the page's own style sheet applied
    assert drawn >= 3 * 3  # overview, plan and target pages each have charts, in each language


def test_workspace_pages_as_reporter_and_reviewer_without_violation(loaded_server, watched):
    make_persona("reporter_d")
    make_persona("reviewer_d")
    pages = {
        "reporter_d": ["/en/workspace/", "/en/workspace/figures/", "/en/workspace/figures/new/"],
        "reviewer_d": ["/en/workspace/review/", "/en/workspace/history/"],
    }
    for username, urls in pages.items():
        watched.context.clear_cookies()
        sign_in(watched, loaded_server, username, urls[0])
        for url in urls:
            visit(watched, f"{loaded_server.url}{url}")
            assert watched.locator("main h1, h1").count() >= 1
            assert_clean(watched)


def test_admin_translation_tabs_switch_without_violation(loaded_server, watched):
    make_persona("administrator")
    goal = Goal.objects.order_by("pk").first()
    sign_in(watched, loaded_server, "administrator", "/admin/frameworks/goal/")
    assert watched.locator("#result_list tbody tr").count() == Goal.objects.count()
    assert_clean(watched)

    visit(watched, f"{loaded_server.url}/admin/frameworks/goal/{goal.pk}/change/")
    tabs = watched.locator(".ui-tabs-nav a")
    assert tabs.count() >= 6  # jQuery UI drew modeltranslation's tabs, one per language
    french = watched.locator("input[id$='_fr'], textarea[id$='_fr']").first
    assert not french.is_visible()
    watched.locator(".ui-tabs-nav a", has_text="fr").first.click()
    assert french.is_visible()
    assert_clean(watched)


def test_api_docs_render_the_operations_without_violation(loaded_server, watched):
    visit(watched, f"{loaded_server.url}/api/docs/")
    watched.wait_for_selector(".opblock")
    assert watched.locator(".opblock").count() >= 5
    assert_clean(watched)
