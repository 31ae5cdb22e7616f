"""Numbers as files, messages and the API's CSV write them, whatever the visitor's language."""

from decimal import Decimal


def plain_number(number: Decimal) -> str:
    """65.000000 -> '65', 0.980000 -> '0.98' (never '1E+2')."""
    return format(number.normalize(), "f")
