from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("itu_rbm.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Public pages and the staff workspace carry the language in the address (/en/, /zh-hans/…);
# "/" redirects to the visitor's language.
urlpatterns += i18n_patterns(
    path("workspace/", include("indicators.workspace_urls")),
    path("", include("frameworks.urls")),
)
