"""The public pages: thin function views; their data comes from frameworks.pages."""

import csv
from pathlib import Path

import orjson
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import pages
from .models import StrategicPlan

METHOD_FILE = Path(settings.BASE_DIR) / "docs" / "progress-method.md"


@require_safe
def overview(request):
    """/<lang>/: the current plan's overview."""
    plan = StrategicPlan.objects.current()
    if plan is None:
        return render(request, "frameworks/no_plan.html")
    return render(request, "frameworks/overview.html", pages.overview_context(plan))


@require_safe
def plan(request, plan):
    plan = pages.visible_plan(request, plan)
    return render(request, "frameworks/overview.html", pages.overview_context(plan))


@require_safe
def goal(request, plan, number):
    plan = pages.visible_plan(request, plan)
    return render(request, "frameworks/goal.html", pages.goal_context(plan, number))


@require_safe
def target(request, plan, code):
    plan = pages.visible_plan(request, plan)
    return render(request, "frameworks/target.html", pages.target_context(plan, code))


@require_safe
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
def objectives(request, plan):
    plan = pages.visible_plan(request, plan)
    return render(request, "frameworks/objectives.html", pages.objectives_context(plan))


@require_safe
def risks(request, plan):
    plan = pages.visible_plan(request, plan)
    return render(request, "frameworks/risks.html", pages.risks_context(plan))


@require_safe
def linkages(request, plan):
    plan = pages.visible_plan(request, plan)
    return render(request, "frameworks/linkages.html", pages.linkages_context(plan))


@require_safe
def about(request, plan):
    plan = pages.visible_plan(request, plan)
    return render(request, "frameworks/about.html", pages.about_context(plan))


@require_safe
def method(request):
    """The status method in full (docs/progress-method.md), as the plain text it is written in."""
    return HttpResponse(METHOD_FILE.read_bytes(), content_type="text/plain; charset=utf-8")
