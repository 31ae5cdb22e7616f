from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (/api/v1/) and its OpenAPI description."""

    name = "api"
    verbose_name = "REST API"

    def ready(self):
        from . import schema  # noqa: F401 - registers the token scheme of the OpenAPI description
