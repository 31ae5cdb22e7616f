"""The progress report as a Word document (reports.word): what python-docx reads back from the
file is the report's content, with Word's own structure (headings, tables, pictures), in each
language's fonts and direction."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from frameworks.models import StrategicPlan, Target
from reports.content import build_report
from reports.document import Chart, Table
from reports.word import render_docx

pytestmark = pytest.mark.django_db

W_LANG = qn("w:lang")


@pytest.fixture(scope="module")
def rendered(django_db_blocker):
    """(report, python-docx document) for a language, built once for the module: the tests
    only read them, and the session's plan does not change between them."""
    built = {}

    def make(language):
        if language not in built:
            with django_db_blocker.unblock():
                plan = StrategicPlan.objects.get(code="2020-2023")
                report = build_report(plan, 2023, language)
                built[language] = report, render_docx(report)
        report, data = built[language]
        return report, Document(io.BytesIO(data))

    return make


def headings(document, level):
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def blocks(report, kind):
    return [b for s in report.sections for b in s.blocks if isinstance(b, kind)]


def cells(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_english_report_has_a_heading_per_target_and_its_tables(plan, rendered):
    report, document = rendered("en")

    codes = Target.objects.filter(plan=plan).order_by("goal__number", "order")
    targets = [t for t in headings(document, 2) if t.startswith("Target ")]
    assert targets == [f"Target {target.code}" for target in codes]
    assert len(targets) == 26
    assert headings(document, 1)[:2] == ["Summary of the verdicts", report.sections[1].title]
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == report.title
    assert document.paragraphs[1].text == "Progress report for 2023"

    # every table of the report, cell for cell, its header row repeated on each page
    tables = blocks(report, Table)
    assert len(document.tables) == len(tables)
    for table, block in zip(document.tables, tables, strict=True):
        assert cells(table) == [block.headers, *block.rows]
        assert table.style.name == "Table Grid"
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    summary = document.tables[0]
    assert cells(summary)[-1][0] == "All goals"
    assert cells(summary)[-1][-1] == "26"


def test_charts_are_pictures_with_their_summary_as_alternative_text(rendered):
    report, document = rendered("en")

    charts = blocks(report, Chart)
    # the summary's chart, and one per indicator with figures up to the year
    assert len(charts) >= 10
    assert charts[0].title == "Targets by verdict, per goal"
    shapes = document.inline_shapes
    assert len(shapes) == len(charts)
    for shape, chart in zip(shapes, charts, strict=True):
        doc_pr = shape._inline.docPr
        assert doc_pr.get("descr") == chart.summary
        assert doc_pr.get("title") == chart.title
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        # the PNG, and the SVG for readers that draw vectors
        svg = blip.xpath(".//*[local-name()='svgBlip']")
        assert len(svg) == 1
        svg_part = document.part.related_parts[svg[0].get(qn("r:embed"))]
        assert svg_part.content_type == "image/svg+xml"
        assert svg_part.blob.startswith(b"<?xml") and b"<svg" in svg_part.blob[:500]
        png_part = document.part.related_parts[blip.get(qn("r:embed"))]
        assert png_part.blob[:8] == b"\x89PNG\r\n\x1a\n"


def test_contents_and_page_numbers_are_word_fields(rendered):
    _report, document = rendered("en")

    body = document.element.body
    instructions = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    assert instructions == ['TOC \\o "1-2" \\h \\z \\u']
    footer = document.sections[0].footer.paragraphs[0]
    footer_fields = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert footer_fields == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Page ")
    update = document.settings.element.find(qn("w:updateFields"))
    assert update.get(qn("w:val")) == "true"
    # A4
    assert round(document.sections[0].page_width.cm, 1) == 21.0


def test_arabic_report_is_right_to_left(rendered):
    report, document = rendered("ar")

    assert headings(document, 2)[2] == "المقصد 1.3"
    assert document.sections[0]._sectPr.find(qn("w:bidi")) is not None
    body_paragraphs = [p for p in document.paragraphs if p.text]
    assert len(body_paragraphs) > 100
    for paragraph in body_paragraphs:
        assert paragraph._p.pPr.find(qn("w:bidi")) is not None, paragraph.text
        assert all(run.font.rtl for run in paragraph.runs if run.text), paragraph.text
    for table in document.tables:
        assert table._tbl.tblPr.find(qn("w:bidiVisual")) is not None
        first = table.rows[0].cells[0].paragraphs[0]
        assert first._p.pPr.find(qn("w:bidi")) is not None
    defaults = document.styles.element.find(qn("w:docDefaults"))
    language = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert language.get(qn("w:val")) == "ar-SA"
    assert language.get(qn("w:bidi")) == "ar-SA"
    assert len(document.inline_shapes) == len(blocks(report, Chart))


def test_chinese_report_names_its_fonts_and_language(rendered):
    report, document = rendered("zh-hans")

    targets = [s.title for s in report.sections if s.anchor.startswith("target-")]
    assert [t for t in headings(document, 2) if t in targets] == targets
    assert targets[1] == "具体目标1.2"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = r_pr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    assert fonts.get(qn("w:ascii")) == "Noto Sans"
    assert fonts.get(qn("w:cs")) == "Noto Sans Arabic"
    assert r_pr.find(W_LANG).get(qn("w:val")) == "zh-CN"
    # the headings name the fonts themselves, not the theme's (which lack Chinese)
    heading_fonts = document.styles["Heading 2"].element.rPr.find(qn("w:rFonts"))
    assert heading_fonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    assert heading_fonts.get(qn("w:eastAsiaTheme")) is None
    # not right to left
    assert document.sections[0]._sectPr.find(qn("w:bidi")) is None
    assert document.core_properties.language == "zh-CN"
    assert document.core_properties.title == report.title


def test_command_writes_the_word_report(plan, tmp_path):
    from django.core.management import call_command

    output = tmp_path / "report.docx"
    out = io.StringIO()
    call_command(
        "progress_report",
        "2020-2023",
        "--year=2023",
        "--lang=fr",
        "--format=docx",
        f"--output={output}",
        stdout=out,
    )

    assert out.getvalue().startswith(f"Wrote {output}: the 2020-2023 progress report for 2023")
    document = Document(str(output))
    targets = [t for t in headings(document, 2) if t.startswith("Cible ")]
    assert len(targets) == 26
    assert targets[0] == "Cible 1.1"
