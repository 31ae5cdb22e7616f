from django.urls import path

from . import catalogue, datapackage, opensdg, sdmx, views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("datapackage.zip", datapackage.download, name="datapackage"),
    path("catalogue.jsonld", catalogue.catalogue, {"fmt": "jsonld"}, name="catalogue-jsonld"),
    path("catalogue.ttl", catalogue.catalogue, {"fmt": "ttl"}, name="catalogue-ttl"),
    *sdmx.urlpatterns,
    *opensdg.urlpatterns,
]
