"""Every answer under /api/ that is an error is JSON, {"detail": ...}, whatever raised it: DRF's
own errors already are (api.base.exception_handler); this middleware covers what happens outside
DRF's views or escapes them — a body over DATA_UPLOAD_MAX_MEMORY_SIZE (413), a malformed request
Django refuses (400), an unexpected exception (500, with an id to quote, logged with its
traceback under that id, and no detail of it in the answer), and the error pages of views that
are not DRF's. Public pages keep their HTML error pages.
"""

import logging
import secrets

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger("api.errors")

PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(PREFIX)


def error_response(status: int, detail: str, **extra) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


def server_error(request, exception: BaseException | None) -> JsonResponse:
    """A 500 with an id: the log holds the traceback under it, the client only the id."""
    error_id = secrets.token_hex(8)
    logger.error(
        "API server error %s: %s %s",
        error_id,
        request.method,
        request.path,
        exc_info=(type(exception), exception, exception.__traceback__) if exception else None,
    )
    return error_response(
        500,
        _("Server error. Quote this id when reporting it: %(id)s") % {"id": error_id},
        error_id=error_id,
    )


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().endswith("json")


class APIErrorsMiddleware:
    """JSON errors under /api/ (see the module's docstring). Placed near the top of MIDDLEWARE, so
    that it also sees the error pages that Django made of exceptions in later middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400 or _is_json(response):
            return response
        if response.status_code >= 500:
            # Django logged the traceback ("Internal Server Error: …"); this id names that entry
            return server_error(request, None)
        return error_response(response.status_code, response.reason_phrase)

    def process_exception(self, request, exception):
        if not is_api(request):
            return None
        if isinstance(exception, RequestDataTooBig):
            return error_response(413, _("The body is too large."))
        if isinstance(exception, (SuspiciousOperation, BadRequest)):
            return error_response(400, _("Malformed request."))
        if isinstance(exception, PermissionDenied):
            return error_response(403, _("You do not have permission to perform this action."))
        if isinstance(exception, Http404):
            return error_response(404, _("Not found."))
        return server_error(request, exception)
