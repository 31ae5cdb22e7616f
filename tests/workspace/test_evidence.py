"""Evidence and discussion of reported items (indicators/evidence.py, workspace/evidence_views.py):
a file's type is read from its content; the reporter and the sector's reviewers attach files and
links and discuss a figure or a delivery record, nobody else sees them; an approved figure's
public evidence is listed on the public target page and downloaded from there, nothing else."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import evidence as rules
from indicators import services
from indicators.models import Comment, Evidence, Observation

from .test_delivery import record

pytestmark = pytest.mark.django_db

Kind = Evidence.Kind

TARGET_PAGE = "/en/plans/2020-2023/targets/1.2/"

# --- small real files, made here -------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
CSV = "indicator,year,value\n1.2-internet-use,2024,68.5\n1.2-internet-use,2023,67.4\n"


def png_bytes() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1))
    figure.add_subplot().plot([1, 2], [3, 4])
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=20)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["year", "value"])
    workbook.active.append([2024, 68.5])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _files_in_memory(settings):
    """Stored files go to an in-memory storage, emptied with each test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def discussion_url(submitted):
    return reverse("workspace:discussion", args=[submitted.pk])


# --- sniff: the content decides -------------------------------------------------------------


@pytest.mark.parametrize(
    "name, make, kind",
    [
        ("report.pdf", lambda: PDF, Kind.PDF),
        ("chart.png", png_bytes, Kind.PNG),
        ("photo.jpg", lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32, Kind.JPEG),
        ("anim.gif", lambda: b"GIF89a\x01\x00\x01\x00" + b"\x00" * 16, Kind.GIF),
        ("pic.webp", lambda: b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24, Kind.WEBP),
        ("figures.xlsx", xlsx_bytes, Kind.XLSX),
        ("figures.csv", lambda: CSV.encode(), Kind.CSV),
        ("excel-export.csv", lambda: ("\ufeff" + CSV.replace(",", ";")).encode(), Kind.CSV),
        # the name does not matter: a PDF called .csv is a PDF
        ("misnamed.csv", lambda: PDF, Kind.PDF),
    ],
)
def test_sniff_reads_the_type_from_the_content(name, make, kind):
    assert rules.sniff(upload(name, make())) == kind


def zip_with(*names) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part in names:
            archive.writestr(part, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "name, content",
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
        ("page.csv", b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"),
        ("notes.csv", b"just one line of prose, with a comma\nand another line without\n"),
        ("latin1.csv", "année,valeur\n2024,68\n".encode("latin-1")),
        ("document.xlsx", zip_with("[Content_Types].xml", "word/document.xml")),
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
    ],
)
def test_sniff_refuses_other_content_naming_the_accepted_types(name, content):
    with pytest.raises(rules.EvidenceRefused) as refused:
        rules.sniff(upload(name, content))
    message = str(refused.value)
    assert "not one of the accepted types" in message
    assert "PDF, Excel workbook (.xlsx), CSV table, PNG, JPEG, GIF or WebP image" in message


def test_sniff_refuses_a_file_over_the_limit_before_reading_it(settings):
    settings.EVIDENCE_MAX_BYTES = 1000

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("read before the size was checked")

    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 1000)
    big.file = Unreadable()
    with pytest.raises(rules.EvidenceRefused, match=r"files up to 1000\xa0bytes are accepted"):
        rules.sniff(big)


# --- the discussion page: reporter and reviewer -------------------------------------------------


def test_reporter_attaches_a_pdf_and_the_reviewer_downloads_it(
    client_of, submitted, discussion_url, people
):
    reporter = client_of("reporter_d")
    form = reporter.get(discussion_url).content.decode()
    # the upload form states what it takes
    assert 'enctype="multipart/form-data"' in form
    assert (
        "PDF, Excel workbook (.xlsx), CSV table, PNG, JPEG, GIF or WebP image; up to 10.0\xa0MB."
        in form
    )
    response = reporter.post(
        discussion_url,
        {
            "action": "evidence",
            "evidence-title": "Facts and Figures 2025, page 3",
            "evidence-file": upload("F&F 2025 (p3).pdf", PDF, "application/pdf"),
            "evidence-is_public": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == discussion_url
    stored = Evidence.objects.of(submitted).get()
    assert (stored.title, stored.kind, stored.size, stored.is_public) == (
        "Facts and Figures 2025, page 3",
        Kind.PDF,
        len(PDF),
        True,
    )
    assert stored.added_by == people["reporter_d"] and stored.url == ""
    # stored through the storage API, under the item's folder, the name made safe
    assert stored.file.name.startswith(f"evidence/observation/{submitted.pk}/")
    assert stored.file.name.endswith("-FF_2025_p3.pdf") and stored.filename == "FF_2025_p3.pdf"
    assert default_storage.open(stored.file.name).read() == PDF

    reviewer = client_of("reviewer_d")
    page = reviewer.get(discussion_url).content.decode()
    download = reverse("workspace:evidence", args=[stored.pk])
    assert f'href="{download}"' in page and "Facts and Figures 2025, page 3" in page
    assert "PDF document" in page
    answer = reviewer.get(download)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == 'attachment; filename="FF_2025_p3.pdf"'
    assert answer["Cache-Control"] == "private, no-store"
    assert answer["X-Content-Type-Options"] == "nosniff"


def attach(item, user, **kwargs) -> Evidence:
    return rules.evidence_attach(subject=item, user=user, **kwargs)


@pytest.mark.parametrize(
    "persona, status", [("reviewer_r", 404), ("reporter_r", 404), ("reporter_d2", 403)]
)
def test_others_neither_see_nor_download_nor_post(
    client_of, submitted, discussion_url, people, persona, status
):
    stored = attach(submitted, people["reporter_d"], file=upload("a.pdf", PDF))
    client = client_of(persona)
    assert client.get(discussion_url).status_code == status
    assert client.get(reverse("workspace:evidence", args=[stored.pk])).status_code == status
    posted = client.post(discussion_url, {"action": "comment", "comment-text": "Let me in"})
    assert posted.status_code == status
    assert not Comment.objects.of(submitted).exists()
    # a visitor is sent to sign in
    visitor = client_of("reviewer_d").__class__()
    assert visitor.get(discussion_url).status_code == 302


def test_reporter_and_reviewer_discuss_newest_last(client_of, submitted, discussion_url, people):
    reporter, reviewer = client_of("reporter_d"), client_of("reviewer_d")
    response = reviewer.post(
        discussion_url, {"action": "comment", "comment-text": "Which table is 68.5 from?"}
    )
    assert response.status_code == 302 and response["Location"] == f"{discussion_url}#comments"
    reporter.post(discussion_url, {"action": "comment", "comment-text": "Table 2, page 3."})
    thread = list(Comment.objects.of(submitted).values_list("author__username", "text"))
    assert thread == [
        ("reviewer_d", "Which table is 68.5 from?"),
        ("reporter_d", "Table 2, page 3."),
    ]
    page = reporter.get(discussion_url).content.decode()
    assert page.index("Which table is 68.5 from?") < page.index("Table 2, page 3.")
    # the queue links each figure to its discussion
    queue = reviewer.get(reverse("workspace:review")).content.decode()
    assert f'href="{discussion_url}"' in queue


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({}, "file", "Choose a file or give a web address."),
        (
            {"evidence-url": "https://www.itu.int/", "evidence-file": ("a.pdf", PDF)},
            "file",
            "Either a file or a web address, not both.",
        ),
        ({"evidence-file": ("huge.pdf", PDF + b"0" * 2000)}, "file", "files up to 2.0"),
        ({"evidence-file": ("setup.pdf", b"MZ\x90\x00" * 40)}, "file", "accepted types"),
        ({"evidence-url": "javascript:alert(1)"}, "url", "starting with https://"),
    ],
)
def test_bad_evidence_is_refused_with_a_message_and_nothing_saved(
    client_of, submitted, discussion_url, settings, data, field, message
):
    settings.EVIDENCE_MAX_BYTES = 2048
    posted = {"action": "evidence"}
    for key, value in data.items():
        posted[key] = upload(*value) if isinstance(value, tuple) else value
    response = client_of("reporter_d").post(discussion_url, posted)
    assert response.status_code == 400
    assert message in " ".join(response.context["evidence_form"].errors[field])
    assert 'class="errorlist"' in response.content.decode()
    assert not Evidence.objects.exists()
    assert default_storage.listdir("") == ([], [])  # no file stored either


def test_empty_comment_is_refused(client_of, discussion_url):
    response = client_of("reviewer_d").post(
        discussion_url, {"action": "comment", "comment-text": "   "}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_link_is_evidence_too(client_of, submitted, discussion_url):
    response = client_of("reporter_d").post(
        discussion_url,
        {
            "action": "evidence",
            "evidence-url": "https://www.itu.int/itu-d/reports/statistics/facts-figures-2024/",
        },
    )
    assert response.status_code == 302
    link = Evidence.objects.of(submitted).get()
    assert (link.kind, link.size, bool(link.file)) == (Kind.LINK, None, False)
    assert link.title == "https://www.itu.int/itu-d/reports/statistics/facts-figures-2024/"


# --- approval: attachments close, comments go on; the public page ------------------------------


def test_after_approval_public_evidence_is_listed_and_downloaded_private_is_not(
    client_of, submitted, people, visitor, plan
):
    public = attach(
        submitted,
        people["reporter_d"],
        file=upload("ff.pdf", PDF),
        title="Public PDF",
        is_public=True,
    )
    private = attach(
        submitted,
        people["reporter_d"],
        file=upload("notes.csv", CSV.encode()),
        title="Working notes",
    )
    link = attach(
        submitted,
        people["reviewer_d"],
        url="https://www.itu.int/ff",
        title="ITU page",
        is_public=True,
    )
    public_url = reverse("dashboards:evidence", args=[public.pk])
    # not approved yet: nothing public
    assert "Public PDF" not in visitor.get(TARGET_PAGE).content.decode()
    assert visitor.get(public_url).status_code == 404

    services.observation_approve(observation=submitted, user=people["reviewer_d"])
    page = visitor.get(TARGET_PAGE).content.decode()
    assert f'href="{public_url}"' in page and "Public PDF" in page and "PDF document" in page
    assert 'href="https://www.itu.int/ff"' in page and "ITU page" in page
    assert "Working notes" not in page
    answer = visitor.get(public_url)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PDF
    assert answer["Cache-Control"] == "public, max-age=300"
    assert visitor.get(reverse("dashboards:evidence", args=[private.pk])).status_code == 404
    assert visitor.get(reverse("dashboards:evidence", args=[link.pk])).status_code == 404
    assert visitor.get(reverse("dashboards:evidence", args=[999999])).status_code == 404

    # approved: no more attachments, the discussion goes on
    with pytest.raises(services.WorkflowError, match="until approval"):
        attach(submitted, people["reporter_d"], url="https://www.itu.int/late")
    reporter = client_of("reporter_d")
    url = reverse("workspace:discussion", args=[submitted.pk])
    page = reporter.get(url).content.decode()
    assert "Evidence is added until the item is approved." in page
    assert 'name="evidence-file"' not in page
    reporter.post(url, {"action": "comment", "comment-text": "Thanks."})
    assert Comment.objects.of(submitted).get().text == "Thanks."


def test_a_returned_figure_keeps_its_evidence(client_of, submitted, people):
    attach(submitted, people["reporter_d"], file=upload("a.pdf", PDF), title="First PDF")
    services.observation_return(
        observation=submitted, user=people["reviewer_d"], comment="Attach the table"
    )
    page = client_of("reporter_d").get(reverse("workspace:revise", args=[submitted.pk]))
    assert "First PDF" in page.content.decode()
    attach(Observation.objects.get(pk=submitted.pk), people["reporter_d"], url="https://x.int/t")
    assert Evidence.objects.of(submitted).count() == 2


# --- delivery records: the same page, the same rules --------------------------------------------


def test_delivery_records_have_evidence_and_discussion(client_of, plan, people):
    delivered = record(plan, people["reporter_d"])
    url = reverse("workspace:delivery_discussion", args=[delivered.pk])
    assert url.endswith(f"/workspace/delivery/{delivered.pk}/discussion/")
    response = client_of("reporter_d").post(
        url, {"action": "evidence", "evidence-file": upload("forum.png", png_bytes())}
    )
    assert response.status_code == 302
    stored = Evidence.objects.of(delivered).get()
    assert stored.kind == Kind.PNG
    assert stored.file.name.startswith(f"evidence/outputdelivery/{delivered.pk}/")
    reviewer = client_of("reviewer_d")
    reviewer.post(url, {"action": "comment", "comment-text": "Which forum?"})
    assert reviewer.get(reverse("workspace:evidence", args=[stored.pk])).status_code == 200
    assert client_of("reviewer_r").get(url).status_code == 404
    assert Comment.objects.of(delivered).get().text == "Which forum?"
    # a figure with the same id is another subject
    assert not Evidence.objects.filter(
        object_id=delivered.pk, content_type__model="observation"
    ).exists()


# --- the database keeps the rule too; queries stay bounded ---------------------------------


def test_database_refuses_evidence_with_both_or_neither(submitted, people):
    from django.db import IntegrityError, transaction

    both = Evidence(subject=submitted, title="x", url="https://x.int", kind=Kind.PDF, size=3)
    both.file.name = "evidence/x.pdf"
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(subject=submitted, title="neither", kind=Kind.LINK)


def test_pages_take_a_bounded_number_of_queries(
    client_of, submitted, discussion_url, people, visitor, django_assert_max_num_queries
):
    for number in range(5):
        attach(submitted, people["reporter_d"], file=upload(f"{number}.pdf", PDF), is_public=True)
        rules.comment_add(subject=submitted, user=people["reviewer_d"], text=f"Question {number}")
    reviewer = client_of("reviewer_d")
    with django_assert_max_num_queries(12):
        page = reviewer.get(discussion_url)
    assert page.content.decode().count('class="muted"><strong>reviewer_d</strong>') == 5
    stored = Evidence.objects.of(submitted).first()
    with django_assert_max_num_queries(9):
        assert reviewer.get(reverse("workspace:evidence", args=[stored.pk])).status_code == 200
    services.observation_approve(observation=submitted, user=people["reviewer_d"])
    # the public target page: one query more than without evidence (tests/dashboards)
    with django_assert_max_num_queries(14):
        target = visitor.get(TARGET_PAGE).content.decode()
    assert target.count('href="/en/evidence/') == 5
    with django_assert_max_num_queries(3):
        public = visitor.get(reverse("dashboards:evidence", args=[stored.pk]))
    assert public.status_code == 200


def test_stored_file_gone_is_a_404_not_a_500(client_of, submitted, people):
    stored = attach(submitted, people["reporter_d"], file=upload("a.pdf", PDF))
    default_storage.delete(stored.file.name)
    response = client_of("reviewer_d").get(reverse("workspace:evidence", args=[stored.pk]))
    assert response.status_code == 404


def test_content_file_is_accepted_like_an_upload(submitted, people):
    stored = attach(submitted, people["reviewer_d"], file=ContentFile(PDF, name="review.pdf"))
    assert stored.kind == Kind.PDF and stored.size == len(PDF)


def test_approval_meanwhile_closes_the_evidence_and_keeps_no_file(submitted, people):
    """The reporter's page was read before a reviewer approved the figure: the attachment is
    refused when it is written, and its file is removed from the storage again."""
    stale = Observation.objects.select_related("indicator__sector").get(pk=submitted.pk)
    services.observation_approve(observation=submitted, user=people["reviewer_d"])
    with pytest.raises(services.WorkflowError, match="until approval"):
        attach(stale, people["reporter_d"], file=upload("late.pdf", PDF))
    assert not Evidence.objects.exists()
    assert default_storage.listdir(f"evidence/observation/{submitted.pk}") == ([], [])


@pytest.mark.parametrize(
    "uploaded, stored",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("???", "file"),
        (".hidden.pdf", "hidden.pdf"),
        ("rapport 2024 (é).pdf", "rapport_2024_é.pdf"),
    ],
)
def test_stored_names_are_safe(submitted, people, uploaded, stored):
    saved = attach(submitted, people["reporter_d"], file=upload(uploaded, PDF))
    assert saved.filename == stored
    assert saved.file.name.startswith(f"evidence/observation/{submitted.pk}/")
    assert ".." not in saved.file.name


def test_approved_delivery_record_lists_its_public_evidence_on_the_objectives_page(
    plan, people, visitor, django_assert_max_num_queries
):
    delivered = record(plan, people["reporter_d"])
    shown = attach(
        delivered,
        people["reporter_d"],
        file=upload("forum.pdf", PDF),
        title="Forum report",
        is_public=True,
    )
    attach(delivered, people["reporter_d"], url="https://x.int/draft", title="Draft notes")
    page_url = "/en/plans/2020-2023/objectives/"
    assert "Forum report" not in visitor.get(page_url).content.decode()
    services.reviewable_approve(item=delivered, user=people["reviewer_d"])
    with django_assert_max_num_queries(10):  # tests/dashboards: 9, and the evidence
        page = visitor.get(page_url).content.decode()
    public_url = reverse("dashboards:evidence", args=[shown.pk])
    assert f'href="{public_url}"' in page and "Forum report" in page and "PDF document" in page
    assert "Draft notes" not in page
    assert visitor.get(public_url).status_code == 200
