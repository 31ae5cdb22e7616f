from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dashboards.views import switch_language
from itu_rbm import health

urlpatterns = [
    # probes for the proxy and the orchestrator, outside the language prefix (no redirect)
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    # the OpenAPI 3 schema, and Swagger UI from the sidecar's files (no CDN; its script is a
    # separate request, so a strict Content-Security-Policy works)
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/setlang/", switch_language, name="set_language"),
]

# Public pages and the staff workspace carry the language in the address (/en/, /zh-hans/…);
# "/" redirects to the visitor's language.
urlpatterns += i18n_patterns(
    path("workspace/notifications/", include("notifications.urls")),
    path("workspace/reports/", include("reports.urls")),
    path("workspace/", include("workspace.urls")),
    path("open-data/", include("opendata.urls")),
    path("", include("dashboards.urls")),
)
