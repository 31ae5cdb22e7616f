"""The figures a visitor downloads, a target's or the whole plan's, as a table in the page's
language: CSV (UTF-8 with a byte-order mark, so that spreadsheets on Windows read Arabic and
Chinese as such), an Excel workbook, or JSON. dashboards.pages gives the rows; this module only
writes them.

Every row is one approved figure (every edition: `used` says which one the portal's series
takes), cited by its publisher, publication and edition (`citation`); `source` and `source_url`
say how the portal obtained it (provenance). Keys are stable (the JSON's); the column headings,
names and words are in the active language; numbers are written as plain decimals (a dot, never
a thousands separator) in CSV and as numbers in the workbook, so that they read back exactly.

A text cell that a spreadsheet would run as a formula (one starting with = + - @, a tab or a
carriage return) is written with a leading apostrophe in CSV (OWASP's advice against CSV
injection: itu_rbm.formats.spreadsheet_text, the one rule for every file the portal writes); in
the workbook every text is stored as text, never as a formula, and such a text is marked as typed
after an apostrophe (Excel's "quote prefix"), so that editing the cell does not run it either.
"""

import csv
import io
from decimal import Decimal

import orjson
from django.http import HttpResponse
from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from itu_rbm.formats import csv_cell, plain_number, runs_as_formula

COLUMNS = (
    ("target", _("Target code")),
    ("indicator", _("Indicator code")),
    ("indicator_name", _("Indicator")),
    ("geography", _("Geography code")),
    ("geography_name", _("Geography")),
    ("unit", _("Unit")),
    ("year", _("Year")),
    ("value", _("Value")),
    ("used", _("Used in the series")),
    ("target_value", _("Target value")),
    ("target_year", _("Target year")),
    ("verdict", _("Verdict code")),
    ("verdict_label", _("Verdict on the target")),
    ("status", _("Status code")),
    ("status_label", _("Status of the target")),
    ("citation", _("Citation")),
    ("source", _("Source")),
    ("edition", _("Edition")),
    ("source_url", _("Source address")),
    ("note", _("Note")),
)
KEYS = tuple(key for key, _label in COLUMNS)
NUMBERS = ("year", "value", "target_value", "target_year")
"""Columns holding numbers (Decimal or int): written as numbers, never guarded as text."""

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def headings(columns=COLUMNS) -> list[str]:
    return [str(label) for _key, label in columns]


def _text(value) -> str:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return csv_cell(value)


def csv_bytes(rows: list[dict], columns=COLUMNS) -> bytes:
    """The rows as CSV, headings first, UTF-8 with a byte-order mark. `columns`: (key, heading)
    pairs, a target's figures' by default (the country page has its own)."""
    keys = [key for key, _label in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings(columns))
    for row in rows:
        writer.writerow([_text(row[key]) for key in keys])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[dict], *, title: str, columns=COLUMNS, numbers=NUMBERS) -> bytes:
    """The rows as an Excel workbook: one sheet, headings in bold and frozen, numbers (the
    `numbers` columns) as numbers, texts as texts; right to left in Arabic."""
    keys = [key for key, _label in columns]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    if get_language_bidi():
        sheet.sheet_view.rightToLeft = True
    bold = Font(bold=True)
    sheet.append([_cell(sheet, heading, font=bold) for heading in headings(columns)])
    for row in rows:
        sheet.append([_cell(sheet, _xlsx_value(key, row[key], numbers)) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel's limits: 31 characters, none of []:*?/\
    return "".join(" " if char in "[]:*?/\\" else char for char in title)[:31] or "1"


def _xlsx_value(key: str, value, numbers=NUMBERS):
    if value is None:
        return None
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key in numbers:
        return value  # Decimal, int and float are written as numbers, digit for digit
    return str(value)


def _cell(sheet, value, *, font=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if runs_as_formula(value):
            cell.quotePrefix = True  # and still text once edited in the spreadsheet
    if font is not None:
        cell.font = font
    return cell


def json_bytes(document: dict, rows: list[dict], columns=COLUMNS, key="observations") -> bytes:
    """`document` (what the file is of) with the column headings and the rows (under `key`);
    Decimal numbers as strings of their exact decimal value, as the import format writes them
    (floats, the published statistics', as JSON numbers)."""
    keys = [name for name, _label in columns]
    return orjson.dumps(
        {
            **document,
            "columns": dict(zip(keys, headings(columns), strict=True)),
            key: [
                {
                    name: plain_number(value) if isinstance(value, Decimal) else value
                    for name, value in row.items()
                }
                for row in rows
            ],
        }
    )


def import_csv_bytes(fields: tuple[str, ...], rows: list[dict]) -> bytes:
    """Figures in the portal's import format (indicators.imports reads it back, guarded texts
    included): codes, a dot decimal, no byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows([csv_cell(row[name]) for name in fields] for row in rows)
    return buffer.getvalue().encode("utf-8")


def file_response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
