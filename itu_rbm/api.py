"""What every API endpoint shares: pagination, language selection, error format."""

import orjson
from django.conf import settings
from django.http import Http404
from django.utils import translation
from rest_framework import exceptions, renderers
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """DRF's handler, with every error as {"detail": ...} and nothing internal leaked."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    return drf_exception_handler(exc, context)


def request_language(request) -> str:
    """The language asked for by `?lang=`, else by Accept-Language, else the default.

    An unknown `?lang=` is an error rather than a silent default, so that a tool notices a typo.
    """
    supported = dict(settings.LANGUAGES)
    asked = request.query_params.get("lang") if hasattr(request, "query_params") else None
    if asked:
        asked = asked.strip().lower()
        if asked == "zh":  # the common short form
            asked = "zh-hans"
        if asked not in supported:
            raise exceptions.ValidationError(
                {"lang": [f"Unknown language {asked!r}; use one of {', '.join(supported)}."]}
            )
        return asked
    return translation.get_language_from_request(
        request._request if hasattr(request, "_request") else request
    )


class ORJSONRenderer(renderers.JSONRenderer):
    """Large read-only documents (the tree) render several times faster with orjson."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=str)
