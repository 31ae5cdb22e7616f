"""How statuses and figures read: words, icons, colours, numbers and the status sentence."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from dashboards.presentation import (
    STATUS_LOOKS,
    STATUS_ORDER,
    assessment_facts,
    format_number,
    format_value,
    status_look,
    status_sentence,
    statuses_for,
)
from indicators.progress import Method, Status, TargetSpec, assess

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css"


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def internet_use(values, method=Method.STATCAN):
    spec = TargetSpec(kind="level", value=65, year=2023)
    return assess(values, spec, method=method)


def test_status_looks_cover_every_status_with_words_and_an_icon():
    assert set(STATUS_LOOKS) == set(Status)
    assert set(STATUS_ORDER) == set(Status)
    for look in STATUS_LOOKS.values():
        assert str(look.label) and look.icon and str(look.meaning)
    assert statuses_for("unsd")[0] is Status.MET_OR_ON_WAY
    assert statuses_for("statcan")[0] is Status.ACHIEVED


def test_status_colours_meet_wcag_aa_with_white_text():
    for look in STATUS_LOOKS.values():
        # 4.5:1 for the badge's white text; also >= 3:1 as a chart mark on white
        assert contrast(look.colour, "#ffffff") >= 4.5, look.status


def test_status_colours_in_the_stylesheet_match_the_mapping():
    rules = dict(re.findall(r"\.status-([a-z_]+) \{ --status: (#[0-9a-f]{6}); \}", CSS.read_text()))
    assert rules == {str(status): look.colour for status, look in STATUS_LOOKS.items()}


def test_format_value_shows_units_and_trims_zeros():
    with translation.override("en"):
        assert format_value(67.0, "percent") == "67%"
        assert format_value(68.234, "percent") == "68.2%"
        assert format_value(1486.535, "millions") == "1,486.5 million"
        assert format_value(0.92, "ratio") == "0.92"
        assert format_value(107, "count") == "107"
        assert format_value(1.3, "percent_gni") == "1.3% of GNI per capita"
        assert format_value(None, "percent") == ""
        assert format_number(-0.04, 1) == "0"


def test_format_value_follows_the_language():
    with translation.override("fr"):
        assert format_number(1486.5, 1) == "1\xa0486,5"
    with translation.override("es"):
        assert format_number(46.7, 1) == "46,7"


def test_status_sentence_for_an_achieved_target():
    with translation.override("en"):
        sentence = status_sentence(
            internet_use({2017: 49, 2023: 67}), unit="percent", geography="World"
        )
    assert sentence == (
        "Target achieved: the figure for World was 67% in 2023, against a target of 65% by 2023."
    )


def test_status_sentence_projects_the_recent_pace():
    # 53.6 in 2019, 59.1 in 2021: on track, the pace reaches 65.16 in 2023 (docs example)
    assessment = internet_use({2019: 53.6, 2021: 59.1})
    assert assessment.status is Status.ON_TRACK
    with translation.override("en"):
        sentence = status_sentence(assessment, unit="percent", geography="World")
    assert sentence == (
        "On track: at the recent pace the figure for World reaches 65.2% in 2023, "
        "against a target of 65%."
    )


def test_status_sentence_for_the_unsd_method_and_without_target():
    unsd = internet_use({2019: 53.6, 2021: 59.1}, method=Method.UNSD)
    no_target = assess({2017: 38, 2020: 64}, TargetSpec(kind="none", value=None, year=2023))
    with translation.override("en"):
        assert status_sentence(unsd, unit="percent", geography="World").startswith(
            "Met or on the way: at the recent pace the figure for World reaches 65.2% in 2023"
        )
        assert status_sentence(no_target, unit="percent", geography="World") == (
            "On track: the figure for World went from 38% in 2017 to 64% in 2020 "
            "(19% a year); the plan sets no numeric target."
        )


def test_status_sentence_without_enough_data():
    with translation.override("en"):
        assert status_sentence(internet_use({}), unit="percent", geography="World") == (
            "No data: no figure for World has been published yet."
        )
        one_year = status_sentence(internet_use({2019: 50}), unit="percent", geography="LDCs")
    assert one_year == (
        "Insufficient data: the latest figure for LDCs is 50% (2019), but progress cannot be "
        "measured from the figures available."
    )


def test_status_sentence_is_translated():
    with translation.override("fr"):
        sentence = status_sentence(
            internet_use({2017: 49, 2023: 67}), unit="percent", geography="Monde"
        )
    assert "Monde" in sentence and "67" in sentence and "65" in sentence
    assert not sentence.startswith("Target achieved")


@pytest.mark.parametrize(
    ("values", "labels"),
    [
        ({2017: 49, 2023: 67}, ["Base", "Latest", "Target", "Observed growth", "Required growth"]),
        ({2019: 53.6, 2021: 59.1}, ["Base", "Latest", "Target", "Observed growth"]),
    ],
)
def test_assessment_facts_list_the_numbers_behind_a_status(values, labels):
    with translation.override("en"):
        facts = dict(assessment_facts(internet_use(values), unit="percent"))
    for label in labels:
        assert label in facts
    if 2021 in values:
        assert facts["Projection at the recent pace"] == "65.2% in 2023"
        assert facts["Latest"] == "59.1% in 2021"
    else:
        assert "Projection at the recent pace" not in facts  # the latest year is the target year
        assert facts["Ratio of observed to required pace"] == "1.11"


def test_status_look_accepts_stored_values():
    assert status_look("achieved").colour == STATUS_LOOKS[Status.ACHIEVED].colour
