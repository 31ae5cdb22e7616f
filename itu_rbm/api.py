"""What every API endpoint shares: language, formats (JSON and CSV), pagination, errors, the
caching of public reads, the throttling of reports and the OpenAPI description.

Caching of public reads
-----------------------
A read without credentials (no Authorization header, no session cookie) gets the same answer for
everybody, so its rendered body is kept in the "api" cache under a key made of the *content
stamp*, the address, the language and the accepted format. The content stamp is the time of the
last change recorded by django-simple-history in the plan's, the indicators' and the figures'
history tables (every save and delete, the bulk imports too, whichever process made them), read
in one query and remembered by each process for API_STAMP_SECONDS. A write therefore changes the
key of every cached answer: at once in the process that made it (the receivers at the bottom of
this module call `content_changed()`, which only forgets cached data and never writes), and
within API_STAMP_SECONDS in the other processes. The ETag is a hash of the body (or the view's
own ETag, e.g. an observation's version), so it is always right for the bytes it describes, and a
matching If-None-Match is answered 304 from the cache without building the body.

Tables without history (sectors, data sources, geographies, SDG and WSIS names) change only
through the loaders and the admin; such a change empties the cache of its own process at once and
reaches the other processes' cached bodies when they expire (API cache TIMEOUT). A bulk
QuerySet.update() would bypass both the history and the signals; the portal does not use one on
these tables.

A request with `Cache-Control: no-cache` rebuilds its answer (bench/api.py measures the cold
path that way).
"""

import csv
import functools
import hashlib
import io
import time
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import NamedTuple

import orjson
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, renderers, serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .prepared import prepared_rows

CONTENT_APPS = ("frameworks", "indicators", "risks")
"""The apps whose tables make the API's content: a write to any of them changes the stamp."""

MAX_CACHED_BODY = 4 * 1024 * 1024
"""Larger bodies are served but not kept (a 500-row page is well under this)."""


class Paginator(DjangoPaginator):
    """Django's paginator, which does not count the rows when the first page has room left:
    that page already says how many there are (most lists of one plan fit in one page, and the
    count was one query of three). Other pages are counted first, as Django does, so that a
    page beyond the last is refused before any offset reaches the database."""

    def page(self, number):
        if str(number) != "1" or "count" in self.__dict__:
            return super().page(number)
        rows = list(self.object_list[: self.per_page + self.orphans + 1])
        if not rows and not self.allow_empty_first_page:
            return super().page(number)  # its own error
        if len(rows) > self.per_page + self.orphans:
            rows = rows[: self.per_page]  # more pages follow: `count` queries when read
        else:
            self.count = len(rows)  # sets the cached property
        return self._get_page(rows, 1, self)


class Pagination(PageNumberPagination):
    django_paginator_class = Paginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class Ordering(filters.OrderingFilter):
    """An ordering whitelist (FilterSet field "ordering"). The model's own ordering, then the
    primary key, break ties, so that pages never overlap or skip rows."""

    def filter(self, qs, value):
        terms = [self.get_ordering_value(param) for param in value or () if param]
        if not terms:
            return qs
        return qs.order_by(*terms, *qs.model._meta.ordering, "pk")


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend, which leaves the queryset alone when the request names none of
    the endpoint's filters: building and validating an empty FilterSet form cost about 1 ms of
    a 12 ms list, and filters nothing. A parameter named like a filter or a filter's suffixed
    form (`year_min` for a range filter `year`) runs the FilterSet as before."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = filterset_class.base_filters
        if not any(
            param in names or param.rsplit("_", 1)[0] in names for param in request.query_params
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


def exception_handler(exc, context):
    """DRF's handler (errors as {"detail": ...}, or messages per field), with Django's Http404 as
    a JSON 404 too; nothing internal leaks."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    return drf_exception_handler(exc, context)


def request_language(request) -> str:
    """The language asked for by `?lang=`, else by Accept-Language, else the default.

    An unknown `?lang=` is an error rather than a silent default, so that a tool notices a typo.
    Accepts a DRF request or a plain Django one.
    """
    supported = dict(settings.LANGUAGES)
    params = getattr(request, "query_params", None)
    asked = (params if params is not None else request.GET).get("lang")
    if asked:
        asked = asked.strip().lower()
        if asked == "zh":  # the common short form
            asked = "zh-hans"
        if asked not in supported:
            raise exceptions.ValidationError(
                {"lang": [f"Unknown language {asked!r}; use one of {', '.join(supported)}."]}
            )
        return asked
    return translation.get_language_from_request(getattr(request, "_request", request))


# --- formats ------------------------------------------------------------------------------------


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)  # a number for the tools that read the API, not a string
    if isinstance(value, Promise):
        return str(value)  # lazy translations
    return str(value)


class ORJSONRenderer(renderers.JSONRenderer):
    """Large read-only documents (the tree) render several times faster with orjson."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_json_default)


def flatten(value, prefix: str = "") -> dict[str, str]:
    """One CSV row from a JSON-ready value: nested objects become dotted columns ("assessment.
    status"), lists of plain values are joined with "; ", lists of objects are kept as JSON."""
    if isinstance(value, dict):
        row = {}
        for key, item in value.items():
            row.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return row
    return {prefix or "value": _cell(value)}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 65.000000 -> 65, 0.980000 -> 0.98
    if isinstance(value, (list, tuple)):
        if all(not isinstance(item, (dict, list, tuple)) for item in value):
            return "; ".join(_cell(item) for item in value)
        return orjson.dumps(value, default=_json_default).decode()
    return str(value)


class CSVRenderer(renderers.BaseRenderer):
    """Collections as CSV: one row per item (the current page), a header row of every column."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows = data.get("results", data) if isinstance(data, dict) else data
        if isinstance(rows, dict):
            rows = [rows]
        flat = [flatten(row) for row in rows]
        columns = list(dict.fromkeys(column for row in flat for column in row))
        if not columns:  # an empty page still names its columns (and is never an empty body)
            columns = self._serializer_fields(renderer_context) or ["value"]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(flat)
        return buffer.getvalue().encode("utf-8")

    @staticmethod
    def _serializer_fields(renderer_context) -> list[str]:
        view = (renderer_context or {}).get("view")
        if view is None or not hasattr(view, "get_serializer_class"):
            return []
        return list(view.get_serializer_class()().fields)


# --- content stamp and the cache of public reads -----------------------------------------------


class Stamp(NamedTuple):
    token: str
    modified: datetime | None
    timestamp: int | None  # of `modified`, for conditional requests
    last_modified: str | None  # the Last-Modified header


_stamp_memo: dict[str, tuple[Stamp, float]] = {}  # "stamp": (stamp, when it was read)


@functools.cache
def _history_tables() -> tuple[str, ...]:
    tables = []
    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager and model._meta.app_label in CONTENT_APPS:
            tables.append(getattr(model, manager).model._meta.db_table)
    return tuple(sorted(tables))


def _as_datetime(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))  # SQLite returns text
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def read_content_stamp() -> Stamp:
    """The time of the last recorded change to the API's content: one query, one index lookup
    per history table."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT MAX({quote('history_date')}) FROM {quote(table)}" for table in _history_tables()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        dates = [_as_datetime(row[0]) for row in cursor.fetchall()]
    dates = [date for date in dates if date is not None]
    modified = max(dates) if dates else None
    if modified is None:
        return Stamp("empty", None, None, None)
    timestamp = int(modified.timestamp())
    return Stamp(modified.isoformat(), modified, timestamp, http_date(timestamp))


def content_stamp() -> Stamp:
    """The content stamp, read at most once per API_STAMP_SECONDS by this process."""
    now = time.monotonic()
    remembered = _stamp_memo.get("stamp")
    if remembered is not None and now - remembered[1] < settings.API_STAMP_SECONDS:
        return remembered[0]
    stamp = read_content_stamp()
    _stamp_memo["stamp"] = (stamp, now)
    return stamp


def content_changed() -> None:
    """Forget this process's content stamp and cached answers: called after every write to the
    plan, its indicators or figures. It writes nothing, so it cascades nothing."""
    _stamp_memo.clear()
    caches["api"].clear()


class _Entry(NamedTuple):
    content: bytes
    headers: dict[str, str]
    etag: str


def _carries_credentials(request) -> bool:
    return "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES


def _asks_fresh(request) -> bool:
    """`Cache-Control: no-cache` (or `Pragma: no-cache`): rebuild the body, as HTTP intends."""
    asked = request.headers.get("Cache-Control", "") + request.headers.get("Pragma", "")
    return "no-cache" in asked


def _cache_key(request, language: str, stamp: Stamp) -> str:
    # the host and scheme too: bodies hold absolute addresses (the pages' next and previous)
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    raw = "\n".join((stamp.token, language, address, request.headers.get("Accept", "")))
    return "api:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def body_etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


# Accept-Encoding: GZipMiddleware names it on the bodies it may compress, not on a 304
PUBLIC_VARY = ("Accept", "Accept-Language", "Accept-Encoding", "Authorization", "Cookie")


def _vary(existing: str) -> str:
    """The Vary header of a public answer: the view's, and what the cache key depends on."""
    names = [name.strip() for name in existing.split(",") if name.strip()]
    known = {name.lower() for name in names}
    return ", ".join(names + [name for name in PUBLIC_VARY if name.lower() not in known])


def _public_answer(request, entry: _Entry, stamp: Stamp) -> HttpResponse:
    response = get_conditional_response(request, etag=entry.etag, last_modified=stamp.timestamp)
    if response is None:
        response = HttpResponse(entry.content, headers=entry.headers)
    else:  # a 304 names the language and the variants of what it confirms
        for name in ("Content-Language", "Vary"):
            if name in entry.headers:
                response[name] = entry.headers[name]
    response["ETag"] = entry.etag
    if stamp.last_modified is not None:
        response["Last-Modified"] = stamp.last_modified
    response["Cache-Control"] = f"public, max-age={settings.API_MAX_AGE}"
    return response


def public_cache(view):
    """Serve reads without credentials from the cache of public answers (see the module's
    docstring); mark every other read private."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if _carries_credentials(request):
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = "private, no-store"
            return response
        try:
            language = request_language(request)
        except exceptions.ValidationError:
            return view(request, *args, **kwargs)  # the view answers 400
        stamp = content_stamp()
        key = _cache_key(request, language, stamp)
        cache = caches["api"]
        entry = None if _asks_fresh(request) else cache.get(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if hasattr(response, "render"):
                response.render()
            headers = {
                name: value
                for name, value in response.items()
                if name in ("Content-Type", "Content-Language", "Allow")
            }
            headers["Vary"] = _vary(response.get("Vary", ""))
            entry = _Entry(
                response.content, headers, response.get("ETag") or body_etag(response.content)
            )
            if len(entry.content) <= MAX_CACHED_BODY:
                cache.set(key, entry)
        return _public_answer(request, entry, stamp)

    return cached_view


def _on_content_write(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        content_changed()
        # again once committed: a read between the write and the commit may have re-read the
        # old stamp
        transaction.on_commit(content_changed)


# Cache invalidation only (forgetting, never writing). Connected when the API is first imported,
# which is before anything can have been cached.
for _signal in (post_save, post_delete, m2m_changed):
    _signal.connect(_on_content_write, dispatch_uid=f"api-content-changed-{id(_signal)}")


# --- OpenAPI --------------------------------------------------------------------------------------

ERROR = inline_serializer("Error", {"detail": serializers.CharField()})

FIELD_ERRORS = {
    "type": "object",
    "description": "A list of messages per field (or `detail` for a malformed request).",
    "additionalProperties": {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
    },
}

ERROR_DESCRIPTIONS = {
    "400": _("Invalid parameter or body: a list of messages per field"),
    "401": _("No or invalid credentials (send `Authorization: Token <key>`)"),
    "403": _("The user may not do this"),
    "404": _("No such element, plan, page or format"),
    "406": _("None of the accepted formats can be produced"),
    "412": _("The figure changed since the version the update was based on"),
    "415": _("The body is not JSON"),
    "428": _("An update must say which version it is based on (If-Match or `version`)"),
    "429": _("Too many reports: wait the seconds given by Retry-After"),
}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus what every endpoint shares: the language parameters, the
    conditional-request headers, CSV as a string, and every error response."""

    PATH_PARAMETERS = {
        "plan": (OpenApiTypes.STR, "Code of the plan, e.g. 2020-2023"),
        "code": (OpenApiTypes.STR, "Code of the element: 1.2, R.1, R.1-a, R.1-1, BDT-1, WLD…"),
        "number": (OpenApiTypes.INT, "Number of the goal or risk"),
        "id": (OpenApiTypes.INT, "Identifier of the figure (`id` in its representation)"),
    }

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        parameters += [
            OpenApiParameter(name, kind, location=OpenApiParameter.PATH, description=description)
            for name, (kind, description) in self.PATH_PARAMETERS.items()
            if "{" + name + "}" in self.path
        ]
        parameters += [
            OpenApiParameter(
                "lang",
                OpenApiTypes.STR,
                enum=[code for code, _name in settings.LANGUAGES],
                description="Language of the texts (else Accept-Language, else English); "
                "an empty translation falls back to English, then Chinese.",
            ),
            OpenApiParameter(
                "Accept-Language",
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                description="Used when `lang` is not given.",
            ),
        ]
        if self.method == "GET":
            parameters += [
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    description="An ETag received before: answered 304 if still current.",
                ),
                OpenApiParameter(
                    "ETag", OpenApiTypes.STR, location=OpenApiParameter.HEADER, response=[200]
                ),
                OpenApiParameter(
                    "Cache-Control",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    response=[200],
                    description="`public, max-age=60` without credentials; `private, no-store` "
                    "with them.",
                ),
            ]
        if self.method == "PATCH":
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    description="The ETag of the version the change is based on "
                    "(or send `version` in the body).",
                )
            )
        return parameters

    def _error_codes(self) -> list[str]:
        codes = ["400", "401"]
        if self.method == "GET":
            codes += ["404", "406"]
            if not isinstance(self.view, PingView):
                codes.append("304")
        elif self.method == "POST":
            codes += ["403", "415", "429"]
        elif self.method == "PATCH":
            codes += ["403", "404", "412", "415", "428", "429"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for response in responses.values():
            content = response.get("content", {})
            if "text/csv" in content:
                content["text/csv"] = {"schema": {"type": "string", "description": "CSV"}}
        for code in self._error_codes():
            if code in responses:
                continue
            if code == "304":
                responses[code] = {"description": "Not modified: the ETag sent is current"}
            elif code == "400":
                responses[code] = self._get_response_for_code(
                    FIELD_ERRORS, code, ["application/json"]
                )
                responses[code]["description"] = str(ERROR_DESCRIPTIONS[code])
            else:
                responses[code] = self._get_response_for_code(ERROR, code, ["application/json"])
                responses[code]["description"] = str(ERROR_DESCRIPTIONS[code])
        return dict(sorted(responses.items()))


def without_plan_order(queryset):
    """The model's own ordering without its leading `plan`: rows of one plan need not join the
    plans table to be sorted by it (a join and its planning on every list)."""
    return queryset.order_by(*(term for term in queryset.model._meta.ordering if term != "plan"))


# --- related elements by their codes ------------------------------------------------------------


def attach_codes(objects: list, relations: tuple[str, ...]) -> None:
    """Give each object a `<relation>_codes` list: the codes of its related elements, in their
    model's order. One `.values_list()` query per relation, whatever the number of objects
    (prefetch_related would build a model instance, and a queryset, per related row), compiled
    once per page length (itu_rbm.prepared)."""
    if not objects or not relations:
        return
    ids = [obj.pk for obj in objects]
    model = type(objects[0])
    for relation in relations:
        codes = defaultdict(list)
        for owner, code in prepared_rows(
            (model, relation), _related_codes(model, relation), ids=ids
        ):
            codes[owner].append(code)
        for obj in objects:
            setattr(obj, f"{relation}_codes", codes.get(obj.pk, []))


@functools.cache
def _related_codes(model, relation: str):
    """The query of attach_codes for one relation: (owner id, code) of the related rows."""
    field = model._meta.get_field(relation)
    # the lookup from the related model back to the owners
    back = field.field.name if field.auto_created else field.related_query_name()
    related = field.related_model
    # the related model's order within one owner: terms through the owner are the same for all
    # of its codes, and would only add joins
    order = [
        term
        for term in related._meta.ordering
        if term != "plan" and term.lstrip("-").split("__")[0] != back
    ]

    def build(ids):
        rows = QuerySet(related).filter(**{f"{back}__in": ids}).order_by(*order)
        return rows.values_list(back, "code")

    return build


class CodeList(serializers.ListField):
    """The codes of related elements, as attached by the view (`code_lists`, attach_codes); read
    from the relation itself when a view did not attach them."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), read_only=True, **kwargs)

    def get_attribute(self, instance):
        codes = getattr(instance, f"{self.field_name}_codes", None)
        if codes is None:
            codes = [related.code for related in getattr(instance, self.field_name).all()]
        return codes


# --- views ---------------------------------------------------------------------------------------


class PortalViewSet(viewsets.GenericViewSet):
    """What every API view does: the language of `?lang=` or Accept-Language for the whole
    request, JSON (CSV too on collections), errors always as JSON, public reads cached."""

    renderer_classes = [ORJSONRenderer, CSVRenderer]
    parser_classes = [JSONParser]
    filter_backends = [FilterBackend]
    pagination_class = Pagination
    lookup_value_regex = r"[^/]+"  # codes such as 1.2 and R.1-a contain dots
    csv_actions = ("list",)
    code_lists: tuple[str, ...] = ()
    """Relations shown as lists of codes (serializer fields of type CodeList)."""

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return public_cache(super().as_view(actions, **initkwargs))

    def get_renderers(self):
        renderers_ = super().get_renderers()
        if self.action in self.csv_actions:
            return renderers_
        return [renderer for renderer in renderers_ if not isinstance(renderer, CSVRenderer)]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.language = request_language(request)
        self._previous_language = translation.get_language()
        translation.activate(self.language)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        attach_codes(page or [], self.code_lists)
        return page

    def get_object(self):
        obj = super().get_object()
        attach_codes([obj], self.code_lists)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = ORJSONRenderer()  # errors are JSON, whatever was asked
            response.accepted_media_type = ORJSONRenderer.media_type
        if getattr(self, "language", None):
            response["Content-Language"] = self.language
            translation.activate(self._previous_language)
        return response


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    """A read-only collection with detail views."""


class PingView(APIView):
    """A constant answer through the whole stack (middleware, DRF): a liveness check, and the
    floor the benchmarks compare every endpoint with."""

    permission_classes = [AllowAny]
    renderer_classes = [ORJSONRenderer]

    @extend_schema(
        summary="Liveness check with a constant answer",
        responses=inline_serializer("Ping", {"status": serializers.CharField()}),
    )
    def get(self, request):
        return Response({"status": "ok"})


# --- writes ---------------------------------------------------------------------------------------


class ReportThrottle(ScopedRateThrottle):
    """Reports per user (one token per user) at the "reports" rate, read from the settings at each
    request so that operators and tests can change it."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
