"""The staff's reports, mounted at /<lang>/workspace/reports/ by itu_rbm/urls.py."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.build, name="build"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/download/", views.download, name="download"),
]
