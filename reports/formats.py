"""The files a report is written as: one place for each format's content type and renderer,
used by the command and the staff page."""

from .document import Report
from .models import ReportFormat

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render(report: Report, fmt: str, *, on_progress=None) -> bytes:
    """The report as a file of format `fmt` (a ReportFormat). The PDF renderer is imported only
    here: WeasyPrint loads Pango when imported (reports.pdf). `on_progress(fraction)` hears how
    far the rendering is, where the renderer says (the Word one does)."""
    if fmt == ReportFormat.PDF:
        from .pdf import render_pdf

        return render_pdf(report)
    if fmt == ReportFormat.DOCX:
        from .word import render_docx

        return render_docx(report, on_progress=on_progress)
    raise ValueError(f"Unknown report format {fmt!r}.")
