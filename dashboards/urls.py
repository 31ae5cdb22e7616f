from django.urls import path

from . import embeds, views

app_name = "dashboards"

# Stable addresses that people share; the language prefix (/en/, /zh-hans/…) comes from
# itu_rbm/urls.py. get_absolute_url uses plan, goal, target and risks.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("method/", views.method, name="method"),
    path("countries/", views.countries, name="countries"),
    path("plans/<str:plan>/", views.plan, name="plan"),
    path("plans/<str:plan>/download.<str:fmt>", views.plan_download, name="plan_download"),
    path("plans/<str:plan>/goals/<int:number>/", views.goal, name="goal"),
    path("plans/<str:plan>/targets/<str:code>/", views.target, name="target"),
    path(
        "plans/<str:plan>/targets/<str:code>/download.<str:fmt>",
        views.downloads,
        name="downloads",
    ),
    path("plans/<str:plan>/indicators/<str:code>/", views.indicator, name="indicator"),
    path(
        "plans/<str:plan>/indicators/<str:code>/download.<str:fmt>",
        views.indicator_download,
        name="indicator-download",
    ),
    path("plans/<str:plan>/objectives/", views.objectives, name="objectives"),
    path("plans/<str:plan>/risks/", views.risks, name="risks"),
    path("plans/<str:plan>/linkages/", views.linkages, name="linkages"),
    path("plans/<str:plan>/about/", views.about, name="about"),
    path("countries/<str:code>/", views.country, name="country"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path(
        "countries/<str:code>/download.<str:fmt>",
        views.country_download,
        name="country_download",
    ),
]

# Each chart alone, for other sites to frame, and its pictures: the page's address under embed/,
# then the chart's id (dashboards/embeds.py), e.g. embed/plans/2020-2023/targets/1.2/chart-1-2-
# internet-use/ and …/chart-1-2-internet-use.svg. Names: embed-<page> and embed-<page>-image.
urlpatterns += [
    pattern
    for name, page in embeds.PAGES.items()
    for pattern in (
        path(f"embed/{page.address}<slug:chart>/", embeds.FRAME_VIEWS[name], name=f"embed-{name}"),
        path(
            f"embed/{page.address}<slug:chart>.<str:fmt>",
            embeds.IMAGE_VIEWS[name],
            name=f"embed-{name}-image",
        ),
    )
]
