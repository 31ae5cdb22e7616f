"""How statuses and figures read: words, icons, colours, numbers and the status sentence."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from dashboards.presentation import (
    STATUS_LOOKS,
    STATUS_ORDER,
    VERDICT_LOOKS,
    VERDICT_ORDER,
    assessment_facts,
    format_number,
    format_value,
    pace_history,
    status_look,
    status_sentence,
    statuses_for,
    verdict_facts,
    verdict_line,
    verdict_sentence,
)
from indicators.progress import Method, Status, TargetSpec, Verdict, assess, judge

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
        assert contrast(look.colour, "#ffffff") >= 4.5, look.value


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


# --- verdicts ---------------------------------------------------------------------------------

AFTER = 2026


def test_verdict_looks_cover_every_closed_verdict_accessibly():
    assert set(VERDICT_LOOKS) == set(Verdict) - {Verdict.OPEN}
    assert VERDICT_ORDER[:2] == (Verdict.ACHIEVED, Verdict.NOT_ACHIEVED)
    for look in VERDICT_LOOKS.values():
        assert str(look.label) and look.icon and str(look.meaning)
        assert contrast(look.colour, "#ffffff") >= 4.5, look.value
    icons = [look.icon for look in VERDICT_LOOKS.values()]
    assert len(set(icons)) == len(icons)  # told apart without colour
    rules = dict(
        re.findall(r"\.verdict-([a-z_]+) \{ --status: (#[0-9a-f]{6}); \}", CSS.read_text())
    )
    assert rules == {str(verdict): look.colour for verdict, look in VERDICT_LOOKS.items()}


def test_verdict_line_counts_the_plans_targets_in_words():
    counts = {"achieved": 2, "not_achieved": 1, "no_target_year_figure": 6, "no_data": 15}
    with translation.override("en"):
        assert verdict_line(counts, 24, 2023) == (
            "Of the plan's 24 targets: 2 achieved, 1 not achieved, 6 with no figure for 2023, "
            "15 with no data."
        )
        assert verdict_line({"achieved": 1}, 1, 2023) == "Of the plan's 1 target: 1 achieved."
    with translation.override("fr"):
        assert verdict_line(counts, 24, 2023) == (
            "Sur les 24 cibles du plan : 2 atteintes, 1 non atteinte, 6 sans chiffre pour 2023, "
            "15 sans données."
        )


def test_verdict_sentence_of_a_missed_parity_target_gives_the_gap_and_later_figure():
    spec = TargetSpec("parity", 1.0, 2023, band=(0.98, 1.02))
    j = judge({2018: 0.89, 2023: 0.92, 2024: 0.94}, spec, as_of_year=AFTER)
    with translation.override("en"):
        sentence = verdict_sentence(
            j, unit="ratio", geography="World", cited="ITU, Facts and Figures 2023"
        )
        assert sentence == (
            "Target not achieved: the figure for World was 0.92 in 2023 (ITU, Facts and Figures "
            "2023), against a target of 1 (0.98–1.02). That is 0.06 short of the target: 33.3% "
            "of the way from the 2018 base (0.89). It had not been reached by 2024 either (0.94)."
        )
        assert pace_history(j) == "Pace status in 2023: Limited progress."


def test_verdict_sentence_labels_a_projection_as_one():
    j = judge({2019: 17.4, 2022: 22.3}, TargetSpec("level", 30, 2023), as_of_year=AFTER)
    with translation.override("en"):
        sentence = verdict_sentence(j, unit="percent", geography="World")
        assert sentence == (
            "No figure for the target year: there is no figure for 2023. The latest figure for "
            "World is 22.3% in 2022, against a target of 30% by 2023. That is 7.7 percentage "
            "points short of the target: 38.9% of the way from the 2019 base (17.4%). "
            "Projection, not a published figure: at the 2019–2022 pace it would have reached "
            "24.2% in 2023."
        )
        facts = dict(verdict_facts(j, unit="percent"))
        assert facts["Latest figure"] == "22.3% in 2022"
        assert facts["Projection (not a figure)"] == "24.2% in 2023"
        assert facts["Short of the target by"] == "7.7 percentage points"


def test_verdict_sentence_without_a_numeric_target_never_says_on_track():
    j = judge({2017: 38, 2020: 64}, TargetSpec("none", None, 2023), as_of_year=AFTER)
    with translation.override("en"):
        sentence = verdict_sentence(j, unit="percent", geography="World")
        assert sentence == (
            "No numeric target: the plan asks for progress but sets no figure to reach, so the "
            "target cannot be judged met or missed. The figure for World went from 38% in 2017 "
            "to 64% in 2020."
        )
        assert pace_history(j) == ""  # its pace status (on track) is not shown


def test_verdict_sentence_of_a_single_target_year_figure():
    j = judge({2023: 85}, TargetSpec("level", 100, 2023), as_of_year=AFTER)
    with translation.override("en"):
        assert verdict_sentence(j, unit="percent", geography="World", cited="ITU, X") == (
            "Target not achieved: the figure for World was 85% in 2023 (ITU, X), against a "
            "target of 100%. That is 15 percentage points short of the target."
        )
        assert pace_history(j) == ""  # one figure gives no pace


def test_an_open_target_reads_as_its_pace_status():
    spec = TargetSpec("level", 65, 2023)
    values = {2017: 52.4, 2019: 57.0}
    pace = assess(values, spec)
    j = judge(values, spec, as_of_year=2023, pace=pace)
    with translation.override("en"):
        assert verdict_sentence(j, unit="percent", geography="World", pace=pace) == (
            status_sentence(pace, unit="percent", geography="World")
        )
        assert verdict_facts(j, unit="percent") == [] and pace_history(j) == ""
