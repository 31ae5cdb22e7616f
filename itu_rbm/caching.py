"""The cache of public reads, shared by the API and the public pages.

A read without credentials (no Authorization header, no session cookie) gets the same answer for
everybody, so its rendered body is kept in the "api" cache under a key made of the *content
generation*, the static files' manifest, the address and the variant (for the API, the language
and the accepted format; a page's address names its language).

The content generation lives in the same cache, under GENERATION_KEY: the time of the last change
to the public content and a random token. `content_changed()` starts a new one, so every cached
answer is left behind at once (never deleted: unused entries expire with the cache's TIMEOUT).
Who calls it:

- every save and delete of a data app's model, and every change to its many-to-many links: each
  data app's AppConfig.ready() connects `connect_content_models()`'s receivers (the admin, the
  services and the loaders write this way);
- every write that sends no signal (bulk inserts, COPY): the service that makes it calls
  `content_changed()` itself, inside its transaction. A QuerySet.update() would need the same.

Inside a transaction, `content_changed()` starts a new generation at once and again once the
transaction commits: a read in between (by another process, or by this one after the write) may
have kept what the database showed then under the first new generation, and the second leaves it
behind. Each process remembers the generation for API_STAMP_SECONDS: its own writes show at once,
another process's within API_STAMP_SECONDS. For that, the "api" cache must be one for every
process (Redis, API_CACHE_URL); with each process's memory, a system check (itu_rbm/checks.py)
warns in production. If the key is missing (a new or emptied cache, an evicted key), the first
read starts a generation with `cache.add`, so that concurrent readers agree on one.

The ETag is a hash of the body (or the view's own ETag, e.g. an observation's version), so it is
always right for the bytes it describes, and a matching If-None-Match is answered 304 from the
cache without building the body; Last-Modified is the generation's time. Browsers and proxies may
keep a public answer for API_MAX_AGE seconds, or must ask again each time (the pages).

A new release that changes templates or code but no static file or content would find its
predecessor's answers in a shared cache: `manage.py forget_public_answers` empties it, and
docker-compose.yml runs it before gunicorn starts.

Who gets an answer built afresh: only a signed-in user — a valid session, or for the API a
token, which the API checks before building anything (a wrong one is a 401) — whose answers are
private and never touch the public cache. Accounts are issued by staff only, so that is the
staff's way to see a rebuilt answer (the benchmarks measure the cold path that way). A visitor's
`Cache-Control: no-cache` (a hard reload, or a flood asking for ~50x the work of a cached answer)
is answered from the cache; revalidation through ETags (If-None-Match: 304) works as ever. A
session cookie or an Authorization header that proves nothing is a visitor's.
"""

import functools
import hashlib
import secrets
import time
from datetime import UTC, datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from simple_history.models import HistoricalChanges

GENERATION_KEY = "public:generation"
"""The key of the content generation in the "api" cache (kept without a timeout)."""

MAX_CACHED_BODY = 4 * 1024 * 1024
"""Larger bodies are served but not kept (a 500-row page of the API is well under this)."""

KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Allow")
"""The view's headers that a cached answer repeats (middleware adds the others each time)."""


class Generation(NamedTuple):
    token: str  # part of every cache key
    modified: datetime  # when it started: the last change to the public content
    timestamp: int  # of `modified`, for conditional requests
    last_modified: str  # the Last-Modified header

    @classmethod
    def parse(cls, value: str) -> "Generation":
        started = float(value.split(" ", 1)[0])
        timestamp = int(started)
        return cls(value, datetime.fromtimestamp(started, UTC), timestamp, http_date(timestamp))


_memo: dict[str, tuple[Generation, float]] = {}  # "generation": (generation, when it was read)


def _new_generation_value() -> str:
    # the time for Last-Modified; the token tells apart generations started in the same instant
    return f"{time.time():.6f} {secrets.token_hex(6)}"


def read_generation() -> Generation:
    """The content generation in the shared cache (no query), started if missing."""
    value = caches["api"].get_or_set(GENERATION_KEY, _new_generation_value, timeout=None)
    return Generation.parse(value)


def content_generation() -> Generation:
    """The content generation, read at most once per API_STAMP_SECONDS by this process."""
    now = time.monotonic()
    remembered = _memo.get("generation")
    if remembered is not None and now - remembered[1] < settings.API_STAMP_SECONDS:
        return remembered[0]
    generation = read_generation()
    _memo["generation"] = (generation, now)
    return generation


def _start_generation() -> None:
    caches["api"].set(GENERATION_KEY, _new_generation_value(), timeout=None)
    _memo.clear()


def content_changed() -> None:
    """Leave every cached public answer behind: call it after a write to the public content that
    sends no signal (see the module's docstring), inside the write's transaction if there is one.

    A new generation starts at once (this process then sees the write) and, inside a
    transaction, again once it commits (outside one, on_commit runs at once: a second start,
    harmless). It writes only to the cache, so it cascades nothing."""
    _start_generation()
    transaction.on_commit(_start_generation)


def forget_public_answers() -> None:
    """Empty the cache of public answers and start a new generation (for a new release, whose
    templates or code may render the same content differently). On Redis this empties the whole
    database of API_CACHE_URL, which settings.py keeps apart from CACHE_URL's. No write to the
    database goes with it, so no transaction to wait for (nor a database to connect to)."""
    caches["api"].clear()
    _start_generation()


class _Entry(NamedTuple):
    content: bytes
    headers: dict[str, str]
    etag: str


def _signed_in(request, tokens: bool) -> bool:
    """Whether the request is a signed-in user's (see the module's docstring). A session cookie
    is checked (one query, only when there is one: AuthenticationMiddleware's lazy user); with
    `tokens` (the API), any Authorization header is passed on to the view, which refuses one it
    cannot verify (401) before building anything."""
    if tokens and "HTTP_AUTHORIZATION" in request.META:
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def assets_token() -> str:
    """The hash of the static files' manifest (empty without one, in development). A page kept
    in a shared cache by the previous release names that release's static files, which a new
    one may no longer have: with this in the key, a deploy that changes them changes the keys."""
    return getattr(staticfiles_storage, "manifest_hash", "")


def current_year() -> int:
    """Answers depend on the year as well as on the content: a plan's targets are judged once
    their year has passed (indicators.progress.judge), so a new year builds them again."""
    return datetime.now(UTC).year


def _cache_key(request, variant: str, generation: Generation) -> str:
    # the host and scheme too: bodies hold absolute addresses (the pages' next and previous)
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    raw = "\n".join((generation.token, str(current_year()), assets_token(), variant, address))
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


def _public_answer(
    request, entry: _Entry, generation: Generation, cache_control: str
) -> HttpResponse:
    response = get_conditional_response(
        request, etag=entry.etag, last_modified=generation.timestamp
    )
    if response is None:
        response = HttpResponse(entry.content, headers=entry.headers)
    else:  # a 304 names the language and the variants of what it confirms
        for name in ("Content-Language", "Vary"):
            if name in entry.headers:
                response[name] = entry.headers[name]
    response["ETag"] = entry.etag
    response["Last-Modified"] = generation.last_modified
    response["Cache-Control"] = cache_control
    return response


def public_cache(
    variant_of, *, vary: tuple[str, ...] = (), revalidate: bool = False, tokens: bool = False
):
    """Serve reads without credentials from the cache of public answers (see the module's
    docstring); mark every other read private.

    `variant_of(request)` tells apart the answers at one address (their language, their format:
    part of the cache key), or is None for a request to pass on to the view uncached (one that
    the view refuses, say); `vary` names the request headers it reads, for the Vary header.
    Browsers may reuse an answer for API_MAX_AGE seconds, or, with `revalidate`, must ask each
    time (and get a 304 while nothing changed): a page shows a figure as soon as it is approved.
    `tokens`: the view verifies an Authorization header itself (the API), see _signed_in.
    """

    def decorator(view):
        @functools.wraps(view)
        def cached_view(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if _signed_in(request, tokens):
                response = view(request, *args, **kwargs)
                response["Cache-Control"] = "private, no-store"
                return response
            variant = variant_of(request)
            if variant is None:
                return view(request, *args, **kwargs)
            generation = content_generation()
            key = _cache_key(request, variant, generation)
            cache = caches["api"]
            entry = cache.get(key)  # a visitor's no-cache too: see the module's docstring
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
            return _public_answer(request, entry, generation, cache_control)

        return cached_view

    return decorator


# --- the receivers: forgetting, never writing content -----------------------------------------


def _on_content_write(sender, action: str = "post_save", **kwargs):
    if not action.startswith("pre_"):  # m2m_changed announces each change before making it
        content_changed()


def connect_content_models(app_config) -> None:
    """Start a new generation after every save or delete of `app_config`'s models and every change
    to their many-to-many links: called by each data app's AppConfig.ready(). Writes that send no
    signal (bulk_create, QuerySet.update(), raw SQL) call content_changed() themselves.

    Historical records (django-simple-history) are left out: each is saved with the instance it
    records, whose own signal has started the generation already. So are models whose rows are
    only ever written in bulk by commands that call content_changed() themselves (`writes_announced
    = True`: the published statistics): without a receiver their rows are deleted in one query,
    not fetched one by one to send each a signal."""
    for model in app_config.get_models(include_auto_created=True):
        if issubclass(model, HistoricalChanges) or getattr(model, "writes_announced", False):
            continue
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(
                _on_content_write, sender=model, dispatch_uid=f"public-cache:{model._meta.label}"
            )
