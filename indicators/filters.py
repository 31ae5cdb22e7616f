"""What a tool may filter and order indicators, geographies and figures by: explicit filters and an
ordering whitelist for each, so that no ORM lookup is ever taken from the address."""

from django_filters import rest_framework as filters

from frameworks.models import StrategicPlan
from itu_rbm.api import Ordering

from .models import Geography, Indicator, Observation


class CodesFilter(filters.BaseInFilter, filters.CharFilter):
    """One code, or several separated by commas (WLD,LDC)."""


class IndicatorFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="plan__code", help_text="Code of the plan (2020-2023)")
    target = CodesFilter(field_name="target__code", help_text="Target code(s), e.g. 1.2")
    sector = filters.CharFilter(field_name="sector__code", help_text="Reporting sector (ITU-D)")
    main = filters.BooleanFilter(
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
    year = filters.NumberFilter(field_name="year")
    year_min = filters.NumberFilter(field_name="year", lookup_expr="gte", help_text="From year")
    year_max = filters.NumberFilter(field_name="year", lookup_expr="lte", help_text="Up to year")
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


class ProgressFilter(filters.FilterSet):
    """Progress rows are computed per plan: the filter chooses the plans."""

    plan = filters.CharFilter(field_name="code", help_text="Code of the plan")

    class Meta:
        model = StrategicPlan
        fields = ["plan"]
