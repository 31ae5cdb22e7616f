"""The public pages: thin function views; their data comes from dashboards.pages.

Visitors without a session get the same page for the same address, so each page is cached with
the API's answers (itu_rbm.caching): rebuilt after any change to the plan or its figures, and
answered 304 to a browser that already has it (browsers ask each time, so that an approved figure
shows at once). Nothing on them is personal, not even a CSRF token: the language switcher is
checked by origin instead (`switch_language`).
"""

import csv
from pathlib import Path
from urllib.parse import urlsplit

import orjson
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language

from frameworks.models import StrategicPlan
from itu_rbm.caching import public_cache

from . import pages


def page_language(request) -> str | None:
    """The language of the page: the one its address names (activated by LocaleMiddleware).
    None for an address with a query string, which no page reads: such a request is built each
    time rather than let made-up addresses fill the cache."""
    return None if request.GET else translation.get_language()


public_page = public_cache(page_language, revalidate=True)

METHOD_FILE = Path(settings.BASE_DIR) / "docs" / "progress-method.md"


@require_safe
@public_page
def overview(request):
    """/<lang>/: the current plan's overview."""
    plan = StrategicPlan.objects.current()
    if plan is None:
        return render(request, "dashboards/no_plan.html")
    return render(request, "dashboards/overview.html", pages.overview_context(plan))


def plan_page(template: str, build_context):
    """A page of one plan (/<lang>/plans/<plan>/…): its context is built by
    `build_context(plan, **the address's other parts)` in dashboards.pages."""

    @require_safe
    @public_page
    def view(request, plan, **address):
        plan = pages.visible_plan(request, plan)
        return render(request, template, build_context(plan, **address))

    return view


plan = plan_page("dashboards/overview.html", pages.overview_context)
goal = plan_page("dashboards/goal.html", pages.goal_context)
target = plan_page("dashboards/target.html", pages.target_context)
objectives = plan_page("dashboards/objectives.html", pages.objectives_context)
risks = plan_page("dashboards/risks.html", pages.risks_context)
linkages = plan_page("dashboards/linkages.html", pages.linkages_context)
about = plan_page("dashboards/about.html", pages.about_context)


@require_safe
@public_page
def downloads(request, plan, code, fmt):
    """A target's figures as CSV (the import format) or JSON: every approved figure of its
    indicators, every edition."""
    if fmt not in ("csv", "json"):
        raise Http404("Downloads are .csv or .json.")
    plan = pages.visible_plan(request, plan)
    target, rows = pages.target_download(plan, code)
    filename = f"itu-rbm-{plan.code}-target-{target.code}.{fmt}"
    if fmt == "json":
        document = {"plan": plan.code, "target": target.code, "observations": rows}
        response = HttpResponse(orjson.dumps(document), content_type="application/json")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.DictWriter(response, fieldnames=pages.DOWNLOAD_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@public_page
def method(request):
    """The status method in full (docs/progress-method.md), as the plain text it is written in."""
    return HttpResponse(METHOD_FILE.read_bytes(), content_type="text/plain; charset=utf-8")


def from_this_site(request) -> bool:
    """Whether a browser sent this request from one of the portal's own pages: by the Fetch
    Metadata header that current browsers add to every request, else by Origin. A request with
    neither does not come from a page that another site could make a browser submit."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is not None:
        # as Django's own CSRF check: this host, or an origin the settings trust (a proxy's)
        return (
            urlsplit(origin).netloc == request.get_host() or origin in settings.CSRF_TRUSTED_ORIGINS
        )
    return True


@csrf_exempt  # a token would make every page personal, and so uncacheable; see from_this_site
@require_POST
def switch_language(request):
    """The language switcher: Django's set_language (remembers the choice in a cookie and goes to
    the same page in that language), for requests from the portal's own pages only."""
    if not from_this_site(request):
        return HttpResponseForbidden(
            gettext("The language can be changed only from the portal's own pages."),
            content_type="text/plain; charset=utf-8",
        )
    return set_language(request)
