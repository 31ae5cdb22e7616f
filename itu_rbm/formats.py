"""Numbers and texts as files, messages and the API's CSV write them, whatever the visitor's
language; and the one rule that keeps a spreadsheet from running a text as a formula.

OWASP's advice against CSV injection: a spreadsheet runs a cell starting with = + - @, a tab or a
carriage return as a formula (`=cmd|' /C calc'!A0` starts a program). Every text the portal
writes to a CSV file goes through `spreadsheet_text`, which puts an apostrophe before it; the
portal's own CSV reader (indicators.imports) takes that apostrophe off again, so that a file
downloaded in the import format loads back as it was. Numbers are written as numbers and never
guarded: -0.5 is a figure, not a formula, while the text "-0.5" typed into a source is guarded.
"""

from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def plain_number(number: Decimal) -> str:
    """65.000000 -> '65', 0.980000 -> '0.98' (never '1E+2')."""
    return format(number.normalize(), "f")


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would run `text`, typed into a cell, as a formula."""
    return text.startswith(FORMULA_STARTS)


def spreadsheet_text(text: str) -> str:
    """`text` as a CSV cell that no spreadsheet runs: an apostrophe before a formula's start."""
    return "'" + text if runs_as_formula(text) else text


def unguarded_text(text: str) -> str:
    """A CSV cell as the portal wrote it back to its text (spreadsheet_text undone)."""
    return text[1:] if text.startswith("'") and runs_as_formula(text[1:]) else text


def csv_cell(value) -> str:
    """A value as a CSV cell: numbers (Decimal, int, float) as plain decimals, never guarded;
    every other value as guarded text; None as an empty cell. Callers word booleans."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return spreadsheet_text(str(value))
