"""/api/v1/: every element of a plan under the plan's code; indicators, geographies, figures and
progress as collections with filters. The OpenAPI schema (/api/schema/) describes each address."""

from django.http import JsonResponse
from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from frameworks import api as frameworks_api
from indicators import api as indicators_api

from .api import PingView

PLAN = r"plans/(?P<plan>[^/]+)"

router = SimpleRouter()
router.register("plans", frameworks_api.PlanViewSet, basename="api-plan")
router.register(f"{PLAN}/goals", frameworks_api.GoalViewSet, basename="api-goal")
router.register(f"{PLAN}/targets", frameworks_api.TargetViewSet, basename="api-target")
router.register(f"{PLAN}/objectives", frameworks_api.ObjectiveViewSet, basename="api-objective")
router.register(f"{PLAN}/outcomes", frameworks_api.OutcomeViewSet, basename="api-outcome")
router.register(f"{PLAN}/outputs", frameworks_api.OutputViewSet, basename="api-output")
router.register(f"{PLAN}/enablers", frameworks_api.EnablerViewSet, basename="api-enabler")
router.register(f"{PLAN}/risks", frameworks_api.RiskViewSet, basename="api-risk")
router.register(f"{PLAN}/indicators", indicators_api.IndicatorViewSet, basename="api-indicator")
router.register(
    f"{PLAN}/progress", indicators_api.PlanProgressViewSet, basename="api-plan-progress"
)
router.register("geographies", indicators_api.GeographyViewSet, basename="api-geography")
router.register("observations", indicators_api.ObservationViewSet, basename="api-observation")
router.register("progress", indicators_api.ProgressViewSet, basename="api-progress")


def not_found(request, rest=""):
    """Unknown API addresses answer JSON too, like every other API error."""
    return JsonResponse({"detail": "Not found. API addresses end with a slash."}, status=404)


urlpatterns = [
    path("ping/", PingView.as_view(), name="api-ping"),
    path(
        "indicators/",
        indicators_api.IndicatorViewSet.as_view({"get": "list"}),
        name="api-indicators",
    ),
    path(
        "plans/<str:plan>/targets/<str:code>/progress/",
        indicators_api.TargetProgressViewSet.as_view({"get": "retrieve"}),
        name="api-target-progress",
    ),
    *router.urls,
    re_path(r"^(?P<rest>.*)$", not_found),
]
