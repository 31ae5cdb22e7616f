from django.urls import path

from . import sdmx, views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    *sdmx.urlpatterns,
]
