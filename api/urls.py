"""/api/v1/: every element of a plan under the plan's code; indicators, geographies, figures and
progress as collections with filters. The OpenAPI schema (/api/schema/) describes each address."""

from django.http import JsonResponse
from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import countries, figures, plans
from .base import PingView, RootViewSet

PLAN = r"plans/(?P<plan>[^/]+)"

router = SimpleRouter()
router.register("plans", plans.PlanViewSet, basename="api-plan")
router.register(f"{PLAN}/goals", plans.GoalViewSet, basename="api-goal")
router.register(f"{PLAN}/targets", plans.TargetViewSet, basename="api-target")
router.register(f"{PLAN}/objectives", plans.ObjectiveViewSet, basename="api-objective")
router.register(f"{PLAN}/outcomes", plans.OutcomeViewSet, basename="api-outcome")
router.register(f"{PLAN}/outputs", plans.OutputViewSet, basename="api-output")
router.register(f"{PLAN}/enablers", plans.EnablerViewSet, basename="api-enabler")
router.register(f"{PLAN}/risks", plans.RiskViewSet, basename="api-risk")
router.register(f"{PLAN}/indicators", figures.IndicatorViewSet, basename="api-indicator")
router.register(f"{PLAN}/progress", figures.PlanProgressViewSet, basename="api-plan-progress")
router.register("geographies", figures.GeographyViewSet, basename="api-geography")
router.register("observations", figures.ObservationViewSet, basename="api-observation")
router.register("progress", figures.ProgressViewSet, basename="api-progress")
router.register("countries", countries.CountryViewSet, basename="api-country")
router.register("series", countries.SeriesViewSet, basename="api-series")
router.register("statistics", countries.StatisticViewSet, basename="api-statistic")


def not_found(request, rest=""):
    """Unknown API addresses answer JSON too, like every other API error."""
    if rest and not rest.endswith("/"):
        detail = f"Not found: /api/v1/{rest}. API addresses end with a slash."
    else:
        detail = f"Not found: /api/v1/{rest}. The API's root, /api/v1/, lists its addresses."
    return JsonResponse({"detail": detail}, status=404)


urlpatterns = [
    path("", RootViewSet.as_view({"get": "root"}), name="api-root"),
    path("ping/", PingView.as_view(), name="api-ping"),
    path(
        "indicators/",
        figures.IndicatorViewSet.as_view({"get": "list"}),
        name="api-indicators",
    ),
    path(
        "plans/<str:plan>/targets/<str:code>/progress/",
        figures.TargetProgressViewSet.as_view({"get": "retrieve"}),
        name="api-target-progress",
    ),
    *router.urls,
    re_path(r"^(?P<rest>.*)$", not_found),
]
