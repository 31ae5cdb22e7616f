"""Reports built for staff on request (the staff page, reports.views): one build per plan,
year, language, format and content generation (single flight: a second request for the same
report joins the first's build, and a finished build serves later requests until the public
content changes).

A build runs in a thread of the process that took the request (REPORT_BUILDS_IN_THREAD; off in
tests, which run it at once, on commit). A portal with a task queue would hand `report_build_run`
to a worker instead: it needs only the build's id. A thread dies with its process (a gunicorn
worker recycled mid-build): a build that has not finished in BUILD_TIMEOUT counts as failed, so
that the report can be asked again.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks.models import StrategicPlan
from itu_rbm.caching import content_generation

from . import formats
from .content import ReportError, build_report
from .models import ReportBuild

logger = logging.getLogger(__name__)

BUILD_TIMEOUT = timedelta(minutes=10)
Status = ReportBuild.Status


def report_build_request(
    *, plan: StrategicPlan, year: int, language: str, fmt: str, user
) -> tuple[ReportBuild, bool]:
    """The build of this report for the current content: a running or finished one if there
    is one (False), else a new one, started once the transaction commits (True). Two requests
    at once create one build: the database's unique constraint decides, and the loser joins
    the winner's build."""
    key = {
        "plan": plan,
        "year": year,
        "language": language,
        "format": fmt,
        "generation": content_generation().token,
    }
    _give_up_stale(key)
    existing = ReportBuild.objects.filter(**key).exclude(status=Status.FAILED).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            build = ReportBuild.objects.create(**key, requested_by=user)
    except IntegrityError:
        return ReportBuild.objects.exclude(status=Status.FAILED).get(**key), False
    transaction.on_commit(lambda: report_build_start(build.pk))
    return build, True


def _give_up_stale(key: dict) -> None:
    """A build still unfinished after BUILD_TIMEOUT died with its process: mark it failed."""
    ReportBuild.objects.filter(
        **key,
        status__in=[Status.QUEUED, Status.BUILDING],
        created_at__lt=timezone.now() - BUILD_TIMEOUT,
    ).update(
        status=Status.FAILED,
        error=_("The build was interrupted; ask for the report again."),
        finished_at=timezone.now(),
    )


def report_build_start(pk: int) -> None:
    """Run the build in a thread of its own, or at once when REPORT_BUILDS_IN_THREAD is off."""
    if not settings.REPORT_BUILDS_IN_THREAD:
        report_build_run(pk)
        return
    thread = threading.Thread(
        target=_run_in_thread, args=(pk,), name=f"report-build-{pk}", daemon=True
    )
    thread.start()


def _run_in_thread(pk: int) -> None:
    # the thread opens its own database connection: close it when done, as a request would
    close_old_connections()
    try:
        report_build_run(pk)
    finally:
        close_old_connections()


def report_build_run(pk: int) -> None:
    """Build the report: its content (about fifteen queries), then the file, stored through
    the default storage. Progress is written as it goes (at most one write per 5 %); a failure
    is recorded with a message for staff, never raised."""
    build = ReportBuild.objects.select_related("plan").get(pk=pk)
    _progress(build, 5, status=Status.BUILDING)
    try:
        report = build_report(build.plan, build.year, build.language)
        _progress(build, 30)

        def on_progress(fraction: float) -> None:
            _progress(build, 30 + int(65 * fraction))

        content = formats.render(report, build.format, on_progress=on_progress)
        build.file.save(build.filename, ContentFile(content), save=False)
    except ReportError as error:
        _fail(build, str(error))
        return
    except Exception as error:  # recorded for staff; the log has the traceback
        logger.exception("Report build %s failed", pk)
        _fail(build, _("The report could not be built: %(error)s") % {"error": error})
        return
    build.status = Status.DONE
    build.progress = 100
    build.finished_at = timezone.now()
    build.save(update_fields=["file", "status", "progress", "finished_at"])


def _progress(build: ReportBuild, percent: int, *, status: str | None = None) -> None:
    if status is None and percent < build.progress + 5:
        return
    build.progress = min(percent, 99)
    fields = ["progress"]
    if status is not None:
        build.status = status
        fields.append("status")
    build.save(update_fields=fields)


def _fail(build: ReportBuild, message: str) -> None:
    build.status = Status.FAILED
    build.error = message
    build.finished_at = timezone.now()
    build.save(update_fields=["status", "error", "finished_at"])
