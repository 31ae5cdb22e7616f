"""Progress in the API: one row per target (plans/<plan>/progress/ and progress/), and each
target's indicators with their series and every number behind each status."""

import pytest

from frameworks.models import StrategicPlan
from indicators.models import Observation

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/plans/2020-2023"
NO_DATA = {"1.4", "1.5", "1.7", "1.8", "1.9", "2.5", "2.6", "2.7", "2.9", "2.10", "3.3", "4.1"}


def rows_by_target(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {row["target"]: row for row in response.json()["results"]}


def test_plan_progress_has_one_row_per_target(api):
    rows = rows_by_target(api.get(f"{PLAN}/progress/"))
    assert len(rows) == 26
    assert {code for code, row in rows.items() if row["status"] == "no_data"} >= NO_DATA
    assert all(row["status"] for row in rows.values())  # "no data" is a status, never a blank


def test_plan_progress_numbers_of_targets_1_2_and_2_4(api):
    rows = rows_by_target(api.get(f"{PLAN}/progress/"))
    assert rows["1.2"] == {
        "plan": "2020-2023",
        "goal": 1,
        "target": "1.2",
        "text": "By 2023, 65% of the world's population will be using the Internet",
        "status": "achieved",
        "method": "statcan",
        "reason": "latest value meets the target",
        "indicator": "1.2-internet-use",
        "indicator_name": "Individuals using the Internet",
        "unit": "percent",
        "geography": "WLD",
        "geography_name": "World",
        "base_year": 2017,
        "base_value": 49,
        "latest_year": 2023,
        "latest_value": 67,
        "latest_edition": "Facts and Figures 2023",
        "target_value": 65,
        "target_year": 2023,
        "verdict": "achieved",
        "verdict_reason": "the 2023 figure meets the target",
        "verdict_year": 2023,
        "verdict_value": 67,
        "verdict_edition": "Facts and Figures 2023",
        "shortfall": -2,
        "share_of_way": 1.125,  # (67 - 49) / (65 - 49)
        # 68% in 2024 (Facts and Figures 2024) does not change a verdict already reached
        "later_year": None,
        "later_value": None,
        "reached_later": None,
        "projected_value": None,
        "fallbacks": {},
    }
    ldc = rows["2.4"]
    assert (ldc["status"], ldc["geography"], ldc["latest_year"], ldc["latest_value"]) == (
        "achieved",
        "LDC",
        2022,
        36,
    )
    assert ldc["target_value"] == 30
    assert rows["2.2"]["status"] == "limited" and rows["2.3"]["status"] == "moderate"
    assert rows["1.4"]["latest_value"] is None and rows["1.4"]["reason"] == "no data"


def test_progress_collection_across_plans_and_by_plan(api):
    everything = api.get("/api/v1/progress/").json()
    assert everything["count"] == 26
    assert rows_by_target(api.get("/api/v1/progress/", {"plan": "2020-2023"})) == rows_by_target(
        api.get(f"{PLAN}/progress/")
    )
    assert api.get("/api/v1/progress/", {"plan": "1999-2002"}).json()["count"] == 0
    assert api.get("/api/v1/plans/1999-2002/progress/").status_code == 404


def test_progress_of_a_draft_plan_is_for_privileged_users(api, administrator, db):
    StrategicPlan.objects.create(
        code="2024-2027", title="Next", period_start=2024, period_end=2027, vision="v", mission="m"
    )
    assert api.get("/api/v1/plans/2024-2027/progress/").status_code == 404
    assert administrator.get("/api/v1/plans/2024-2027/progress/").json()["count"] == 0


def test_target_progress_gives_each_series_and_the_numbers_behind_the_status(api):
    document = api.get(f"{PLAN}/targets/1.2/progress/").json()
    assert (document["plan"], document["target"]) == ("2020-2023", "1.2")
    headline = document["assessment"]
    assert headline["status"] == "achieved"
    assert (headline["base_year"], headline["base_value"]) == (2017, 49)
    assert (headline["latest_year"], headline["latest_value"]) == (2023, 67)
    assert (headline["target_value"], headline["target_year"], headline["gap"]) == (65, 2023, -2)
    assert headline["cagr_observed"] == pytest.approx((67 / 49) ** (1 / 6) - 1)
    assert headline["cagr_required"] == pytest.approx((65 / 49) ** (1 / 6) - 1)
    assert headline["ratio"] == pytest.approx(headline["cagr_observed"] / headline["cagr_required"])
    assert headline["score"] == 5
    verdict = document["verdict"]
    assert (verdict["verdict"], verdict["year"], verdict["value"]) == ("achieved", 2023, 67)
    assert (verdict["pace_status"], verdict["pace_year"]) == ("achieved", 2023)

    codes = [indicator["code"] for indicator in document["indicators"]]
    assert codes == [
        "1.2-internet-use",
        "1.2-internet-users-growth",
        "1.2-internet-users-millions",
        "1.2-population-offline",
    ]
    main = document["indicators"][0]
    assert main["is_main"] and main["assessment"] == headline
    assert main["verdict"] == document["verdict"]
    assert (main["unit"], main["target_kind"], main["target_value"]) == ("percent", "level", 65)
    world = main["series"][0]
    assert (world["geography"], world["geography_name"], world["headline"]) == (
        "WLD",
        "World",
        True,
    )
    assert [(p["year"], p["value"]) for p in world["points"]] == [
        (2017, 49),
        (2018, 51.4),
        (2019, 54),
        (2021, 63),
        (2022, 66),
        (2023, 67),
        (2024, 68),  # shown, not counted in the status or the verdict
    ]
    assert world["joins_editions"] is True and len(world["editions"]) >= 3
    assert sorted(p["value"] for p in world["superseded"] if p["year"] == 2019) == [53.6, 54]
    assert all(p["source"] and p["edition"] for p in world["points"])
    others = [series["geography"] for series in main["series"][1:]]
    assert others == ["DEVD", "HIC", "LIC"]
    assert not any(series["headline"] for series in main["series"][1:])
    growth = document["indicators"][1]
    assert growth["assessment"]["status"] == "insufficient_data"


def test_target_progress_of_2_4_uses_the_ldc_series(api):
    document = api.get(f"{PLAN}/targets/2.4/progress/").json()
    assert document["assessment"]["status"] == "achieved"
    assert (document["assessment"]["latest_year"], document["assessment"]["latest_value"]) == (
        2022,
        36,
    )
    main = document["indicators"][0]
    assert main["headline_geography"] == "LDC" and main["series"][0]["geography"] == "LDC"
    # 2024 lies after the target year: shown as data, not counted in the status
    assert [p["year"] for p in main["series"][0]["points"]][-1] == 2024


def test_target_progress_without_data_says_no_data(api):
    document = api.get(f"{PLAN}/targets/1.4/progress/").json()
    assert document["assessment"]["status"] == "no_data"
    assert document["indicators"][0]["series"] == []
    assert api.get(f"{PLAN}/targets/9.9/progress/").status_code == 404


def test_target_progress_counts_approved_figures_only(api, plan):
    indicator = plan.indicators.get(code="1.2-internet-use")
    Observation.objects.create(
        indicator=indicator,
        geography=indicator.headline_geography,
        year=2023,
        value=20,
        source="s",
        edition="a later, unreviewed edition",
        status=Observation.Status.SUBMITTED,
    )
    document = api.get(f"{PLAN}/targets/1.2/progress/").json()
    assert document["assessment"]["latest_value"] == 67
    assert rows_by_target(api.get(f"{PLAN}/progress/"))["1.2"]["latest_value"] == 67


def test_progress_speaks_the_language_asked(api):
    row = rows_by_target(api.get(f"{PLAN}/progress/", {"lang": "zh-hans"}))["1.1"]
    assert (row["indicator_name"], row["geography_name"]) == ("家庭互联网接入率", "世界")
    document = api.get(f"{PLAN}/targets/1.2/progress/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert document["text"] == "全球65%的人口将于2023年用上互联网"


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_progress_rows_are_exactly_what_their_serializer_describes(api, plan, language):
    """The view returns status_row()'s rows as they are: they must already be the documented
    shape and types, for every target (with and without data)."""
    from django.utils import translation

    from api.figures import status_row
    from api.serializers import TargetStatusSerializer
    from indicators.status import plan_progress

    with translation.override(language):
        rows = [status_row(plan, item) for item in plan_progress(plan)]
        described = TargetStatusSerializer(rows, many=True).data
    assert [list(row) for row in rows] == [list(row) for row in described]
    for row, expected in zip(rows, described, strict=True):
        assert {key: (value, type(value)) for key, value in row.items()} == {
            key: (value, type(value)) for key, value in expected.items()
        }
    answer = api.get(f"{PLAN}/progress/", {"lang": language}).json()["results"]
    assert answer == [dict(row) for row in described]


VERDICTS = {
    "achieved": {"1.2", "2.4"},
    "not_achieved": {"2.8"},
    "no_target_year_figure": {"1.1", "1.6", "2.1", "2.2", "2.3", "3.2"},
    "no_numeric_target": {"3.1"},
    "no_base_figure": {"1.3"},
}


def test_progress_rows_carry_each_targets_verdict(api):
    rows = rows_by_target(api.get(f"{PLAN}/progress/"))
    found = {}
    for code, row in rows.items():
        found.setdefault(row["verdict"], set()).add(code)
    assert found == {**VERDICTS, "no_data": NO_DATA | {"3.4", "3.5", "5.1"}}
    assert len(found["no_data"]) == 15


def test_progress_row_of_2_8_says_by_how_much_it_was_missed(api):
    row = rows_by_target(api.get(f"{PLAN}/progress/"))["2.8"]
    assert (row["status"], row["verdict"]) == ("limited", "not_achieved")  # history, verdict
    assert (row["verdict_year"], row["verdict_value"], row["verdict_edition"]) == (
        2023,
        0.92,
        "Facts and Figures 2023",
    )
    assert row["shortfall"] == pytest.approx(0.06)
    assert row["share_of_way"] == pytest.approx(1 / 3)
    assert (row["later_year"], row["later_value"], row["reached_later"]) == (2024, 0.94, False)


def test_progress_row_without_a_target_year_figure_gives_the_latest_and_the_projection(api):
    row = rows_by_target(api.get(f"{PLAN}/progress/"))["3.2"]
    assert row["verdict"] == "no_target_year_figure"
    assert (row["verdict_year"], row["verdict_value"]) == (2022, 22.3)
    assert row["verdict_reason"] == "no figure for 2023; the latest is for 2022"
    assert row["shortfall"] == pytest.approx(7.7)
    assert row["projected_value"] == pytest.approx(22.3 * (22.3 / 17.4) ** (1 / 3))


def test_target_progress_of_a_target_without_indicator_data_has_a_no_data_verdict(api):
    document = api.get(f"{PLAN}/targets/1.4/progress/").json()
    assert document["verdict"]["verdict"] == "no_data"
    assert document["verdict"]["target_value"] == 100


def test_the_schema_lists_the_verdicts(api):
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    components = schema.json()["components"]["schemas"]
    expected = [
        "achieved",
        "not_achieved",
        "no_target_year_figure",
        "no_base_figure",
        "no_numeric_target",
        "no_data",
        "open",
    ]
    enums = [
        component["enum"]
        for component in components.values()
        if component.get("enum") and "not_achieved" in component["enum"]
    ]
    assert enums and all(enum == expected for enum in enums)
    assert "verdict" in components["TargetStatus"]["properties"]
    assert "verdict" in components["TargetProgress"]["properties"]


def test_progress_list_query_count(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert api.get(f"{PLAN}/progress/").status_code == 200
    with django_assert_max_num_queries(5):
        assert api.get(f"{PLAN}/targets/2.8/progress/").status_code == 200
