"""The public pages: thin function views; their data comes from dashboards.pages.

Visitors without a session get the same page for the same address, so each page is cached with
the API's answers (itu_rbm.caching): rebuilt after any change to the plan or its figures, and
answered 304 to a browser that already has it (browsers ask each time, so that an approved figure
shows at once). Nothing on them is personal, not even a CSRF token: the language switcher is
checked by origin instead (`switch_language`).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language

from frameworks import roles
from frameworks.models import StrategicPlan
from indicators import evidence as evidence_rules
from itu_rbm.caching import public_cache
from itu_rbm.stored_files import attachment_response

from . import country_page, indicator_page, maps, pages
from . import downloads as files
from .presentation import STATUS_LOOKS


def page_language(request) -> str | None:
    """The language of the page: the one its address names (activated by LocaleMiddleware).
    None for an address with a query string, which no page reads: such a request is built each
    time rather than let made-up addresses fill the cache."""
    return None if request.GET else translation.get_language()


public_page = public_cache(page_language, revalidate=True)


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
target = plan_page("dashboards/target.html", maps.target_context)
objectives = plan_page("dashboards/objectives.html", pages.objectives_context)
risks = plan_page("dashboards/risks.html", pages.risks_context)
linkages = plan_page("dashboards/linkages.html", pages.linkages_context)
about = plan_page("dashboards/about.html", pages.about_context)
indicator = plan_page("dashboards/indicator.html", indicator_page.indicator_context)


@require_safe
@public_page
def downloads(request, plan, code, fmt):
    """A target's figures: CSV, an Excel workbook or JSON, in the page's language (names, unit,
    target, status, source, edition); for staff, `import.csv`, the import format."""
    plan = pages.visible_plan(request, plan)
    if fmt == "import.csv":
        staff_only(request)
        rows = pages.import_download(plan, code)
        content = files.import_csv_bytes(pages.DOWNLOAD_FIELDS, rows)
        return files.file_response(content, "csv", f"itu-rbm-{plan.code}-target-{code}-import.csv")
    if fmt not in files.CONTENT_TYPES:
        raise Http404("Downloads are .csv, .xlsx or .json.")
    target, rows = pages.target_download(plan, code)
    title = gettext("Target %(code)s") % {"code": target.code}
    document = {"plan": plan.code, "target": target.code}
    return figures_file(rows, fmt, f"itu-rbm-{plan.code}-target-{target.code}", title, document)


@require_safe
@public_page
def indicator_download(request, plan, code, fmt):
    """An indicator's figures: the rows and columns of its target's download (CSV, Excel, JSON)
    that are this indicator's, in the page's language."""
    plan = pages.visible_plan(request, plan)
    if fmt not in files.CONTENT_TYPES:
        raise Http404("Downloads are .csv, .xlsx or .json.")
    indicator, rows = indicator_page.download_rows(plan, code)
    title = gettext("Indicator %(code)s") % {"code": indicator.code}
    document = {"plan": plan.code, "target": indicator.target.code, "indicator": indicator.code}
    stem = f"itu-rbm-{plan.code}-indicator-{indicator.code}"
    return figures_file(rows, fmt, stem, title, document)


@require_safe
@public_page
def plan_download(request, plan, fmt):
    """Every target's figures in one file, as `downloads` gives one target's."""
    plan = pages.visible_plan(request, plan)
    stem = f"itu-rbm-{plan.code}-figures"
    if fmt == "import.csv":
        staff_only(request)
        content = files.import_csv_bytes(pages.DOWNLOAD_FIELDS, pages.import_download(plan))
        return files.file_response(content, "csv", f"{stem}-import.csv")
    if fmt not in files.CONTENT_TYPES:
        raise Http404("Downloads are .csv, .xlsx or .json.")
    rows = pages.plan_download(plan)
    return figures_file(rows, fmt, stem, gettext("Figures"), {"plan": plan.code})


def current_plan():
    plan = StrategicPlan.objects.current()
    if plan is None:
        raise Http404("No plan has been published.")
    return plan


@require_safe
@public_page
def country(request, code):
    """/<lang>/countries/<ISO3>/: a Member State's figures against the current plan's targets,
    beside its region's and the world's. A lower-case code goes to the upper-case address."""
    if code != code.upper():
        return redirect("dashboards:country", code=code.upper(), permanent=True)
    context = country_page.country_context(current_plan(), code)
    return render(request, "dashboards/country.html", context)


@require_safe
@public_page
def country_download(request, code, fmt):
    """Everything on a country page as CSV, an Excel workbook or JSON, in the page's language:
    each figure with its release, edition and estimate flag."""
    if code != code.upper():
        return redirect("dashboards:country_download", code=code.upper(), fmt=fmt, permanent=True)
    if fmt not in files.CONTENT_TYPES:
        raise Http404("Downloads are .csv, .xlsx or .json.")
    plan = current_plan()
    country, rows = country_page.download_rows(plan, code)
    columns = country_page.COLUMNS
    if fmt == "csv":
        content = files.csv_bytes(rows, columns)
    elif fmt == "xlsx":
        content = files.xlsx_bytes(
            rows, title=country.name, columns=columns, numbers=country_page.NUMBERS
        )
    else:
        document = {
            "plan": plan.code,
            "country": country.code,
            "name": country.name,
            "language": translation.get_language(),
        }
        content = files.json_bytes(document, rows, columns, key="figures")
    return files.file_response(content, fmt, f"itu-rbm-{plan.code}-country-{country.code}.{fmt}")


def staff_only(request) -> None:
    """The import format is for staff (users with a role), who correct and load it again."""
    if not roles.is_privileged(request.user):
        raise Http404("No such download.")


def figures_file(rows, fmt: str, stem: str, title: str, document: dict):
    if fmt == "csv":
        content = files.csv_bytes(rows)
    elif fmt == "xlsx":
        content = files.xlsx_bytes(rows, title=title)
    else:
        content = files.json_bytes({**document, "language": translation.get_language()}, rows)
    return files.file_response(content, fmt, f"{stem}.{fmt}")


@require_safe
@public_page
def countries(request):
    """/<lang>/countries/: every Member State by ITU region, searchable (?q=, name or ISO code)
    and filtered (?region=, ?group=), with the world map of a series (?series=) in a year
    (?year=), its table and the group aggregates. An address with a query string is built each
    time (page_language); the plain one is cached."""
    return render(request, "dashboards/countries.html", maps.countries_context(request.GET))


@require_safe
@public_page
def method(request):
    """/<lang>/method/: how a status is computed, in the page's language, with every status word
    (its anchor is where each status badge leads). One query: the current plan, for the
    navigation."""
    context = {"plan": StrategicPlan.objects.current(), "statuses": list(STATUS_LOOKS.values())}
    return render(request, "dashboards/method.html", context)


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


@require_safe
def evidence(request, pk):
    """/<lang>/evidence/<pk>/: a file attached to an approved figure or delivery record and
    marked public by whoever attached it; anything else is 404, as if it did not exist."""
    found = evidence_rules.public_evidence(pk)
    opened = evidence_rules.open_file(found) if found is not None else None
    if opened is None:
        raise Http404(gettext("No such public evidence."))
    return attachment_response(
        opened,
        filename=found.filename,
        content_type=evidence_rules.CONTENT_TYPES[found.kind],
        private=False,
    )
