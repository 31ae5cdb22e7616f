"""The open-data formats the portal publishes, as the "Open data" page lists them: each format
module adds its entries here, so that the page and the API root name every one."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.utils.functional import Promise

from itu_rbm.caching import content_generation


@dataclass(frozen=True)
class Format:
    name: str | Promise  # "SDMX 2.1 (SDMX-ML and SDMX-CSV)"
    description: str | Promise
    url_name: str  # "opendata:sdmx-structure"
    standard_url: str = ""  # where the format is specified


FORMATS: list[Format] = []


def built_once(name: str, build: Callable[[], bytes]) -> bytes:
    """A file built once per content generation under `name` (which says what varies: the
    series, the language). SDMX's all.xml takes seconds and the Open SDG zip is larger than the
    public cache keeps of a page (itu_rbm.caching.MAX_CACHED_BODY): they are kept here, in the
    API's cache, until the next write starts a new generation."""
    raw = f"{content_generation().token}\n{name}"  # hashed: a key free of spaces (memcached)
    key = "opendata:file:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    cache = caches["api"]
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body)
    return body
