"""The whole plan as one JSON-ready document: the canonical export for external tools.

Built from `.values()`-style rows, one query per table, so the number of queries does not grow
with the size of the plan; texts are in the active language (see frameworks.i18n for the
fallback). Every query is filtered on the plan's id alone and compiled once per process and
language (itu_rbm.prepared): building and compiling the 19 querysets took longer than
PostgreSQL took to answer them.
"""

from collections import defaultdict

from frameworks.i18n import translated_plan_rows
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
from itu_rbm.prepared import plan_rows
from risks.models import Mitigation, Risk

PLAN_TEXTS = ("title", "resolution", "edition", "vision", "mission", "values_intro", "sources")


def _rows(model, *texts: str, plan_id: int, plan="plan_id", order_by=("order",), **plain: str):
    """One table's rows as dicts: `texts` translated (`sdg__name` under `name`), `plain`
    columns under their alias; `plan=None` for the tables every plan shares."""
    texts = {text.rsplit("__", 1)[-1]: text for text in texts}
    return translated_plan_rows(model, texts, plain, plan_id=plan_id, plan=plan, order_by=order_by)


def _grouped(rows, key):
    groups = defaultdict(list)
    for row in rows:
        groups[row.pop(key)].append(row)
    return groups


def _links(through, owner: str, owned: str, *, plan: str, plan_id: int, order_by) -> dict:
    """Many-to-many links as {owner id: [owned ids]}, each list in the order of `order_by`."""
    links = defaultdict(list)
    rows = plan_rows(through, (owner, owned), plan=plan, plan_id=plan_id, order_by=order_by)
    for owner_id, owned_id in rows:
        links[owner_id].append(owned_id)
    return links


def build_plan_tree(plan: StrategicPlan) -> dict:
    in_plan = plan.pk
    # The plan's own texts come from the instance: modeltranslation applies the same fallback.
    plan_row = {
        "code": plan.code,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "status": plan.status,
        "progress_method": plan.progress_method,
        **{field: getattr(plan, field) or "" for field in PLAN_TEXTS},
    }
    levels = _rows(FrameworkLevel, "name", "definition", plan_id=in_plan, code="code")
    values = _rows(Value, "name", "description", plan_id=in_plan)

    goal_rows = _rows(
        Goal,
        "short_name",
        "name",
        "description",
        "note",
        order_by=("number",),
        plan_id=in_plan,
        id="id",
        number="number",
    )
    goal_numbers = {row["id"]: row["number"] for row in goal_rows}
    target_rows = _rows(
        Target,
        "text",
        "note",
        plan_id=in_plan,
        goal_id="goal_id",
        id="id",
        code="code",
        proposed="proposed",
    )
    sources = {
        row.pop("id"): row
        for row in _rows(
            DataSource, "name", plan=None, plan_id=in_plan, order_by=("code",), id="id", code="code"
        )
    }
    target_sources = _links(
        Target.data_sources.through,
        "target_id",
        "datasource_id",
        plan="target__plan_id",
        plan_id=in_plan,
        order_by=("datasource__code",),  # as `sources`
    )
    targets = defaultdict(list)
    for row in target_rows:
        linked = target_sources.get(row.pop("id"), [])
        targets[row.pop("goal_id")].append({**row, "data_sources": [sources[s] for s in linked]})
    sdg_targets = defaultdict(list)
    for goal_id, sdg_target in plan_rows(
        Goal.sdg_targets.through,
        ("goal_id", "sdgtarget__code"),
        plan="goal__plan_id",
        plan_id=in_plan,
        order_by=("sdgtarget__order",),
    ):
        sdg_targets[goal_id].append(sdg_target)
    goals = [
        {
            **row,
            "targets": targets.get(goal_id, []),
            "sdg_targets": sdg_targets.get(goal_id, []),
        }
        for goal_id, row in ((row.pop("id"), row) for row in goal_rows)
    ]

    objective_rows = _rows(
        Objective,
        "short_name",
        "text",
        "note",
        plan_id=in_plan,
        id="id",
        sector_id="sector_id",
        code="code",
    )
    goal_links = _grouped(
        (
            {"objective_id": objective_id, "goal": goal_numbers[goal_id], "kind": kind}
            for objective_id, goal_id, kind in plan_rows(
                ObjectiveGoalLink,
                ("objective_id", "goal_id", "kind"),
                plan="objective__plan_id",
                plan_id=in_plan,
                order_by=("goal__number",),
            )
        ),
        "objective_id",
    )
    outcomes = _grouped(
        _rows(Outcome, "text", "note", plan_id=in_plan, objective_id="objective_id", code="code"),
        "objective_id",
    )
    outputs = _grouped(
        _rows(Output, "text", "note", plan_id=in_plan, objective_id="objective_id", code="code"),
        "objective_id",
    )
    objectives = _grouped(
        (
            {
                **row,
                "goal_links": goal_links.get(row["id"], []),
                "outcomes": outcomes.get(row["id"], []),
                "outputs": outputs.get(row["id"], []),
            }
            for row in objective_rows
        ),
        "sector_id",
    )
    sectors = [
        {"code": sector["code"], "name": sector["name"], "objectives": objectives[sector["id"]]}
        for sector in _rows(Sector, "name", plan=None, plan_id=in_plan, id="id", code="code")
        if sector["id"] in objectives
    ]
    # Objective codes in the order of the document: by sector, then within the sector.
    objective_codes = {}
    for sector in sectors:
        for row in sector["objectives"]:
            objective_codes[row.pop("id")] = row["code"]
    all_objective_codes = list(objective_codes.values())

    enabler_rows = _rows(
        Enabler,
        "activity",
        "contribution",
        "results",
        plan_id=in_plan,
        id="id",
        code="code",
        provider="provider",
        supports_all="supports_all_objectives",
    )
    enabler_objectives = _links(
        Enabler.objectives.through,
        "enabler_id",
        "objective_id",
        plan="enabler__plan_id",
        plan_id=in_plan,
        order_by=("objective__sector__order", "objective__order"),  # as `objective_codes`
    )
    for row in enabler_rows:
        linked = enabler_objectives.get(row.pop("id"), [])
        row["objectives"] = (
            list(all_objective_codes)
            if row["supports_all"]
            else [objective_codes[o] for o in linked]
        )

    risk_rows = _rows(
        Risk,
        "title",
        "description",
        order_by=("number",),
        plan_id=in_plan,
        id="id",
        number="number",
    )
    mitigations = _grouped(
        _rows(
            Mitigation,
            "text",
            plan="risk__plan_id",
            plan_id=in_plan,
            risk_id="risk_id",
            strategy="strategy",
        ),
        "risk_id",
    )
    risks = [
        {**row, "mitigations": mitigations.get(risk_id, [])}
        for risk_id, row in ((row.pop("id"), row) for row in risk_rows)
    ]

    wsis = _rows(
        WsisContribution,
        "action_line__name",
        order_by=("action_line__order",),
        plan_id=in_plan,
        code="action_line__code",
        outputs="outputs",
        activities="activities",
    )
    sdgs = _rows(
        SdgContribution,
        "sdg__name",
        order_by=("sdg__number",),
        plan_id=in_plan,
        number="sdg__number",
        outputs="outputs",
        activities="activities",
    )
    custodian = [
        code
        for (code,) in plan_rows(
            StrategicPlan.custodian_indicators.through,
            ("sdgindicator__code",),
            plan="strategicplan_id",
            plan_id=in_plan,
            order_by=("sdgindicator__target__order", "sdgindicator__code"),
        )
    ]

    return {
        **plan_row,
        "framework_levels": levels,
        "values": values,
        "goals": goals,
        "sectors": sectors,
        "enablers": enabler_rows,
        "risks": risks,
        "wsis_action_lines": wsis,
        "sdgs": sdgs,
        "custodian_indicators": custodian,
    }
