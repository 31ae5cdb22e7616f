"""The secretariat's workspace (issue 6), mounted at /<lang>/workspace/ by itu_rbm/urls.py."""

from django.urls import path

from . import delivery_views, evidence_views, plan_views
from . import views as figure_views

app_name = "workspace"

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("review/", figure_views.review, name="review"),
    path("figures/", figure_views.figures, name="figures"),
    path("figures/new/", figure_views.report, name="report"),
    path("figures/<int:pk>/", figure_views.revise, name="revise"),
    # evidence and discussion, one view for each kind of reported item (nginx lets larger
    # bodies through to these addresses: deploy/nginx/portal.conf)
    path(
        "figures/<int:pk>/discussion/",
        evidence_views.discussion,
        {"kind": "figure"},
        name="discussion",
    ),
    path(
        "delivery/<int:pk>/discussion/",
        evidence_views.discussion,
        {"kind": "delivery"},
        name="delivery_discussion",
    ),
    path("evidence/<int:pk>/", evidence_views.download, name="evidence"),
    path("delivery/", delivery_views.deliveries, name="deliveries"),
    path("delivery/new/", delivery_views.record, name="delivery_record"),
    path("delivery/<int:pk>/", delivery_views.revise, name="delivery_revise"),
    path("history/", plan_views.history, name="history"),
    path("compare/<str:plan_a>/<str:plan_b>/", plan_views.compare, name="compare"),
]
