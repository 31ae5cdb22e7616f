"""The verdict on a closed target (indicators.progress.judge), on its own: each case with the
plan's real numbers. A target is closed once its year is over; these tests set the year."""

import pytest

from indicators.progress import (
    MEASURED,
    Judgement,
    Method,
    Status,
    TargetSpec,
    Verdict,
    assess,
    is_closed,
    judge,
)

AFTER = 2026  # the plan 2020-2023 is over
DURING = 2023  # its target year is not over yet

PARITY = TargetSpec("parity", 1.0, 2023, band=(0.98, 1.02))
INTERNET_USE = TargetSpec("level", 65, 2023)
E_WASTE = TargetSpec("level", 30, 2023)
HOUSEHOLDS = TargetSpec("level", 65, 2023)


def test_target_2_8_parity_missed_in_2023_is_not_achieved_by_the_gap_to_the_band():
    # Gender parity score 0.92 in 2023 against parity (0.98-1.02): not "limited progress"
    series = {2018: 0.89, 2019: 0.91, 2020: 0.92, 2022: 0.92, 2023: 0.92, 2024: 0.94}
    j = judge(series, PARITY, as_of_year=AFTER)
    assert j.verdict is Verdict.NOT_ACHIEVED
    assert (j.year, j.value) == (2023, 0.92)
    assert (j.target_value, j.target_band_low, j.target_band_high) == (1.0, 0.98, 1.02)
    assert j.shortfall == pytest.approx(0.06)  # 0.98 - 0.92
    # distance to parity 0.11 (2018 base) -> 0.08, aiming at 0.02: a third of the way
    assert (j.base_year, j.base_value) == (2018, 0.89)
    assert j.share_of_way == pytest.approx((0.11 - 0.08) / (0.11 - 0.02))
    # 0.94 in 2024: still outside the band, so not reached later either
    assert (j.later_year, j.later_value, j.reached_later) == (2024, 0.94, False)
    assert j.pace_status is Status.LIMITED and j.pace_year == 2023  # the history
    assert j.projected_value is None  # the target year has a figure: nothing to project


def test_target_1_2_met_in_2023_is_achieved_with_that_figure():
    j = judge({2017: 49, 2019: 54, 2021: 63, 2022: 66, 2023: 67}, INTERNET_USE, as_of_year=AFTER)
    assert j.verdict is Verdict.ACHIEVED
    assert (j.year, j.value, j.target_value) == (2023, 67, 65)
    assert j.shortfall == -2  # 2 points past the target
    assert j.share_of_way == pytest.approx((67 - 49) / (65 - 49))
    assert j.reason == "the 2023 figure meets the target"


def test_a_target_by_2023_met_before_2023_is_achieved_with_the_latest_figure_that_meets_it():
    # 2.4: 36% of LDC individuals online in 2022 against 30% by 2023 (no 2023 figure)
    spec = TargetSpec("level", 30, 2023)
    j = judge({2017: 16.1, 2019: 19.1, 2022: 36, 2024: 35}, spec, as_of_year=AFTER)
    assert j.verdict is Verdict.ACHIEVED
    assert (j.year, j.value) == (2022, 36)
    # a target set for the year itself: only that year's figure counts
    only_2023 = judge({2022: 36, 2023: 29}, spec, as_of_year=AFTER, by_target_year=False)
    assert only_2023.verdict is Verdict.NOT_ACHIEVED and only_2023.value == 29
    assert judge({2022: 36, 2023: 29}, spec, as_of_year=AFTER).verdict is Verdict.ACHIEVED


def test_target_3_2_without_a_2023_figure_shows_the_latest_2022_figure_and_a_projection():
    j = judge({2016: 20.0, 2019: 17.4, 2022: 22.3}, E_WASTE, as_of_year=AFTER)
    assert j.verdict is Verdict.NO_TARGET_YEAR_FIGURE
    assert (j.year, j.value, j.target_value) == (2022, 22.3, 30)
    assert j.shortfall == pytest.approx(7.7)
    # from the 2019 base (the first year on or after 2017): 4.9 of 12.6 points, 39% of the way
    assert (j.base_year, j.base_value) == (2019, 17.4)
    assert j.share_of_way == pytest.approx(4.9 / 12.6)
    # a projection, labelled as such on the pages: 22.3 x (22.3 / 17.4) ** (1 / 3)
    assert j.projected_value == pytest.approx(22.3 * (22.3 / 17.4) ** (1 / 3))
    assert j.pace_status is Status.LIMITED and j.pace_year == 2022
    assert j.reason == "no figure for 2023; the latest is for 2022"
    assert (j.later_year, j.reached_later) == (None, None)


def test_target_1_1_on_track_in_2019_has_no_2023_figure_and_keeps_on_track_as_history():
    j = judge({2017: 52.4, 2018: 54.7, 2019: 57.0}, HOUSEHOLDS, as_of_year=AFTER)
    assert j.verdict is Verdict.NO_TARGET_YEAR_FIGURE
    assert (j.year, j.value) == (2019, 57.0)
    assert (j.pace_status, j.pace_year) == (Status.ON_TRACK, 2019)
    assert j.projected_value == pytest.approx(57.0 * (57.0 / 52.4) ** 2)  # 67.4% in 2023


def test_one_figure_in_the_target_year_is_enough_to_judge_target_1_4():
    # a reviewer approved 85% for 2023 against 100%: not "insufficient data"
    j = judge({2023: 85}, TargetSpec("level", 100, 2023), as_of_year=AFTER)
    assert j.verdict is Verdict.NOT_ACHIEVED
    assert (j.year, j.value, j.shortfall) == (2023, 85, 15)
    assert j.share_of_way is None  # no earlier figure to measure the way from
    assert j.pace_status is Status.INSUFFICIENT_DATA


def test_a_missed_target_reached_after_its_year_says_when():
    j = judge({2017: 40, 2023: 60, 2024: 64, 2025: 66, 2026: 70}, INTERNET_USE, as_of_year=2027)
    assert j.verdict is Verdict.NOT_ACHIEVED
    assert (j.later_year, j.later_value, j.reached_later) == (2025, 66, True)


def test_a_target_without_a_numeric_target_is_never_on_track():
    # 3.1: cybersecurity readiness "will have improved", 38% -> 64% (2017-2020)
    spec = TargetSpec("none", None, 2023)
    j = judge({2017: 38, 2018: 58, 2020: 64}, spec, as_of_year=AFTER)
    assert j.verdict is Verdict.NO_NUMERIC_TARGET
    assert j.verdict not in MEASURED
    assert (j.year, j.value, j.target_value, j.shortfall) == (2020, 64, None, None)
    assert j.pace_status is Status.ON_TRACK  # the pace method's word, kept apart from the verdict


def test_a_relative_target_whose_base_year_has_no_figure_cannot_be_judged():
    # 1.3: affordability -25% from 2017; the basket has 2022 and 2023 only
    spec = TargetSpec("relative", -0.25, 2023, direction="decrease", baseline_year=2017)
    j = judge({2022: 1.5, 2023: 1.3}, spec, as_of_year=AFTER)
    assert j.verdict is Verdict.NO_BASE_FIGURE
    assert (j.year, j.value, j.target_value) == (2023, 1.3, None)
    assert j.reason == "the target is a change from 2017, which has no figure"
    with_base = judge({2017: 2.0, 2023: 1.3}, spec, as_of_year=AFTER)
    assert with_base.verdict is Verdict.ACHIEVED and with_base.target_value == 1.5
    assert with_base.shortfall == pytest.approx(-0.2)  # 0.2 points below the 1.5 aimed at


def test_a_relative_increase_is_judged_against_its_level():
    # 1.6: fixed-broadband subscriptions +50% from 2017 (1004.5 million): 1506.75 million
    spec = TargetSpec("relative", 0.5, 2023)
    j = judge({2017: 1004.5, 2023: 1400}, spec, as_of_year=AFTER)
    assert j.verdict is Verdict.NOT_ACHIEVED
    assert j.target_value == pytest.approx(1506.75)
    assert j.share_of_way == pytest.approx((1400 - 1004.5) / (1506.75 - 1004.5))


def test_a_decreasing_target_falls_short_above_it():
    spec = TargetSpec("level", 3, 2023, direction="decrease")
    j = judge({2019: 5, 2023: 4}, spec, as_of_year=AFTER)
    assert j.verdict is Verdict.NOT_ACHIEVED and j.shortfall == 1
    assert j.share_of_way == pytest.approx(0.5)


def test_no_figure_at_all_is_no_data():
    j = judge({}, INTERNET_USE, as_of_year=AFTER)
    assert j.verdict is Verdict.NO_DATA
    assert (j.year, j.value, j.target_value) == (None, None, 65)


def test_a_target_whose_year_is_not_over_keeps_its_pace_status():
    j = judge({2017: 52.4, 2019: 57.0}, HOUSEHOLDS, as_of_year=DURING)
    assert j.verdict is Verdict.OPEN and not j.closed
    assert j.pace_status is Status.ON_TRACK
    assert is_closed(2023, 2024) and not is_closed(2023, 2023)


def test_the_verdict_uses_the_pace_assessment_given_and_the_method_of_the_plan():
    series = {2018: 0.89, 2023: 0.92}
    pace = assess(series, PARITY, method=Method.UNSD)
    j = judge(series, PARITY, as_of_year=AFTER, pace=pace)
    assert j.pace_status is Status.FAIR
    assert judge(series, PARITY, as_of_year=AFTER, method=Method.UNSD) == j


def test_the_verdict_as_a_dict_is_json_ready():
    j = judge({2016: 20.0, 2019: 17.4, 2022: 22.3}, E_WASTE, as_of_year=AFTER)
    data = j.as_dict()
    assert data["verdict"] == "no_target_year_figure" and data["pace_status"] == "limited"
    assert list(data) == [field for field in Judgement.__dataclass_fields__]
    assert all(not isinstance(value, Verdict | Status) for value in data.values())
