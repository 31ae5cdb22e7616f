"""The whole plan as one JSON-ready document: the canonical export for external tools.

One `.values()` query per table (19 in all), whatever the size of the plan, joined in Python.
Texts are in the active language: modeltranslation's `.values()` reads the active language and
its fallbacks and gives the first that has a text, as the models do. Each query also reads the
columns of that chain (`Texts`), so that the document counts, in `fallbacks`, the texts it gives
in another language than the one asked for, at no extra query.
"""

from collections import Counter, defaultdict

from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from frameworks.i18n import fallback_languages, first_text
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


class Texts:
    """The texts of the document that fell back to another language: `rows()` reads a
    queryset's `.values()` with each text's columns in the active language and its fallbacks,
    notes which language each text came from, and leaves those columns out of the rows."""

    def __init__(self):
        self.active = translation.get_language()
        self.chain = fallback_languages(self.active)
        self.counts = Counter()

    def rows(self, queryset, fields: tuple[str, ...], texts: tuple[str, ...]) -> list[dict]:
        columns = [build_localized_fieldname(name, code) for name in texts for code in self.chain]
        rows = list(queryset.values(*fields, *columns))
        for row in rows:
            self.note(row, texts)
            for column in columns:
                row.pop(column, None)
        return rows

    def note(self, source, texts: tuple[str, ...]) -> None:
        """Count the texts of `source` (a row or an instance) given in another language."""
        for name in texts:
            text, language = first_text(source, name)
            if text and language != self.active:
                self.counts[language] += 1


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
    texts = Texts()
    texts.note(plan, PLAN_TEXTS)
    plan_row = {
        "code": plan.code,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "status": plan.status,
        "progress_method": plan.progress_method,
        **{field: getattr(plan, field) or "" for field in PLAN_TEXTS},
    }
    levels = texts.rows(
        FrameworkLevel.objects.filter(**in_plan).order_by("order"),
        ("code", "name", "definition"),
        ("name", "definition"),
    )
    values = texts.rows(
        Value.objects.filter(**in_plan).order_by("order"),
        ("name", "description"),
        ("name", "description"),
    )

    goal_rows = texts.rows(
        Goal.objects.filter(**in_plan).order_by("number"),
        ("id", "number", "short_name", "name", "description", "note"),
        ("short_name", "name", "description", "note"),
    )
    goal_numbers = {row["id"]: row["number"] for row in goal_rows}
    sources = {
        row.pop("id"): row
        for row in texts.rows(
            DataSource.objects.order_by("code"), ("id", "code", "name"), ("name",)
        )
    }
    target_sources = _links(
        Target.data_sources.through.objects.filter(target__plan_id=plan.pk)
        .order_by("datasource__code")  # as `sources`
        .values_list("target_id", "datasource_id")
    )
    targets = defaultdict(list)
    for row in texts.rows(
        Target.objects.filter(**in_plan).order_by("order"),
        ("goal_id", "id", "code", "proposed", "text", "note"),
        ("text", "note"),
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
            texts.rows(
                model.objects.filter(**in_plan).order_by("order"),
                ("objective_id", "code", "text", "note"),
                ("text", "note"),
            ),
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
            for row in texts.rows(
                Objective.objects.filter(**in_plan).order_by("order"),
                ("id", "sector_id", "code", "short_name", "text", "note"),
                ("short_name", "text", "note"),
            )
        ),
        "sector_id",
    )
    sectors = [
        {"code": sector["code"], "name": sector["name"], "objectives": objectives[sector["id"]]}
        for sector in texts.rows(
            Sector.objects.order_by("order"), ("id", "code", "name"), ("name",)
        )
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
        for row in texts.rows(
            Enabler.objects.filter(**in_plan).order_by("order"),
            (
                "id",
                "code",
                "provider",
                "supports_all_objectives",
                "activity",
                "contribution",
                "results",
                "note",
            ),
            ("activity", "contribution", "results", "note"),
        )
    ]

    mitigations = _grouped(
        texts.rows(
            Mitigation.objects.filter(risk__plan_id=plan.pk).order_by("order"),
            ("risk_id", "strategy", "text"),
            ("text",),
        ),
        "risk_id",
    )
    risks = [
        {**row, "mitigations": mitigations.get(risk_id, [])}
        for risk_id, row in (
            (row.pop("id"), row)
            for row in texts.rows(
                Risk.objects.filter(**in_plan).order_by("number"),
                ("id", "number", "title", "description"),
                ("title", "description"),
            )
        )
    ]

    # Instances for the names of the shared action lines and SDGs: modeltranslation takes the
    # fallback on the model's own texts only, not on a related path in .values().
    wsis_rows = list(
        WsisContribution.objects.filter(**in_plan)
        .select_related("action_line")
        .order_by("action_line__order")
    )
    wsis = [
        {
            "code": row.action_line.code,
            "outputs": row.outputs,
            "activities": row.activities,
            "name": row.action_line.name,
        }
        for row in wsis_rows
    ]
    sdg_rows = list(
        SdgContribution.objects.filter(**in_plan).select_related("sdg").order_by("sdg__number")
    )
    sdgs = [
        {
            "number": row.sdg.number,
            "outputs": row.outputs,
            "activities": row.activities,
            "name": row.sdg.name,
        }
        for row in sdg_rows
    ]
    custodian = list(
        StrategicPlan.custodian_indicators.through.objects.filter(strategicplan_id=plan.pk)
        .order_by("sdgindicator__target__order", "sdgindicator__code")
        .values_list("sdgindicator__code", flat=True)
    )

    for row in wsis_rows:
        texts.note(row.action_line, ("name",))
    for row in sdg_rows:
        texts.note(row.sdg, ("name",))
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
        "fallbacks": dict(texts.counts),
    }
