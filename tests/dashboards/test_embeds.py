"""Each chart alone, for other sites to frame, and as a picture (dashboards/embeds.py): its
content against its page's, the headers that allow framing there and only there, bad
addresses, and the "Embed this chart" box under each chart of every page."""

import html as html_module
import re
import xml.etree.ElementTree as ET

import pytest

from frameworks.models import Goal, Objective, ObjectiveGoalLink, StrategicPlan
from tests.dashboards.test_views import chart_data, text_of

pytestmark = pytest.mark.django_db

PLAN = "2020-2023"
CHART = "chart-1-2-internet-use"  # target 1.2's main chart: Internet use
TARGET_PAGE = f"/en/plans/{PLAN}/targets/1.2/"
EMBED = f"/en/embed/plans/{PLAN}/targets/1.2/{CHART}/"
SVG = f"/en/embed/plans/{PLAN}/targets/1.2/{CHART}.svg"
PNG = f"/en/embed/plans/{PLAN}/targets/1.2/{CHART}.png"


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def embed_frames(html: str) -> list[str]:
    """The embed addresses in a page's "Embed this chart" snippets."""
    snippets = re.findall(r'<textarea id="[^"]+-embed-code"[^>]*>(.*?)</textarea>', html, re.S)
    return [
        re.search(r'src="([^"]+)"', html_module.unescape(html_module.unescape(s))).group(1)
        for s in snippets
    ]


# --- the chart alone --------------------------------------------------------------------------


def test_target_chart_embed_shows_the_pages_chart_alone(visitor, plan):
    page = visitor.get(TARGET_PAGE).content.decode()
    response = visitor.get(EMBED)
    assert response.status_code == 200
    html = response.content.decode()

    # the same figure as on the target's page, its title and its table
    assert chart_data(html, CHART) == chart_data(page, CHART)
    assert chart_data(html, CHART)["data"][0]["y"]
    title = re.search(rf'<figcaption id="{CHART}-title"[^>]*>(.*?)</figcaption>', page).group(1)
    assert title.startswith("Individuals using the Internet")
    assert f'<figcaption id="{CHART}-title" class="chart-title">{title}</figcaption>' in html
    assert f"<title>{title} · " in html
    table = re.search(r'<details class="chart-table">.*?</details>', page, re.S).group(0)
    assert table in html
    assert '<th scope="row">World</th>' in table
    # the source line: the editions the page's figures come from
    source = re.search(r'<p class="embed-source"><span>(.*?)</span>', html).group(1)
    assert source.startswith("Source: ITU, ")
    for cited in html_module.unescape(source).removeprefix("Source: ").split("; "):
        assert html_module.escape(cited) in page
    # the way back, out of the frame
    assert (
        f'<a class="embed-back" href="{TARGET_PAGE}#{CHART}" target="_top">View on the portal</a>'
        in html
    )
    # the chart's script and plotly, and nothing of the site around it
    assert "js/charts.js" in html and "plotly-basic" in html
    for part in ('class="site-header"', 'class="site-nav"', 'class="site-footer"', "skip-link"):
        assert part not in html
    assert "chart-embed" not in html  # no embed box inside an embed
    assert '<body class="embed">' in html
    # only this chart
    assert html.count('class="chart-plot"') == 1


def test_embed_in_arabic_is_right_to_left(visitor, plan):
    response = visitor.get(EMBED.replace("/en/", "/ar/", 1))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'target="_top"' in html
    assert f'href="/ar/plans/{PLAN}/targets/1.2/#{CHART}"' in html
    assert "The numbers as a table" not in html  # the page's words in Arabic
    assert chart_data(html, CHART)["layout"]["separators"]


@pytest.mark.parametrize("language", ["en", "ar", "es", "fr", "ru", "zh-hans"])
def test_embed_in_each_language(visitor, plan, language):
    html = visitor.get(EMBED.replace("/en/", f"/{language}/", 1)).content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    assert f'href="/{language}/plans/{PLAN}/targets/1.2/#{CHART}"' in html
    svg = visitor.get(SVG.replace("/en/", f"/{language}/", 1))
    assert svg.status_code == 200 and svg.content.startswith(b"<?xml")


def test_small_charts_show_their_title_and_summary_when_alone(visitor, plan):
    html = visitor.get(f"/en/embed/plans/{PLAN}/goals/1/chart-bullet-1-2/").content.decode()
    assert '<figcaption id="chart-bullet-1-2-title" class="chart-title">' in html
    assert "Target 1.2: latest value against the target" in html
    assert 'class="chart-summary"' in html
    assert "visually-hidden" not in html


def test_country_chart_embed_cites_its_releases(visitor, plan):
    page = visitor.get("/en/countries/NOR/").content.decode()
    chart_id = re.search(r'<div class="chart-plot" id="([^"]+)"', page).group(1)
    html = visitor.get(f"/en/embed/countries/NOR/{chart_id}/").content.decode()
    assert chart_data(html, chart_id) == chart_data(page, chart_id)
    assert "Norway" in text_of(html)
    source = re.search(r'<p class="embed-source"><span>(.*?)</span>', html).group(1)
    assert source.startswith("Source: ")
    assert f'href="/en/countries/NOR/#{chart_id}" target="_top"' in html


def test_objectives_chart_embed_once_links_are_recorded(visitor, plan):
    objective = Objective.objects.get(plan=plan, code="R.1")
    goal = Goal.objects.get(plan=plan, number=1)
    ObjectiveGoalLink.objects.create(objective=objective, goal=goal, kind="primary")
    page = visitor.get(f"/en/plans/{PLAN}/objectives/").content.decode()
    assert embed_frames(page) == [
        f"http://testserver/en/embed/plans/{PLAN}/objectives/chart-linkage/"
    ]
    html = visitor.get(f"/en/embed/plans/{PLAN}/objectives/chart-linkage/").content.decode()
    assert chart_data(html, "chart-linkage") == chart_data(page, "chart-linkage")
    # the plan's own text is the source of its linkages
    assert f'<p class="embed-source"><span>Source: {html_module.escape(plan.title)}</span>' in html


def test_a_draft_plans_charts_are_embedded_for_staff_only(visitor, staff_client, plan):
    StrategicPlan.objects.filter(pk=plan.pk).update(status=StrategicPlan.Status.DRAFT)
    assert visitor.get(EMBED).status_code == 404
    assert visitor.get(SVG).status_code == 404
    response = staff_client.get(EMBED)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "This plan is a draft: only staff can see it." in response.content.decode()


def test_lower_case_country_code_goes_to_the_upper_case_address(visitor, plan):
    response = visitor.get("/en/embed/countries/nor/chart-x/")
    assert response.status_code == 301
    assert response.headers["Location"] == "/en/embed/countries/NOR/chart-x/"


# --- framing: allowed on embeds and pictures only ---------------------------------------------


@pytest.mark.parametrize("url", [EMBED, EMBED.replace("/en/", "/ar/", 1), SVG, PNG])
def test_embeds_and_pictures_may_be_framed_by_any_site(visitor, plan, url):
    for _ in range(2):  # built, then from the cache of public answers
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert policy(response)["frame-ancestors"] == "*"
        assert "X-Frame-Options" not in response.headers


@pytest.mark.parametrize("url", [TARGET_PAGE, f"/en/plans/{PLAN}/", "/en/countries/NOR/"])
def test_normal_pages_still_refuse_framing(visitor, plan, url):
    response = visitor.get(url)
    assert policy(response)["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_embed_is_cached_like_the_pages(visitor, plan, django_assert_max_num_queries):
    first = visitor.get(EMBED)
    assert first.headers["Cache-Control"] == "public, no-cache"
    with django_assert_max_num_queries(0):
        again = visitor.get(EMBED, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


# --- pictures ---------------------------------------------------------------------------------


def test_svg_of_the_chart_is_drawn_on_the_server(visitor, plan):
    response = visitor.get(SVG)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert response.headers["Content-Disposition"] == f'inline; filename="itu-rbm-{CHART}.svg"'
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (root.get("width"), root.get("height")) == ("800", "450")
    # glyphs are drawn as paths; the SVG names each text beside them: the chart's title and the
    # embed page's source line
    svg = response.content.decode()
    embed = visitor.get(EMBED).content.decode()
    source = re.search(r'<p class="embed-source"><span>(.*?)</span>', embed).group(1)
    assert "Individuals using the Internet (per cent)" in svg
    # (wrapped over as many lines as it needs, each named apart)
    texts = " ".join(re.findall(r"<!-- (.*?) -->", html_module.unescape(svg), re.S))
    assert " ".join(html_module.unescape(source).split()) in " ".join(texts.split())


def test_png_of_the_chart_is_drawn_on_the_server(visitor, plan):
    response = visitor.get(PNG)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


# --- bad addresses ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"/en/embed/plans/1999-2000/targets/1.2/{CHART}/", "No published plan has the code"),
        (f"/en/embed/plans/{PLAN}/targets/9.9/{CHART}/", "No Target matches"),
        (f"/en/embed/plans/{PLAN}/targets/1.2/chart-nothing/", "This page has no chart"),
        (f"/en/embed/plans/{PLAN}/targets/1.2/chart-nothing.svg", "This page has no chart"),
        (f"/en/embed/plans/{PLAN}/targets/1.2/{CHART}.gif", "A chart's picture is .svg or .png"),
        (f"/en/embed/plans/{PLAN}/goals/99/chart-bullet-1-2/", "No Goal matches"),
        ("/en/embed/countries/XXX/chart-x/", "No ITU Member State has the code XXX"),
    ],
)
def test_unknown_plan_target_or_chart_is_not_found(visitor, plan, url, message, settings):
    settings.DEBUG = True  # the 404 page then says why
    response = visitor.get(url)
    assert response.status_code == 404
    assert message in html_module.unescape(response.content.decode())


# --- queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "most"),
    [
        (EMBED, 7),  # the plan, the target page's 5 queries (no map)
        (f"/en/embed/plans/{PLAN}/chart-status/", 6),
        (f"/en/embed/plans/{PLAN}/goals/1/chart-bullet-1-2/", 9),
        (f"/en/embed/plans/{PLAN}/linkages/chart-wsis/", 7),
        (SVG, 7),
    ],
)
def test_embed_query_count_is_bounded(visitor, plan, django_assert_max_num_queries, url, most):
    with django_assert_max_num_queries(most):
        assert visitor.get(url).status_code == 200


def test_country_embed_query_count_is_bounded(visitor, plan, django_assert_max_num_queries):
    page = visitor.get("/en/countries/NOR/").content.decode()
    chart_id = re.search(r'<div class="chart-plot" id="([^"]+)"', page).group(1)
    with django_assert_max_num_queries(11):
        assert visitor.get(f"/en/embed/countries/NOR/{chart_id}/").status_code == 200


# --- the "Embed this chart" box ---------------------------------------------------------------


def test_target_page_offers_the_embed_code_and_pictures(visitor, plan):
    html = visitor.get(TARGET_PAGE).content.decode()
    box = re.search(r'<details class="chart-embed">.*?</details>', html, re.S).group(0)
    assert "Embed this chart" in box
    assert (
        f"&lt;iframe src=&quot;http://testserver{EMBED}&quot; title=&quot;Individuals using the"
        in box
    )
    assert "width=&quot;800&quot; height=&quot;600&quot;" in box
    assert f'<a href="{SVG}" download>SVG</a>' in box
    assert f'<a href="{PNG}" download>PNG</a>' in box
    assert "readonly" in box


@pytest.mark.parametrize(
    ("page", "embed_prefix"),
    [
        ("/en/", f"/en/embed/plans/{PLAN}/"),  # the current plan's overview
        (f"/en/plans/{PLAN}/", f"/en/embed/plans/{PLAN}/"),
        (f"/en/plans/{PLAN}/goals/1/", f"/en/embed/plans/{PLAN}/goals/1/"),
        (TARGET_PAGE, f"/en/embed/plans/{PLAN}/targets/1.2/"),
        (f"/fr/plans/{PLAN}/linkages/", f"/fr/embed/plans/{PLAN}/linkages/"),
        ("/en/countries/KEN/", "/en/embed/countries/KEN/"),
    ],
)
def test_every_chart_of_a_page_has_a_working_embed(visitor, plan, page, embed_prefix):
    html = visitor.get(page).content.decode()
    chart_ids = re.findall(r'<div class="chart-plot" id="([^"]+)"', html)
    frames = embed_frames(html)
    assert chart_ids and len(frames) == len(chart_ids)
    for chart_id, frame in zip(chart_ids, frames, strict=True):
        assert frame == f"http://testserver{embed_prefix}{chart_id}/"
        embedded = visitor.get(frame.removeprefix("http://testserver"))
        assert embedded.status_code == 200, frame
        assert chart_data(embedded.content.decode(), chart_id) == chart_data(html, chart_id)
