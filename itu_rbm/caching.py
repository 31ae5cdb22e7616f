"""The cache of public reads, shared by the API and the public pages.

A read without credentials (no Authorization header, no session cookie) gets the same answer for
everybody, so its rendered body is kept in the "api" cache under a key made of the *content stamp*,
the static files' manifest, the address and the variant (for the API, the language and the accepted
format; a page's address names its language). The content stamp is the time of the last change
recorded by django-simple-history in the plan's, the indicators' and the figures' history tables
(every save and delete, the bulk imports too, whichever process made them), read in one query and
remembered by each process for API_STAMP_SECONDS. A write therefore changes the key of every cached
answer: at once in the process that made it (the receivers at the bottom of this module call
`content_changed()`, which only forgets cached data and never writes), and within API_STAMP_SECONDS
in the other processes. The ETag is a hash of the body (or the view's own ETag, e.g. an
observation's version), so it is always right for the bytes it describes, and a matching
If-None-Match is answered 304 from the cache without building the body. Browsers and proxies may
keep a public answer for API_MAX_AGE seconds, or must ask again each time (the pages).

A new release that changes templates or code but no static file or content would find its
predecessor's answers in a shared cache: `manage.py forget_public_answers` empties it, and
docker-compose.yml runs it before gunicorn starts.

Tables without history (sectors, data sources, geographies, SDG and WSIS names) change only
through the loaders and the admin; such a change empties the cache of its own process at once and
reaches the other processes' cached bodies when they expire (the cache's TIMEOUT). A bulk
QuerySet.update() would bypass both the history and the signals; the portal does not use one on
these tables.

A request with `Cache-Control: no-cache` rebuilds its answer (the benchmarks measure the cold
path that way).
"""

import functools
import hashlib
import time
from datetime import UTC, datetime
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

CONTENT_APPS = ("frameworks", "indicators", "risks")
"""The apps whose tables make the public content: a write to any of them changes the stamp."""

MAX_CACHED_BODY = 4 * 1024 * 1024
"""Larger bodies are served but not kept (a 500-row page of the API is well under this)."""

KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Allow")
"""The view's headers that a cached answer repeats (middleware adds the others each time)."""


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


def assets_token() -> str:
    """The hash of the static files' manifest (empty without one, in development). A page kept
    in a shared cache by the previous release names that release's static files, which a new
    one may no longer have: with this in the key, a deploy that changes them changes the keys."""
    return getattr(staticfiles_storage, "manifest_hash", "")


def _cache_key(request, variant: str, stamp: Stamp) -> str:
    # the host and scheme too: bodies hold absolute addresses (the pages' next and previous)
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    raw = "\n".join((stamp.token, assets_token(), variant, address))
    return "public:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def body_etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


# Every public answer varies on the credentials (with them, it is private) and on
# Accept-Encoding (GZipMiddleware names it on the bodies it may compress, but not on a 304)
ALWAYS_VARY = ("Accept-Encoding", "Authorization", "Cookie")


def _vary(existing: str, vary: tuple[str, ...]) -> str:
    """The Vary header of a public answer: the view's, the headers its variant is read from,
    and ALWAYS_VARY."""
    names = [name.strip() for name in existing.split(",") if name.strip()]
    known = {name.lower() for name in names}
    added = [name for name in (*vary, *ALWAYS_VARY) if name.lower() not in known]
    return ", ".join(names + added)


def _public_answer(request, entry: _Entry, stamp: Stamp, cache_control: str) -> HttpResponse:
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
    response["Cache-Control"] = cache_control
    return response


def public_cache(variant_of, *, vary: tuple[str, ...] = (), revalidate: bool = False):
    """Serve reads without credentials from the cache of public answers (see the module's
    docstring); mark every other read private.

    `variant_of(request)` tells apart the answers at one address (their language, their format:
    part of the cache key), or is None for a request to pass on to the view uncached (one that
    the view refuses, say); `vary` names the request headers it reads, for the Vary header.
    Browsers may reuse an answer for API_MAX_AGE seconds, or, with `revalidate`, must ask each
    time (and get a 304 while nothing changed): a page shows a figure as soon as it is approved.
    """

    def decorator(view):
        @functools.wraps(view)
        def cached_view(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if _carries_credentials(request):
                response = view(request, *args, **kwargs)
                response["Cache-Control"] = "private, no-store"
                return response
            variant = variant_of(request)
            if variant is None:
                return view(request, *args, **kwargs)
            stamp = content_stamp()
            key = _cache_key(request, variant, stamp)
            cache = caches["api"]
            entry = None if _asks_fresh(request) else cache.get(key)
            if entry is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                if hasattr(response, "render"):
                    response.render()
                headers = {name: value for name, value in response.items() if name in KEPT_HEADERS}
                headers["Vary"] = _vary(response.get("Vary", ""), vary)
                entry = _Entry(
                    response.content, headers, response.get("ETag") or body_etag(response.content)
                )
                if len(entry.content) <= MAX_CACHED_BODY:
                    cache.set(key, entry)
            if revalidate:
                cache_control = "public, no-cache"
            else:
                cache_control = f"public, max-age={settings.API_MAX_AGE}"
            return _public_answer(request, entry, stamp, cache_control)

        return cached_view

    return decorator


def _on_content_write(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        content_changed()
        # again once committed: a read between the write and the commit may have re-read the
        # old stamp
        transaction.on_commit(content_changed)


# Cache invalidation only (forgetting, never writing). Connected when this module is first
# imported (by the API's and the pages' views), which is before anything can have been cached.
for _signal in (post_save, post_delete, m2m_changed):
    _signal.connect(_on_content_write, dispatch_uid=f"api-content-changed-{id(_signal)}")
