"""Worked examples for indicators.progress, each with its arithmetic written out.

growth(v1, v0, n) = (v1 / v0) ** (1 / n) - 1, n = actual years between the two values.
STATCAN: R = sign * direction * CAGR_o / |CAGR_r|.  UNSD: P = (projection - base) / (target - base).
"""

import json
import math
from decimal import Decimal

import pytest

from indicators.progress import (
    ACHIEVED_SCORE,
    Assessment,
    Direction,
    Method,
    Status,
    TargetKind,
    TargetSpec,
    assess,
    combine_scores,
    growth,
    limit_coefficient,
    project,
    score_status,
    statcan_band,
    statcan_pace_score,
    statcan_score,
    unsd_band,
)

approx = pytest.approx

# Level target 100 * 1.1**6 = 177.1561 in 2023 from a base of 100 in 2017: CAGR_r = exactly 10%.
PACE_TARGET = TargetSpec(TargetKind.LEVEL, 177.1561, 2023)
PARITY = TargetSpec(TargetKind.PARITY, 1.0, 2023, band=(0.98, 1.02))
PRICE_TARGET = TargetSpec(TargetKind.LEVEL, 2.0, 2023, direction=Direction.DECREASE)


def both(series, spec, **kwargs) -> tuple[Assessment, Assessment]:
    """The same series under both methods."""
    statcan = assess(series, spec, method=Method.STATCAN, **kwargs)
    unsd = assess(series, spec, method=Method.UNSD, **kwargs)
    return statcan, unsd


# --- helpers ----------------------------------------------------------------------------------


def test_growth_uses_actual_year_difference():
    # (121 / 100) ** (1 / 2) - 1 = 1.1 - 1 = 0.1
    assert growth(121, 100, 2019, 2017) == approx(0.1)
    # (1.6) ** (1 / 5) - 1 = 0.0985605...
    assert growth(32, 20, 2022, 2017) == approx(0.0985605433)


@pytest.mark.parametrize(
    ("v1", "v0", "t1", "t0"),
    [(10, 5, 2020, 2020), (10, 0, 2020, 2017), (-3, 5, 2020, 2017)],
)
def test_growth_rejects_undefined_rates(v1, v0, t1, t0):
    with pytest.raises(ValueError):
        growth(v1, v0, t1, t0)


def test_project_compounds_the_rate():
    # 116.64 * 1.08**4 = 100 * 1.08**6 = 158.6874323
    assert project(116.64, 0.08, 4) == approx(158.6874322944)
    assert project(5.0, 0.3, 0) == 5.0


def test_project_overflow_gives_infinity():
    assert project(1.0, 1e10, 100) == math.inf


def test_limit_coefficient_three_regions():
    # |base| >= 2|L|: 1
    assert limit_coefficient(250, 100) == 1.0
    # |base| <= |L|: 1 - 0.9**4.44 = 1 - 0.626378 = 0.373622
    assert limit_coefficient(90, 100) == approx(0.3736216450)
    # |L| < |base| < 2|L|: 1 - ((200 - 150) / 100)**4.44 = 1 - 0.5**4.44 = 0.953929
    assert limit_coefficient(150, 100) == approx(0.9539290870)
    # at the limit itself the thresholds vanish
    assert limit_coefficient(100, 100) == 0.0
    # zero limit and zero base: 1 (checked first, as in Open SDG)
    assert limit_coefficient(0, 0) == 1.0


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (0.95, Status.ON_TRACK),
        (0.9499, Status.MODERATE),
        (0.6, Status.MODERATE),
        (0.5999, Status.LIMITED),
        (0.0, Status.LIMITED),
        (-0.0001, Status.DETERIORATION),
    ],
)
def test_statcan_band_thresholds_are_inclusive_below(ratio, status):
    assert statcan_band(ratio, (0.95, 0.6, 0.0)) is status


@pytest.mark.parametrize(
    ("share", "status"),
    [
        (0.95, Status.MET_OR_ON_WAY),
        (0.9499, Status.FAIR),
        (0.10, Status.FAIR),
        (0.0999, Status.STAGNATION),
        (-1.0, Status.STAGNATION),
    ],
)
def test_unsd_band_thresholds_are_inclusive_below(share, status):
    assert unsd_band(share, (0.95, 0.10)) is status


def test_statcan_score_matches_open_sdg_lines():
    # R = 0.95: 7.1429 * 0.95 - 4.2857 = 2.500055 (on-track band starts at 2.5)
    assert statcan_score(0.95) == approx(2.500055)
    # R = 0.6: 7.1429 * 0.6 - 4.2857 = 0.00004
    assert statcan_score(0.6) == approx(0.00004)
    # R = 0: 4.1667 * 0 - 2.5 = -2.5
    assert statcan_score(0.0) == approx(-2.5)
    # capped at 5 and -5
    assert statcan_score(3.0) == 5.0
    assert statcan_score(-3.0) == -5.0


def test_statcan_pace_score_without_target():
    # thresholds 0.015 / 0.005 / 0 map to scores 2.5 / 0 / -2.5
    assert statcan_pace_score(0.015) == approx(2.5)
    assert statcan_pace_score(0.005) == approx(0.0)
    assert statcan_pace_score(0.0) == approx(-2.5)
    # below zero: 125 * -0.01 - 2.5 = -3.75
    assert statcan_pace_score(-0.01) == approx(-3.75)
    # coefficient 0 (base at the limit) and not falling: 5
    assert statcan_pace_score(0.0, coefficient=0.0) == 5.0


@pytest.mark.parametrize(
    ("scores", "status"),
    [
        ([5.0, 0.0], Status.ON_TRACK),  # mean 2.5
        ([2.4, 2.5], Status.MODERATE),  # mean 2.45
        ([0.0, 0.0], Status.MODERATE),  # mean 0
        ([-1.0, 0.0], Status.LIMITED),  # mean -0.5
        ([-2.5], Status.LIMITED),
        ([-5.0, -1.0], Status.DETERIORATION),  # mean -3
    ],
)
def test_combine_scores_bands(scores, status):
    assert combine_scores(scores) is status


def test_combine_scores_achieved_only_when_all_series_achieved():
    assert combine_scores([5.0, 5.0]) is Status.ON_TRACK
    assert combine_scores([5.0, 5.0], all_achieved=True) is Status.ACHIEVED


def test_combine_scores_empty_is_no_data():
    assert combine_scores([]) is Status.NO_DATA


def test_combine_scores_rejects_out_of_range():
    with pytest.raises(ValueError):
        combine_scores([5.5])


def test_score_status_edges():
    assert score_status(5.0) is Status.ON_TRACK
    assert score_status(2.4999) is Status.MODERATE
    assert score_status(-2.5) is Status.LIMITED
    assert score_status(-2.5001) is Status.DETERIORATION


# --- target spec ------------------------------------------------------------------------------


def test_target_spec_accepts_plain_strings():
    spec = TargetSpec("level", 65.0, 2023, direction="decrease")
    assert spec.kind is TargetKind.LEVEL
    assert spec.direction is Direction.DECREASE


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": TargetKind.LEVEL, "value": None, "year": 2023},
        {"kind": TargetKind.NONE, "value": 5.0, "year": 2023},
        {"kind": TargetKind.RELATIVE, "value": -1.5, "year": 2023},
        {"kind": TargetKind.PARITY, "value": 1.0, "year": 2023, "band": (1.01, 1.05)},
    ],
)
def test_target_spec_rejects_inconsistent_values(kwargs):
    with pytest.raises(ValueError):
        TargetSpec(**kwargs)


# --- worked examples --------------------------------------------------------------------------


def test_assess_world_internet_use_achieved():
    # Target 1.2: 65% by 2023. 2019: 53.6, 2023: 67 (67 / 53.6 = 1.25 exactly).
    # CAGR_o = 1.25 ** (1/4) - 1 = 0.0573713; CAGR_r = (65 / 53.6) ** (1/4) - 1 = 0.0493905
    # R = 0.0573713 / 0.0493905 = 1.161584; P = (67 - 53.6) / (65 - 53.6) = 13.4 / 11.4 = 1.175439
    series = {2019: Decimal("53.6"), 2023: Decimal("67")}
    statcan, unsd = both(series, TargetSpec(TargetKind.LEVEL, 65.0, 2023))
    assert statcan.status is Status.ACHIEVED
    assert statcan.reason == "latest value meets the target"
    assert (statcan.base_year, statcan.base_value) == (2019, approx(53.6))
    assert (statcan.latest_year, statcan.latest_value) == (2023, approx(67.0))
    assert statcan.target_value == approx(65.0)
    assert statcan.gap == approx(-2.0)
    assert statcan.cagr_observed == approx(0.0573712634)
    assert statcan.cagr_required == approx(0.0493905325)
    assert statcan.ratio == approx(1.1615842243)
    assert statcan.score == ACHIEVED_SCORE
    assert statcan.projected_value == approx(67.0)  # latest year is the target year
    assert statcan.share_covered is None
    assert unsd.status is Status.MET_OR_ON_WAY
    assert unsd.share_covered == approx(1.1754385965)
    assert unsd.ratio is None
    assert unsd.score is None


def test_assess_statcan_on_track():
    # 2017: 100, 2020: 133.1 = 100 * 1.1**3 -> CAGR_o = 0.1 = CAGR_r, R = 1.0
    # score = 7.1429 * 1 - 4.2857 = 2.8572; projection 133.1 * 1.1**3 = 177.1561 = target, P = 1
    statcan, unsd = both({2017: 100, 2020: 133.1}, PACE_TARGET)
    assert statcan.status is Status.ON_TRACK
    assert statcan.cagr_observed == approx(0.1)
    assert statcan.cagr_required == approx(0.1)
    assert statcan.ratio == approx(1.0)
    assert statcan.score == approx(2.8572)
    assert statcan.projected_value == approx(177.1561)
    assert statcan.gap == approx(44.0561)
    assert unsd.status is Status.MET_OR_ON_WAY
    assert unsd.share_covered == approx(1.0)


def test_assess_statcan_moderate():
    # 2017: 100, 2019: 116.64 = 100 * 1.08**2 -> CAGR_o = 0.08, R = 0.08 / 0.1 = 0.8
    # score = 7.1429 * 0.8 - 4.2857 = 1.42862
    # UNSD: projection 116.64 * 1.08**4 = 158.687432; P = 58.687432 / 77.1561 = 0.760632 (fair)
    statcan, unsd = both({2017: 100, 2019: 116.64}, PACE_TARGET)
    assert statcan.status is Status.MODERATE
    assert statcan.ratio == approx(0.8)
    assert statcan.score == approx(1.42862)
    assert statcan.projected_value == approx(158.6874322944)
    assert unsd.status is Status.FAIR
    assert unsd.share_covered == approx(0.7606324360)
    assert unsd.projected_value == approx(158.6874322944)


def test_assess_statcan_limited():
    # 2017: 100, 2019: 106.09 = 100 * 1.03**2 -> CAGR_o = 0.03, R = 0.3
    # score = 4.1667 * 0.3 - 2.5 = -1.24999
    # UNSD: projection 100 * 1.03**6 = 119.405230; P = 19.405230 / 77.1561 = 0.251506 (fair)
    statcan, unsd = both({2017: 100, 2019: 106.09}, PACE_TARGET)
    assert statcan.status is Status.LIMITED
    assert statcan.ratio == approx(0.3)
    assert statcan.score == approx(-1.24999)
    assert unsd.status is Status.FAIR
    assert unsd.share_covered == approx(0.2515060981)


def test_assess_statcan_deterioration():
    # 2017: 100, 2019: 90.25 = 100 * 0.95**2 -> CAGR_o = -0.05, R = -0.5
    # score = 4.1667 * -0.5 - 2.5 = -4.58335
    # UNSD: projection 100 * 0.95**6 = 73.509189; P = -26.490811 / 77.1561 = -0.343340
    statcan, unsd = both({2017: 100, 2019: 90.25}, PACE_TARGET)
    assert statcan.status is Status.DETERIORATION
    assert statcan.ratio == approx(-0.5)
    assert statcan.score == approx(-4.58335)
    assert statcan.reason == "moving away from the target"
    assert unsd.status is Status.STAGNATION
    assert unsd.share_covered == approx(-0.3433404609)
    assert unsd.projected_value == approx(73.5091890625)


def test_assess_unsd_slow_growth_is_stagnation():
    # 2017: 100, 2019: 102.01 = 100 * 1.01**2 -> CAGR_o = 0.01
    # projection 100 * 1.01**6 = 106.152015; P = 6.152015 / 77.1561 = 0.079735 < 0.10
    # (STATCAN: R = 0.01 / 0.1 = 0.1 -> limited)
    statcan, unsd = both({2017: 100, 2019: 102.01}, PACE_TARGET)
    assert unsd.status is Status.STAGNATION
    assert unsd.share_covered == approx(0.0797346556)
    assert unsd.reason == "projection covers less than 10% of the way to the target"
    assert statcan.status is Status.LIMITED
    assert statcan.ratio == approx(0.1)


def test_assess_one_observation_is_insufficient():
    # one year only: no observed pace. CAGR_r = (65 / 50) ** (1 / 1) - 1 = 0.3
    for result in both({2022: 50}, TargetSpec(TargetKind.LEVEL, 65.0, 2023)):
        assert result.status is Status.INSUFFICIENT_DATA
        assert result.reason == "only one year of data from the base year"
        assert (result.base_year, result.latest_year) == (2022, 2022)
        assert result.base_value == result.latest_value == approx(50.0)
        assert result.target_value == approx(65.0)
        assert result.gap == approx(15.0)
        assert result.cagr_required == approx(0.3)
        assert result.cagr_observed is None
        assert result.projected_value is None
        assert result.score is None


def test_assess_one_observation_meeting_target_is_achieved():
    statcan, unsd = both({2022: 70}, TargetSpec(TargetKind.LEVEL, 65.0, 2023))
    assert statcan.status is Status.ACHIEVED
    assert statcan.score == ACHIEVED_SCORE
    assert unsd.status is Status.MET_OR_ON_WAY
    assert statcan.gap == approx(-5.0)


def test_assess_zero_base_uses_substitute():
    # 2017: 0 -> 0.001 for growth. CAGR_o = (0.4 / 0.001) ** (1/2) - 1 = 20 - 1 = 19
    # CAGR_r = (10 / 0.001) ** (1/6) - 1 = 10000 ** (1/6) - 1 = 3.641589
    # R = 19 / 3.641589 = 5.217503 -> on track, score capped at 5
    # UNSD: projection 0.4 * 20**4 = 64000; P = (64000 - 0) / (10 - 0) = 6400
    statcan, unsd = both({2017: 0, 2019: 0.4}, TargetSpec(TargetKind.LEVEL, 10.0, 2023))
    assert statcan.base_value == 0.0  # reported as observed
    assert statcan.cagr_observed == approx(19.0)
    assert statcan.cagr_required == approx(3.6415888336)
    assert statcan.ratio == approx(5.2175028176)
    assert statcan.status is Status.ON_TRACK
    assert statcan.score == 5.0
    assert unsd.projected_value == approx(64000.0)
    assert unsd.share_covered == approx(6400.0)
    assert unsd.status is Status.MET_OR_ON_WAY


def test_assess_zero_target_decrease_uses_substitute():
    # 2017: 8, 2020: 1, target 0 by 2023 (decrease). CAGR_o = (1/8) ** (1/3) - 1 = -0.5
    # CAGR_r = (0.001 / 8) ** (1/6) - 1 = sqrt(5) / 10 - 1 = -0.776393
    # R = -1 * -0.5 / 0.776393 = 0.644004 -> moderate
    # UNSD: projection 1 * 0.5**3 = 0.125; P = (0.125 - 8) / (0 - 8) = 0.984375 -> met
    spec = TargetSpec(TargetKind.LEVEL, 0.0, 2023, direction=Direction.DECREASE)
    statcan, unsd = both({2017: 8, 2020: 1}, spec)
    assert statcan.cagr_required == approx(-0.7763932023)
    assert statcan.ratio == approx(0.6440035778)
    assert statcan.status is Status.MODERATE
    assert statcan.target_value == 0.0
    assert unsd.projected_value == approx(0.125)
    assert unsd.share_covered == approx(0.984375)
    assert unsd.status is Status.MET_OR_ON_WAY


def test_assess_past_target_achieved_and_later_data_ignored():
    # Target 65 by 2023. 2022: 66 meets it; 2024: 64 is after the target year and is ignored.
    series = {2017: 40, 2020: 60, 2022: 66, 2024: 64}
    for result in both(series, TargetSpec(TargetKind.LEVEL, 65.0, 2023)):
        assert result.status in (Status.ACHIEVED, Status.MET_OR_ON_WAY)
        assert (result.latest_year, result.latest_value) == (2022, approx(66.0))
        assert result.gap == approx(-1.0)


def test_assess_past_target_not_met_uses_data_up_to_target_year():
    # Target 65 by 2020; 2023: 70 comes too late. Latest = 2020: 60.
    # CAGR_o = (60/40) ** (1/3) - 1 = 0.144714; CAGR_r = (65/40) ** (1/3) - 1 = 0.175667
    # R = 0.144714 / 0.175667 = 0.823797 -> moderate
    series = {2017: 40, 2020: 60, 2023: 70}
    result = assess(series, TargetSpec(TargetKind.LEVEL, 65.0, 2020))
    assert result.latest_year == 2020
    assert result.cagr_observed == approx(0.1447142426)
    assert result.cagr_required == approx(0.1756673439)
    assert result.ratio == approx(0.8237970665)
    assert result.status is Status.MODERATE


def test_assess_decreasing_indicator_on_track():
    # Price of broadband as % of GNI per capita, target 2% by 2023 (lower is better).
    # 2017: 8, 2019: 4. CAGR_o = 0.5 ** (1/2) - 1 = -0.292893
    # CAGR_r = (2/8) ** (1/6) - 1 = 0.25 ** (1/6) - 1 = -0.206299
    # R = sign 1 * direction -1 * -0.292893 / 0.206299 = 1.419748 -> on track, score 5 (capped)
    # UNSD: projection 4 * 0.5**2 = 1.0; P = (1 - 8) / (2 - 8) = 7/6 = 1.166667
    statcan, unsd = both({2017: 8, 2019: 4}, PRICE_TARGET)
    assert statcan.status is Status.ON_TRACK
    assert statcan.cagr_observed == approx(-0.2928932188)
    assert statcan.cagr_required == approx(-0.2062994740)
    assert statcan.ratio == approx(1.4197477730)
    assert statcan.score == 5.0
    assert statcan.gap == approx(-2.0)
    assert unsd.projected_value == approx(1.0)
    assert unsd.share_covered == approx(7 / 6)
    assert unsd.status is Status.MET_OR_ON_WAY


def test_assess_decreasing_indicator_achieved_at_or_below_target():
    statcan, unsd = both({2017: 8, 2021: 1.9}, PRICE_TARGET)
    assert statcan.status is Status.ACHIEVED
    assert unsd.status is Status.MET_OR_ON_WAY
    assert assess({2017: 8, 2021: 2}, PRICE_TARGET).status is Status.ACHIEVED


def test_assess_decreasing_indicator_rising_is_deterioration():
    # 2017: 8, 2019: 9. CAGR_o = (9/8) ** (1/2) - 1 = 0.060660; R = -0.060660 / 0.206299 = -0.294040
    # score = 4.1667 * -0.294040 - 2.5 = -3.725174
    # UNSD: projection 9 * 1.125**2 = 11.390625; P = (11.390625 - 8) / (2 - 8) = -0.565104
    statcan, unsd = both({2017: 8, 2019: 9}, PRICE_TARGET)
    assert statcan.status is Status.DETERIORATION
    assert statcan.ratio == approx(-0.2940393914)
    assert statcan.score == approx(-3.7251739320)
    assert unsd.status is Status.STAGNATION
    assert unsd.share_covered == approx(-0.5651041667)


def test_assess_series_with_gaps_uses_year_differences():
    # 2017: 20, 2019: 25, 2022: 32; target 40 by 2023. Base 2017, latest 2022: 5 years apart.
    # CAGR_o = 1.6 ** (1/5) - 1 = 0.098561 (not 1.6 ** (1/2) - 1 = 0.264911 from 2 steps)
    # CAGR_r = 2 ** (1/6) - 1 = 0.122462; R = 0.804825 -> moderate
    # UNSD: projection 32 * 1.098561 = 35.153937; P = 15.153937 / 20 = 0.757697 -> fair
    statcan, unsd = both({2022: 32, 2017: 20, 2019: 25}, TargetSpec(TargetKind.LEVEL, 40.0, 2023))
    assert (statcan.base_year, statcan.latest_year) == (2017, 2022)
    assert statcan.cagr_observed == approx(0.0985605433)
    assert statcan.cagr_required == approx(0.1224620483)
    assert statcan.ratio == approx(0.8048252064)
    assert statcan.status is Status.MODERATE
    assert unsd.projected_value == approx(35.1539373858)
    assert unsd.share_covered == approx(0.7576968693)
    assert unsd.status is Status.FAIR


def test_assess_relative_target_from_baseline():
    # +25% from 2017: 10 * 1.25 = 12.5. 2015 is before the baseline and ignored.
    # 2020: 11.5. CAGR_o = 1.15 ** (1/3) - 1 = 0.047690; CAGR_r = 1.25 ** (1/6) - 1 = 0.037891
    # R = 1.258605 -> on track; UNSD: projection 11.5 * 1.15 = 13.225, P = 3.225 / 2.5 = 1.29
    spec = TargetSpec(TargetKind.RELATIVE, 0.25, 2023, baseline_year=2017)
    statcan, unsd = both({2015: 5, 2017: 10, 2020: 11.5}, spec)
    assert (statcan.base_year, statcan.base_value) == (2017, approx(10.0))
    assert statcan.target_value == approx(12.5)
    assert statcan.gap == approx(1.0)
    assert statcan.ratio == approx(1.2586045582)
    assert statcan.status is Status.ON_TRACK
    assert unsd.projected_value == approx(13.225)
    assert unsd.share_covered == approx(1.29)


def test_assess_relative_decrease_target():
    # -25% from 8: target 6 (lower is better); 2021: 5.9 meets it.
    spec = TargetSpec(
        TargetKind.RELATIVE, -0.25, 2023, direction=Direction.DECREASE, baseline_year=2017
    )
    result = assess({2017: 8, 2021: 5.9}, spec)
    assert result.target_value == approx(6.0)
    assert result.status is Status.ACHIEVED


def test_assess_missing_baseline_year_uses_next_year():
    # a level target with baseline 2017 not in the series: base is 2018 (first year on or after)
    spec = TargetSpec(TargetKind.LEVEL, 12.5, 2023, baseline_year=2017)
    result = assess({2016: 9, 2018: 10, 2021: 12}, spec)
    assert (result.base_year, result.base_value) == (2018, approx(10.0))
    assert result.target_value == approx(12.5)


def test_assess_baseline_year_overrides_plan_start():
    spec = TargetSpec(TargetKind.LEVEL, 50.0, 2023, baseline_year=2019)
    result = assess({2017: 10, 2019: 20, 2021: 30}, spec, plan_start_year=2017)
    assert result.base_year == 2019


def test_assess_plan_start_year_sets_default_base():
    spec = TargetSpec(TargetKind.LEVEL, 50.0, 2023)
    assert assess({2015: 10, 2018: 20, 2021: 30}, spec).base_year == 2018
    assert assess({2015: 10, 2018: 20, 2021: 30}, spec, plan_start_year=2015).base_year == 2015


def test_assess_relative_target_zero_base_is_insufficient():
    spec = TargetSpec(TargetKind.RELATIVE, 0.5, 2023)
    result = assess({2017: 0, 2020: 3}, spec)
    assert result.status is Status.INSUFFICIENT_DATA
    assert result.reason == "relative target needs a non-zero base value"
    assert result.base_value == 0.0
    assert result.latest_value == approx(3.0)
    assert result.target_value is None


def test_assess_parity_moving_toward_one_is_progress():
    # Gender parity 2019: 0.92, 2023: 0.95; band 0.98-1.02, half-width 0.02.
    # Distances 0.08 -> 0.05. CAGR_o = (0.05/0.08) ** (1/4) - 1 = -0.110860
    # CAGR_r = (0.02/0.08) ** (1/4) - 1 = 0.25 ** 0.25 - 1 = -0.292893
    # R = -1 * -0.110860 / 0.292893 = 0.378501 -> limited (progress, too slow)
    # score = 4.1667 * 0.378501 - 2.5 = -0.922901
    # UNSD: projected distance 0.05 (latest year is the target year)
    #       P = (0.05 - 0.08) / (0.02 - 0.08) = 0.5
    statcan, unsd = both({2019: 0.92, 2023: 0.95}, PARITY)
    assert statcan.status is Status.LIMITED
    assert statcan.target_value == 1.0
    assert statcan.base_value == approx(0.92)
    assert statcan.latest_value == approx(0.95)
    assert statcan.gap == approx(0.05)
    assert statcan.cagr_observed == approx(-0.1108602950)
    assert statcan.cagr_required == approx(-0.2928932188)
    assert statcan.ratio == approx(0.3785007227)
    assert statcan.score == approx(-0.9229010389)
    assert statcan.projected_value == approx(0.95)
    assert unsd.status is Status.FAIR
    assert unsd.share_covered == approx(0.5)


def test_assess_parity_inside_band_is_achieved():
    statcan, unsd = both({2019: 0.95, 2023: 0.99}, PARITY)
    assert statcan.status is Status.ACHIEVED
    assert unsd.status is Status.MET_OR_ON_WAY
    assert statcan.gap == approx(0.01)
    assert assess({2019: 0.95, 2023: 1.02}, PARITY).status is Status.ACHIEVED
    assert assess({2019: 0.95, 2023: 0.98}, PARITY).status is Status.ACHIEVED


def test_assess_parity_moving_away_above_is_deterioration():
    # 2019: 1.05, 2022: 1.10. Distances 0.05 -> 0.10. CAGR_o = 2 ** (1/3) - 1 = 0.259921
    # CAGR_r = (0.02/0.05) ** (1/4) - 1 = 0.4 ** 0.25 - 1 = -0.204729
    # R = -1 * 0.259921 / 0.204729 = -1.269584 -> deterioration, score max(-7.79, -5) = -5
    # projected distance 0.10 * 1.259921 = 0.125992 -> projected value 1 + 0.125992 = 1.125992
    # UNSD: P = (0.125992 - 0.05) / (0.02 - 0.05) = -2.533070
    statcan, unsd = both({2019: 1.05, 2022: 1.10}, PARITY)
    assert statcan.status is Status.DETERIORATION
    assert statcan.ratio == approx(-1.2695842091)
    assert statcan.score == -5.0
    assert statcan.gap == approx(-0.10)
    assert statcan.projected_value == approx(1.1259921050)
    assert unsd.status is Status.STAGNATION
    assert unsd.share_covered == approx(-2.5330701663)


def test_assess_parity_without_band_needs_exact_parity():
    spec = TargetSpec(TargetKind.PARITY, 1.0, 2023)
    assert assess({2019: 0.9, 2023: 0.999}, spec).status is not Status.ACHIEVED
    assert assess({2019: 0.9, 2023: 1.0}, spec).status is Status.ACHIEVED


def test_assess_opposite_signs_is_insufficient():
    for result in both({2017: -5, 2020: 3}, TargetSpec(TargetKind.LEVEL, 10.0, 2023)):
        assert result.status is Status.INSUFFICIENT_DATA
        assert result.reason == "base and latest values have opposite signs"
        assert result.base_value == approx(-5.0)
        assert result.latest_value == approx(3.0)
        assert result.gap == approx(7.0)
        assert result.cagr_observed is None
        assert result.score is None


def test_assess_opposite_signs_but_target_met_is_achieved():
    result = assess({2017: -5, 2020: 12}, TargetSpec(TargetKind.LEVEL, 10.0, 2023))
    assert result.status is Status.ACHIEVED


def test_assess_zero_base_then_negative_is_opposite_signs():
    # base 0 becomes +0.001, so a negative latest value has the opposite sign
    result = assess({2017: 0, 2020: -1}, TargetSpec(TargetKind.LEVEL, 10.0, 2023))
    assert result.status is Status.INSUFFICIENT_DATA


def test_assess_negative_values_use_sign():
    # 2017: -10, 2020: -5, target -2 (higher is better). sign = -1.
    # CAGR_o = 0.5 ** (1/3) - 1 = -0.206299; CAGR_r = 0.2 ** (1/6) - 1 = -0.235276
    # R = -1 * 1 * -0.206299 / 0.235276 = 0.876842 -> moderate
    # UNSD: projection -5 * 0.5 = -2.5; P = (-2.5 + 10) / (-2 + 10) = 0.9375 -> fair
    statcan, unsd = both({2017: -10, 2020: -5}, TargetSpec(TargetKind.LEVEL, -2.0, 2023))
    assert statcan.ratio == approx(0.8768421124)
    assert statcan.status is Status.MODERATE
    assert unsd.projected_value == approx(-2.5)
    assert unsd.share_covered == approx(0.9375)
    assert unsd.status is Status.FAIR


def test_assess_statcan_target_of_opposite_sign_is_insufficient():
    # base -10 and target +5: the required growth rate is undefined; UNSD's P is still defined.
    spec = TargetSpec(TargetKind.LEVEL, 5.0, 2023)
    statcan, unsd = both({2017: -10, 2020: -5}, spec)
    assert statcan.status is Status.INSUFFICIENT_DATA
    assert statcan.reason == "base and target values have opposite signs"
    assert statcan.cagr_required is None
    # projection -2.5 (as above); P = (-2.5 + 10) / (5 + 10) = 0.5
    assert unsd.share_covered == approx(0.5)
    assert unsd.status is Status.FAIR


def test_assess_target_equal_to_base_moving_away():
    spec = TargetSpec(TargetKind.LEVEL, 50.0, 2023)
    statcan, unsd = both({2017: 50, 2020: 45}, spec)
    assert statcan.status is Status.DETERIORATION
    assert statcan.ratio is None
    assert statcan.score == -5.0
    assert unsd.status is Status.STAGNATION
    assert unsd.share_covered is None


def test_assess_no_target_with_natural_limit():
    # Percentage near its limit: 2017: 90, 2020: 92, natural limit 100.
    # C = 1 - 0.9 ** 4.44 = 0.373622; thresholds 0.015C = 0.005604, 0.005C = 0.001868
    # CAGR_o = (92/90) ** (1/3) - 1 = 0.007353 >= 0.005604 -> on track
    # score = min(500 * 0.007353 / 0.373622 - 5, 5) = 4.840443
    spec = TargetSpec(TargetKind.NONE, None, 2023, natural_limit=100.0)
    result = assess({2017: 90, 2020: 92}, spec)
    assert result.status is Status.ON_TRACK
    assert result.cagr_observed == approx(0.0073532053)
    assert result.ratio == approx(0.0073532053)
    assert result.score == approx(4.8404433332)
    assert result.target_value is None
    assert result.gap is None
    assert result.cagr_required is None
    # projection 92 * 1.007353 ** 3 = 92 * 92/90 = 94.044444
    assert result.projected_value == approx(92 * 92 / 90)


def test_assess_no_target_without_limit_uses_plain_thresholds():
    # Same series, no limit: 0.005 <= 0.007353 < 0.015 -> moderate
    # score = 250 * 0.007353 - 1.25 = 0.588301
    spec = TargetSpec(TargetKind.NONE, None, 2023)
    result = assess({2017: 90, 2020: 92}, spec)
    assert result.status is Status.MODERATE
    assert result.score == approx(0.5883013129)


@pytest.mark.parametrize(
    ("latest", "direction", "status"),
    [
        # 2017: 100, 2019: latest. CAGR = sqrt(latest / 100) - 1
        (100 * 1.03**2, Direction.INCREASE, Status.MET_OR_ON_WAY),  # +3% a year
        (100 * 1.01**2, Direction.INCREASE, Status.FAIR),  # +1% a year
        (100 * 1.002**2, Direction.INCREASE, Status.STAGNATION),  # +0.2% a year
        (100 * 0.97**2, Direction.INCREASE, Status.STAGNATION),  # -3% a year
        (100 * 0.97**2, Direction.DECREASE, Status.MET_OR_ON_WAY),  # -3% a year, desired
    ],
)
def test_assess_unsd_no_target_growth_bands(latest, direction, status):
    spec = TargetSpec(TargetKind.NONE, None, 2023, direction=direction)
    result = assess({2017: 100, 2019: latest}, spec, method=Method.UNSD)
    assert result.status is status
    assert result.share_covered is None


def test_assess_empty_series_is_no_data():
    for result in both({}, TargetSpec(TargetKind.LEVEL, 65.0, 2023)):
        assert result.status is Status.NO_DATA
        assert result.reason == "no data"
        assert result.base_year is None
        assert result.target_year == 2023


def test_assess_missing_values_are_skipped():
    result = assess(
        {2017: None, 2019: 20, 2021: float("nan")}, TargetSpec(TargetKind.LEVEL, 30, 2023)
    )
    assert (result.base_year, result.latest_year) == (2019, 2019)
    assert assess({2017: None}, TargetSpec(TargetKind.LEVEL, 30, 2023)).status is Status.NO_DATA


def test_assess_data_only_outside_window_is_insufficient():
    spec = TargetSpec(TargetKind.LEVEL, 65.0, 2023)
    for series in ({2024: 70, 2025: 72}, {2010: 40, 2015: 50}):
        result = assess(series, spec)
        assert result.status is Status.INSUFFICIENT_DATA
        assert result.reason == "no data between the base year and the target year"
        assert result.target_value == approx(65.0)
        assert result.latest_value is None


def test_assess_accepts_pairs_and_decimals():
    pairs = [(2023, Decimal("67")), (2019, Decimal("53.6"))]
    result = assess(pairs, TargetSpec(TargetKind.LEVEL, 65.0, 2023))
    assert (result.base_year, result.latest_year) == (2019, 2023)
    assert isinstance(result.latest_value, float)


def test_assess_rejects_duplicate_years():
    with pytest.raises(ValueError):
        assess([(2019, 1.0), (2019, 2.0)], TargetSpec(TargetKind.LEVEL, 65.0, 2023))


def test_assess_accepts_method_as_string():
    result = assess({2017: 100, 2019: 116.64}, PACE_TARGET, method="unsd")
    assert result.method is Method.UNSD
    assert result.status is Status.FAIR


def test_assessment_as_dict_is_json_ready():
    result = assess({2017: 100, 2019: 116.64}, PACE_TARGET)
    data = result.as_dict()
    assert data["status"] == "moderate"
    assert data["method"] == "statcan"
    assert data["ratio"] == approx(0.8)
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {
        "status", "method", "base_year", "base_value", "latest_year", "latest_value",
        "target_value", "target_year", "gap", "cagr_observed", "cagr_required", "ratio",
        "share_covered", "projected_value", "score", "reason",
    }  # fmt: skip


def test_assessment_as_dict_turns_overflow_into_none():
    # a zero base with a fast rise projects beyond float range over a long horizon
    spec = TargetSpec(TargetKind.LEVEL, 1e9, 2300)
    result = assess({2017: 0, 2018: 1e6}, spec, method=Method.UNSD)
    assert result.projected_value == math.inf
    assert result.as_dict()["projected_value"] is None
    json.dumps(result.as_dict(), allow_nan=False)


def test_assess_doc_example_internet_not_yet_met_is_on_track():
    # docs/progress-method.md: 2019: 53.6, 2021: 59.1, target 65 by 2023.
    # CAGR_o = (59.1 / 53.6) ** (1/2) - 1 = 0.050053; CAGR_r = 0.049391 (as above)
    # R = 0.050053 / 0.049391 = 1.013419; score = 7.1429 * 1.013419 - 4.2857 = 2.953050
    # UNSD: projection 59.1 * 1.050053 ** 2 = 65.164366; P = 11.564366 / 11.4 = 1.014418
    statcan, unsd = both({2019: 53.6, 2021: 59.1}, TargetSpec(TargetKind.LEVEL, 65.0, 2023))
    assert statcan.status is Status.ON_TRACK
    assert statcan.gap == approx(5.9)
    assert statcan.cagr_observed == approx(0.0500533036)
    assert statcan.ratio == approx(1.0134189888)
    assert statcan.score == approx(2.9530504949)
    assert unsd.status is Status.MET_OR_ON_WAY
    assert unsd.projected_value == approx(65.1643656716)
    assert unsd.share_covered == approx(1.0144180414)


def test_assess_relative_target_needs_its_named_baseline_year():
    # "+25% from 2017" with no 2017 figure: a later base would move the target, so no status.
    spec = TargetSpec(
        kind=TargetKind.RELATIVE,
        value=-0.25,
        year=2023,
        direction=Direction.DECREASE,
        baseline_year=2017,
    )
    result = assess({2019: 2.0, 2023: 1.3}, spec)
    assert result.status is Status.INSUFFICIENT_DATA
    assert result.target_value is None
    assert result.latest_value == pytest.approx(1.3)
    assert "2017" in result.reason
