import pytest
from django.db import IntegrityError, transaction

from frameworks.models import Goal, Objective, Outcome, Sector, StrategicPlan, Target

pytestmark = pytest.mark.django_db


def test_target_code_is_unique_within_a_plan(plan):
    goal = Goal.objects.get(plan=plan, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(plan=plan, goal=goal, code="1.1", order=99, text="again")


def test_target_code_may_repeat_in_another_plan(plan):
    other = StrategicPlan.objects.create(
        code="2024-2027", title="Next", period_start=2024, period_end=2027, vision="v", mission="m"
    )
    goal = Goal.objects.create(plan=other, number=1, short_name="G", name="n", description="d")
    assert Target.objects.create(plan=other, goal=goal, code="1.1", order=1, text="t").pk


def test_outcome_code_is_unique_within_a_plan(plan):
    objective = Objective.objects.get(plan=plan, code="R.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Outcome.objects.create(plan=plan, objective=objective, code="R.1-a", order=9, text="x")


def test_plan_period_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategicPlan.objects.create(
            code="2027-2024",
            title="Backwards",
            period_start=2027,
            period_end=2024,
            vision="v",
            mission="m",
        )


def test_models_read_as_their_codes(plan):
    assert str(plan) == "2020-2023"
    assert str(Target.objects.get(plan=plan, code="2.4")) == "2.4"
    assert str(Sector.objects.get(code="ITU-D")) == "ITU-D"
    assert str(Goal.objects.get(plan=plan, number=1)) == "1. Growth"


def test_plan_visible_to_public_only_when_published(plan, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    draft = StrategicPlan.objects.create(
        code="2024-2027", title="Next", period_start=2024, period_end=2027, vision="v", mission="m"
    )
    public = StrategicPlan.objects.visible_to(AnonymousUser())
    assert plan in public and draft not in public
    staff = django_user_model(is_staff=True, is_superuser=True)  # an administrator
    assert draft in StrategicPlan.objects.visible_to(staff)
    assert StrategicPlan.objects.current() == plan
