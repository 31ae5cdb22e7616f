"""What every API endpoint shares: language, formats (JSON and CSV), pagination, errors, the
throttling of reports and the OpenAPI description. Public reads are cached by itu_rbm.caching.
"""

import csv
import functools
import io
from collections import defaultdict
from decimal import Decimal

import orjson
from django.core.paginator import Paginator as DjangoPaginator
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import (
    exceptions,
    mixins,
    negotiation,
    parsers,
    renderers,
    serializers,
    viewsets,
)
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from frameworks.i18n import LANGUAGES, fallback_languages
from frameworks.models import StrategicPlan
from itu_rbm.caching import public_cache
from itu_rbm.formats import csv_cell, plain_number, spreadsheet_text


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

    def get_page_size(self, request):
        """DRF's, which takes an empty `page` for the first page and falls back to the default
        for a `page_size` that is not a whole number of at least 1: refused instead (404 as any
        invalid page, 400), so that a typo is noticed. Larger than max_page_size is
        max_page_size, as in DRF."""
        if request.query_params.get(self.page_query_param) == "":
            raise exceptions.NotFound(_("Invalid page: give a number, or leave `page` out."))
        asked = request.query_params.get(self.page_size_query_param)
        if asked is not None and not (asked.isascii() and asked.isdigit() and int(asked) >= 1):
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("A whole number of at least 1 is required.")]}
            )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


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
        named = [
            param
            for param in request.query_params
            if param in names or param.rsplit("_", 1)[0] in names
        ]
        if not named:
            return queryset
        # an empty value would filter nothing (django-filter's rule for HTML forms): for a tool,
        # `?status=` is more likely a mistake, and the schema's enums do not allow it
        empty = [param for param in named if not request.query_params.get(param, "").strip()]
        if empty:
            raise exceptions.ValidationError(
                {param: [_("Give a value, or leave the parameter out.")] for param in empty}
            )
        return super().filter_queryset(request, queryset, view)


def exception_handler(exc, context):
    """DRF's handler (errors as {"detail": ...}, or messages per field), with Django's Http404 as
    a JSON 404 too; nothing internal leaks."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    return drf_exception_handler(exc, context)


MAX_JSON_DEPTH = 32
"""Request bodies nest objects and arrays at most this deep (a figure is one level)."""


def json_depth_exceeds(value, limit: int) -> bool:
    """Whether `value` nests lists and dicts more than `limit` levels deep (iterative: a body
    is not trusted with Python's recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a depth limit: a deeply nested body is a 400, not a RecursionError
    in the decoder (a 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None  # deeper than Python's recursion limit
        else:
            if not json_depth_exceeds(data, MAX_JSON_DEPTH):
                return data
        raise exceptions.ParseError(
            _("JSON nested more than %(limit)d levels deep.") % {"limit": MAX_JSON_DEPTH}
        )


def request_language(request) -> str:
    """The language asked for by `?lang=`, else by Accept-Language, else the default.

    An unknown `?lang=` is an error rather than a silent default, so that a tool notices a typo.
    Accepts a DRF request or a plain Django one.
    """
    supported = LANGUAGES
    params = getattr(request, "query_params", None)
    asked = (params if params is not None else request.GET).get("lang")
    if asked is not None:  # `?lang=` too: empty is not a language
        asked = asked.strip().lower()
        if asked == "zh":  # the common short form
            asked = "zh-hans"
        if asked not in supported:
            raise exceptions.ValidationError(
                {"lang": [f"Unknown language {asked!r}; use one of {', '.join(supported)}."]}
            )
        return asked
    return translation.get_language_from_request(getattr(request, "_request", request))


def content_language(language: str, fallbacks) -> str:
    """The Content-Language of an answer: the language asked for, then each language that some
    of its texts fell back to (their translation is empty), in the order of the fallbacks:
    "fr" when every text is in French, "fr, en" when some are in English."""
    others = [code for code in fallback_languages(language) if code in fallbacks]
    return ", ".join([language, *(code for code in others if code != language)])


def cache_variant(request) -> str | None:
    """What tells apart the public answers at one address: the language (`?lang=` or
    Accept-Language) and the accepted format. None for an unknown `?lang=` (the view answers
    400)."""
    try:
        language = request_language(request)
    except exceptions.ValidationError:
        return None
    return f"{language}\n{request.headers.get('Accept', '')}"


# --- formats ------------------------------------------------------------------------------------


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)  # a number for the tools that read the API, not a string
    if isinstance(value, Promise):
        return str(value)  # lazy translations
    return str(value)


def json_ready(data):
    """`data` as plain JSON values, exactly as the API renders it (numbers stay numbers)."""
    return orjson.loads(orjson.dumps(data, default=_json_default))


class ContentNegotiation(negotiation.DefaultContentNegotiation):
    """DRF's, which takes an empty `?format=` for none given: refused as an unknown format is
    (404), since the schema lists the formats."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            format_suffix is None
            and request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) == ""
        ):
            raise exceptions.NotFound(_("Give a format (json or csv), or leave `format` out."))
        return super().select_renderer(request, renderers, format_suffix)


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
    """Numbers as numbers; texts guarded against spreadsheets running them (OWASP's CSV
    injection rule, itu_rbm.formats.csv_cell), a joined list as one text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        if all(not isinstance(item, (dict, list, tuple)) for item in value):
            return spreadsheet_text("; ".join(_plain(item) for item in value))
        return orjson.dumps(value, default=_json_default).decode()
    return csv_cell(value)


def _plain(value) -> str:
    """An item of a list, unguarded: the joined list is guarded as a whole."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain_number(value)
    return "" if value is None else str(value)


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


# --- OpenAPI --------------------------------------------------------------------------------------

ERROR = inline_serializer("Error", {"detail": serializers.CharField()})
SERVER_ERROR = inline_serializer(
    "ServerError",
    {
        "detail": serializers.CharField(),
        "error_id": serializers.CharField(help_text="Quote it when reporting the error."),
    },
)

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
    "409": _("A request with the same Idempotency-Key is in progress: retry shortly"),
    "412": _("The figure changed since the version the update was based on"),
    "413": _("The body is too large"),
    "415": _("The body is not JSON"),
    "422": _("The Idempotency-Key was used for another request"),
    "428": _("An update must say which version it is based on (If-Match or `version`)"),
    "429": _("Too many reports: wait the seconds given by Retry-After"),
    "500": _("Server error, logged under the id given (`error_id`), without details"),
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
                enum=list(LANGUAGES),
                description="Language of the texts (else Accept-Language, else English); "
                "an empty translation falls back to English, then Chinese. The answer says so: "
                "`Content-Language` names the language asked for, then every language some "
                'text fell back to ("fr, en"); each element lists its own in `fallbacks` '
                '({"note": "en"}), the whole plan (`tree`) counts them per language in '
                '`fallbacks` ({"en": 3}).',
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

    def get_auth(self):
        auths = super().get_auth()
        # every read is public (a role only shows more): drf-spectacular says so for DRF's own
        # permission classes, not for the portal's (api.figures.ReportsFigures)
        if self.method == "GET" and {} not in auths:
            auths.append({})
        return auths

    def _error_codes(self) -> list[str]:
        codes = ["400", "401"]
        if self.method == "GET":
            codes += ["404", "406"]
            if not isinstance(self.view, PingView):
                codes.append("304")
        elif self.method == "POST":
            codes += ["403", "413", "415", "429"]
        elif self.method == "PATCH":
            codes += ["403", "404", "412", "413", "415", "428", "429"]
        return [*codes, "500"]

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
                body = SERVER_ERROR if code == "500" else ERROR
                responses[code] = self._get_response_for_code(body, code, ["application/json"])
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
    (prefetch_related would build a model instance, and a queryset, per related row)."""
    if not objects or not relations:
        return
    ids = [obj.pk for obj in objects]
    model = type(objects[0])
    for relation in relations:
        related, back, order = _related_codes(model, relation)
        codes = defaultdict(list)
        rows = related.objects.filter(**{f"{back}__in": ids}).order_by(*order)
        for owner, code in rows.values_list(back, "code"):
            codes[owner].append(code)
        for obj in objects:
            setattr(obj, f"{relation}_codes", codes.get(obj.pk, []))


@functools.cache
def _related_codes(model, relation: str) -> tuple[type, str, list[str]]:
    """What attach_codes reads for one relation: the related model, the lookup from it back to
    the owners, and its order within one owner."""
    field = model._meta.get_field(relation)
    back = field.field.name if field.auto_created else field.related_query_name()
    related = field.related_model
    # terms through the owner are the same for all of one owner's codes, and would only add joins
    order = [
        term
        for term in related._meta.ordering
        if term != "plan" and term.lstrip("-").split("__")[0] != back
    ]
    return related, back, order


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
    content_negotiation_class = ContentNegotiation
    filter_backends = [FilterBackend]
    pagination_class = Pagination
    lookup_value_regex = r"[^/]+"  # codes such as 1.2 and R.1-a contain dots
    csv_actions = ("list",)
    code_lists: tuple[str, ...] = ()
    """Relations shown as lists of codes (serializer fields of type CodeList)."""

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        cached = public_cache(cache_variant, vary=("Accept", "Accept-Language"), tokens=True)
        return cached(super().as_view(actions, **initkwargs))

    def get_renderers(self):
        renderers_ = super().get_renderers()
        if self.action in self.csv_actions:
            return renderers_
        return [renderer for renderer in renderers_ if not isinstance(renderer, CSVRenderer)]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if "HTTP_AUTHORIZATION" in request.META and not request.user.is_authenticated:
            # a scheme no authenticator takes (Basic…): refused, not answered as a visitor's
            # read built afresh, which would bypass the public cache (itu_rbm.caching)
            raise exceptions.NotAuthenticated(_("Unknown credentials: send a token."))
        self.language = request_language(request)
        self.fallback_languages = set()  # filled by the serializers (TranslatedSerializer)
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
            response["Content-Language"] = content_language(self.language, self.fallback_languages)
            translation.activate(self._previous_language)
        return response


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    """A read-only collection with detail views."""


class PingView(APIView):
    """A constant answer through the whole stack (middleware, DRF): a liveness check, and the
    floor the benchmarks compare every endpoint with."""

    permission_classes = [AllowAny]
    renderer_classes = [ORJSONRenderer]
    content_negotiation_class = ContentNegotiation

    @extend_schema(
        summary="Liveness check with a constant answer",
        responses=inline_serializer("Ping", {"status": serializers.CharField()}),
    )
    def get(self, request):
        request_language(request)  # documented for every operation: an unknown one is a 400
        return Response({"status": "ok"})


# --- writes ---------------------------------------------------------------------------------------


class ReportThrottle(ScopedRateThrottle):
    """Reports per user (one token per user) at the "reports" rate, read from the settings at each
    request so that operators and tests can change it."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


# --- the root -------------------------------------------------------------------------------------

PLAN_COLLECTIONS = (
    ("goals", "api-goal-list"),
    ("targets", "api-target-list"),
    ("objectives", "api-objective-list"),
    ("outcomes", "api-outcome-list"),
    ("outputs", "api-output-list"),
    ("enablers", "api-enabler-list"),
    ("risks", "api-risk-list"),
    ("indicators", "api-indicator-list"),
    ("progress", "api-plan-progress-list"),
    ("tree", "api-plan-tree"),
)
COLLECTIONS = (
    ("plans", "api-plan-list"),
    ("geographies", "api-geography-list"),
    ("observations", "api-observation-list"),
    ("indicators", "api-indicators"),
    ("progress", "api-progress-list"),
    ("countries", "api-country-list"),
    ("series", "api-series-list"),
    ("statistics", "api-statistic-list"),
    ("datapackage", "opendata:datapackage"),  # the open-data formats: one line each
    ("dcat_catalogue", "opendata:catalogue-jsonld"),  # in the request's language
    ("sdmx", "opendata:sdmx-structure"),  # SDMX 2.1: the structure, which names the data
    ("open_sdg", "opendata:opensdg-zip"),  # Open SDG's data repository, in the language
)
PLAN_PLACEHOLDER = "{plan}"

RootSerializer = inline_serializer(
    "Root",
    {
        **{name: serializers.CharField() for name, _ in COLLECTIONS},
        "plan": serializers.CharField(help_text="One plan: `{plan}` stands for its code."),
        "plan_collections": inline_serializer(
            "PlanCollections",
            {name: serializers.CharField() for name, _ in PLAN_COLLECTIONS},
            help_text="A plan's elements, `{plan}` standing for its code.",
        ),
        "current_plan": serializers.CharField(
            allow_null=True, help_text="Code of the published plan that started last."
        ),
        "current_plan_collections": inline_serializer(
            "CurrentPlanCollections",
            {name: serializers.CharField() for name, _ in PLAN_COLLECTIONS},
            allow_null=True,
            help_text="The same addresses for the current plan (null without one).",
        ),
        "schema": serializers.CharField(help_text="The OpenAPI 3 description of the API."),
        "docs": serializers.CharField(help_text="The same description as a documentation page."),
    },
)


def _plan_links(plan_code: str) -> dict[str, str]:
    # reverse() quotes "{" and "}": the placeholder is put back as it is written in the schema
    marker = "__plan__"
    links = {name: reverse(route, kwargs={"plan": marker}) for name, route in PLAN_COLLECTIONS}
    return {name: link.replace(marker, plan_code) for name, link in links.items()}


class RootViewSet(PortalViewSet):
    """/api/v1/: where everything is, as addresses on this host (relative, so that one cached
    answer serves every host name the portal is reached by)."""

    csv_actions = ()
    pagination_class = None
    queryset = StrategicPlan.objects.none()  # for the schema generator: no collection here

    @extend_schema(
        summary="The API's root: every collection, the schema and the documentation",
        description="Addresses of every collection: those of one plan with `{plan}` for its "
        "code, and the same for the current plan (the published plan that started last).",
        responses=RootSerializer,
    )
    def root(self, request):
        current = StrategicPlan.objects.current()
        code = current.code if current else None
        return Response(
            {
                **{name: reverse(route) for name, route in COLLECTIONS},
                "plan": reverse("api-plan-detail", kwargs={"plan": "__plan__"}).replace(
                    "__plan__", PLAN_PLACEHOLDER
                ),
                "plan_collections": _plan_links(PLAN_PLACEHOLDER),
                "current_plan": code,
                "current_plan_collections": _plan_links(code) if code else None,
                "schema": reverse("api-schema"),
                "docs": reverse("api-docs"),
            }
        )
