"""A report (reports.document) as a tagged PDF: HTML from templates/reports/report.html and the
print stylesheet static/css/report.css, laid out by WeasyPrint; charts drawn on the server as SVG
by dashboards.static_charts (no browser).

WeasyPrint needs Pango from the system (Debian's libpango-1.0-0 and libpangoft2-1.0-0) and the
Noto fonts (fonts-noto-core, fonts-noto-cjk) for Arabic and Chinese: `.ci/run`, the Dockerfile
and `make install` (as root) install them. WeasyPrint is imported only when a PDF is made, so the
rest of the portal runs without them.
"""

import base64
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from dashboards.static_charts import render_chart

from .document import Chart, Paragraph, Report, Table

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "report.css"
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-noto-cjk"
CHART_SIZE = (800, 420)  # pixels of the SVG; the stylesheet scales it to the text's width


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here: its system libraries are missing."""


@lru_cache(maxsize=1)
def _weasyprint():
    """WeasyPrint, imported on first use: it loads Pango when imported, and raises OSError
    when the library is not installed."""
    try:
        import weasyprint
    except OSError as error:
        raise PdfUnavailable(
            "PDF reports need Pango, which WeasyPrint could not load "
            f"({error}). Install Debian's {SYSTEM_PACKAGES} (apt-get install -y "
            f"{SYSTEM_PACKAGES}), or run `make install` as root."
        ) from error
    return weasyprint


def check_pdf_support() -> None:
    """Raise PdfUnavailable, naming the packages to install, if a PDF cannot be made here."""
    _weasyprint()


def render_pdf(report: Report) -> bytes:
    """The report as a PDF/UA-1 document (tagged, with its language, title and outline), A4,
    its pages numbered "page X of Y", a table of contents with page numbers."""
    weasyprint = _weasyprint()
    with translation.override(report.language):
        html = render_to_string("reports/report.html", report_context(report))
        page_css = weasyprint.CSS(string=page_number_css())
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(
        stylesheets=[weasyprint.CSS(filename=str(STYLESHEET)), page_css],
        pdf_variant="pdf/ua-1",  # tagged: reading order, headings, tables, alternative texts
        pdf_tags=True,
    )


def report_context(report: Report) -> dict:
    """The template's context, in the report's (active) language: each block with its kind,
    each chart as an SVG data address."""
    sections = [
        {
            "section": section,
            "heading": min(section.level + 1, 6),  # h1 is the report's title
            "blocks": _blocks(section, report),
        }
        for section in report.sections
    ]
    info = get_language_info(report.language)
    return {
        "report": report,
        "sections": sections,
        "toc": [section for section in report.sections if section.level <= 2],
        "direction": "rtl" if report.is_rtl else "ltr",
        "language_name": info["name_local"],
        "cut_off": date_format(report.cut_off, "DATE_FORMAT"),
        "generated_on": date_format(report.generated_on, "DATE_FORMAT"),
    }


def _blocks(section, report: Report) -> list[dict]:
    blocks = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            blocks.append({"kind": "paragraph", "block": block})
        elif isinstance(block, Table):
            blocks.append({"kind": "table", "block": block})
        elif isinstance(block, Chart):
            blocks.append({"kind": "chart", "block": block, "src": chart_image(block, report)})
    return blocks


def chart_image(chart: Chart, report: Report) -> str:
    """The chart as an SVG data address. Its title and source are the HTML caption's (text a
    reader can select and a screen reader reads), not drawn again in the image."""
    width, height = CHART_SIZE
    svg = render_chart(chart.figure, "svg", width=width, height=height, language=report.language)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def page_number_css() -> str:
    """The page footer, "Page 3 of 40" in the active language: the translated sentence with CSS
    counters where its numbers go (a language puts them where it needs)."""
    sentence = _("Page %(page)s of %(pages)s")
    parts = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", sentence):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    content = " ".join(parts)
    return f"@page {{ @bottom-center {{ content: {content}; }} }}"
