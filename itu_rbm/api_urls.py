from django.urls import path

from frameworks import api as frameworks_api

urlpatterns = [
    path("plans/<str:plan>/tree/", frameworks_api.plan_tree, name="api-plan-tree"),
]
