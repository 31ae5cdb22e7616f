"""What the API shows of each element, and a reported figure as the API reads it.

Explicit fields; related elements appear by their codes, which the views attach in one query per
relation (api.base.attach_codes) or annotate on the row. Texts come in the active language (the
view activates the one asked for; modeltranslation falls back to English, then Chinese); figures
are JSON numbers. The progress serializers describe the plain dicts that api.figures builds from
indicators.status, so that the schema and the answer cannot drift apart.
"""

from django.utils.translation import gettext as _
from rest_framework import serializers

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
from indicators import progress
from indicators.models import Geography, Indicator, Observation
from indicators.validation import FIELDS
from risks.models import Mitigation, Risk

from .base import CodeList

# --- the plan -----------------------------------------------------------------------------------


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


# --- risks ----------------------------------------------------------------------------------------


class MitigationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mitigation
        fields = ["order", "strategy", "text"]


class RiskSerializer(serializers.ModelSerializer):
    mitigations = MitigationSerializer(many=True, read_only=True)

    class Meta:
        model = Risk
        fields = ["number", "title", "description", "mitigations"]


# --- indicators and figures ---------------------------------------------------------------------


def code(**kwargs):
    """A related element's code, annotated on the row by the view's queryset (`<name>_code`),
    so that no related model is loaded for it."""
    return serializers.CharField(read_only=True, **kwargs)


def number(**kwargs):
    return serializers.DecimalField(
        max_digits=20, decimal_places=6, coerce_to_string=False, read_only=True, **kwargs
    )


class IndicatorSerializer(serializers.ModelSerializer):
    plan = code(source="plan_code")
    target = code(source="target_code")
    outcome = code(source="outcome_code", allow_null=True)
    sector = code(
        source="sector_code", help_text="The sector whose reporters submit figures for it."
    )
    headline_geography = code(source="headline_geography_code")
    data_source = code(source="data_source_code")

    class Meta:
        model = Indicator
        fields = [
            "plan",
            "code",
            "target",
            "outcome",
            "sector",
            "is_main",
            "name",
            "definition",
            "note",
            "unit",
            "direction",
            "baseline_year",
            "baseline_value",
            "target_kind",
            "target_value",
            "target_band_low",
            "target_band_high",
            "target_year",
            "min_value",
            "max_value",
            "headline_geography",
            "data_source",
        ]


class GeographySerializer(serializers.ModelSerializer):
    members = CodeList(help_text="Codes of its members, if a group")

    class Meta:
        model = Geography
        fields = ["code", "kind", "order", "name", "source", "members"]


class ObservationSerializer(serializers.ModelSerializer):
    plan = code(source="plan_code")
    indicator = code(source="indicator_code")
    target = code(source="target_code")
    geography = code(source="geography_code")
    value = number()

    class Meta:
        model = Observation
        fields = [
            "id",
            "plan",
            "indicator",
            "target",
            "geography",
            "year",
            "value",
            "source",
            "source_url",
            "edition",
            "note",
            "status",
            "version",
            "updated_at",
        ]


class ObservationReportSerializer(serializers.Serializer):
    """A figure reported by a tool. The JSON types and the plan are checked here; whether it is a
    valid figure (known indicator and geography, value in range, year in reach, not a duplicate)
    and who may report it is decided by indicators.services, as for the workspace and imports."""

    plan = serializers.CharField(
        required=False, help_text="Code of the plan (2020-2023); the current plan if omitted."
    )
    indicator = serializers.CharField(help_text="Code of the indicator in that plan.")
    geography = serializers.CharField(help_text="Code of the geography (WLD, LDC, a country).")
    year = serializers.IntegerField(help_text="1990 to 2035.")
    value = serializers.DecimalField(
        max_digits=20,
        decimal_places=6,
        coerce_to_string=False,
        help_text="Within the indicator's range (0 to 100 for a percentage).",
    )
    source = serializers.CharField(help_text="The publication.")
    source_url = serializers.CharField(required=False, allow_blank=True)
    edition = serializers.CharField(help_text="e.g. Facts and Figures 2023.")
    note = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False,
        write_only=True,
        help_text="For a change: the version it is based on (instead of If-Match).",
    )

    def validate(self, attrs):
        attrs.pop("version", None)  # read by the view (api.figures.check_version)
        attrs["plan"] = self._plan(attrs.get("plan"), self.instance)
        return attrs

    def figure(self) -> dict:
        """The figure as indicators.services reads it (codes and values, as in an import file):
        what was sent, and for a change the stored values of the fields not sent."""
        sent = self.validated_data
        return {
            field: sent[field] if field in sent else _stored(self.instance, field)
            for field in FIELDS
        }

    @staticmethod
    def _plan(code: str | None, instance: Observation | None) -> StrategicPlan:
        if instance is not None:
            if code is not None and code != instance.indicator.plan.code:
                raise serializers.ValidationError({"plan": [_("A figure cannot change plans.")]})
            return instance.indicator.plan
        plan = (
            StrategicPlan.objects.filter(code=code).first()
            if code
            else StrategicPlan.objects.current()
        )
        if plan is None:
            raise serializers.ValidationError({"plan": [_("No plan with the code %r.") % code]})
        return plan


def _stored(instance: Observation | None, field: str):
    if instance is None:
        return None
    if field in ("indicator", "geography"):
        return getattr(instance, field).code
    return getattr(instance, field)


# --- progress -----------------------------------------------------------------------------------

STATUSES = [status.value for status in progress.Status]
METHODS = [method.value for method in progress.Method]


def maybe_float(**kwargs):
    return serializers.FloatField(allow_null=True, **kwargs)


def maybe_int(**kwargs):
    return serializers.IntegerField(allow_null=True, **kwargs)


class AssessmentSerializer(serializers.Serializer):
    """A status and every number it was decided on (docs/progress-method.md)."""

    status = serializers.ChoiceField(STATUSES)
    method = serializers.ChoiceField(METHODS)
    reason = serializers.CharField()
    base_year = maybe_int()
    base_value = maybe_float()
    latest_year = maybe_int()
    latest_value = maybe_float()
    target_value = maybe_float(help_text="As a level (a relative target applied to the base).")
    target_year = serializers.IntegerField()
    gap = maybe_float(help_text="Target minus latest value.")
    cagr_observed = maybe_float()
    cagr_required = maybe_float()
    ratio = maybe_float(help_text="Statistics Canada: observed / required growth.")
    share_covered = maybe_float(help_text="UNSD: share of the way covered by the projection.")
    projected_value = maybe_float()
    score = maybe_float()


class TargetStatusSerializer(serializers.Serializer):
    """One row per target: what a dashboard elsewhere needs in one call."""

    plan = serializers.CharField()
    goal = serializers.IntegerField()
    target = serializers.CharField()
    text = serializers.CharField()
    status = serializers.ChoiceField(STATUSES)
    method = serializers.ChoiceField(METHODS)
    reason = serializers.CharField()
    indicator = serializers.CharField(allow_null=True, help_text="The headline indicator.")
    indicator_name = serializers.CharField(allow_null=True)
    unit = serializers.CharField(allow_null=True)
    geography = serializers.CharField(allow_null=True, help_text="The headline geography.")
    geography_name = serializers.CharField(allow_null=True)
    base_year = maybe_int()
    base_value = maybe_float()
    latest_year = maybe_int()
    latest_value = maybe_float()
    latest_edition = serializers.CharField(allow_null=True)
    target_value = maybe_float()
    target_year = maybe_int()


class PointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = maybe_float()
    edition = serializers.CharField()
    source = serializers.CharField()
    source_url = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class SeriesSerializer(serializers.Serializer):
    geography = serializers.CharField()
    geography_name = serializers.CharField()
    headline = serializers.BooleanField(help_text="The geography that gives the status.")
    points = PointSerializer(many=True, help_text="One figure a year, from the newest edition.")
    superseded = PointSerializer(many=True, help_text="Older editions' figures, as history.")
    editions = serializers.ListField(child=serializers.CharField())
    joins_editions = serializers.BooleanField()
    assessment = AssessmentSerializer()


class IndicatorProgressSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField(allow_blank=True)
    unit = serializers.CharField()
    direction = serializers.CharField()
    is_main = serializers.BooleanField()
    target_kind = serializers.CharField()
    target_value = maybe_float()
    target_year = serializers.IntegerField()
    baseline_year = maybe_int()
    baseline_value = maybe_float()
    headline_geography = serializers.CharField()
    assessment = AssessmentSerializer(help_text="Of the headline geography's series.")
    series = SeriesSerializer(many=True)


class TargetProgressSerializer(serializers.Serializer):
    plan = serializers.CharField()
    target = serializers.CharField()
    text = serializers.CharField()
    assessment = AssessmentSerializer(
        help_text="The target's status: its main indicator in its headline geography."
    )
    indicators = IndicatorProgressSerializer(many=True)
