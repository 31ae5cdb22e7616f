"""Querysets compiled once (itu_rbm.prepared): the same rows as the ORM gives, for any plan, with
the same conversions, and refusals for what they cannot keep."""

from decimal import Decimal

import pytest
from django.db.models import Count, F, QuerySet

from frameworks.models import Goal, StrategicPlan, Target
from indicators.models import Indicator
from itu_rbm import prepared
from workspace.services import plan_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """Counts how often a query is compiled: each test starts with nothing compiled."""
    monkeypatch.setattr(prepared, "_compiled", {})
    calls = []
    original = prepared._compile
    monkeypatch.setattr(
        prepared, "_compile", lambda *args: calls.append(args[0]) or original(*args)
    )
    return calls


def main_indicators(plan_id):
    return (
        QuerySet(Indicator)
        .filter(plan_id=plan_id, is_main=True)
        .order_by("target__goal__number", "target__order")
        .values_list("code", "is_main", "target_value", "target_year", "target__code")
    )


def test_rows_and_conversions_are_the_orm_s(plan, builds):
    rows = prepared.prepared_rows("main", main_indicators, plan_id=plan.pk)
    assert rows == list(main_indicators(plan.pk))
    assert len(rows) == 26 and all(is_main is True for _code, is_main, *_rest in rows)
    internet_use = next(row for row in rows if row[4] == "1.2")
    assert isinstance(internet_use[2], Decimal) and internet_use[2] == Decimal("65")


def test_compiled_once_then_run_for_any_plan(plan, builds):
    copy = plan_copy(source=plan, code="2024-2027")
    Target.objects.filter(plan=copy, code="1.2").update(code="1.2-bis")

    def targets(plan_id):
        return QuerySet(Target).filter(plan_id=plan_id).order_by("order").values_list("code")

    ours = prepared.prepared_rows("targets", targets, plan_id=plan.pk)
    theirs = prepared.prepared_rows("targets", targets, plan_id=copy.pk)
    assert len(builds) == 1
    assert ("1.2",) in ours and ("1.2",) not in theirs and ("1.2-bis",) in theirs
    assert theirs == list(targets(copy.pk))


def test_plan_rows_with_constant_filters_and_shared_tables(plan, builds):
    goals = prepared.plan_rows(Goal, ("number",), plan_id=plan.pk, order_by=("-number",))
    assert goals == [(5,), (4,), (3,), (2,), (1,)]
    headline = prepared.plan_rows(
        Indicator,
        ("code",),
        plan_id=plan.pk,
        is_main=True,
        target__code="1.2",
        headline_geography_id=F("headline_geography_id"),
    )
    assert headline == list(
        Indicator.objects.filter(plan=plan, is_main=True, target__code="1.2").values_list("code")
    )
    every_plan = prepared.plan_rows(StrategicPlan, ("code",), plan=None, plan_id=plan.pk)
    assert every_plan == [("2020-2023",)]


def test_refuses_what_it_cannot_keep(plan, builds):
    with pytest.raises(ValueError, match="values_list"):
        prepared.prepared_rows(
            "instances", lambda plan_id: Goal.objects.filter(plan_id=plan_id), plan_id=plan.pk
        )
    with pytest.raises(ValueError, match="plain QuerySet"):  # modeltranslation reorders columns
        prepared.prepared_rows(
            "translated",
            lambda plan_id: Goal.objects.filter(plan_id=plan_id).values_list("id", "number"),
            plan_id=plan.pk,
        )
    with pytest.raises(ValueError, match="values_list"):
        prepared.prepared_rows(
            "annotated",
            lambda plan_id: (
                QuerySet(Goal)
                .filter(plan_id=plan_id)
                .annotate(n=Count("targets"))
                .values_list("number", "n")
            ),
            plan_id=plan.pk,
        )
    with pytest.raises(ValueError, match=r"not found.*plan_id"):
        prepared.prepared_rows(
            "unused", lambda plan_id: QuerySet(Goal).values_list("number"), plan_id=plan.pk
        )
