"""A report (reports.document) as a Word document that staff can edit: python-docx, with Word's
own structure so that nothing is lost on the way: the built-in heading styles (Heading 1-3 by
Section.level: the navigation pane and the table of contents follow them), real tables (Table
Grid, the header row repeated on each page), charts as pictures with the chart in words as their
alternative text, a table of contents field that Word fills when the file is opened, and the
page number in the footer.

Languages: every style names its fonts (Noto Sans, Noto Sans CJK SC for Chinese, Noto Sans
Arabic for Arabic: the fonts of the PDF and the static charts) and the document its language, so
that Word picks the right spelling dictionary and line breaking. Arabic is written right to left:
the section (page order, columns), each paragraph (w:bidi), each run (w:rtl) and each table
(w:bidiVisual: the first column on the right).

Charts are drawn on the server (dashboards.static_charts) as SVG, which Word 2016+ and
LibreOffice show as vectors, with a PNG of the same chart as the fallback that every reader
understands (the a:blip's svgBlip extension, as Word writes it itself).
"""

import io
import re
from datetime import UTC, date, datetime, time

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.shared import Cm, Pt, RGBColor

from .charts import chart_image
from .document import Chart, Paragraph, Report, Section, Table

LATIN_FONT = "Noto Sans"
CJK_FONT = "Noto Sans CJK SC"
ARABIC_FONT = "Noto Sans Arabic"

# Word's language tags for the portal's languages: (w:val, w:eastAsia, w:bidi)
LANGUAGE_TAGS = {
    "en": ("en-GB", "zh-CN", "ar-SA"),
    "fr": ("fr-FR", "zh-CN", "ar-SA"),
    "es": ("es-ES", "zh-CN", "ar-SA"),
    "ru": ("ru-RU", "zh-CN", "ar-SA"),
    "ar": ("ar-SA", "zh-CN", "ar-SA"),
    "zh-hans": ("zh-CN", "zh-CN", "ar-SA"),
}

CHART_WIDTH = Cm(16)  # A4 less the margins

SVG_BLIP_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"

# the verdict and status badges' colours (static/css/portal.css), for a paragraph styled so
BADGE_COLOURS = {
    "achieved": "1B7837",
    "on-track": "1B7837",
    "partly-achieved": "8C510A",
    "partly-on-track": "8C510A",
    "not-achieved": "B2182B",
    "off-track": "B2182B",
}


def render_docx(report: Report, *, on_progress=None) -> bytes:
    """The report as a .docx file (A4): a cover, the table of contents, one heading per
    section, its paragraphs, tables and charts. Draws each chart twice (SVG and PNG, about
    0.1 s each, cached): most of the time goes there. `on_progress(fraction)` is called after
    each section."""
    with translation.override(report.language):
        writer = _Writer(report)
        writer.write(on_progress)
        out = io.BytesIO()
        writer.document.save(out)
        return out.getvalue()


class _Writer:
    def __init__(self, report: Report):
        self.report = report
        self.rtl = report.is_rtl
        self.document = Document()
        self.chart_count = 0
        self.bookmark_count = 0

    # --- the whole -----------------------------------------------------------------------

    def write(self, on_progress=None) -> None:
        self.set_up_page()
        self.set_up_styles()
        self.set_up_settings()
        self.cover()
        self.contents()
        sections = self.report.sections
        for done, section in enumerate(sections, start=1):
            self.section(section)
            if on_progress is not None:
                on_progress(done / len(sections))
        properties = self.document.core_properties
        properties.title = self.report.title
        properties.subject = self.report.subtitle
        properties.language = LANGUAGE_TAGS.get(self.report.language, ("en-GB",))[0]
        properties.author = "ITU"
        properties.comments = ""
        # python-docx's template carries its own dates from 2013
        properties.created = properties.modified = datetime.combine(
            self.report.generated_on, time(), tzinfo=UTC
        )
        properties.last_modified_by = properties.author
        properties.revision = 1

    def set_up_page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.5))
        if self.rtl:
            bidi = OxmlElement("w:bidi")
            section._sectPr.insert_element_before(bidi, "w:rtlGutter", "w:docGrid")
        self.footer(section)

    def set_up_styles(self) -> None:
        """Every style's fonts named (not the theme's Calibri/Cambria, which lack Arabic and
        Chinese), the document's language on the default run properties."""
        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(run_defaults)
        language = run_defaults.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            run_defaults.append(language)
        val, east_asia, bidi = LANGUAGE_TAGS.get(self.report.language, LANGUAGE_TAGS["en"])
        language.set(qn("w:val"), val)
        language.set(qn("w:eastAsia"), east_asia)
        language.set(qn("w:bidi"), bidi)
        for style in styles:
            r_pr = style.element.find(qn("w:rPr"))
            if r_pr is not None and r_pr.find(qn("w:rFonts")) is not None:
                _set_fonts(r_pr)
        styles["Normal"].font.size = Pt(10.5)
        if self.rtl:
            # so that what staff add later is right to left too
            _bidi(styles["Normal"].element.get_or_add_pPr())
            styles["Normal"].font.rtl = True
        for level, size in ((1, 16), (2, 13), (3, 11.5)):
            styles[f"Heading {level}"].font.size = Pt(size)

    def set_up_settings(self) -> None:
        """Word refreshes the fields (the table of contents, the page count) on opening."""
        settings = self.document.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.insert_element_before(
            update,
            "w:hdrShapeDefaults",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
            "w:docVars",
            "w:rsids",
            "m:mathPr",
            "w:attachedSchema",
            "w:themeFontLang",
            "w:clrSchemeMapping",
            "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures",
            "w:forceUpgrade",
            "w:captions",
            "w:readModeInkLockDown",
            "w:smartTagType",
            "sl:schemaLibrary",
            "w:shapeDefaults",
            "w:doNotEmbedSmartTags",
            "w:decimalSymbol",
            "w:listSeparator",
        )
        theme_language = settings.find(qn("w:themeFontLang"))
        if theme_language is not None:
            val, east_asia, bidi = LANGUAGE_TAGS.get(self.report.language, LANGUAGE_TAGS["en"])
            theme_language.set(qn("w:val"), val)
            theme_language.set(qn("w:eastAsia"), east_asia)
            theme_language.set(qn("w:bidi"), bidi)

    def footer(self, section) -> None:
        """ "Page 3 of 40", the translated sentence with Word's PAGE and NUMPAGES fields where
        its numbers go (each language puts them where it needs)."""
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._direction(paragraph)
        sentence = _("Page %(page)s of %(pages)s")
        for piece in re.split(r"(%\((?:page|pages)\)s)", sentence):
            if piece == "%(page)s":
                self._field(paragraph, "PAGE", "1")
            elif piece == "%(pages)s":
                self._field(paragraph, "NUMPAGES", "1")
            elif piece:
                self._run(paragraph, piece)

    # --- the parts -----------------------------------------------------------------------

    def cover(self) -> None:
        report = self.report
        self._paragraph(report.title, "Title")
        self._paragraph(report.subtitle, "Subtitle")
        for label, day in (
            (_("Figures approved by"), report.cut_off),
            (_("Generated on"), report.generated_on),
        ):
            paragraph = self._paragraph("")
            self._run(paragraph, f"{label}: ").bold = True
            self._run(paragraph, _day(day))
        paragraph.add_run().add_break(WD_BREAK.PAGE)  # the contents start a page

    def contents(self) -> None:
        """A TOC field over the first two heading levels (the parts, the targets, objectives
        and risks), with links: Word fills it on opening (settings' updateFields) or on F9;
        until then it says so."""
        self._paragraph(_("Contents"), "TOC Heading")
        paragraph = self._paragraph("")
        self._field(
            paragraph,
            'TOC \\o "1-2" \\h \\z \\u',
            _("The table of contents is filled in when the document is opened in Word."),
        )
        paragraph.add_run().add_break(WD_BREAK.PAGE)

    def section(self, section: Section) -> None:
        if section.level == 1 and self.document.paragraphs[-1].text:
            self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        heading = self._paragraph(section.title, f"Heading {min(section.level, 3)}")
        self.bookmark_count += 1
        _bookmark(heading, section.anchor, self.bookmark_count)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Chart):
                self.chart(block)

    def paragraph(self, block: Paragraph) -> None:
        paragraph = self._paragraph(block.text)
        style = block.style
        run = paragraph.runs[0] if paragraph.runs else None
        if run is None:
            return
        if style == "lead":
            run.font.size = Pt(12)
        elif style == "note":
            run.italic = True
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        elif style.startswith(("verdict-", "status-")):
            run.bold = True
            colour = BADGE_COLOURS.get(style.split("-", 1)[1])
            if colour:
                run.font.color.rgb = RGBColor.from_string(colour)

    def table(self, block: Table) -> None:
        caption = self._paragraph(block.caption, "Caption")
        caption.paragraph_format.keep_with_next = True
        columns = len(block.headers)
        table = self.document.add_table(rows=1 + len(block.rows), cols=columns)
        table.style = self.document.styles["Table Grid"]
        if self.rtl:
            bidi = OxmlElement("w:bidiVisual")
            table._tbl.tblPr.insert_element_before(
                bidi,
                "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize",
                "w:tblW",
                "w:jc",
                "w:tblCellSpacing",
                "w:tblInd",
                "w:tblBorders",
                "w:shd",
                "w:tblLayout",
                "w:tblCellMar",
                "w:tblLook",
                "w:tblCaption",
                "w:tblDescription",
            )
        _table_description(table, block.caption)
        rows = table.rows
        header = rows[0]
        tr_pr = header._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of each page
        for cell, text in zip(header.cells, block.headers, strict=False):
            self._cell(cell, text, bold=True)
        for row, values in zip(rows[1:], block.rows, strict=True):
            for cell, text in zip(row.cells, values, strict=False):
                self._cell(cell, text)

    def chart(self, block: Chart) -> None:
        """The chart as a picture (SVG with a PNG fallback), its title above as a caption, the
        chart in words as the picture's alternative text, the sources below."""
        caption = self._paragraph(block.title, "Caption")
        caption.paragraph_format.keep_with_next = True
        png = chart_image(block.figure, "png", self.report.language)
        svg = chart_image(block.figure, "svg", self.report.language)
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._direction(paragraph)
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=CHART_WIDTH)
        self.chart_count += 1
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", block.summary)
        doc_pr.set("title", block.title)
        self._add_svg(shape, svg)
        if block.source:
            source = self._paragraph(block.source)
            if source.runs:
                source.runs[0].italic = True
                source.runs[0].font.size = Pt(9)

    def _add_svg(self, shape, svg: bytes) -> None:
        """Word's vector picture: the SVG as a part of its own, named by an extension of the
        PNG's a:blip; readers that do not know it show the PNG."""
        part = self.document.part
        name = PackURI(f"/word/media/chart{self.chart_count}.svg")
        svg_part = Part(name, "image/svg+xml", svg, part.package)
        r_id = part.relate_to(svg_part, RT.IMAGE)
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        ext_list = parse_xml(
            f'<a:extLst {nsdecls("a")}><a:ext uri="{SVG_BLIP_EXTENSION}">'
            f'<asvg:svgBlip xmlns:asvg="{SVG_NAMESPACE}" {nsdecls("r")} r:embed="{r_id}"/>'
            "</a:ext></a:extLst>"
        )
        blip.append(ext_list)

    # --- small pieces --------------------------------------------------------------------

    def _paragraph(self, text: str, style: str | None = None):
        paragraph = self.document.add_paragraph(style=style)
        self._direction(paragraph)
        if text:
            self._run(paragraph, text)
        return paragraph

    def _cell(self, cell, text: str, *, bold: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        self._direction(paragraph)
        paragraph.paragraph_format.space_after = Pt(0)
        run = self._run(paragraph, text)
        if bold:
            run.bold = True

    def _run(self, paragraph, text: str):
        run = paragraph.add_run(text)
        if self.rtl:
            run.font.rtl = True
        return run

    def _direction(self, paragraph) -> None:
        if self.rtl:
            _bidi(paragraph._p.get_or_add_pPr())

    def _field(self, paragraph, instruction: str, placeholder: str) -> None:
        """A Word field: its code, and the text shown until Word computes it."""
        for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
            run = self._run(paragraph, "")
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = f" {text} "
                run._r.append(instr)
            else:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                if kind == "begin":
                    char.set(qn("w:dirty"), "true")  # to be computed on opening
                run._r.append(char)
        self._run(paragraph, placeholder)
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        self._run(paragraph, "")._r.append(end)


def _set_fonts(r_pr) -> None:
    """Name the fonts of a run-properties element for each script, dropping the theme's."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    fonts.set(qn("w:cs"), ARABIC_FONT)


def _bidi(p_pr) -> None:
    if p_pr.find(qn("w:bidi")) is not None:
        return
    p_pr.insert_element_before(
        OxmlElement("w:bidi"),
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    )


def _bookmark(paragraph, name: str, bookmark_id: int) -> None:
    """A bookmark named by the section's anchor around the heading's text (the PDF's ids)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name.replace("-", "_")[:40])
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    paragraph._p.insert_element_before(start, "w:r")
    paragraph._p.append(end)


def _table_description(table, caption: str) -> None:
    """The table's caption as its accessible title (tblCaption, Word 2010+)."""
    tbl_pr = table._tbl.tblPr
    element = OxmlElement("w:tblCaption")
    element.set(qn("w:val"), caption[:255])
    tbl_pr.append(element)


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")
