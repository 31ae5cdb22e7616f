"""GET /api/v1/plans/<code>/tree/: the whole plan as one document."""

import pytest

from frameworks.models import Goal, Objective, Outcome, Output, Sector, StrategicPlan, Target
from risks.models import Mitigation, Risk

pytestmark = pytest.mark.django_db

URL = "/api/v1/plans/2020-2023/tree/"


def test_tree_has_every_element(visitor, plan):
    tree = visitor.get(URL, {"lang": "en"}).json()
    assert tree["code"] == "2020-2023"
    assert tree["vision"] == plan.vision_en and not tree["vision"].startswith("“将")
    assert len(tree["values"]) == 5
    assert [goal["number"] for goal in tree["goals"]] == [1, 2, 3, 4, 5]
    targets = [t for goal in tree["goals"] for t in goal["targets"]]
    assert len(targets) == 26
    first = targets[0]
    assert first["code"] == "1.1" and first["proposed"] is False
    assert first["text"] == Target.objects.get(plan=plan, code="1.1").text_en
    assert [source["code"] for source in first["data_sources"]] == ["ITU"]
    assert first["data_sources"][0]["name"]
    assert [t["code"] for t in targets if t["proposed"]][:2] == ["1.4", "1.5"]
    assert "9.c" in tree["goals"][0]["sdg_targets"]
    assert [s["code"] for s in tree["sectors"]] == ["ITU-R", "ITU-T", "ITU-D", "intersectoral"]
    objectives = [o for s in tree["sectors"] for o in s["objectives"]]
    assert len(objectives) == 18
    assert sum(len(o["outcomes"]) for o in objectives) == 64
    assert sum(len(o["outputs"]) for o in objectives) == 70
    assert all(o["goal_links"] == [] for o in objectives)
    assert len(tree["enablers"]) == 31
    gs1 = next(e for e in tree["enablers"] if e["code"] == "GS-1")
    assert len(gs1["objectives"]) == 18
    assert len(tree["risks"]) == 6
    assert sum(len(r["mitigations"]) for r in tree["risks"]) == 19
    assert {m["strategy"] for r in tree["risks"] for m in r["mitigations"]} == {
        "avoid",
        "limit",
        "transfer",
    }
    wsis = {row["code"]: row for row in tree["wsis_action_lines"]}
    assert len(wsis) == 11 and wsis["C9"]["outputs"] is None and wsis["C2"]["outputs"] == 27
    assert len(tree["sdgs"]) == 17
    assert tree["custodian_indicators"] == ["4.4.1", "5.b.1", "9.c.1", "17.6.2", "17.8.1"]


def test_tree_speaks_the_language_asked(visitor, plan):
    chinese = visitor.get(URL, {"lang": "zh-hans"}).json()
    assert chinese["goals"][0]["short_name"] == "增长"
    english = visitor.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["goals"][0]["short_name"] == "Growth"
    by_header = visitor.get(URL, HTTP_ACCEPT_LANGUAGE="zh-Hans,zh;q=0.9")
    assert by_header["Content-Language"] == "zh-hans"
    assert by_header.json()["goals"][0]["short_name"] == "增长"


def test_tree_falls_back_to_english_then_chinese(visitor, plan):
    goal = Goal.objects.get(plan=plan, number=1)
    goal.short_name_ru = ""
    goal.save()
    tree = visitor.get(URL, {"lang": "ru"}).json()
    assert tree["goals"][0]["short_name"] in ("Growth", goal.short_name_ru or "Growth")
    goal.short_name_en = ""
    goal.save()
    tree = visitor.get(URL, {"lang": "ru"}).json()
    assert tree["goals"][0]["short_name"] == "增长"


def test_tree_refuses_an_unknown_language(visitor, plan):
    response = visitor.get(URL, {"lang": "xx"})
    assert response.status_code == 400
    assert "lang" in response.json()


def test_tree_of_an_unknown_plan_is_a_json_404(visitor, db):
    response = visitor.get("/api/v1/plans/1999-2002/tree/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_tree_of_a_draft_is_hidden_from_the_public(visitor, staff_client, db):
    StrategicPlan.objects.create(
        code="2024-2027", title="Next", period_start=2024, period_end=2027, vision="v", mission="m"
    )
    assert visitor.get("/api/v1/plans/2024-2027/tree/").status_code == 404
    assert staff_client.get("/api/v1/plans/2024-2027/tree/").json()["code"] == "2024-2027"


def _build_large_plan(size: int) -> StrategicPlan:
    """A synthetic plan `size` times larger than a minimal one, to show queries don't grow."""
    plan = StrategicPlan.objects.create(
        code="2030-2033",
        title="Large",
        period_start=2030,
        period_end=2033,
        vision="v",
        mission="m",
        status=StrategicPlan.Status.PUBLISHED,
    )
    sector = Sector.objects.get(code="ITU-R")
    for number in range(1, size + 1):
        goal = Goal.objects.create(
            plan=plan, number=number, short_name=f"G{number}", name="n", description="d"
        )
        for t in range(1, 4):
            Target.objects.create(plan=plan, goal=goal, code=f"{number}.{t}", order=t, text="t")
        objective = Objective.objects.create(
            plan=plan, sector=sector, code=f"R.{number}", order=number, short_name="o", text="t"
        )
        for letter in "abc":
            Outcome.objects.create(
                plan=plan, objective=objective, code=f"R.{number}-{letter}", order=1, text="x"
            )
            Output.objects.create(
                plan=plan, objective=objective, code=f"R.{number}-{ord(letter)}", order=1, text="x"
            )
        risk = Risk.objects.create(plan=plan, number=number, title="r", description="d")
        Mitigation.objects.create(risk=risk, order=1, strategy="avoid", text="m")
    return plan


def test_tree_query_count_does_not_grow_with_the_plan(visitor, plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(25) as small:
        visitor.get("/api/v1/plans/2020-2023/tree/")
    _build_large_plan(40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        tree = visitor.get("/api/v1/plans/2030-2033/tree/").json()
    assert len(tree["goals"]) == 40
    assert sum(len(g["targets"]) for g in tree["goals"]) == 120


def test_tree_lists_links_in_the_document_s_order(visitor, plan):
    """Links come from their link tables sorted in SQL: goals by number, an enabler's objectives
    by sector then order, a target's data sources by code, whatever order they were made in."""
    from frameworks.models import DataSource, Enabler, ObjectiveGoalLink

    objective = Objective.objects.get(plan=plan, code="D.1")
    for number, kind in ((4, "secondary"), (1, "primary"), (3, "secondary")):
        ObjectiveGoalLink.objects.create(
            objective=objective, goal=Goal.objects.get(plan=plan, number=number), kind=kind
        )
    enabler = Enabler.objects.filter(plan=plan, supports_all_objectives=False).first()
    enabler.objectives.set(
        [Objective.objects.get(plan=plan, code=code) for code in ("D.2", "R.1", "T.3", "D.1")]
    )
    target = Target.objects.get(plan=plan, code="1.1")
    target.data_sources.set(DataSource.objects.order_by("-code")[:3])

    tree = visitor.get(URL, {"lang": "en"}).json()
    objectives = {o["code"]: o for s in tree["sectors"] for o in s["objectives"]}
    assert objectives["D.1"]["goal_links"] == [
        {"goal": 1, "kind": "primary"},
        {"goal": 3, "kind": "secondary"},
        {"goal": 4, "kind": "secondary"},
    ]
    listed = next(e for e in tree["enablers"] if e["code"] == enabler.code)
    assert listed["objectives"] == ["R.1", "T.3", "D.1", "D.2"]
    sources = tree["goals"][0]["targets"][0]["data_sources"]
    assert [s["code"] for s in sources] == sorted(s["code"] for s in sources)
    assert len(sources) == 3
