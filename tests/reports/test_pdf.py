"""The progress report as PDF (reports.pdf, the progress_report command): every target's code
and verdict in the text, fonts embedded, tagged, pages that render, Arabic right to left."""

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django.utils.formats import date_format
from PIL import Image
from pypdf import PdfReader

from dashboards.presentation import verdict_look
from indicators.status import plan_progress
from reports.pdf import page_number_css

pytestmark = pytest.mark.django_db

LANGUAGES = ("ar", "zh-hans", "en")


@pytest.fixture(scope="module")
def pdfs(django_db_setup, django_db_blocker, tmp_path_factory):
    """The 2023 report in Arabic, Chinese and English, as the command writes them (~10 s each:
    made once for the module)."""
    folder = tmp_path_factory.mktemp("reports")
    files = {}
    with django_db_blocker.unblock():
        for language in LANGUAGES:
            files[language] = folder / f"report-{language}.pdf"
            call_command(
                "progress_report",
                "2020-2023",
                "--year",
                "2023",
                "--lang",
                language,
                "--format",
                "pdf",
                "--output",
                str(files[language]),
                verbosity=0,
            )
    return files


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def outline(reader: PdfReader) -> dict[str, int]:
    """The PDF's bookmarks (from the headings): title -> page index."""
    entries = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                entries[item.title] = reader.get_destination_page_number(item)

    walk(reader.outline)
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_gives_every_target_its_verdict(pdfs, plan, language):
    reader = PdfReader(pdfs[language])
    pages = [words(page.extract_text()) for page in reader.pages]
    bookmarks = outline(reader)
    with translation.override(language):
        progress = plan_progress(plan)
        expected = [
            (_target_title(row.target.code), str(verdict_look(row.verdict).label))
            for row in progress
        ]
    assert len(expected) == 26
    for title, verdict in expected:
        # the target's section starts on the page its bookmark names, with its verdict
        page = bookmarks[title]
        assert title.split()[-1] in pages[page] or title.split()[0] in pages[page]
        assert verdict in pages[page] + " " + pages[min(page + 1, len(pages) - 1)], title
    text = " ".join(pages)
    for title, _verdict in expected:
        assert title.split(" ")[-1] in text  # the target's code


def _target_title(code: str) -> str:
    from django.utils.translation import gettext as _

    return _("Target %(code)s") % {"code": code}


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_fonts_are_embedded_and_document_is_tagged(pdfs, language):
    reader = PdfReader(pdfs[language])
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            ).get_object()
            fonts[str(font["/BaseFont"])] = descriptor
    assert fonts
    for name, descriptor in fonts.items():
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), name
    families = " ".join(fonts)
    wanted = {"ar": "Noto-Sans-Arabic", "zh-hans": "Noto-Sans-CJK-SC", "en": "Noto-Sans"}
    assert wanted[language] in families
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).lower() == language
    # the plan's title, then the report's (whose words around the year each language orders)
    assert "2023" in reader.metadata.subject
    assert reader.metadata.title.endswith(reader.metadata.subject)


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_has_contents_and_numbered_pages(pdfs, language):
    reader = PdfReader(pdfs[language])
    contents = words(reader.pages[1].extract_text())
    with translation.override(language):
        from django.utils.translation import gettext as _

        assert _("Contents") in contents
        # the cover states the cut-off: here the day the session loaded the figures
        cover = words(reader.pages[0].extract_text())
        assert _("Figures approved by") in cover
        # word by word: a text extractor orders the words of a right-to-left line its own way
        day = date_format(timezone.localdate(), "DATE_FORMAT")
        assert all(word.strip("،,") in cover for word in day.split())
        assert _target_title("1.1") in contents or "1.1" in contents
        # the entry's page number is the page its section starts on
        last = words(reader.pages[-1].extract_text())
        total = len(reader.pages)
        numbered = _("Page %(page)s of %(pages)s") % {"page": total, "pages": total}
        assert all(word in last for word in numbered.split())  # word by word, as above


def test_pdf_pages_render_and_arabic_runs_right_to_left(pdfs, tmp_path):
    for language in ("ar", "en"):
        prefix = tmp_path / language
        subprocess.run(
            ["pdftoppm", "-f", "2", "-l", "4", "-r", "30", "-png", pdfs[language], prefix],
            check=True,
        )
        images = sorted(tmp_path.glob(f"{language}-*.png"))
        assert len(images) == 3
        for image in images:
            # not blank: some ink on the page
            assert Image.open(image).convert("L").getextrema()[0] < 128
    ar, en = heading_box(pdfs["ar"], "1.2"), heading_box(pdfs["en"], "1.2")
    width = ar["page_width"]
    # Arabic: the heading "المقصد 1.2" ends at the right margin and stays in the right half
    assert ar["right"] > width - 70 and ar["left"] > width / 2
    # English: "Target 1.2" starts at the left margin
    assert en["left"] < 70 and en["right"] < width / 2


def heading_box(path, code: str) -> dict:
    """The line of the tallest occurrence of `code` in the PDF (its heading), from pdftotext's
    word boxes: its left and right ends."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", path, "-"], check=True, capture_output=True, text=True
    ).stdout
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    best = None
    for page in ET.fromstring(xml).iterfind(".//x:page", namespace):
        found = page.findall("x:word", namespace)
        for word in found:
            if word.text == code:
                height = float(word.get("yMax")) - float(word.get("yMin"))
                if best is None or height > best[0]:
                    best = (height, word, found, float(page.get("width")))
    assert best is not None
    _height, word, found, page_width = best
    line = [w for w in found if abs(float(w.get("yMax")) - float(word.get("yMax"))) < 3]
    return {
        "left": min(float(w.get("xMin")) for w in line),
        "right": max(float(w.get("xMax")) for w in line),
        "page_width": page_width,
    }


def test_page_numbers_follow_the_language():
    with translation.override("en"):
        assert page_number_css() == (
            '@page { @bottom-center { content: "Page " counter(page) " of " counter(pages); } }'
        )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["1999-2002", "--year", "2001"], "No plan has the code '1999-2002'"),
        (["2020-2023", "--year", "2019"], "2019 is not a year of the 2020-2023 plan"),
        (["2020-2023", "--year", "2023", "--lang", "de"], "Unknown language 'de'"),
        (["2020-2023", "--year", "2023", "--format", "odt"], "invalid choice: 'odt'"),
        (["2020-2023", "--year", "2023", "--cut-off", "31/03/2024"], "use a date such as"),
    ],
)
def test_command_refuses_bad_input_with_a_message(plan, tmp_path, arguments, message):
    output = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("progress_report", *arguments, "--output", str(output))
    assert not output.exists()


def test_command_names_the_packages_when_pango_is_missing(plan, tmp_path, monkeypatch):
    """WeasyPrint raises OSError on import when Pango is not installed: the command says which
    Debian packages to install, and nothing else in the portal needs them."""
    import builtins

    from reports import pdf

    real_import = builtins.__import__

    def without_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    pdf._weasyprint.cache_clear()
    monkeypatch.setattr(builtins, "__import__", without_pango)
    try:
        with pytest.raises(CommandError) as error:
            call_command(
                "progress_report",
                "2020-2023",
                "--year",
                "2023",
                "--output",
                str(tmp_path / "r.pdf"),
            )
    finally:
        pdf._weasyprint.cache_clear()
    message = str(error.value)
    assert (
        "Install Debian's libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-noto-cjk"
        in message
    )
    assert "make install` as root" in message
