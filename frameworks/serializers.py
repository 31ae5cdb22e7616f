"""The plan's elements as the API shows them: explicit fields, related elements by their codes.

Texts are read through modeltranslation, so they come in the active language (the API view
activates the one asked for) with the fallback English, then Chinese. Related elements appear
as lists of their codes, which the views attach in one query per relation (frameworks/api.py).
"""

from rest_framework import serializers

from itu_rbm.api import CodeList

from .models import (
    Enabler,
    Goal,
    Objective,
    ObjectiveGoalLink,
    Outcome,
    Output,
    StrategicPlan,
    Target,
)


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = StrategicPlan
        fields = [
            "code",
            "title",
            "resolution",
            "edition",
            "period_start",
            "period_end",
            "status",
            "progress_method",
            "vision",
            "mission",
            "values_intro",
            "sources",
        ]


class GoalSerializer(serializers.ModelSerializer):
    targets = CodeList()
    sdg_targets = CodeList()

    class Meta:
        model = Goal
        fields = ["number", "short_name", "name", "description", "note", "targets", "sdg_targets"]


class TargetSerializer(serializers.ModelSerializer):
    goal = serializers.IntegerField(source="goal_number", read_only=True)  # annotated by the view
    data_sources = CodeList()
    indicators = CodeList(help_text="Codes of the indicators that measure the target.")

    class Meta:
        model = Target
        fields = ["code", "goal", "order", "text", "note", "proposed", "data_sources", "indicators"]


class GoalLinkSerializer(serializers.ModelSerializer):
    goal = serializers.IntegerField(source="goal.number", read_only=True)

    class Meta:
        model = ObjectiveGoalLink
        fields = ["goal", "kind"]


class ObjectiveSerializer(serializers.ModelSerializer):
    sector = serializers.CharField(source="sector.code", read_only=True)
    goal_links = GoalLinkSerializer(many=True, read_only=True)
    outcomes = CodeList()
    outputs = CodeList()

    class Meta:
        model = Objective
        fields = [
            "code",
            "sector",
            "order",
            "short_name",
            "text",
            "note",
            "goal_links",
            "outcomes",
            "outputs",
        ]


class ObjectiveResultSerializer(serializers.ModelSerializer):
    """An outcome or an output: a result of a sector objective."""

    objective = serializers.CharField(source="objective.code", read_only=True)
    sector = serializers.CharField(source="objective.sector.code", read_only=True)

    class Meta:
        fields = ["code", "objective", "sector", "order", "text", "note"]


class OutcomeSerializer(ObjectiveResultSerializer):
    class Meta(ObjectiveResultSerializer.Meta):
        model = Outcome


class OutputSerializer(ObjectiveResultSerializer):
    class Meta(ObjectiveResultSerializer.Meta):
        model = Output


class EnablerSerializer(serializers.ModelSerializer):
    objectives = CodeList(
        help_text="The objectives it supports (all of them when supports_all_objectives)."
    )

    class Meta:
        model = Enabler
        fields = [
            "code",
            "order",
            "provider",
            "activity",
            "contribution",
            "results",
            "supports_all_objectives",
            "objectives",
        ]
