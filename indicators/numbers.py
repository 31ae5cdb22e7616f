"""Numbers as people write them: "407,5" in French is 407.5, "1,234.5" in English is 1234.5.

Pure functions (no Django): `read_number(text, decimal_mark=",", group_mark=None)` reads a number
written with the conventions of one language and refuses what those conventions do not allow,
saying how to write it. It never guesses: where a text reads two ways ("1,234" in French is
1.234 by the French decimal comma, or 1234 by the English thousands comma) it raises
`AmbiguousNumber` with both readings, and the form asks which is meant.

Spaces (plain, no-break, narrow no-break, thin) group thousands in every language. Eastern Arabic
digits and the Arabic decimal and thousands marks (٫ ٬), and the full-width digits and marks of
Chinese input methods (１２３ ， ．), are read as their Western equivalents; the Arabic thousands
mark, which cannot be a decimal, groups like a space.
Files and the API take numbers in one fixed format instead: `read_plain_number` (a point, no
grouping).

Forms read what a person types with the active language's marks (Django's formats):
`read_typed_number`, and the messages that say how the language writes numbers, or ask which of
two readings is meant.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import get_format, localize_input, number_format
from django.utils.translation import gettext as _

SPACES = " \u00a0\u202f\u2009"
# Eastern Arabic and Persian digits, and the full-width digits and marks of Chinese input methods
WESTERN = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９，．＋－\u2212",
    "012345678901234567890123456789,.+--",
)
PLAIN = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
GROUPED = re.compile(r"[0-9]{1,3}(G[0-9]{3})+")  # G: the group mark, after escaping


class NumberError(ValueError):
    """Not a number as the language writes it; the message says how to write it."""


class AmbiguousNumber(NumberError):
    """A text that reads two ways: as a decimal number (`as_decimal`), or as a whole number
    with a thousands separator (`as_thousands`); `mark` is the mark that reads both ways."""

    def __init__(self, text: str, as_decimal: Decimal, as_thousands: Decimal, mark: str):
        super().__init__(text)
        self.text = text
        self.as_decimal = as_decimal
        self.as_thousands = as_thousands
        self.mark = mark

    def __str__(self):
        return f"{self.text!r} reads as {self.as_decimal} or as {self.as_thousands}"


def read_plain_number(text: str) -> Decimal:
    """A number in the format of files and tools: digits, an optional sign and decimal point,
    nothing else (no grouping, no exponent, no underscores, no comma)."""
    cleaned = str(text).strip()
    if not PLAIN.fullmatch(cleaned):
        raise NumberError(text)
    return Decimal(cleaned)


def _grouped(integer: str, mark: str) -> bool:
    """Whether `integer` is digits grouped by threes with `mark` (1,234,567)."""
    pattern = GROUPED.pattern.replace("G", re.escape(mark))
    return bool(re.fullmatch(pattern, integer))


def read_number(text: str, *, decimal_mark: str, group_mark: str | None = None) -> Decimal:
    """`text` as a language with this decimal mark ("," or ".") and thousands mark writes it.

    Raises NumberError for what the language does not write (its message is the text), and
    AmbiguousNumber where the text reads two ways: a single mark followed by exactly three
    digits, in a language whose decimal mark is a comma (the English thousands comma, and the
    point that English-writing users put for a decimal, collide with it).
    """
    # the Arabic decimal mark is this language's; the Arabic thousands mark groups like a space
    arabic_marks = str.maketrans({"٫": decimal_mark, "٬": " "})
    cleaned = str(text).strip().translate(WESTERN).translate(arabic_marks)
    sign = ""
    if cleaned and cleaned[0] in "+-":
        sign, cleaned = cleaned[0], cleaned[1:].strip()
    # spaces group thousands: "1 234,5"
    if any(space in cleaned for space in SPACES):
        integer, _mark, _fraction = re.split(r"([,.])", cleaned + ".", maxsplit=1)
        spaced = re.sub(f"[{SPACES}]", " ", integer)
        if not _grouped(spaced, " "):
            raise NumberError(text)
        cleaned = cleaned.replace(integer, spaced.replace(" ", ""), 1)
    if not re.fullmatch(r"[0-9.,]+", cleaned) or not re.search(r"[0-9]", cleaned):
        raise NumberError(text)
    marks = [char for char in cleaned if char in ",."]
    other = "." if decimal_mark == "," else ","
    group = group_mark if group_mark in (",", ".") and group_mark != decimal_mark else None

    if not marks:
        return Decimal(sign + cleaned)
    if len(marks) == 1:
        integer, fraction = cleaned.split(marks[0])
        single_group = len(fraction) == 3 and 1 <= len(integer) <= 3 and not integer.startswith("0")
        if decimal_mark == "," and single_group:
            raise AmbiguousNumber(
                str(text),
                Decimal(f"{sign}{integer}.{fraction}"),
                Decimal(sign + integer + fraction),
                marks[0],
            )
        if marks[0] == decimal_mark and fraction:
            return Decimal(f"{sign}{integer or '0'}.{fraction}")
        if marks[0] == group and _grouped(cleaned, group):
            return Decimal(sign + cleaned.replace(group, ""))
        raise NumberError(text)
    # several marks: thousands marks, then at most one decimal mark, last
    last = cleaned.rfind(decimal_mark)
    integer, fraction = (cleaned[:last], cleaned[last + 1 :]) if last >= 0 else (cleaned, "")
    if last >= 0 and not fraction:
        raise NumberError(text)
    if decimal_mark in integer or other in fraction or group is None:
        raise NumberError(text)
    if not _grouped(integer, group):
        raise NumberError(text)
    number = integer.replace(group, "") + (f".{fraction}" if fraction else "")
    try:
        return Decimal(sign + number)
    except InvalidOperation:  # pragma: no cover - the patterns above admit only digits
        raise NumberError(text) from None


# --- what a person types, in the active language ------------------------------------------------


def language_marks() -> tuple[str, str | None]:
    """The active language's decimal and thousands marks. Chinese formats group by nothing, but
    its writers group by commas, which a language with a decimal point cannot misread."""
    decimal_mark = get_format("DECIMAL_SEPARATOR")
    group_mark = get_format("THOUSAND_SEPARATOR") or ("," if decimal_mark == "." else None)
    return decimal_mark, group_mark


def read_typed_number(text: str, *, shown: Decimal | None = None) -> Decimal:
    """`text` as the active language writes numbers; raises NumberError or AmbiguousNumber.

    `shown`: the stored value the form showed (in the page's format); given back unchanged, it
    is that value, even where its text alone would read two ways (1.234 shows as "1,234" in
    French)."""
    if shown is not None and str(text).strip() == localize_input(shown):
        return shown
    decimal_mark, group_mark = language_marks()
    return read_number(text, decimal_mark=decimal_mark, group_mark=group_mark)


def how_numbers_are_written(text: str) -> str:
    """Why `text` was refused: how the active language writes numbers."""
    decimal_mark, _group = language_marks()
    return _(
        "“%(text)s” is not a number as this language writes it: write numbers like %(example)s "
        "(“%(decimal)s” before the decimals)."
    ) % {
        "text": str(text).strip(),
        "example": number_format(Decimal("1234.5"), 1, use_l10n=True, force_grouping=True),
        "decimal": decimal_mark,
    }


def readings(asked: AmbiguousNumber) -> dict[str, str]:
    """The two readings of an ambiguous text, {plain number: label in the page's format}:
    "1,234 — “,” marks the decimals" and "1 234 — “,” groups the thousands"."""
    decimals = max(0, -asked.as_decimal.as_tuple().exponent)
    as_decimal = number_format(asked.as_decimal, decimals, use_l10n=True)
    as_thousands = number_format(asked.as_thousands, 0, use_l10n=True, force_grouping=True)
    return {
        format(asked.as_decimal, "f"): _("%(number)s — “%(mark)s” marks the decimals")
        % {"number": as_decimal, "mark": asked.mark},
        format(asked.as_thousands, "f"): _("%(number)s — “%(mark)s” groups the thousands")
        % {"number": as_thousands, "mark": asked.mark},
    }


def which_number(asked: AmbiguousNumber) -> str:
    """The question for a text that reads two ways, and how to write either reading plainly."""
    return _(
        "“%(text)s” reads two ways: say which number you mean (or type %(decimal)s for the "
        "decimal number, %(thousands)s for the whole number)."
    ) % {
        "text": asked.text.strip(),
        "decimal": asked.text.strip() + "0",
        "thousands": format(asked.as_thousands, "f"),
    }
