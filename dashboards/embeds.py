"""Charts for other sites: every chart of a public page alone, at its own address that any site
may frame (itu_rbm.embedding), and as a picture (SVG, PNG) drawn on the server without a browser
(dashboards.static_charts), for reports and slides.

An embed address is its page's address under /<lang>/embed/, followed by the chart's id: the
chart `chart-1-2-internet-use` of /<lang>/plans/2020-2023/targets/1.2/ is at
/<lang>/embed/plans/2020-2023/targets/1.2/chart-1-2-internet-use/, its pictures at
…/chart-1-2-internet-use.svg and .png. The chart is the page's own (the page's context function
builds it), so an embedded chart never says anything its page does not; each answer is cached as
the pages are (itu_rbm.caching).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from frameworks.models import StrategicPlan
from itu_rbm.caching import public_cache
from itu_rbm.embedding import embeddable

from . import country_page, pages
from .pages import Chart, point_citation
from .views import current_plan, page_language, public_page

IMAGE_TYPES = {"svg": "image/svg+xml", "png": "image/png"}

# The size of the snippet's frame: the picture's proportions (800 x 450) plus the title, the
# source line and the links below it.
FRAME_WIDTH, FRAME_HEIGHT = 800, 600

# Pictures may be kept by browsers and proxies for API_MAX_AGE seconds (they go into slides and
# reports, which fetch them once); the pages ask each time.
image_cache = public_cache(page_language)


# --- which chart, with what source ------------------------------------------------------------


def cited(citations: Iterable[str]) -> str:
    """Each citation once, in the order met, joined."""
    return "; ".join(dict.fromkeys(citation for citation in citations if citation))


def portal_computed() -> str:
    return _("ITU and partner publications; computed by the portal from the approved figures")


def overview_source(context: dict, chart: Chart) -> str:
    for headline in context["headlines"]:
        if headline["chart"] is chart:
            return cited(point_citation(point) for point in headline["row"].series.points)
    return portal_computed()  # the targets counted by status or verdict


def goal_source(context: dict, chart: Chart) -> str:
    # the goal page names no source beside its small charts; their target's page does
    return portal_computed()


def target_source(context: dict, chart: Chart) -> str:
    section = next(s for s in context["sections"] if s["chart"] is chart)
    return cited(row["citation"] for row in section["rows"])


def plan_text_source(context: dict, chart: Chart) -> str:
    """Charts of the plan's own content (its linkages, its objectives' goals)."""
    return context["plan"].title


def country_source(context: dict, chart: Chart) -> str:
    section = next(s for s in context["sections"] if chart in s.charts)
    return cited(row["citation"] for row in section.figures) or portal_computed()


def on_plan(build: Callable[..., dict]) -> Callable[..., dict]:
    """A plan page's context, its plan named by the address (a draft for staff only)."""

    def context(request, plan: str, **address) -> dict:
        return build(pages.visible_plan(request, plan), **address)

    return context


def country_context(request, code: str) -> dict:
    return country_page.country_context(current_plan(), code)


@dataclass(frozen=True)
class EmbeddablePage:
    """A kind of public page whose charts can be embedded."""

    name: str  # the page's URL name; its embeds are `embed-<name>` and `embed-<name>-image`
    address: str  # the page's address pattern (dashboards/urls.py), under embed/
    context: Callable[..., dict]  # (request, **address) -> the page's context, with "charts"
    source: Callable[[dict, Chart], str]  # the source line of one of its charts


PAGES = {
    page.name: page
    for page in (
        EmbeddablePage(
            "plan", "plans/<str:plan>/", on_plan(pages.overview_context), overview_source
        ),
        EmbeddablePage(
            "goal", "plans/<str:plan>/goals/<int:number>/", on_plan(pages.goal_context), goal_source
        ),
        # pages.target_context, not the page's maps.target_context: the map is not a Chart
        EmbeddablePage(
            "target",
            "plans/<str:plan>/targets/<str:code>/",
            on_plan(pages.target_context),
            target_source,
        ),
        EmbeddablePage(
            "objectives",
            "plans/<str:plan>/objectives/",
            on_plan(pages.objectives_context),
            plan_text_source,
        ),
        EmbeddablePage(
            "linkages",
            "plans/<str:plan>/linkages/",
            on_plan(pages.linkages_context),
            plan_text_source,
        ),
        EmbeddablePage("country", "countries/<str:code>/", country_context, country_source),
    )
}


def find_chart(context: dict, chart_id: str) -> Chart:
    """The chart with this id among a page's charts; 404 if it has none."""
    chart = next((chart for chart in context.get("charts", []) if chart.id == chart_id), None)
    if chart is None:
        raise Http404(_("This page has no chart %(chart)s.") % {"chart": chart_id})
    return chart


@dataclass
class EmbeddedChart:
    """One chart of a page, with what it needs alone: its source line and the way back."""

    chart: Chart
    plan: StrategicPlan | None
    source: str  # the line under the chart: "Source: …"
    page_url: str  # the chart on its page


def embedded_chart(request, page_name: str, address: dict, chart_id: str) -> EmbeddedChart:
    """The chart `chart_id` of the page `page_name` at `address`, as its page shows it (the
    page's queries: 5 for a target, 9 for a country). 404 for an unknown page or chart."""
    page = PAGES[page_name]
    context = page.context(request, **address)
    chart = find_chart(context, chart_id)
    source = _("Source: %(source)s") % {"source": page.source(context, chart)}
    page_url = reverse(f"dashboards:{page_name}", kwargs=address) + f"#{chart.id}"
    return EmbeddedChart(chart, context.get("plan"), source, page_url)


# --- the links under each chart ---------------------------------------------------------------


@dataclass(frozen=True)
class EmbedLinks:
    title: str
    frame: str  # absolute: the snippet goes into other sites' pages
    svg: str
    png: str

    @property
    def snippet(self) -> str:
        """The <iframe> to paste into another page (plain text: the template escapes it)."""
        return (
            f'<iframe src="{escape(self.frame)}" title="{escape(self.title)}" '
            f'width="{FRAME_WIDTH}" height="{FRAME_HEIGHT}" loading="lazy"></iframe>'
        )


def embed_links(request, plan: StrategicPlan | None, chart: Chart) -> EmbedLinks | None:
    """The embed addresses of a chart on the page `request` shows, None where the page's charts
    are not embeddable (an embed itself, a page built outside a request). The overview at
    /<lang>/ shows the current plan: its charts are embedded from the plan's own overview."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "dashboards":
        return None
    name, address = match.url_name, dict(match.kwargs)
    if name == "overview" and plan is not None:
        name, address = "plan", {"plan": plan.code}
    if name not in PAGES:
        return None
    address["chart"] = chart.id
    frame = reverse(f"dashboards:embed-{name}", kwargs=address)
    svg, png = (
        reverse(f"dashboards:embed-{name}-image", kwargs={**address, "fmt": fmt})
        for fmt in ("svg", "png")
    )
    return EmbedLinks(chart.title, request.build_absolute_uri(frame), svg, png)


# --- views ------------------------------------------------------------------------------------


def upper_code(url_name: str, address: dict, **more):
    """A country's address takes its ISO code in upper case (as its page's): the redirect there
    for a lower-case one, else None."""
    code = address.get("code")
    if url_name.startswith("embed-country") and code != code.upper():
        address = {**address, **more, "code": code.upper()}
        return redirect(f"dashboards:{url_name}", permanent=True, **address)
    return None


def embed_view(name: str):
    """/<lang>/embed/<page's address><chart>/: the chart alone, for any site to frame."""

    @embeddable
    @require_safe
    @public_page
    def view(request, chart, **address):
        moved = upper_code(f"embed-{name}", address, chart=chart)
        if moved:
            return moved
        embedded = embedded_chart(request, name, address, chart)
        context = {
            "embed": embedded,
            "plan": embedded.plan,
            "chart": embedded.chart,
            "charts": [embedded.chart],  # base.html loads plotly for pages with charts
        }
        return render(request, "dashboards/embed.html", context)

    return view


def image_view(name: str):
    """/<lang>/embed/<page's address><chart>.svg and .png: the chart as a picture, drawn on the
    server, with its title and source line, in the address's language."""

    @embeddable
    @require_safe
    @image_cache
    def view(request, chart, fmt, **address):
        if fmt not in IMAGE_TYPES:
            raise Http404(_("A chart's picture is .svg or .png."))
        moved = upper_code(f"embed-{name}-image", address, chart=chart, fmt=fmt)
        if moved:
            return moved
        embedded = embedded_chart(request, name, address, chart)
        from . import static_charts  # matplotlib: loaded by the first picture, not at start-up

        try:
            content = static_charts.render_chart(
                embedded.chart.figure,
                fmt,
                title=embedded.chart.title,
                source=embedded.source,
                language=translation.get_language(),
            )
        except ValueError as error:  # a kind of chart not drawn on the server (maps)
            raise Http404(_("This chart has no picture.")) from error
        response = HttpResponse(content, content_type=IMAGE_TYPES[fmt])
        response["Content-Disposition"] = f'inline; filename="itu-rbm-{chart}.{fmt}"'
        return response

    return view


# one view of each kind per page (dashboards/urls.py names them)
FRAME_VIEWS = {name: embed_view(name) for name in PAGES}
IMAGE_VIEWS = {name: image_view(name) for name in PAGES}
