"""The risks section of a plan file (docs/plan-content-format.md): the strategic risks and their
mitigations, loaded by frameworks.loading's PlanLoader after the plan's own elements."""

from frameworks.loading import PlanLoader, PlanSection
from frameworks.models import StrategicPlan

from .models import Mitigation, Risk


def load_risks(loader: PlanLoader, plan: StrategicPlan, content: dict) -> None:
    for row in content["risks"]:
        risk = loader.sync(
            Risk,
            {"plan": plan, "number": row["number"]},
            texts={"title": row["title"], "description": row["description"]},
        )
        for order, mitigation in enumerate(row["mitigations"], 1):
            loader.sync(
                Mitigation,
                {"risk": risk, "order": order},
                {"strategy": mitigation["strategy"]},
                texts={"text": mitigation["text"]},
            )


def _mitigation_key(plan: StrategicPlan, code: str) -> tuple[type, dict]:
    risk, _dot, order = code.partition(".")  # "mitigation:2.1": risk 2, its first mitigation
    return Mitigation, {"risk__plan": plan, "risk__number": risk, "order": order}


RISKS = PlanSection(
    load=load_risks,
    element_keys={
        "risk": lambda plan, number: (Risk, {"plan": plan, "number": number}),
        "mitigation": _mitigation_key,
    },
)
