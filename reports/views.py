"""The staff page that builds the progress report and downloads it (/<lang>/workspace/reports/):
a form, the build's page that follows its progress (static/js/report-progress.js polls the
status), the download. The builds themselves are reports.builds'."""

from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from frameworks.models import StrategicPlan
from workspace.plan_views import role_required

from . import builds
from .formats import CONTENT_TYPES
from .forms import ReportRequestForm
from .models import ReportBuild, ReportFormat

RECENT_BUILDS = 10


@require_http_methods(["GET", "HEAD", "POST"])
@role_required()
def index(request):
    """The form; a valid request starts (or joins) a build and goes to its page."""
    if request.method == "POST":
        form = ReportRequestForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            build, _created = builds.report_build_request(
                plan=data["plan"],
                year=data["year"],
                language=data["language"],
                fmt=data["format"],
                user=request.user,
            )
            return redirect(build)
    else:
        plan = StrategicPlan.objects.current()
        initial = {"language": get_language(), "format": ReportFormat.DOCX}
        if plan is not None:
            initial |= {"plan": plan.code, "year": plan.period_end}
        form = ReportRequestForm(initial=initial, user=request.user)
    recent = ReportBuild.objects.select_related("plan", "requested_by")[:RECENT_BUILDS]
    context = {"form": form, "builds": recent, "section": "reports"}
    return render(request, "reports/staff.html", context, status=400 if form.errors else 200)


def _build_or_404(pk: int) -> ReportBuild:
    return get_object_or_404(ReportBuild.objects.select_related("plan"), pk=pk)


@require_safe
@role_required()
def build(request, pk):
    """One build: its progress while it runs (polled), then its download link or error."""
    context = {"build": _build_or_404(pk), "section": "reports"}
    return render(request, "reports/staff_build.html", context)


@require_safe
@role_required()
def status(request, pk):
    """The build's state as JSON, for the page's script (never cached)."""
    build = _build_or_404(pk)
    done = build.status == ReportBuild.Status.DONE
    response = JsonResponse(
        {
            "status": build.status,
            "label": str(build.get_status_display()),
            "progress": build.progress,
            "finished": build.is_finished,
            "download_url": reverse("reports:download", args=[build.pk]) if done else None,
            "error": build.error,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def _no_file(request, build: ReportBuild, problem: str):
    context = {"build": build, "problem": problem, "section": "reports"}
    return render(request, "reports/staff_build.html", context, status=404)


@require_safe
@role_required()
def download(request, pk):
    """The built file, streamed; the build's page with the reason (404) when there is none."""
    build = _build_or_404(pk)
    if build.status != ReportBuild.Status.DONE or not build.file:
        return _no_file(request, build, _("This report is not ready to download."))
    try:
        handle = build.file.open("rb")
    except FileNotFoundError:
        return _no_file(request, build, _("This report's file is gone: ask for it again."))
    return FileResponse(
        handle,
        as_attachment=True,
        filename=build.filename,
        content_type=CONTENT_TYPES[build.format],
    )
