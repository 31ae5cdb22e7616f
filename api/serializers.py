"""What the API shows of each element, and a reported figure as the API reads it.

Explicit fields; related elements appear by their codes, which the views attach in one query per
relation (api.base.attach_codes) or annotate on the row. Texts come in the active language (the
view activates the one asked for; modeltranslation falls back to English, then Chinese); figures
are JSON numbers. The progress serializers describe the plain dicts that api.figures builds from
indicators.status, so that the schema and the answer cannot drift apart.
"""

import re

from django.utils import translation
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator
from rest_framework import serializers

from frameworks.i18n import first_text
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
from indicators.models import Geography, Indicator, Observation, Release, Series, Statistic
from indicators.numbers import PLAIN
from indicators.validation import FIELDS, YEAR_TEXT
from risks.models import Mitigation, Risk

from .base import CodeList

FALLBACKS_HELP = (
    "The texts of this element shown in another language than the one asked for (their "
    "translation is empty): field name -> language of the text given, e.g. "
    '{"note": "en"}. Empty when every text is in the language asked for.'
)


class TranslatedSerializer(serializers.ModelSerializer):
    """An element with translated texts: each comes in the language asked for, else in its
    fallback (English, then Chinese), and `fallbacks` says which did. The languages used are
    also gathered on the view, which names them in Content-Language (api.base.PortalViewSet).
    No query: a modeltranslation instance carries every language's column."""

    fallbacks = serializers.SerializerMethodField(help_text=FALLBACKS_HELP)

    def get_fallbacks(self, instance) -> dict[str, str]:
        active = translation.get_language()
        found = {}
        for name in self._translated_fields():
            text, language = first_text(instance, name)
            if text and language != active:
                found[name] = language
        if found:
            view = self.context.get("view")
            used = getattr(view, "fallback_languages", None)
            if used is not None:
                used.update(found.values())
        return found

    def _translated_fields(self) -> list[str]:
        try:
            translated = translator.get_options_for_model(self.Meta.model).fields
        except NotRegistered:
            return []
        return [name for name in self.Meta.fields if name in translated]


# --- the plan -----------------------------------------------------------------------------------


class PlanSerializer(TranslatedSerializer):
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
            "fallbacks",
        ]


class GoalSerializer(TranslatedSerializer):
    targets = CodeList()
    sdg_targets = CodeList()

    class Meta:
        model = Goal
        fields = [
            "number",
            "short_name",
            "name",
            "description",
            "note",
            "targets",
            "sdg_targets",
            "fallbacks",
        ]


class TargetSerializer(TranslatedSerializer):
    goal = serializers.IntegerField(source="goal_number", read_only=True)  # annotated by the view
    data_sources = CodeList()
    indicators = CodeList(help_text="Codes of the indicators that measure the target.")

    class Meta:
        model = Target
        fields = [
            "code",
            "goal",
            "order",
            "text",
            "note",
            "proposed",
            "data_sources",
            "indicators",
            "fallbacks",
        ]


class GoalLinkSerializer(serializers.ModelSerializer):
    goal = serializers.IntegerField(source="goal.number", read_only=True)

    class Meta:
        model = ObjectiveGoalLink
        fields = ["goal", "kind"]


class ObjectiveSerializer(TranslatedSerializer):
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
            "fallbacks",
        ]


class ObjectiveResultSerializer(TranslatedSerializer):
    """An outcome or an output: a result of a sector objective."""

    objective = serializers.CharField(source="objective.code", read_only=True)
    sector = serializers.CharField(source="objective.sector.code", read_only=True)

    class Meta:
        fields = ["code", "objective", "sector", "order", "text", "note", "fallbacks"]


class OutcomeSerializer(ObjectiveResultSerializer):
    class Meta(ObjectiveResultSerializer.Meta):
        model = Outcome


class OutputSerializer(ObjectiveResultSerializer):
    class Meta(ObjectiveResultSerializer.Meta):
        model = Output


class EnablerSerializer(TranslatedSerializer):
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
            "note",
            "supports_all_objectives",
            "objectives",
            "fallbacks",
        ]


# --- risks ----------------------------------------------------------------------------------------


class MitigationSerializer(TranslatedSerializer):
    class Meta:
        model = Mitigation
        fields = ["order", "strategy", "text", "fallbacks"]


class RiskSerializer(TranslatedSerializer):
    mitigations = MitigationSerializer(many=True, read_only=True)

    class Meta:
        model = Risk
        fields = ["number", "title", "description", "mitigations", "fallbacks"]


# --- indicators and figures ---------------------------------------------------------------------


def code(**kwargs):
    """A related element's code, annotated on the row by the view's queryset (`<name>_code`),
    so that no related model is loaded for it."""
    return serializers.CharField(read_only=True, **kwargs)


def number(**kwargs):
    return serializers.DecimalField(
        max_digits=20, decimal_places=6, coerce_to_string=False, read_only=True, **kwargs
    )


class IndicatorSerializer(TranslatedSerializer):
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
            "fallbacks",
        ]


class GeographySerializer(TranslatedSerializer):
    members = CodeList(help_text="Codes of its members, if a group")

    class Meta:
        model = Geography
        fields = ["code", "kind", "order", "name", "source", "members", "fallbacks"]


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
            "publisher",
            "publication",
            "edition",
            "source",
            "source_url",
            "reported_in",
            "note",
            "status",
            "version",
            "updated_at",
        ]
        extra_kwargs = {
            "publisher": {"help_text": "Who published the figure (the citation), e.g. ITU."},
            "publication": {
                "help_text": "The publication's name as published, e.g. Facts and Figures 2024."
            },
            "edition": {"help_text": "The edition cited; names the release on its own."},
            "source": {
                "help_text": "Provenance, not the citation: how the portal obtained the value "
                "(the file, page or report it was read in)."
            },
            "source_url": {"help_text": "Where the value was read (provenance)."},
            "reported_in": {
                "help_text": "Where only a report carries the figure (a news article, a "
                "summary): its name; empty when the publication itself was read."
            },
        }


class AsInFiles:
    """A field that takes a text only in the form an import file's cell has (`form`): DRF's own
    fields hand texts to Decimal() and int(), which read "1_0" as 10, "1e3" as 1000 and
    full-width digits as digits. JSON numbers are DRF's to read."""

    form: re.Pattern

    def to_internal_value(self, data):
        if isinstance(data, str) and not self.form.fullmatch(data.strip()):
            self.fail("invalid")
        return super().to_internal_value(data)


class YearField(AsInFiles, serializers.IntegerField):
    form = YEAR_TEXT


class FigureValueField(AsInFiles, serializers.DecimalField):
    form = PLAIN


class ObservationReportSerializer(serializers.Serializer):
    """A figure reported by a tool. The JSON types and the plan are checked here; whether it is a
    valid figure (known indicator and geography, value in range, year in reach, not a duplicate)
    and who may report it is decided by indicators.services, as for the workspace and imports."""

    plan = serializers.CharField(
        required=False, help_text="Code of the plan (2020-2023); the current plan if omitted."
    )
    indicator = serializers.CharField(help_text="Code of the indicator in that plan.")
    geography = serializers.CharField(help_text="Code of the geography (WLD, LDC, a country).")
    year = YearField(
        help_text="Within the plan's reporting window: from the earliest baseline year of its "
        "indicators (less the plan's years of context) to its target year plus the plan's reach, "
        "never after the current year (2010 to 2026 for 2020-2023)."
    )
    value = FigureValueField(
        max_digits=20,
        decimal_places=6,
        coerce_to_string=False,
        help_text="A JSON number, or a text with a decimal point and no grouping (407.5; "
        '"407,5" is refused). Within the indicator\'s range (0 to 100 for a percentage).',
    )
    publisher = serializers.CharField(help_text="Who published the figure, e.g. ITU.")
    publication = serializers.CharField(
        help_text="The publication's name as published, e.g. Facts and Figures 2024."
    )
    edition = serializers.CharField(
        help_text="The edition cited, naming the release on its own, e.g. Facts and Figures 2024."
    )
    source = serializers.CharField(
        help_text="Provenance, not the citation: how the value was obtained (the file, page or "
        "report it was read in)."
    )
    source_url = serializers.CharField(
        required=False, allow_blank=True, help_text="Where the value was read (provenance)."
    )
    reported_in = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Where only a report carries the figure (a news article, a summary): its name.",
    )
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
VERDICTS = [verdict.value for verdict in progress.Verdict]
VERDICT_HELP = (
    "Once the target year has passed: achieved (a figure up to the target year meets the "
    "target), not_achieved (the target year's figure falls short), no_target_year_figure (the "
    "latest figure is older), no_numeric_target (the plan sets no figure to reach), "
    "no_base_figure (a change from a base year that has no figure), no_data; open while the "
    "target year has not passed (the status applies). docs/progress-method.md, 'The verdict'."
)


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


class VerdictSerializer(serializers.Serializer):
    """The verdict on a target whose year has passed, and the numbers it rests on."""

    verdict = serializers.ChoiceField(VERDICTS, help_text=VERDICT_HELP)
    target_year = serializers.IntegerField()
    target_value = maybe_float(help_text="As a level (a relative target applied to the base).")
    target_band_low = maybe_float(help_text="Parity targets: the band's lower edge.")
    target_band_high = maybe_float(help_text="Parity targets: the band's upper edge.")
    year = maybe_int(help_text="The year of the figure the verdict rests on.")
    value = maybe_float(help_text="The figure the verdict rests on.")
    base_year = maybe_int()
    base_value = maybe_float()
    shortfall = maybe_float(
        help_text="How far the figure falls short of the target, in the desired direction "
        "(0 or less: met)."
    )
    share_of_way = maybe_float(help_text="Share of the way from the base value to the target.")
    later_year = maybe_int(
        help_text="After the target year: the first figure that meets the target, else the latest."
    )
    later_value = maybe_float()
    reached_later = serializers.BooleanField(allow_null=True)
    projected_value = maybe_float(
        help_text="Where the series stops before the target year: the projection at the "
        "observed pace (a projection, not a figure)."
    )
    pace_status = serializers.ChoiceField(
        STATUSES, help_text="The pace status on the figures up to pace_year (history)."
    )
    pace_year = maybe_int()
    reason = serializers.CharField()


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
    verdict = serializers.ChoiceField(VERDICTS, help_text=VERDICT_HELP)
    verdict_reason = serializers.CharField()
    verdict_year = maybe_int(help_text="The year of the figure the verdict rests on.")
    verdict_value = maybe_float(help_text="The figure the verdict rests on.")
    verdict_edition = serializers.CharField(allow_null=True, help_text="That figure's edition.")
    shortfall = maybe_float(
        help_text="How far that figure falls short of the target, in the desired direction "
        "(0 or less: met)."
    )
    share_of_way = maybe_float(help_text="Share of the way from the base value to the target.")
    later_year = maybe_int(
        help_text="After the target year: the first figure that meets the target, else the latest."
    )
    later_value = maybe_float()
    reached_later = serializers.BooleanField(allow_null=True)
    projected_value = maybe_float(
        help_text="Where the series stops before the target year: the projection at the "
        "observed pace (a projection, not a figure)."
    )
    fallbacks = serializers.DictField(
        child=serializers.CharField(),
        help_text="The row's texts (text, indicator_name, geography_name) shown in another "
        'language than the one asked for: column -> language of the text given, e.g. {"text": '
        '"en"}. Empty when every text is in the language asked for.',
    )


class PointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = maybe_float()
    publisher = serializers.CharField(allow_blank=True, help_text="Who published the figure.")
    publication = serializers.CharField(help_text="The publication's name as published.")
    edition = serializers.CharField()
    source = serializers.CharField(help_text="Provenance: how the value was obtained.")
    source_url = serializers.CharField(allow_blank=True)
    reported_in = serializers.CharField(
        allow_blank=True, help_text="The report that carries the figure, where only one does."
    )
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
    verdict = VerdictSerializer(help_text="Of the headline geography's series.")
    series = SeriesSerializer(many=True)


class TargetProgressSerializer(serializers.Serializer):
    plan = serializers.CharField()
    target = serializers.CharField()
    text = serializers.CharField()
    assessment = AssessmentSerializer(
        help_text="The target's status: its main indicator in its headline geography."
    )
    verdict = VerdictSerializer(help_text="The target's verdict once its year has passed.")
    indicators = IndicatorProgressSerializer(many=True)


# --- per-economy statistics ------------------------------------------------------------------


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CountrySerializer(TranslatedSerializer):
    """A country or territory with its UN names (short and formal) in the language asked for.
    The view loads its region with it and attaches its groups (`groups_codes`)."""

    iso3 = serializers.CharField(source="code", read_only=True)
    region = RegionSerializer(
        read_only=True, allow_null=True, help_text="ITU region (BDT's classification)."
    )
    groups = CodeList(help_text="Development groups it belongs to: LDC, LLDC, SIDS.")

    class Meta:
        model = Geography
        fields = [
            "iso3",
            "iso2",
            "m49",
            "name",
            "formal_name",
            "is_member_state",
            "region",
            "groups",
            "fallbacks",
        ]
        extra_kwargs = {
            "name": {"help_text": "Short name as the UN writes it (UNTERM)."},
            "formal_name": {"help_text": "Formal name as the UN writes it (UNTERM)."},
        }


class SeriesCoverageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    years = serializers.ListField(
        child=serializers.IntegerField(), help_text="Years with at least one figure, in order."
    )


class CountryDetailSerializer(CountrySerializer):
    series = SeriesCoverageSerializer(
        many=True,
        read_only=True,
        source="series_covered",
        help_text="Series with figures for it (any release or breakdown); its figures are at "
        "/api/v1/statistics/?geography=<iso3>.",
    )

    class Meta(CountrySerializer.Meta):
        fields = [*CountrySerializer.Meta.fields[:-1], "series", "fallbacks"]


class ReleaseSerializer(serializers.ModelSerializer):
    citation = serializers.SerializerMethodField(help_text="Publisher, publication, edition.")

    class Meta:
        model = Release
        fields = [
            "id",
            "publisher",
            "publication",
            "edition",
            "citation",
            "released_on",
            "licence",
            "source_url",
            "is_leading",
            "is_computed",
        ]
        extra_kwargs = {
            "is_leading": {
                "help_text": "Its figures are the ones shown; the other releases fill its gaps."
            },
            "is_computed": {
                "help_text": "Aggregates computed by the portal from the countries' figures."
            },
        }

    def get_citation(self, release) -> str:
        return cite(release.publisher, release.publication, release.edition)


def cite(publisher: str, publication: str, edition: str) -> str:
    return ", ".join(part for part in (publisher, publication, edition) if part)


class PlanIndicatorSerializer(serializers.Serializer):
    plan = serializers.CharField(source="plan_code")
    code = serializers.CharField()


class StatisticsSeriesSerializer(TranslatedSerializer):
    """A series published per economy, its releases (leading first) and the indicators of the
    plans it measures. The view prefetches the releases and the indicators."""

    releases = ReleaseSerializer(many=True, read_only=True)
    indicators = PlanIndicatorSerializer(
        many=True, read_only=True, help_text="Indicators of the plans this series measures."
    )

    class Meta:
        model = Series
        fields = [
            "code",
            "name",
            "definition",
            "unit",
            "direction",
            "releases",
            "indicators",
            "fallbacks",
        ]


class ReleaseCitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    publisher = serializers.CharField()
    publication = serializers.CharField()
    edition = serializers.CharField()


class StatisticSerializer(serializers.ModelSerializer):
    """A figure as published; `geography` and `series` are annotated codes, the release loaded."""

    geography = code(source="geography_code")
    series = code(source="series_code")
    release = ReleaseCitationSerializer(read_only=True)

    class Meta:
        model = Statistic
        fields = [
            "id",
            "geography",
            "series",
            "year",
            "sex",
            "age",
            "area",
            "value",
            "is_estimate",
            "coverage",
            "release",
        ]
        extra_kwargs = {
            "sex": {"help_text": "_T: both sexes"},
            "age": {"help_text": "_T: all ages"},
            "area": {"help_text": "_T: urban and rural"},
            "is_estimate": {"help_text": "An estimate of the publisher (ITU), not a reported one."},
            "coverage": {
                "help_text": "Aggregates computed by the portal only: the share of the group's "
                "population whose countries have a figure (0–1)."
            },
        }


class MapFigureSerializer(serializers.Serializer):
    iso3 = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField(allow_null=True)
    value = serializers.FloatField()
    is_estimate = serializers.BooleanField()
    release = ReleaseCitationSerializer()


class SeriesMapSerializer(serializers.Serializer):
    series = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.ChoiceField(choices=Indicator.Unit.choices)
    year = serializers.IntegerField(allow_null=True)
    years = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Every year with figures, and how many countries have one: a year selector.",
    )
    countries_with_data = serializers.IntegerField(
        help_text="Member States with a figure for the year."
    )
    results = MapFigureSerializer(
        many=True, help_text="Each Member State's figure for the year, the one it shows."
    )
