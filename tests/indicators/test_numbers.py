"""Numbers read as each language writes them, never guessed (indicators.numbers)."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.numbers import (
    AmbiguousNumber,
    NumberError,
    how_numbers_are_written,
    read_number,
    read_plain_number,
    read_typed_number,
    readings,
    which_number,
)

FRENCH = {"decimal_mark": ",", "group_mark": "\xa0"}
ENGLISH = {"decimal_mark": ".", "group_mark": ","}
ARABIC = {"decimal_mark": ",", "group_mark": "."}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("407,5", "407.5"),
        ("85", "85"),
        ("-3,25", "-3.25"),
        ("0,123", "0.123"),  # a leading zero is no thousands group
        ("1 234,5", "1234.5"),
        ("1\u202f234\u202f567,25", "1234567.25"),
        ("12 345", "12345"),
        (",5", "0.5"),
        ("407,50", "407.50"),
        ("1234,567", "1234.567"),  # four digits before the comma: no thousands group
    ],
)
def test_french_numbers(text, expected):
    assert read_number(text, **FRENCH) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("407.5", "407.5"),
        ("1,234.5", "1234.5"),
        ("1,234", "1234"),
        ("1,234,567", "1234567"),
        ("1 234.5", "1234.5"),
        ("1.234", "1.234"),
        ("+68.5", "68.5"),
    ],
)
def test_english_numbers(text, expected):
    assert read_number(text, **ENGLISH) == Decimal(expected)


@pytest.mark.parametrize("text", ["85,5", "1,23", "12,34,567", "1.234,5", "1,2,3", "85,"])
def test_english_refuses_a_comma_it_does_not_write(text):
    with pytest.raises(NumberError) as refused:
        read_number(text, **ENGLISH)
    assert not isinstance(refused.value, AmbiguousNumber)


@pytest.mark.parametrize("text", ["407.5", "1,234.5", "1.234,5", "around half", ">70", "", "1_0"])
def test_french_refuses_what_french_does_not_write(text):
    with pytest.raises(NumberError) as refused:
        read_number(text, **FRENCH)
    assert not isinstance(refused.value, AmbiguousNumber)


@pytest.mark.parametrize(
    ("text", "decimal", "thousands"),
    [("1,234", "1.234", "1234"), ("407,500", "407.500", "407500"), ("1.234", "1.234", "1234")],
)
def test_french_asks_when_a_text_reads_two_ways(text, decimal, thousands):
    with pytest.raises(AmbiguousNumber) as asked:
        read_number(text, **FRENCH)
    assert (asked.value.as_decimal, asked.value.as_thousands) == (
        Decimal(decimal),
        Decimal(thousands),
    )


def test_arabic_digits_and_marks():
    assert read_number("٤٠٧٫٥", **ARABIC) == Decimal("407.5")
    assert read_number("1.234,5", **ARABIC) == Decimal("1234.5")
    assert read_number("٦٨,٥", **ARABIC) == Decimal("68.5")


@pytest.mark.parametrize("text", ["68.5", "-3", "0.25", ".5", "1000000"])
def test_plain_numbers_of_files_and_tools(text):
    assert read_plain_number(text) == Decimal(text)


@pytest.mark.parametrize("text", ["407,5", "1,234", "1_0", "1e3", "NaN", "Infinity", " ", "٤"])
def test_plain_numbers_refuse_everything_else(text):
    with pytest.raises(NumberError):
        read_plain_number(text)


def test_the_arabic_thousands_mark_only_groups():
    # "١٬٢٣٤" cannot be a decimal: the Arabic thousands mark is no question
    assert read_number("١٬٢٣٤", **ARABIC) == Decimal("1234")
    assert read_number("١٬٢٣٤٫٥", **ARABIC) == Decimal("1234.5")


def test_full_width_digits_and_marks_of_chinese_input_methods():
    assert read_number("４０７．５", **ENGLISH) == Decimal("407.5")
    assert read_number("１，２３４．５", **ENGLISH) == Decimal("1234.5")
    assert read_number("\u22123,25", **FRENCH) == Decimal("-3.25")  # the typographic minus


def test_an_ambiguous_number_says_which_mark_reads_two_ways():
    with pytest.raises(AmbiguousNumber) as asked:
        read_number("1.234", **FRENCH)
    assert (asked.value.text, asked.value.mark) == ("1.234", ".")
    assert asked.value.args == ("1.234",)


# --- in the active language (Django's formats) ---------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "407,5", "407.5"),
        ("es", "407,5", "407.5"),
        ("ru", "407,5", "407.5"),
        ("fr", "1 234,5", "1234.5"),
        ("ru", "1\xa0234,5", "1234.5"),
        ("en", "1,234.5", "1234.5"),
        ("zh-hans", "1,234.5", "1234.5"),  # Django groups Chinese by nothing; its writers by commas
        ("zh-hans", "４０７．５", "407.5"),
        ("ar", "٤٠٧٫٥", "407.5"),
        ("ar", "1.234,5", "1234.5"),
    ],
)
def test_read_typed_number_in_each_language(language, text, expected):
    with translation.override(language):
        assert read_typed_number(text) == Decimal(expected)


def test_english_refuses_a_decimal_comma_and_says_how_english_writes_numbers():
    with translation.override("en"), pytest.raises(NumberError) as refused:
        read_typed_number("85,5")
    assert not isinstance(refused.value, AmbiguousNumber)
    with translation.override("en"):
        assert how_numbers_are_written("85,5") == (
            "“85,5” is not a number as this language writes it: write numbers like 1,234.5 "
            "(“.” before the decimals)."
        )


def test_french_asks_with_both_readings_in_the_page_format():
    with translation.override("fr"):
        with pytest.raises(AmbiguousNumber) as asked:
            read_typed_number("1,234")
        assert readings(asked.value) == {
            "1.234": "1,234 — « , » marque les décimales",
            "1234": "1\xa0234 — « , » sépare les milliers",
        }
        assert which_number(asked.value) == (
            "« 1,234 » se lit de deux façons : dites quel nombre vous voulez dire (ou tapez "
            "1,2340 pour le nombre décimal, 1234 pour le nombre entier)."
        )


def test_a_shown_value_given_back_unchanged_is_that_value():
    with translation.override("fr"):
        # 1.234 is shown "1,234" in French: sent back as it was, it is no question
        assert read_typed_number("1,234", shown=Decimal("1.234")) == Decimal("1.234")
        assert read_typed_number("407,5", shown=Decimal("407.5")) == Decimal("407.5")
        with pytest.raises(AmbiguousNumber):
            read_typed_number("1,234", shown=Decimal("1234"))


@pytest.mark.parametrize("text", ["６８", "0x44", "1e-3", "-Infinity", "1_000.5", "68\x00"])
def test_plain_numbers_refuse_forms_python_reads_but_files_do_not_write(text):
    with pytest.raises(NumberError):
        read_plain_number(text)


def test_plain_numbers_take_a_leading_plus():
    assert read_plain_number("+5") == Decimal("5")
