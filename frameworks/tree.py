"""The whole plan as one JSON-ready document: the canonical export for external tools.

Built from `.values()` rows, one query per table, so the number of queries does not grow with the
size of the plan; texts are in the active language (see frameworks.i18n for the fallback).
"""

from collections import defaultdict

from django.db.models import F

from risks.models import Mitigation, Risk

from .i18n import translated_values
from .models import (
    Enabler,
    FrameworkLevel,
    Goal,
    Objective,
    ObjectiveGoalLink,
    Outcome,
    Output,
    SdgContribution,
    Sector,
    StrategicPlan,
    Target,
    Value,
    WsisContribution,
)


def _grouped(rows, key):
    groups = defaultdict(list)
    for row in rows:
        groups[row.pop(key)].append(row)
    return groups


def build_plan_tree(plan: StrategicPlan) -> dict:
    plan_row = next(
        translated_values(
            StrategicPlan.objects.filter(pk=plan.pk),
            "title",
            "resolution",
            "edition",
            "vision",
            "mission",
            "values_intro",
            "sources",
            code="code",
            period_start="period_start",
            period_end="period_end",
            status="status",
            progress_method="progress_method",
        )
    )
    in_plan = {"plan": plan}

    levels = list(
        translated_values(
            FrameworkLevel.objects.filter(**in_plan), "name", "definition", code="code"
        )
    )
    values = list(translated_values(Value.objects.filter(**in_plan), "name", "description"))

    data_sources = _grouped(
        translated_values(
            Target.data_sources.through.objects.filter(target__plan=plan).order_by(
                "datasource__code"
            ),
            "datasource__name",
            target_id="target_id",
            code="datasource__code",
        ),
        "target_id",
    )
    targets = _grouped(
        (
            {**row, "data_sources": data_sources.get(row["id"], [])}
            for row in translated_values(
                Target.objects.filter(**in_plan),
                "text",
                "note",
                goal_id="goal_id",
                id="id",
                code="code",
                proposed="proposed",
            )
        ),
        "goal_id",
    )
    for rows in targets.values():
        for row in rows:
            row.pop("id")
    sdg_targets = _grouped(
        Goal.sdg_targets.through.objects.filter(goal__plan=plan)
        .order_by("sdgtarget__order")
        .values("goal_id", code=F("sdgtarget__code")),
        "goal_id",
    )
    goals = [
        {
            **goal,
            "targets": targets.get(goal_id, []),
            "sdg_targets": [row["code"] for row in sdg_targets.get(goal_id, [])],
        }
        for goal_id, goal in (
            (row.pop("id"), row)
            for row in translated_values(
                Goal.objects.filter(**in_plan),
                "short_name",
                "name",
                "description",
                "note",
                id="id",
                number="number",
            )
        )
    ]

    links = _grouped(
        (
            {"objective_id": objective_id, "goal": goal, "kind": kind}
            for objective_id, goal, kind in ObjectiveGoalLink.objects.filter(objective__plan=plan)
            .order_by("goal__number")
            .values_list("objective_id", "goal__number", "kind")
        ),
        "objective_id",
    )
    outcomes = _grouped(
        translated_values(
            Outcome.objects.filter(**in_plan),
            "text",
            "note",
            objective_id="objective_id",
            code="code",
        ),
        "objective_id",
    )
    outputs = _grouped(
        translated_values(
            Output.objects.filter(**in_plan),
            "text",
            "note",
            objective_id="objective_id",
            code="code",
        ),
        "objective_id",
    )
    objectives = _grouped(
        (
            {
                **row,
                "goal_links": links.get(row["id"], []),
                "outcomes": outcomes.get(row["id"], []),
                "outputs": outputs.get(row["id"], []),
            }
            for row in translated_values(
                Objective.objects.filter(**in_plan),
                "short_name",
                "text",
                "note",
                id="id",
                sector_id="sector_id",
                code="code",
            )
        ),
        "sector_id",
    )
    all_objective_codes = []
    objective_codes = {}
    for rows in objectives.values():
        for row in rows:
            objective_codes[row.pop("id")] = row["code"]
            all_objective_codes.append(row["code"])
    sectors = [
        {"code": sector["code"], "name": sector["name"], "objectives": objectives[sector["id"]]}
        for sector in translated_values(Sector.objects.all(), "name", id="id", code="code")
        if sector["id"] in objectives
    ]

    enabler_objectives = _grouped(
        Enabler.objectives.through.objects.filter(enabler__plan=plan)
        .order_by("objective__sector__order", "objective__order")
        .values("enabler_id", code=F("objective__code")),
        "enabler_id",
    )
    enablers = []
    for row in translated_values(
        Enabler.objects.filter(**in_plan),
        "activity",
        "contribution",
        "results",
        id="id",
        code="code",
        provider="provider",
        supports_all="supports_all_objectives",
    ):
        enabler_id = row.pop("id")
        row["objectives"] = (
            list(all_objective_codes)
            if row["supports_all"]
            else [link["code"] for link in enabler_objectives.get(enabler_id, [])]
        )
        enablers.append(row)

    mitigations = _grouped(
        translated_values(
            Mitigation.objects.filter(risk__plan=plan),
            "text",
            risk_id="risk_id",
            strategy="strategy",
        ),
        "risk_id",
    )
    risks = [
        {**row, "mitigations": mitigations.get(risk_id, [])}
        for risk_id, row in (
            (row.pop("id"), row)
            for row in translated_values(
                Risk.objects.filter(**in_plan), "title", "description", id="id", number="number"
            )
        )
    ]

    wsis = translated_values(
        WsisContribution.objects.filter(**in_plan),
        "action_line__name",
        code="action_line__code",
        outputs="outputs",
        activities="activities",
    )
    sdgs = translated_values(
        SdgContribution.objects.filter(**in_plan),
        "sdg__name",
        number="sdg__number",
        outputs="outputs",
        activities="activities",
    )
    custodian = list(
        plan.custodian_indicators.order_by("target__order", "code").values_list("code", flat=True)
    )

    return {
        **plan_row,
        "framework_levels": levels,
        "values": values,
        "goals": goals,
        "sectors": sectors,
        "enablers": enablers,
        "risks": risks,
        "wsis_action_lines": list(wsis),
        "sdgs": list(sdgs),
        "custodian_indicators": custodian,
    }
