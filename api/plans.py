"""The plan in the API: plans, the whole plan as one document (the tree), and each kind of
element of a plan, addressed by the plan's code and the element's code (or number)."""

from functools import cached_property

from django.db.models import F, Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from frameworks.models import (
    Enabler,
    Goal,
    Objective,
    ObjectiveGoalLink,
    Outcome,
    Output,
    StrategicPlan,
    Target,
)
from risks.models import Risk

from .base import ReadOnlyViewSet, without_plan_order
from .filters import (
    EnablerFilter,
    GoalFilter,
    ObjectiveFilter,
    OutcomeFilter,
    OutputFilter,
    PlanFilter,
    RiskFilter,
    TargetFilter,
)
from .serializers import (
    EnablerSerializer,
    GoalSerializer,
    ObjectiveSerializer,
    OutcomeSerializer,
    OutputSerializer,
    PlanSerializer,
    RiskSerializer,
    TargetSerializer,
)
from .tree import build_plan_tree

PLAN_KEYS = ("id", "code", "status", "period_start", "period_end", "progress_method")
"""What the views of a plan's elements use of the plan (its long texts in six languages are
most of its row)."""


def visible_plan_or_404(request, code: str, *, texts: bool = True) -> StrategicPlan:
    """The plan with this code, if the requester may see it (drafts: users with a role only);
    with `texts=False`, only its PLAN_KEYS."""
    plans = StrategicPlan.objects.visible_to(request.user)
    if not texts:
        plans = plans.only(*PLAN_KEYS)
    plan = plans.filter(code=code).first()
    if plan is None:
        raise Http404(f"No plan with the code {code!r}.")
    return plan


# --- views --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The plans (drafts only for staff)"),
    retrieve=extend_schema(summary="One plan"),
)
class PlanViewSet(ReadOnlyViewSet):
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    lookup_field = "code"
    lookup_url_kwarg = "plan"

    def get_queryset(self):
        return StrategicPlan.objects.visible_to(self.request.user)

    def get_object(self):
        return visible_plan_or_404(self.request, self.kwargs["plan"])

    @extend_schema(
        summary="The whole plan as one document",
        description="Every element of the plan, nested: goals and targets, sectors, objectives, "
        "outcomes and outputs, enablers, risks and mitigations, WSIS and SDG links. Built from "
        "a constant number of queries; served from the cache of public answers. `fallbacks` "
        "counts "
        "the texts given in another language than the one asked for (their translation is "
        'empty), per language: {"en": 3}; `{}` when every text is in the language asked for.',
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], url_path="tree", url_name="tree")
    def tree(self, request, plan=None):
        document = build_plan_tree(self.get_object())
        self.fallback_languages.update(document["fallbacks"])  # for Content-Language
        return Response(document)


class PlanElementViewSet(ReadOnlyViewSet):
    """Elements of the plan named in the address, each by its code (or number); texts in the
    language asked for."""

    lookup_field = "code"

    @cached_property
    def plan(self) -> StrategicPlan:
        return visible_plan_or_404(self.request, self.kwargs["plan"], texts=False)

    def get_queryset(self):
        return without_plan_order(super().get_queryset().filter(plan=self.plan))


@extend_schema_view(
    list=extend_schema(summary="The plan's strategic goals"),
    retrieve=extend_schema(summary="One goal, by its number"),
)
class GoalViewSet(PlanElementViewSet):
    queryset = Goal.objects.all()
    code_lists = ("targets", "sdg_targets")
    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    lookup_field = "number"


@extend_schema_view(
    list=extend_schema(summary="The plan's targets"),
    retrieve=extend_schema(summary="One target, by its code (1.2)"),
)
class TargetViewSet(PlanElementViewSet):
    queryset = Target.objects.annotate(goal_number=F("goal__number"))
    code_lists = ("data_sources", "indicators")
    serializer_class = TargetSerializer
    filterset_class = TargetFilter


@extend_schema_view(
    list=extend_schema(summary="The sectors' objectives"),
    retrieve=extend_schema(summary="One objective, by its code (R.1)"),
)
class ObjectiveViewSet(PlanElementViewSet):
    queryset = Objective.objects.select_related("sector").prefetch_related(
        Prefetch("goal_links", queryset=ObjectiveGoalLink.objects.select_related("goal"))
    )
    code_lists = ("outcomes", "outputs")
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilter


@extend_schema_view(
    list=extend_schema(summary="The objectives' outcomes"),
    retrieve=extend_schema(summary="One outcome, by its code (R.1-a)"),
)
class OutcomeViewSet(PlanElementViewSet):
    queryset = Outcome.objects.select_related("objective__sector")
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter


@extend_schema_view(
    list=extend_schema(summary="The objectives' outputs"),
    retrieve=extend_schema(summary="One output, by its code (R.1-1)"),
)
class OutputViewSet(PlanElementViewSet):
    queryset = Output.objects.select_related("objective__sector")
    serializer_class = OutputSerializer
    filterset_class = OutputFilter


@extend_schema_view(
    list=extend_schema(summary="The enablers (activities of the bureaux and the secretariat)"),
    retrieve=extend_schema(summary="One enabler, by its code (BDT-1)"),
)
class EnablerViewSet(PlanElementViewSet):
    queryset = Enabler.objects.all()
    code_lists = ("objectives",)
    serializer_class = EnablerSerializer
    filterset_class = EnablerFilter


@extend_schema_view(
    list=extend_schema(summary="The plan's strategic risks and their mitigations"),
    retrieve=extend_schema(summary="One risk, by its number"),
)
class RiskViewSet(PlanElementViewSet):
    queryset = Risk.objects.prefetch_related("mitigations")
    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    lookup_field = "number"
