"""What a tool may filter and order indicators, geographies and figures by: explicit filters and an
ordering whitelist for each, so that no ORM lookup is ever taken from the address."""

from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from frameworks.models import Enabler, Goal, Objective, Outcome, Output, StrategicPlan, Target
from indicators.models import Geography, Indicator, Observation, Statistic
from indicators.statistics import shown
from risks.models import Risk

from .base import Ordering

# --- the plan's elements -----------------------------


class YearFilter(filters.NumberFilter):
    """A year is a whole number: "2020.5" or "-5e-324" are refused, not rounded to a year."""

    field_class = forms.IntegerField


class ExplicitBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is an error, where Django's field reads it as "not
    given" and the filter would silently list everything."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        word = str(value).strip().lower()
        if word in ("true", "1"):
            return True
        if word in ("false", "0"):
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")


class CodeChoiceFilter(filters.ChoiceFilter):
    """A choice among codes; an unknown one is refused with the list of those allowed (Django's
    message says only that it is not one of them)."""

    def __init__(self, *args, **kwargs):
        allowed = ", ".join(value for value, _label in kwargs["choices"])
        # formatted when the message is shown, in the language of the request
        kwargs.setdefault("error_messages", {})["invalid_choice"] = format_lazy(
            _("Unknown value %(value)s; use one of: {allowed}."), allowed=allowed
        )
        super().__init__(*args, **kwargs)


class IdFilter(filters.NumberFilter):
    """An identifier: a whole number within the database's integers."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**31 - 1, **kwargs)


class BooleanFilter(filters.BooleanFilter):
    field_class = ExplicitBooleanField

    def __init__(self, *args, **kwargs):
        # django-filter's BooleanWidget turns every other word into "not given" before the
        # field sees it: the field reads the text as sent
        kwargs["widget"] = forms.TextInput
        super().__init__(*args, **kwargs)


class PlanFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=StrategicPlan.Status.choices)
    ordering = Ordering(fields=(("period_start", "period_start"), ("code", "code")))

    class Meta:
        model = StrategicPlan
        fields = ["status"]


class GoalFilter(filters.FilterSet):
    ordering = Ordering(fields=(("number", "number"),))

    class Meta:
        model = Goal
        fields: list[str] = []


class TargetFilter(filters.FilterSet):
    goal = filters.NumberFilter(field_name="goal__number", help_text="Number of the goal")
    proposed = BooleanFilter()
    ordering = Ordering(fields=(("goal__number", "goal"), ("order", "order"), ("code", "code")))

    class Meta:
        model = Target
        fields = ["goal", "proposed"]


class ObjectiveFilter(filters.FilterSet):
    sector = filters.CharFilter(field_name="sector__code", help_text="ITU-R, ITU-T, ITU-D…")
    ordering = Ordering(fields=(("sector__order", "sector"), ("order", "order"), ("code", "code")))

    class Meta:
        model = Objective
        fields = ["sector"]


class ObjectiveResultFilter(filters.FilterSet):
    """Outcomes and outputs."""

    objective = filters.CharFilter(field_name="objective__code", help_text="Code of the objective")
    sector = filters.CharFilter(field_name="objective__sector__code")
    ordering = Ordering(fields=(("order", "order"), ("code", "code")))

    class Meta:
        fields = ["objective", "sector"]


class OutcomeFilter(ObjectiveResultFilter):
    class Meta(ObjectiveResultFilter.Meta):
        model = Outcome


class OutputFilter(ObjectiveResultFilter):
    class Meta(ObjectiveResultFilter.Meta):
        model = Output


class EnablerFilter(filters.FilterSet):
    provider = filters.ChoiceFilter(choices=Enabler.Provider.choices)
    objective = filters.CharFilter(
        field_name="objectives__code", help_text="Enablers linked to this objective"
    )
    ordering = Ordering(fields=(("order", "order"), ("code", "code")))

    class Meta:
        model = Enabler
        fields = ["provider", "objective"]


class RiskFilter(filters.FilterSet):
    ordering = Ordering(fields=(("number", "number"),))

    class Meta:
        model = Risk
        fields: list[str] = []


# --- indicators, geographies, figures ------------------------------------------------------------


class CodesFilter(filters.BaseInFilter, filters.CharFilter):
    """One code, or several separated by commas (WLD,LDC)."""


class IndicatorFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="plan__code", help_text="Code of the plan (2020-2023)")
    target = CodesFilter(field_name="target__code", help_text="Target code(s), e.g. 1.2")
    sector = filters.CharFilter(field_name="sector__code", help_text="Reporting sector (ITU-D)")
    main = BooleanFilter(
        field_name="is_main", help_text="Only the indicators that give their target its status"
    )
    unit = filters.ChoiceFilter(choices=Indicator.Unit.choices)
    ordering = Ordering(
        fields=(
            ("target__goal__number", "goal"),
            ("target__order", "target"),
            ("code", "code"),
            ("target_year", "target_year"),
        )
    )

    class Meta:
        model = Indicator
        fields = ["plan", "target", "sector", "main", "unit"]


class GeographyFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Geography.Kind.choices)
    group = filters.CharFilter(
        field_name="groups__code", help_text="Only the members of this group (e.g. LDC)"
    )
    ordering = Ordering(fields=(("order", "order"), ("code", "code")))

    class Meta:
        model = Geography
        fields = ["kind", "group"]


class ObservationFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="indicator__plan__code", help_text="Code of the plan")
    target = CodesFilter(field_name="indicator__target__code", help_text="Target code(s)")
    indicator = CodesFilter(field_name="indicator__code", help_text="Indicator code(s)")
    geography = CodesFilter(field_name="geography__code", help_text="Geography code(s): WLD,LDC")
    year = YearFilter(field_name="year")
    year_min = YearFilter(field_name="year", lookup_expr="gte", help_text="From year")
    year_max = YearFilter(field_name="year", lookup_expr="lte", help_text="Up to year")
    edition = filters.CharFilter(field_name="edition", help_text="Exact name of the edition")
    status = filters.ChoiceFilter(
        choices=Observation.Status.choices,
        help_text="Review status. Without a role, only approved figures exist.",
    )
    ordering = Ordering(
        fields=(
            ("indicator__code", "indicator"),
            ("geography__order", "geography"),
            ("year", "year"),
            ("edition", "edition"),
            ("updated_at", "updated_at"),
        )
    )

    class Meta:
        model = Observation
        fields = ["plan", "target", "indicator", "geography", "year", "edition", "status"]


# --- per-economy statistics -----------------------------------------------------------------------


class CountryFilter(filters.FilterSet):
    """The Member States (every country geography with `all=true`: the view reads it)."""

    all = BooleanFilter(
        method="every_country",
        help_text="true: every country and territory, not only ITU's Member States",
    )
    region = filters.CharFilter(field_name="region__code", help_text="ITU region, e.g. ITU-AFR")
    group = filters.CharFilter(
        field_name="groups__code", help_text="Only the members of this group: LDC, LLDC, SIDS"
    )
    q = filters.CharFilter(
        method="search",
        help_text="Part of the name (in the language asked for), or an ISO 3166 or M49 code",
    )

    class Meta:
        model = Geography
        fields = ["all", "region", "group", "q"]

    def every_country(self, queryset, name, value):
        return queryset  # read by api.countries.CountryViewSet.get_queryset

    def search(self, queryset, name, value):
        value = value.strip()
        # modeltranslation reads `name` and `formal_name` as the active language's columns
        return queryset.filter(
            Q(name__icontains=value)
            | Q(formal_name__icontains=value)
            | Q(code__iexact=value)
            | Q(iso2__iexact=value)
            | Q(m49=value)
        )


class StatisticFilter(filters.FilterSet):
    """Every filter narrows an indexed column first: a geography (statistic_country_idx), a
    series or a release (statistic_map_idx, by release then year); year and breakdowns narrow
    what those give."""

    geography = CodesFilter(
        field_name="geography__code",
        help_text="ISO3 code(s) of countries, or codes of groups and regions (their "
        "aggregates): NOR,KEN or LDC",
    )
    series = CodesFilter(field_name="release__series__code", help_text="Series code(s)")
    release = IdFilter(field_name="release_id", help_text="Identifier of a release")
    year = YearFilter(field_name="year")
    year_min = YearFilter(field_name="year", lookup_expr="gte", help_text="From year")
    year_max = YearFilter(field_name="year", lookup_expr="lte", help_text="Up to year")
    sex = CodeChoiceFilter(choices=Statistic.Sex.choices, help_text="_T: both sexes")
    age = CodeChoiceFilter(choices=Statistic.Age.choices, help_text="_T: all ages")
    area = CodeChoiceFilter(choices=Statistic.Area.choices, help_text="_T: urban and rural")
    chosen = BooleanFilter(
        method="only_chosen",
        help_text="true: only the figure each geography, year and breakdown shows (the leading "
        "release's; the newest other release where it has none)",
    )

    class Meta:
        model = Statistic
        fields = [
            "geography",
            "series",
            "release",
            "year",
            "sex",
            "age",
            "area",
            "chosen",
        ]

    def only_chosen(self, queryset, name, value):
        return shown(queryset) if value else queryset


class ProgressFilter(filters.FilterSet):
    """Progress rows are computed per plan: the filter chooses the plans."""

    plan = filters.CharFilter(field_name="code", help_text="Code of the plan")

    class Meta:
        model = StrategicPlan
        fields = ["plan"]
