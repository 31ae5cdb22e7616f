"""The whole plan as one JSON-ready document: the canonical export for external tools.

One `.values()` query per table (19 in all), whatever the size of the plan, joined in Python.
Texts are in the active language: modeltranslation's `.values()` reads the active language and
its fallbacks and gives the first that has a text, as the models do.
"""

from collections import defaultdict

from frameworks.models import (
    DataSource,
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
from risks.models import Mitigation, Risk

PLAN_TEXTS = ("title", "resolution", "edition", "vision", "mission", "values_intro", "sources")


def _grouped(rows, key: str) -> dict[int, list[dict]]:
    """Rows by the value of `key`, which leaves each row."""
    groups = defaultdict(list)
    for row in rows:
        groups[row.pop(key)].append(row)
    return groups


def _links(rows) -> dict[int, list[int]]:
    """(owner id, owned id) pairs as {owner id: [owned ids]}, in the order of the rows."""
    links = defaultdict(list)
    for owner_id, owned_id in rows:
        links[owner_id].append(owned_id)
    return links


def build_plan_tree(plan: StrategicPlan) -> dict:
    """The plan, every element nested under the one it belongs to (19 queries). Reads only the
    plan's own fields: callers may pass an instance with its texts."""
    in_plan = {"plan_id": plan.pk}
    plan_row = {
        "code": plan.code,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "status": plan.status,
        "progress_method": plan.progress_method,
        **{field: getattr(plan, field) or "" for field in PLAN_TEXTS},
    }
    levels = list(
        FrameworkLevel.objects.filter(**in_plan)
        .order_by("order")
        .values("code", "name", "definition")
    )
    values = list(Value.objects.filter(**in_plan).order_by("order").values("name", "description"))

    goal_rows = list(
        Goal.objects.filter(**in_plan)
        .order_by("number")
        .values("id", "number", "short_name", "name", "description", "note")
    )
    goal_numbers = {row["id"]: row["number"] for row in goal_rows}
    sources = {
        row.pop("id"): row
        for row in DataSource.objects.order_by("code").values("id", "code", "name")
    }
    target_sources = _links(
        Target.data_sources.through.objects.filter(target__plan_id=plan.pk)
        .order_by("datasource__code")  # as `sources`
        .values_list("target_id", "datasource_id")
    )
    targets = defaultdict(list)
    for row in (
        Target.objects.filter(**in_plan)
        .order_by("order")
        .values("goal_id", "id", "code", "proposed", "text", "note")
    ):
        linked = target_sources.get(row.pop("id"), [])
        targets[row.pop("goal_id")].append({**row, "data_sources": [sources[s] for s in linked]})
    sdg_targets = _links(
        Goal.sdg_targets.through.objects.filter(goal__plan_id=plan.pk)
        .order_by("sdgtarget__order")
        .values_list("goal_id", "sdgtarget__code")
    )
    goals = [
        {
            **row,
            "targets": targets.get(goal_id, []),
            "sdg_targets": sdg_targets.get(goal_id, []),
        }
        for goal_id, row in ((row.pop("id"), row) for row in goal_rows)
    ]

    goal_links = _grouped(
        (
            {"objective_id": objective_id, "goal": goal_numbers[goal_id], "kind": kind}
            for objective_id, goal_id, kind in ObjectiveGoalLink.objects.filter(
                objective__plan_id=plan.pk
            )
            .order_by("goal__number")
            .values_list("objective_id", "goal_id", "kind")
        ),
        "objective_id",
    )
    outcomes, outputs = (
        _grouped(
            model.objects.filter(**in_plan)
            .order_by("order")
            .values("objective_id", "code", "text", "note"),
            "objective_id",
        )
        for model in (Outcome, Output)
    )
    objectives = _grouped(
        (
            {
                **row,
                "goal_links": goal_links.get(row["id"], []),
                "outcomes": outcomes.get(row["id"], []),
                "outputs": outputs.get(row["id"], []),
            }
            for row in Objective.objects.filter(**in_plan)
            .order_by("order")
            .values("id", "sector_id", "code", "short_name", "text", "note")
        ),
        "sector_id",
    )
    sectors = [
        {"code": sector["code"], "name": sector["name"], "objectives": objectives[sector["id"]]}
        for sector in Sector.objects.order_by("order").values("id", "code", "name")
        if sector["id"] in objectives
    ]
    # Objective codes in the order of the document: by sector, then within the sector.
    objective_codes = {}
    for sector in sectors:
        for row in sector["objectives"]:
            objective_codes[row.pop("id")] = row["code"]
    all_objective_codes = list(objective_codes.values())

    enabler_objectives = _links(
        Enabler.objectives.through.objects.filter(enabler__plan_id=plan.pk)
        .order_by("objective__sector__order", "objective__order")  # as `objective_codes`
        .values_list("enabler_id", "objective_id")
    )
    enablers = [
        {
            "code": row["code"],
            "provider": row["provider"],
            "supports_all": row["supports_all_objectives"],
            "activity": row["activity"],
            "contribution": row["contribution"],
            "results": row["results"],
            "objectives": list(all_objective_codes)
            if row["supports_all_objectives"]
            else [objective_codes[o] for o in enabler_objectives.get(row["id"], [])],
        }
        for row in Enabler.objects.filter(**in_plan)
        .order_by("order")
        .values(
            "id",
            "code",
            "provider",
            "supports_all_objectives",
            "activity",
            "contribution",
            "results",
        )
    ]

    mitigations = _grouped(
        Mitigation.objects.filter(risk__plan_id=plan.pk)
        .order_by("order")
        .values("risk_id", "strategy", "text"),
        "risk_id",
    )
    risks = [
        {**row, "mitigations": mitigations.get(risk_id, [])}
        for risk_id, row in (
            (row.pop("id"), row)
            for row in Risk.objects.filter(**in_plan)
            .order_by("number")
            .values("id", "number", "title", "description")
        )
    ]

    # Instances for the names of the shared action lines and SDGs: modeltranslation takes the
    # fallback on the model's own texts only, not on a related path in .values().
    wsis = [
        {
            "code": row.action_line.code,
            "outputs": row.outputs,
            "activities": row.activities,
            "name": row.action_line.name,
        }
        for row in WsisContribution.objects.filter(**in_plan)
        .select_related("action_line")
        .order_by("action_line__order")
    ]
    sdgs = [
        {
            "number": row.sdg.number,
            "outputs": row.outputs,
            "activities": row.activities,
            "name": row.sdg.name,
        }
        for row in SdgContribution.objects.filter(**in_plan)
        .select_related("sdg")
        .order_by("sdg__number")
    ]
    custodian = list(
        StrategicPlan.custodian_indicators.through.objects.filter(strategicplan_id=plan.pk)
        .order_by("sdgindicator__target__order", "sdgindicator__code")
        .values_list("sdgindicator__code", flat=True)
    )

    return {
        **plan_row,
        "framework_levels": levels,
        "values": values,
        "goals": goals,
        "sectors": sectors,
        "enablers": enablers,
        "risks": risks,
        "wsis_action_lines": wsis,
        "sdgs": sdgs,
        "custodian_indicators": custodian,
    }
