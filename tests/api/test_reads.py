"""Public reads under /api/v1/: every element of the plan and every figure, by plan and code, with
filters, ordering, pagination and languages; each in a bounded number of queries."""

import pytest
from django.core.cache import caches

from frameworks.models import Goal, StrategicPlan, Target
from indicators.models import Observation

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/plans/2020-2023"


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_plans_lists_the_published_plan(api, plan):
    body = api.get("/api/v1/plans/").json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["code"] == "2020-2023"
    assert (row["period_start"], row["period_end"]) == (2020, 2023)
    assert row["status"] == "published" and row["progress_method"] == "statcan"
    assert row["title"] == plan.title_en


def test_plan_detail_and_unknown_plan(api, plan):
    assert api.get(f"{PLAN}/").json()["vision"] == plan.vision_en
    response = api.get("/api/v1/plans/1999-2002/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No plan with the code '1999-2002'."}


def test_plans_drafts_are_for_privileged_users_only(api, administrator, reporter_d, db):
    StrategicPlan.objects.create(
        code="2024-2027", title="Next", period_start=2024, period_end=2027, vision="v", mission="m"
    )
    assert [p["code"] for p in results(api.get("/api/v1/plans/"))] == ["2020-2023"]
    assert api.get("/api/v1/plans/2024-2027/goals/").status_code == 404
    assert [p["code"] for p in results(administrator.get("/api/v1/plans/"))] == [
        "2024-2027",
        "2020-2023",
    ]
    assert reporter_d.get("/api/v1/plans/2024-2027/").json()["status"] == "draft"


def test_goals_with_their_targets_and_sdg_targets(api):
    goals = results(api.get(f"{PLAN}/goals/"))
    assert [goal["number"] for goal in goals] == [1, 2, 3, 4, 5]
    assert goals[0]["short_name"] == "Growth"
    assert goals[0]["targets"] == [f"1.{n}" for n in range(1, 10)]
    assert "9.c" in goals[0]["sdg_targets"]
    assert sum(len(goal["targets"]) for goal in goals) == 26
    assert api.get(f"{PLAN}/goals/2/").json()["short_name"] == "Inclusiveness"
    assert api.get(f"{PLAN}/goals/9/").status_code == 404
    assert api.get(f"{PLAN}/goals/two/").status_code == 404


def test_targets_by_code_with_sources_and_indicators(api, plan):
    target = api.get(f"{PLAN}/targets/1.2/").json()
    assert target == {
        "code": "1.2",
        "goal": 1,
        "order": 2,
        "text": Target.objects.get(plan=plan, code="1.2").text_en,
        "note": "",
        "proposed": False,
        "data_sources": ["ITU"],
        "indicators": [
            "1.2-internet-use",
            "1.2-internet-users-growth",
            "1.2-internet-users-millions",
            "1.2-population-offline",
        ],
        "fallbacks": {},
    }
    assert api.get(f"{PLAN}/targets/9.9/").status_code == 404


def test_targets_filter_by_goal_and_order(api):
    codes = [t["code"] for t in results(api.get(f"{PLAN}/targets/", {"goal": 2}))]
    assert codes[0] == "2.1" and len(codes) == len({*codes}) and all(c[0] == "2" for c in codes)
    reverse = [t["code"] for t in results(api.get(f"{PLAN}/targets/", {"ordering": "-goal"}))]
    assert reverse[0].startswith("5.") and reverse[-1].startswith("1.")
    proposed = [t["code"] for t in results(api.get(f"{PLAN}/targets/", {"proposed": "true"}))]
    assert proposed[:2] == ["1.4", "1.5"]


def test_ordering_outside_the_whitelist_is_refused(api):
    response = api.get(f"{PLAN}/targets/", {"ordering": "plan__status"})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_objectives_outcomes_outputs(api):
    objectives = results(api.get(f"{PLAN}/objectives/"))
    assert len(objectives) == 18
    r1 = api.get(f"{PLAN}/objectives/R.1/").json()
    assert r1["sector"] == "ITU-R" and r1["short_name"] == "Spectrum rules"
    assert r1["outcomes"][0] == "R.1-a" and r1["outputs"][0] == "R.1-1"
    assert r1["goal_links"] == []
    development = results(api.get(f"{PLAN}/objectives/", {"sector": "ITU-D"}))
    assert development and all(o["code"].startswith("D.") for o in development)
    outcomes = api.get(f"{PLAN}/outcomes/", {"page_size": 100}).json()
    assert outcomes["count"] == 64 and len(outcomes["results"]) == 64
    assert api.get(f"{PLAN}/outcomes/R.1-a/").json()["objective"] == "R.1"
    outputs = api.get(f"{PLAN}/outputs/", {"objective": "R.1"}).json()
    assert [o["code"] for o in outputs["results"]] == [f"R.1-{n}" for n in range(1, 6)]
    assert api.get(f"{PLAN}/outputs/", {"page_size": 500}).json()["count"] == 70


def test_enablers_and_risks(api):
    enablers = api.get(f"{PLAN}/enablers/").json()
    assert enablers["count"] == 31
    bdt = [e["code"] for e in results(api.get(f"{PLAN}/enablers/", {"provider": "BDT"}))]
    assert bdt and all(code.startswith("BDT-") for code in bdt)
    gs1 = api.get(f"{PLAN}/enablers/GS-1/").json()
    assert gs1["provider"] == "GS" and gs1["supports_all_objectives"] is True
    risks = results(api.get(f"{PLAN}/risks/"))
    assert [risk["number"] for risk in risks] == [1, 2, 3, 4, 5, 6]
    assert sum(len(risk["mitigations"]) for risk in risks) == 19
    first = api.get(f"{PLAN}/risks/1/").json()["mitigations"][0]
    assert first == {
        "order": 1,
        "strategy": "avoid",
        "text": "Clearly define the responsibilities and role of each ITU body;",
        "fallbacks": {},
    }


def test_indicators_by_plan_target_and_main(api):
    everything = api.get("/api/v1/indicators/", {"page_size": 500}).json()
    assert everything["count"] == 55
    for_target = results(api.get("/api/v1/indicators/", {"target": "1.2", "main": "true"}))
    assert [row["code"] for row in for_target] == ["1.2-internet-use"]
    main = for_target[0]
    assert main["plan"] == "2020-2023" and main["sector"] == "ITU-D"
    assert main["unit"] == "percent" and main["target_kind"] == "level"
    assert (main["target_value"], main["target_year"]) == (65, 2023)
    assert (main["min_value"], main["max_value"]) == (0, 100)
    assert main["headline_geography"] == "WLD"
    detail = api.get(f"{PLAN}/indicators/2.4-internet-use/").json()
    assert detail["headline_geography"] == "LDC" and detail["target_value"] == 30
    assert api.get(f"{PLAN}/indicators/nothing/").status_code == 404


def test_geographies_with_kinds_and_members(api):
    assert api.get("/api/v1/geographies/").json()["count"] == 266
    regions = results(api.get("/api/v1/geographies/", {"kind": "region"}))
    assert [g["code"] for g in regions] == [
        "ITU-AFR",
        "ITU-AMS",
        "ITU-ARB",
        "ITU-ASP",
        "ITU-CIS",
        "ITU-EUR",
    ]
    ldc = api.get("/api/v1/geographies/LDC/").json()
    assert ldc["kind"] == "development_group" and len(ldc["members"]) == 45
    members = api.get("/api/v1/geographies/", {"group": "LDC", "page_size": 100}).json()
    assert members["count"] == 45 and {g["code"] for g in members["results"]} == {*ldc["members"]}


def test_observations_filters_give_the_published_figures(api):
    world = api.get(
        "/api/v1/observations/", {"indicator": "1.2-internet-use", "geography": "WLD"}
    ).json()
    assert world["count"] == 10  # with Facts and Figures 2024's 2024
    by_year = {}
    for row in world["results"]:
        by_year.setdefault(row["year"], set()).add(row["value"])
    assert by_year[2017] == {49} and by_year[2023] == {67} and by_year[2019] == {53.6, 54}
    row = world["results"][0]
    assert row["plan"] == "2020-2023" and row["target"] == "1.2" and row["status"] == "approved"
    assert row["source"] and row["edition"]
    ranged = results(
        api.get(
            "/api/v1/observations/",
            {"target": "2.4", "geography": "LDC,LLDC", "year_min": 2022, "year_max": 2024},
        )
    )
    assert sorted((r["geography"], r["year"], r["value"]) for r in ranged) == [
        ("LDC", 2022, 36),
        ("LDC", 2022, 36),
        ("LDC", 2024, 35),
        ("LLDC", 2024, 39),
    ]
    # ten figures of the edition, and the two world figures of 2024 added with its citation
    edition = "Facts and Figures 2024"
    assert api.get("/api/v1/observations/", {"edition": edition}).json()["count"] == 12
    newest = results(api.get("/api/v1/observations/", {"ordering": "-year", "page_size": 1}))
    assert newest[0]["year"] == 2024
    assert api.get("/api/v1/observations/", {"year_min": "soon"}).status_code == 400


def test_observations_the_public_sees_approved_figures_only(api, reporter_d, plan):
    approved = Observation.objects.filter(indicator__plan=plan).count()
    first = Observation.objects.filter(indicator__code="1.2-internet-use").first()
    Observation.objects.create(
        indicator=first.indicator,
        geography=first.geography,
        year=2024,
        value=70,
        source="s",
        edition="pending",
        status=Observation.Status.SUBMITTED,
    )
    assert api.get("/api/v1/observations/").json()["count"] == approved
    assert api.get("/api/v1/observations/", {"status": "submitted"}).json()["count"] == 0
    privileged = reporter_d.get("/api/v1/observations/", {"status": "submitted"}).json()
    assert [(r["year"], r["edition"]) for r in privileged["results"]] == [(2024, "pending")]


def test_every_endpoint_speaks_the_language_asked(api, plan):
    chinese = api.get(f"{PLAN}/goals/1/", {"lang": "zh-hans"})
    assert chinese.json()["short_name"] == "增长"
    assert chinese["Content-Language"] == "zh-hans"
    by_header = api.get(f"{PLAN}/targets/1.2/", HTTP_ACCEPT_LANGUAGE="zh-Hans,zh;q=0.9")
    assert by_header.json()["text"] == Target.objects.get(plan=plan, code="1.2").text_zh_hans
    assert api.get("/api/v1/geographies/LDC/", {"lang": "zh"}).json()["name"] == "最不发达国家"
    indicator = api.get("/api/v1/indicators/", {"target": "1.1", "lang": "zh-hans"})
    assert results(indicator)[0]["name"] == "家庭互联网接入率"
    progress = api.get(f"{PLAN}/progress/", {"lang": "zh-hans"})
    assert results(progress)[1]["text"] == Target.objects.get(plan=plan, code="1.2").text_zh_hans
    assert (
        api.get(f"{PLAN}/risks/", {"lang": "en"})
        .json()["results"][0]["title"]
        .startswith("Establishing relevance")
    )


def test_an_empty_translation_falls_back_to_english_then_chinese(api, plan):
    goal = Goal.objects.get(plan=plan, number=1)
    goal.short_name_es = ""
    goal.save()
    assert api.get(f"{PLAN}/goals/1/", {"lang": "es"}).json()["short_name"] == "Growth"
    goal.short_name_en = ""
    goal.save()
    assert api.get(f"{PLAN}/goals/1/", {"lang": "es"}).json()["short_name"] == "增长"


def test_an_unknown_language_is_a_400_on_every_endpoint(api):
    for url in (f"{PLAN}/", f"{PLAN}/goals/", "/api/v1/observations/", "/api/v1/progress/"):
        response = api.get(url, {"lang": "xx"})
        assert response.status_code == 400
        assert response.json()["lang"][0].startswith("Unknown language 'xx'")


def test_pagination_default_and_maximum(api):
    page = api.get("/api/v1/geographies/").json()
    assert len(page["results"]) == 50 and page["next"].endswith("page=2")
    assert len(api.get("/api/v1/geographies/", {"page_size": 1000}).json()["results"]) == 266
    assert len(api.get("/api/v1/observations/", {"page_size": 1000}).json()["results"]) == 186
    assert api.get("/api/v1/geographies/", {"page": 99}).status_code == 404


@pytest.mark.parametrize(
    ("page_size", "page", "rows", "has_next"),
    [
        (100, 1, 100, True),  # full pages: counted
        (100, 2, 100, True),
        (100, 3, 66, False),  # the last page, with room left: its rows give the count
        (133, 2, 133, False),  # exactly full last page
        (266, 1, 266, False),
        (500, 1, 266, False),
    ],
)
def test_pages_count_every_row_at_every_edge(api, page_size, page, rows, has_next):
    body = api.get("/api/v1/geographies/", {"page_size": page_size, "page": page}).json()
    assert body["count"] == 266
    assert len(body["results"]) == rows
    assert (body["next"] is not None) == has_next
    assert (body["previous"] is not None) == (page > 1)


def test_pages_beyond_the_last_or_malformed_are_404(api):
    for page in (4, 0, -1, "two", 10**20):
        response = api.get("/api/v1/geographies/", {"page_size": 100, "page": page})
        assert response.status_code == 404, page
        assert response.json()["detail"].startswith("Invalid page")
    empty = api.get("/api/v1/observations/", {"year_min": 2999}).json()
    assert (empty["count"], empty["results"], empty["next"]) == (0, [], None)


def test_a_page_with_room_left_is_not_counted_by_a_query(api, django_assert_num_queries):
    caches["api"].clear()  # built, not served from the cache of public answers
    with django_assert_num_queries(2) as context:  # the geographies, their members
        body = api.get("/api/v1/geographies/", {"page_size": 500})
    assert body.json()["count"] == 266
    assert not any("COUNT(" in query["sql"] for query in context.captured_queries)


def test_unknown_api_addresses_answer_json(api):
    response = api.get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Not found")


def test_errors_are_json_even_when_csv_was_asked(api):
    response = api.get("/api/v1/plans/1999-2002/goals/", {"format": "csv"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_cors_allows_reads_from_any_origin(api):
    response = api.get(f"{PLAN}/goals/", HTTP_ORIGIN="https://dashboard.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = api.options(
        "/api/v1/observations/",
        HTTP_ORIGIN="https://dashboard.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 200
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("year", ["2020.5", "-5e-324", "1e3"])
def test_a_year_filter_takes_whole_years_only(api, year):
    """Schemathesis found `?year=-5e-324` answered as if it were a year (a decimal filter)."""
    response = api.get("/api/v1/observations/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


@pytest.mark.parametrize("value", ["-1803625", "yes", "maybe"])
def test_a_boolean_filter_takes_true_or_false_only(api, value):
    """Schemathesis found `?main=-1803625` read as "not given": every indicator was listed."""
    response = api.get("/api/v1/indicators/", {"main": value})
    assert response.status_code == 400
    assert response.json() == {"main": ["Enter true or false."]}
