"""Indicators, geographies, figures and progress in the API, and the reporting of figures.

Reads are public (approved figures of published plans); anyone with a role sees every review
status and the draft plans. Reporters (and administrators) POST figures, which enter as
*submitted*, and PATCH their own figures until they are approved; each change names the version
it is based on, and a stale one is refused (412).
"""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from frameworks import roles
from frameworks.i18n import first_text
from frameworks.models import DataSource, Outcome, Sector, StrategicPlan, Target
from indicators import services
from indicators.models import Geography, Indicator, Observation
from indicators.status import (
    TargetProgress,
    approved_rows,
    figure_of,
    indicator_series,
    no_indicator_judgement,
    plan_progress,
)

from . import idempotency
from .base import (
    ERROR,
    ERROR_DESCRIPTIONS,
    PortalViewSet,
    ReadOnlyViewSet,
    ReportThrottle,
    json_ready,
)
from .filters import GeographyFilter, IndicatorFilter, ObservationFilter, ProgressFilter
from .plans import (
    PLAN_KEYS,
    PlanElementViewSet,
    visible_plan_or_404,
)
from .serializers import (
    GeographySerializer,
    IndicatorSerializer,
    ObservationReportSerializer,
    ObservationSerializer,
    TargetProgressSerializer,
    TargetStatusSerializer,
)

# --- indicators and geographies -----------------------------------------------------------------


def code_of(model, field: str) -> Subquery:
    """The code of the related row as a scalar subquery: with eight joined tables PostgreSQL
    spent 16 ms planning each page of indicators; subqueries take it to about 1 ms."""
    return Subquery(model.objects.filter(pk=OuterRef(field)).values("code")[:1])


@extend_schema_view(
    list=extend_schema(summary="Indicators of the plans' targets"),
    retrieve=extend_schema(summary="One indicator of the plan, by its code"),
)
class IndicatorViewSet(PlanElementViewSet):
    """Measurable indicators of the targets, with their unit, direction, baseline and target."""

    # Registered twice: under a plan (list and detail), and as `indicators/` (the indicators of
    # every plan the user may see; a list only, since codes are unique only within a plan).

    queryset = Indicator.objects.annotate(
        plan_code=F("plan__code"),  # joined anyway: the default order is by plan and target
        target_code=F("target__code"),
        outcome_code=code_of(Outcome, "outcome_id"),
        sector_code=code_of(Sector, "sector_id"),
        headline_geography_code=code_of(Geography, "headline_geography_id"),
        data_source_code=code_of(DataSource, "data_source_id"),
    )
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        if "plan" in self.kwargs:
            return super().get_queryset()
        return self.queryset.filter(plan__in=StrategicPlan.objects.visible_to(self.request.user))


@extend_schema_view(
    list=extend_schema(summary="Geographies: the world, groups, ITU regions, countries"),
    retrieve=extend_schema(summary="One geography, by its code (WLD, LDC, ITU-AFR, KEN)"),
)
class GeographyViewSet(ReadOnlyViewSet):
    queryset = Geography.objects.all()
    code_lists = ("members",)
    serializer_class = GeographySerializer
    filterset_class = GeographyFilter
    lookup_field = "code"


# --- figures ------------------------------------------------------------------------------------


class ReportsFigures(BasePermission):
    """Reads for everyone; writes for reporters and administrators (the indicator's sector is
    checked once the indicator is known, by ObservationReportSerializer). A figure is changed
    here by its reporter only, until it is approved (frameworks.roles.revise_refusal): the API is
    the reporters' tool, and an administrator corrects someone else's figure in the admin."""

    message = gettext_lazy("Only reporters and administrators may report figures.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return bool(
            request.user
            and request.user.is_authenticated
            and roles.has_role(request.user, roles.Role.REPORTER)
        )

    def has_object_permission(self, request, view, observation):
        if request.method in SAFE_METHODS:
            return True
        refusal = roles.revise_refusal(request.user, observation, reporter_only=True)
        if refusal is not None:
            self.message = refusal  # this instance serves this request only
        return refusal is None


def version_etag(observation: Observation) -> str:
    """An observation's ETag is its version: what an update must be based on."""
    return f'"{observation.version}"'


def check_version(request, observation: Observation) -> None:
    """The change must name the version it is based on (If-Match, or `version` in the body)."""
    if_match = request.headers.get("If-Match")
    version = request.data.get("version") if isinstance(request.data, dict) else None
    if if_match is None and version is None:
        raise PreconditionRequired()
    if if_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
        if "*" not in tags and version_etag(observation) not in tags:
            raise PreconditionFailed()
    if version is not None:
        if isinstance(version, bool) or not isinstance(version, (int, str)):
            raise exceptions.ValidationError({"version": [_("A whole number is required.")]})
        try:
            based_on = int(version)
        except ValueError:
            raise exceptions.ValidationError(
                {"version": [_("A whole number is required.")]}
            ) from None
        if based_on != observation.version:
            raise PreconditionFailed()


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "The figure has changed since the version this change is based on; read it again."
    )
    default_code = "stale_version"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = gettext_lazy(
        "Say which version this change is based on: an If-Match header with the figure's ETag, "
        "or `version` in the body."
    )
    default_code = "version_required"


@extend_schema_view(
    list=extend_schema(
        summary="Figures (approved ones only, unless the user has a role)",
        description="The plan's own figures, typed in or reported for its indicators. Filter by "
        "plan, target, indicator, geography (several codes: WLD,LDC), year or year range, "
        "edition and review status. Per-economy statistics (ITU's and other publishers' "
        "figures for each country, with sex, age and area breakdowns) are at "
        "/api/v1/statistics/.",
    ),
    retrieve=extend_schema(summary="One figure; its ETag is its version"),
    create=extend_schema(
        summary="Report a figure (reporters of the indicator's sector, administrators)",
        description="The figure enters as submitted and waits for review. Needs "
        "`Authorization: Token <key>`. Send an `Idempotency-Key` to retry safely.",
        request=ObservationReportSerializer,
        parameters=[
            OpenApiParameter(
                idempotency.HEADER,
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                description="A key of your choice (1 to 255 printable ASCII characters, e.g. "
                "a UUID) naming this report: a retry with the same key and body within 24 hours "
                "is answered what the first request was (status, body, ETag, Location) without "
                "writing again; the same key with another body is refused (422). A retry sent "
                "while the first is being written waits for it; 409 asks to retry shortly. "
                "Only a figure written keeps its key: a refused report can be corrected and "
                "sent again with the same key.",
            ),
            OpenApiParameter(
                "Location",
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                response=[201],
                description="The address of the new figure.",
            ),
        ],
        responses={
            201: ObservationSerializer,
            409: OpenApiResponse(ERROR, description=str(ERROR_DESCRIPTIONS["409"])),
            422: OpenApiResponse(ERROR, description=str(ERROR_DESCRIPTIONS["422"])),
        },
    ),
    partial_update=extend_schema(
        summary="Change one's own figure before it is approved",
        description="Send If-Match with the figure's ETag (or `version`): a change based on an "
        "older version is refused with 412. The figure goes (back) to review.",
        request=ObservationReportSerializer,
        responses={200: ObservationSerializer},
    ),
)
class ObservationViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyViewSet):
    queryset = Observation.objects.annotate(
        plan_code=F("indicator__plan__code"),
        indicator_code=F("indicator__code"),
        target_code=F("indicator__target__code"),
        geography_code=F("geography__code"),
    )
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilter
    permission_classes = [ReportsFigures]
    throttle_scope = "reports"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "partial_update":
            # the sector is read to check the reporter still reports for it
            queryset = queryset.select_related("indicator__sector").select_for_update(of=("self",))
        if roles.is_privileged(self.request.user):
            return queryset
        return queryset.approved().filter(indicator__plan__status=StrategicPlan.Status.PUBLISHED)

    def get_throttles(self):
        if self.request.method in SAFE_METHODS:
            return []
        return [ReportThrottle()]

    def _answer(self, observation, status_code=status.HTTP_200_OK, **headers):
        data = ObservationSerializer(observation, context=self.get_serializer_context()).data
        return Response(
            data, status=status_code, headers={"ETag": version_etag(observation), **headers}
        )

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    def create(self, request, *args, **kwargs):
        return idempotency.once(request, lambda: self._report(request), json_ready)

    def _report(self, request):
        """Report the figure; the answer is built inside the write's transaction from what was
        written: nothing is read after the commit, so a database failing then cannot turn a
        stored figure into an error (which a retry would then find a duplicate)."""
        serializer = ObservationReportSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        with workflow_refusals():
            reported = services.observation_report(
                plan=serializer.validated_data["plan"],
                raw=serializer.figure(),
                user=request.user,
                reason="reported through the API",
            )
        return self._answer(
            as_shown(reported),
            status.HTTP_201_CREATED,
            Location=f"{request.path.rstrip('/')}/{reported.pk}/",
        )

    def partial_update(self, request, *args, **kwargs):
        with transaction.atomic():
            # locked until the change is written; ReportsFigures says whether the user may change it
            observation = self.get_object()
            check_version(request, observation)
            serializer = ObservationReportSerializer(
                observation,
                data=request.data,
                partial=True,
                context=self.get_serializer_context(),
            )
            serializer.is_valid(raise_exception=True)
            with workflow_refusals():
                revised = services.observation_revise(
                    observation=observation,
                    raw=serializer.figure(),
                    user=request.user,
                    based_on_version=observation.version,
                    reason="revised through the API",
                )
            return self._answer(as_shown(revised))  # built before the commit, as create's


def as_shown(observation: Observation) -> Observation:
    """A figure just written, with the codes ObservationViewSet's queryset annotates: read from
    its related rows (loaded with it by indicators.services, else one query each, inside the
    write's transaction)."""
    indicator = observation.indicator
    observation.plan_code = indicator.plan.code
    observation.indicator_code = indicator.code
    observation.target_code = indicator.target.code
    observation.geography_code = observation.geography.code
    return observation


@contextmanager
def workflow_refusals():
    """What indicators.services refuses, as API answers: an invalid figure 400 with a message
    per field, a change based on an older version 412, anything else 403 with the reason."""
    try:
        yield
    except services.InvalidFigure as refusal:
        raise exceptions.ValidationError(refusal.by_field()) from None
    except services.StaleVersion:
        raise PreconditionFailed() from None
    except services.WorkflowError as refusal:
        raise exceptions.PermissionDenied(str(refusal)) from None


# --- progress -----------------------------------------------------------------------------------


def status_row(plan: StrategicPlan, item: TargetProgress) -> dict:
    """A target's status as one flat row (also a CSV line)."""
    indicator, numbers = item.indicator, item.assessment.as_dict()
    # the figure the status counts last (a figure after the target year is not counted)
    latest = figure_of(item.series, numbers["latest_year"])
    geography = indicator.headline_geography if indicator else None
    return {
        "plan": plan.code,
        "goal": item.target.goal_number,
        "target": item.target.code,
        "text": item.target.text,
        "status": numbers["status"],
        "method": numbers["method"],
        "reason": numbers["reason"],
        "indicator": indicator.code if indicator else None,
        "indicator_name": indicator.name if indicator else None,
        "unit": indicator.unit if indicator else None,
        "geography": geography.code if geography else None,
        "geography_name": geography.name if geography else None,
        "base_year": numbers["base_year"],
        "base_value": numbers["base_value"],
        "latest_year": numbers["latest_year"],
        "latest_value": numbers["latest_value"],
        "latest_edition": latest.edition if latest else None,
        "target_value": numbers["target_value"],
        "target_year": numbers["target_year"],
        **verdict_columns(item),
        "fallbacks": row_fallbacks(
            text=(item.target, "text"),
            indicator_name=(indicator, "name"),
            geography_name=(geography, "name"),
        ),
    }


def row_fallbacks(**texts) -> dict[str, str]:
    """The row's texts shown in another language than the active one, as the elements'
    `fallbacks` say it: {column: language of the text given}. No query: the instances carry
    every language's column."""
    active = translation.get_language()
    found = {}
    for column, (instance, field) in texts.items():
        if instance is not None:
            text, language = first_text(instance, field)
            if text and language != active:
                found[column] = language
    return found


def verdict_columns(item: TargetProgress) -> dict:
    """A target's verdict and its numbers, as the flat columns of a progress row."""
    verdict = item.judgement.as_dict()
    point = item.verdict_point
    return {
        "verdict": verdict["verdict"],
        "verdict_reason": verdict["reason"],
        "verdict_year": verdict["year"],
        "verdict_value": verdict["value"],
        "verdict_edition": point.edition if point else None,
        "shortfall": verdict["shortfall"],
        "share_of_way": verdict["share_of_way"],
        "later_year": verdict["later_year"],
        "later_value": verdict["later_value"],
        "reached_later": verdict["reached_later"],
        "projected_value": verdict["projected_value"],
    }


@extend_schema_view(
    list=extend_schema(
        summary="Every target's status and verdict, across the published plans",
        description="One row per target: status, headline indicator and geography, base, "
        "latest and target values, and once the target year has passed the verdict (achieved, "
        "not achieved, no figure for the target year, ...) with its numbers. Three queries per "
        "plan.",
    )
)
class ProgressViewSet(mixins.ListModelMixin, PortalViewSet):
    serializer_class = TargetStatusSerializer
    filterset_class = ProgressFilter

    def get_queryset(self):
        plans = StrategicPlan.objects.visible_to(self.request.user).only(*PLAN_KEYS)
        return plans.order_by("-period_start")

    def get_plans(self) -> list[StrategicPlan]:
        return list(self.filter_queryset(self.get_queryset()))

    def list(self, request, *args, **kwargs):
        rows = [status_row(plan, item) for plan in self.get_plans() for item in plan_progress(plan)]
        for row in rows:  # named in Content-Language (api.base.PortalViewSet)
            self.fallback_languages.update(row["fallbacks"].values())
        # The rows are already what TargetStatusSerializer describes (a test holds them to it):
        # passing them through it again cost an eighth of the request.
        return self.get_paginated_response(self.paginate_queryset(rows))


@extend_schema_view(
    list=extend_schema(
        summary="The plan's targets, their status and verdict",
        description="One row per target: status, headline indicator and geography, base, "
        "latest and target values, and once the target year has passed the verdict with its "
        "numbers (3 queries).",
    )
)
class PlanProgressViewSet(ProgressViewSet):
    filterset_class = None

    def get_plans(self) -> list[StrategicPlan]:
        return [visible_plan_or_404(self.request, self.kwargs["plan"], texts=False)]


def target_progress(plan: StrategicPlan, target: Target) -> dict:
    """Each indicator of the target with its series per geography and every number behind each
    status (3 queries: indicators, approved figures, geographies)."""
    indicators = list(Indicator.objects.filter(target=target).select_related("headline_geography"))
    rows = approved_rows(indicator_ids=[indicator.pk for indicator in indicators])
    geographies = {
        geography.pk: geography
        for geography in Geography.objects.filter(pk__in={row.geography_id for row in rows})
    }
    documents, headline_assessment, headline_judgement = [], None, None
    for indicator in indicators:
        chosen = indicator_series(
            indicator, [row for row in rows if row.indicator_id == indicator.pk], plan, geographies
        )
        assessment = chosen.assessment
        if indicator.is_main:
            headline_assessment, headline_judgement = assessment, chosen.judgement
        documents.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "definition": indicator.definition,
                "unit": indicator.unit,
                "direction": indicator.direction,
                "is_main": indicator.is_main,
                "target_kind": indicator.target_kind,
                "target_value": indicator.target_value,
                "target_year": indicator.target_year,
                "baseline_year": indicator.baseline_year,
                "baseline_value": indicator.baseline_value,
                "headline_geography": indicator.headline_geography.code,
                "assessment": assessment.as_dict(),
                "verdict": chosen.judgement.as_dict(),
                "series": [
                    {
                        "geography": geographies[s.geography_id].code,
                        "geography_name": geographies[s.geography_id].name,
                        "headline": s is chosen.headline,
                        "points": [vars(point) for point in s.points],
                        "superseded": [vars(point) for point in s.superseded],
                        "editions": s.editions,
                        "joins_editions": s.joins_editions,
                        "assessment": s.assessment.as_dict(),
                    }
                    for s in chosen.series
                ],
            }
        )
    if headline_assessment is None:  # no main indicator: "no data" is a status too
        headline_assessment, headline_judgement = no_indicator_judgement(plan)
    return {
        "plan": plan.code,
        "target": target.code,
        "text": target.text,
        "assessment": headline_assessment.as_dict(),
        "verdict": headline_judgement.as_dict(),
        "indicators": documents,
    }


class TargetProgressViewSet(PlanElementViewSet):
    queryset = Target.objects.all()
    serializer_class = TargetProgressSerializer
    filterset_class = None

    @extend_schema(
        summary="A target's indicators, their series per geography and the numbers behind "
        "each status",
        responses={200: TargetProgressSerializer},
    )
    def retrieve(self, request, *args, **kwargs):
        document = target_progress(self.plan, self.get_object())
        return Response(TargetProgressSerializer(document).data)
