from django.urls import path

from . import datapackage, views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("datapackage.zip", datapackage.download, name="datapackage"),
]
