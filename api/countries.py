"""Countries, the series published per economy, their figures, and one series for every Member
State in one year (what a map or another dashboard draws). Read-only and public, cached as every
read of the API; which figure a country-year shows is decided by indicators.statistics."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from frameworks.models import StrategicPlan
from indicators.models import Geography, Indicator, Release, Series, Statistic
from indicators.statistics import default_map_year, map_figures, map_years

from .base import PortalViewSet, ReadOnlyViewSet
from .filters import CountryFilter, ExplicitBooleanField, StatisticFilter, YearFilter
from .serializers import (
    CountryDetailSerializer,
    CountrySerializer,
    SeriesMapSerializer,
    StatisticSerializer,
    StatisticsSeriesSerializer,
)

STATISTICS_NOTE = (
    "Per-economy statistics (ITU's and other publishers' figures for each country, with sex, "
    "age and area breakdowns) are at /api/v1/statistics/."
)


def attach_groups(countries: list[Geography]) -> None:
    """Give each country `groups_codes`: the development groups (LDC, LLDC, SIDS) listing it.
    One query."""
    links = Geography.members.through.objects.filter(
        to_geography__in=[country.pk for country in countries],
        from_geography__kind=Geography.Kind.DEVELOPMENT_GROUP,
    ).order_by("from_geography__order", "from_geography__code")
    codes = defaultdict(list)
    for country_id, group in links.values_list("to_geography_id", "from_geography__code"):
        codes[country_id].append(group)
    for country in countries:
        country.groups_codes = codes.get(country.pk, [])


def series_covered(country: Geography) -> list[dict]:
    """The series with figures for `country` and the years they cover, in the series' order.
    Two queries: the (series, year) pairs through statistic_country_idx, then the series."""
    pairs = (
        Statistic.objects.filter(geography=country)
        .values_list("release__series_id", "year")
        .distinct()
        .order_by("release__series_id", "year")
    )
    years = defaultdict(list)
    for series_id, year in pairs:
        years[series_id].append(year)
    return [
        {"code": series.code, "name": series.name, "years": years[series.pk]}
        for series in Series.objects.filter(pk__in=list(years))
    ]


def every_country(request) -> bool:
    """`?all=true`: every country and territory, not only the Member States."""
    try:
        return bool(ExplicitBooleanField().clean(request.query_params.get("all")))
    except ValidationError as error:  # as the filter says it (CountryFilter.all)
        raise exceptions.ValidationError({"all": error.messages}) from None


@extend_schema_view(
    list=extend_schema(
        summary="ITU's Member States (every country with all=true), with UN names, codes, ITU "
        "region and groups",
        description="Names as the UN writes them, in the language asked for. " + STATISTICS_NOTE,
    ),
    retrieve=extend_schema(
        summary="One country by its ISO3 code, with the series that have figures for it",
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="ISO3 code, e.g. NOR"
            )
        ],
    ),
)
class CountryViewSet(ReadOnlyViewSet):
    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    lookup_field = "code"

    def get_queryset(self):
        countries = Geography.objects.countries().select_related("region")
        if self.action == "list" and not every_country(self.request):
            countries = countries.filter(is_member_state=True)
        return countries.order_by("code")

    def get_serializer_class(self):
        return CountryDetailSerializer if self.action == "retrieve" else CountrySerializer

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        attach_groups(page or [])
        return page

    def get_object(self):
        code = self.kwargs[self.lookup_field].upper()  # nor: NOR
        country = self.get_queryset().filter(code=code).first() if "\x00" not in code else None
        if country is None:
            raise exceptions.NotFound(
                _("Unknown country %(code)s; /api/v1/countries/?all=true lists them.")
                % {"code": repr(code)}
            )
        attach_groups([country])
        country.series_covered = series_covered(country)
        return country


def visible_indicators(request) -> Prefetch:
    """The plan indicators a series measures, of the plans the user may see."""
    indicators = Indicator.objects.filter(
        plan__in=StrategicPlan.objects.visible_to(request.user)
    ).annotate(plan_code=F("plan__code"))
    return Prefetch("indicators", queryset=indicators.order_by("plan__period_start", "code"))


def map_year(years: dict[int, int], asked: str | None) -> int | None:
    """The year asked for (a whole number, else 400), or by default the latest year nearly as full
    as the fullest (indicators.statistics.default_map_year)."""
    if asked is not None:
        try:
            return YearFilter().field.clean(asked)
        except ValidationError as error:
            raise exceptions.ValidationError({"year": error.messages}) from None
    return default_map_year(years)


def map_row(statistic: Statistic, regions: dict[int, str]) -> dict:
    country, release = statistic.geography, statistic.release
    return {
        "iso3": country.code,
        "name": country.name,
        "region": regions.get(country.region_id),
        "value": statistic.value,
        "is_estimate": statistic.is_estimate,
        "release": {
            "id": release.pk,
            "publisher": release.publisher,
            "publication": release.publication,
            "edition": release.edition,
        },
    }


def series_or_404(queryset, code: str) -> Series:
    # a NUL byte can be in no code (and PostgreSQL refuses it in a query)
    series = queryset.filter(code=code).first() if "\x00" not in code else None
    if series is None:
        raise exceptions.NotFound(
            _("Unknown series %(code)s; /api/v1/series/ lists them.") % {"code": repr(code)}
        )
    return series


SERIES_CODE = OpenApiParameter(
    "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Code of the series"
)


@extend_schema_view(
    list=extend_schema(summary="Series published per economy, their releases and indicators"),
    retrieve=extend_schema(
        summary="One series by its code, its releases and indicators", parameters=[SERIES_CODE]
    ),
)
class SeriesViewSet(ReadOnlyViewSet):
    serializer_class = StatisticsSeriesSerializer
    lookup_field = "code"
    csv_actions = ("list", "countries")

    def get_queryset(self):
        releases = Release.objects.order_by("-is_leading", "-released_on", "pk")
        return Series.objects.prefetch_related(
            Prefetch("releases", queryset=releases), visible_indicators(self.request)
        )

    def get_object(self):
        return series_or_404(self.get_queryset(), self.kwargs[self.lookup_field])

    @extend_schema(
        summary="One series for every Member State in one year: what a map draws",
        description="Each Member State's figure (totals; the leading release's, or the newest "
        "other release's where it has none), in one answer without pages. Without `year`, the "
        "latest year with at least four fifths of the fullest year's countries.",
        parameters=[
            SERIES_CODE,
            OpenApiParameter(
                "year", OpenApiTypes.INT, description="The year (default: the fullest recent one)"
            ),
            OpenApiParameter(
                "format", OpenApiTypes.STR, enum=["json", "csv"], description="json or csv"
            ),
        ],
        responses=SeriesMapSerializer,
    )
    @action(detail=True, url_path="countries", pagination_class=None)
    def countries(self, request, code=None):
        series = series_or_404(Series.objects.all(), code)  # its releases are not needed
        years = map_years(series)
        year = map_year(years, request.query_params.get("year"))
        figures = map_figures(series, year) if year is not None else []
        regions = dict(Geography.objects.regions().values_list("pk", "code"))
        rows = [
            map_row(statistic, regions)
            for statistic in figures
            if statistic.geography.is_member_state
        ]
        return Response(
            {
                "series": series.code,
                "name": series.name,
                "unit": series.unit,
                "year": year,
                "years": {str(year): count for year, count in years.items()},
                "countries_with_data": len(rows),
                "results": rows,
            }
        )


@extend_schema_view(
    list=extend_schema(
        summary="Per-economy statistics, with their breakdowns and releases",
        description="Per-economy statistics are here, at /api/v1/statistics/: each figure as "
        "published: geography, series, year, breakdown (sex, age, "
        "area; _T for the total), value, estimate flag, coverage (the portal's aggregates) and "
        "the release cited. Several releases may carry the same figure; `chosen=true` keeps "
        "the one each geography-year shows. The plan's own figures are at "
        "/api/v1/observations/.",
    )
)
class StatisticViewSet(mixins.ListModelMixin, PortalViewSet):
    # ordered by the country index (statistic_country_idx), then the breakdown
    queryset = (
        Statistic.objects.annotate(
            geography_code=F("geography__code"), series_code=F("release__series__code")
        )
        .select_related("release")
        .order_by("geography_id", "release_id", "year", "sex", "age", "area")
    )
    serializer_class = StatisticSerializer

    filterset_class = StatisticFilter
