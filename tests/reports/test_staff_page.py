"""The staff page that builds the progress report and downloads it (reports.views, reports.builds):
staff only, one build per report and content generation, its progress as JSON, bad input told
in the page."""

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document

from itu_rbm.caching import content_changed
from reports import builds, formats
from reports.models import ReportBuild
from tests.personas import make_persona

pytestmark = pytest.mark.django_db

PAGE = "/en/workspace/reports/"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _builds_here(settings, tmp_path):
    """Builds run at once (on commit) and write their files in the test's own folder."""
    settings.REPORT_BUILDS_IN_THREAD = False
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reporter(db):
    user = make_persona("reporter_d")
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def quick_render(monkeypatch):
    """A stand-in renderer for tests about the builds, not the file."""
    calls = []

    def render(report, fmt, *, on_progress=None):
        calls.append((report.language, fmt))
        if on_progress:
            on_progress(0.5)
            on_progress(1.0)
        return b"%PDF-1.7 stand-in" if fmt == "pdf" else b"PK stand-in"

    monkeypatch.setattr(formats, "render", render)
    return calls


def ask(client, django_capture_on_commit_callbacks, **fields):
    data = {"plan": "2020-2023", "year": "2023", "language": "en", "format": "docx", **fields}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(PAGE, data)


def test_page_is_for_staff_with_a_role(visitor, db):
    response = visitor.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/en/workspace/reports/"

    no_role = Client()
    no_role.force_login(make_persona("no_role"))
    assert no_role.get(PAGE).status_code == 403
    assert visitor.get("/en/workspace/reports/1/status/").status_code == 302


def test_page_offers_the_current_plan_and_its_last_year(reporter, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = reporter.get(PAGE)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["plan"] == "2020-2023"
    assert form.initial["year"] == 2023
    assert form.initial["format"] == "docx"
    body = response.content.decode()
    assert '<option value="2020-2023" selected>' in body
    assert '<option value="zh-hans">' in body
    assert "No report has been built yet." in body
    # the workspace's menu links here, marked as the current page
    assert f'<a href="{PAGE}" aria-current="page">Progress reports</a>' in body


def test_reporter_builds_a_word_report_and_downloads_it(
    reporter, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    response = ask(reporter, django_capture_on_commit_callbacks)

    build = ReportBuild.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/workspace/reports/{build.pk}/"
    assert (build.status, build.progress, build.language, build.format) == (
        "done",
        100,
        "en",
        "docx",
    )
    assert build.requested_by == reporter.user
    assert build.finished_at is not None

    page = reporter.get(response["Location"]).content.decode()
    assert f'href="/en/workspace/reports/{build.pk}/download/"' in page
    assert 'aria-live="polite"' in page
    assert "The report is ready." in page
    assert '<script src="/static/js/report-progress.js" defer></script>' in page

    with django_assert_max_num_queries(6):
        download = reporter.get(f"/en/workspace/reports/{build.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX
    assert download["Content-Disposition"] == (
        'attachment; filename="progress-report-2020-2023-2023-en.docx"'
    )
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    targets = [
        p.text
        for p in document.paragraphs
        if p.style.name == "Heading 2" and p.text.startswith("Target ")
    ]
    assert len(targets) == 26
    assert targets[1] == "Target 1.2"


def test_reporter_builds_a_pdf_and_downloads_it(reporter, django_capture_on_commit_callbacks):
    from reports.pdf import PdfUnavailable, check_pdf_support

    try:
        check_pdf_support()
    except PdfUnavailable as missing:
        pytest.skip(str(missing))

    ask(reporter, django_capture_on_commit_callbacks, format="pdf", language="fr")

    build = ReportBuild.objects.get()
    assert build.status == "done", build.error
    download = reporter.get(f"/en/workspace/reports/{build.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="progress-report-2020-2023-2023-fr.pdf"'
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_two_requests_for_the_same_report_build_it_once(plan, reporter, quick_render):
    user = reporter.user
    first, created = builds.report_build_request(
        plan=plan, year=2023, language="fr", fmt="docx", user=user
    )
    second, created_again = builds.report_build_request(
        plan=plan, year=2023, language="fr", fmt="docx", user=user
    )

    assert (created, created_again) == (True, False)
    assert second.pk == first.pk
    assert ReportBuild.objects.count() == 1
    # another language, or the same after the content changed, is another build
    other, _ = builds.report_build_request(
        plan=plan, year=2023, language="ar", fmt="docx", user=user
    )
    content_changed()
    renewed, created = builds.report_build_request(
        plan=plan, year=2023, language="fr", fmt="docx", user=user
    )
    assert created and len({first.pk, other.pk, renewed.pk}) == 3


def test_database_refuses_a_second_build_of_the_same_report(plan):
    """The constraint that settles two requests arriving at the same instant: the loser's
    insert fails, and report_build_request hands it the winner's build."""
    from django.db import IntegrityError, transaction

    key = {"plan": plan, "year": 2023, "language": "en", "format": "docx", "generation": "g1"}
    ReportBuild.objects.create(**key)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportBuild.objects.create(**key)
    # a failed build does not count: the report can be asked again
    ReportBuild.objects.update(status="failed")
    ReportBuild.objects.create(**key)
    assert ReportBuild.objects.count() == 2


def test_a_failed_or_stale_build_can_be_asked_again(plan, reporter, quick_render):
    failed, _ = builds.report_build_request(
        plan=plan, year=2022, language="en", fmt="pdf", user=reporter.user
    )
    ReportBuild.objects.filter(pk=failed.pk).update(status="failed")
    retried, created = builds.report_build_request(
        plan=plan, year=2022, language="en", fmt="pdf", user=reporter.user
    )
    assert created and retried.pk != failed.pk

    # a build its process never finished (a worker recycled mid-build)
    ReportBuild.objects.filter(pk=retried.pk).update(
        status="building", created_at=timezone.now() - timedelta(hours=1)
    )
    again, created = builds.report_build_request(
        plan=plan, year=2022, language="en", fmt="pdf", user=reporter.user
    )
    assert created and again.pk != retried.pk
    retried.refresh_from_db()
    assert retried.status == "failed"
    assert retried.error == "The build was interrupted; ask for the report again."


def test_status_tells_the_progress_while_building(plan, reporter, django_assert_max_num_queries):
    build = ReportBuild.objects.create(
        plan=plan,
        year=2023,
        language="zh-hans",
        format="docx",
        generation="g",
        progress=40,
        status="building",
    )

    with django_assert_max_num_queries(5):
        response = reporter.get(f"/en/workspace/reports/{build.pk}/status/")

    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "building",
        "label": "building",
        "progress": 40,
        "finished": False,
        "download_url": None,
        "error": "",
    }
    page = reporter.get(f"/en/workspace/reports/{build.pk}/").content.decode()
    assert '<progress id="report-progress" max="100" value="40">40 %</progress>' in page
    assert f'data-status-url="/en/workspace/reports/{build.pk}/status/"' in page
    # not downloadable yet
    download = reporter.get(f"/en/workspace/reports/{build.pk}/download/")
    assert download.status_code == 404
    notice = '<p class="notice notice-error" role="alert">This report is not ready to download.</p>'
    assert notice in download.content.decode()
    assert reporter.get("/en/workspace/reports/999999/status/").status_code == 404


def test_build_progress_is_recorded_then_done(plan, reporter, quick_render):
    build, _ = builds.report_build_request(
        plan=plan, year=2023, language="es", fmt="docx", user=reporter.user
    )
    builds.report_build_run(build.pk)

    build.refresh_from_db()
    assert (build.status, build.progress) == ("done", 100)
    assert quick_render == [("es", "docx")]
    assert build.file.read() == b"PK stand-in"
    assert build.file.name.startswith("reports/progress-report-2020-2023-2023-es")


def test_a_failure_is_recorded_and_shown(plan, reporter, monkeypatch):
    def broken(report, fmt, *, on_progress=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(formats, "render", broken)
    build, _ = builds.report_build_request(
        plan=plan, year=2023, language="en", fmt="docx", user=reporter.user
    )
    builds.report_build_run(build.pk)

    build.refresh_from_db()
    assert build.status == "failed"
    assert build.error == "The report could not be built: disk full"
    state = reporter.get(f"/en/workspace/reports/{build.pk}/status/").json()
    assert (state["status"], state["finished"], state["download_url"]) == ("failed", True, None)
    page = reporter.get(f"/en/workspace/reports/{build.pk}/").content.decode()
    assert "The report could not be built. The report could not be built: disk full" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "year",
            "2019",
            "2019 is not a year of the 2020-2023 plan: choose one from 2020 to 2023.",
        ),
        ("year", "soon", "Enter a whole number."),
        ("language", "xx", "Select a valid choice. xx is not one of the available choices."),
        ("format", "odt", "Select a valid choice. odt is not one of the available choices."),
        ("plan", "1999-2002", "Select a valid choice."),
    ],
)
def test_bad_input_is_told_in_the_page(
    reporter, django_capture_on_commit_callbacks, field, value, message
):
    response = ask(reporter, django_capture_on_commit_callbacks, **{field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert ReportBuild.objects.count() == 0


def test_recent_builds_are_listed_with_their_download(plan, reporter, quick_render):
    build, _ = builds.report_build_request(
        plan=plan, year=2023, language="ru", fmt="docx", user=reporter.user
    )
    builds.report_build_run(build.pk)

    body = reporter.get(PAGE).content.decode()
    assert (
        "2020-2023 · 2023 · Русский · Word (.docx)" in body or "2020-2023 · 2023 · Russian" in body
    )
    assert f'<a href="/en/workspace/reports/{build.pk}/download/" download>' in body
    assert "progress-report-2020-2023-2023-ru.docx" in body


def test_builds_run_in_a_thread_of_their_own(settings, monkeypatch):
    """In production the request returns at once and a thread builds (REPORT_BUILDS_IN_THREAD)."""
    import threading

    settings.REPORT_BUILDS_IN_THREAD = True
    ran = []
    monkeypatch.setattr(
        builds, "report_build_run", lambda pk: ran.append((pk, threading.current_thread().name))
    )

    builds.report_build_start(42)
    for thread in threading.enumerate():
        if thread.name == "report-build-42":
            thread.join(timeout=10)

    assert ran == [(42, "report-build-42")]
