"""System checks for the shared libraries of itu_rbm (registered by frameworks' AppConfig.ready(),
since itu_rbm is not an app)."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.caches)
def check_public_cache_is_shared(app_configs, **kwargs) -> list[CheckWarning]:
    """The content generation of the cache of public answers (itu_rbm/caching.py) lives in the
    "api" cache: in each process's memory, a gunicorn worker would not see another's writes and
    would serve its old answers until they expire."""
    if settings.DEBUG or not isinstance(caches["api"], LocMemCache):
        return []
    return [
        CheckWarning(
            "API_CACHE_URL is not set: the cache of public answers is each process's memory, so "
            "with several workers a change made through one is not seen by the others until "
            "their cached answers expire (API_CACHE_TIMEOUT).",
            hint="Set API_CACHE_URL (and CACHE_URL) to Redis databases, e.g. "
            "redis://redis:6379/1 (and /0), as docker-compose.yml does.",
            id="itu_rbm.W001",
        )
    ]
