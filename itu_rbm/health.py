"""/healthz and /readyz: for the proxy, the container engine and any orchestrator.

/healthz says the process is up and answers requests: no database, no cache, so that a database
outage does not get every portal process restarted. /readyz says this process can serve: the
database answers a trivial query and both caches (default: sessions' neighbours, the API's
report throttle; "api": the public answers) answer a set and a get. It uses a key of its own and
never reads or writes the public cache's content (itu_rbm/caching.py). Both answer JSON that is
never cached and set no cookie.
"""

import logging

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

CACHE_ALIASES = ("default", "api")
PROBE_KEY = "readyz:probe"
logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def check_cache(alias: str) -> None:
    cache = caches[alias]
    cache.set(PROBE_KEY, True, timeout=10)
    if cache.get(PROBE_KEY) is not True:
        raise RuntimeError("a value just set could not be read back")


def readiness() -> dict[str, str]:
    """Each check's name and "ok" or "failed". The error goes to the log only: the answer is
    public, and a cache's error names its host and port."""
    checks = {"database": check_database}
    for alias in CACHE_ALIASES:
        checks[f"cache:{alias}"] = lambda alias=alias: check_cache(alias)
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception:  # whatever the failure, this process is not ready; the log says why
            logger.exception("readiness check %s failed", name)
            results[name] = "failed"
        else:
            results[name] = "ok"
    return results


@require_safe
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request):
    checks = readiness()
    failed = [name for name, result in checks.items() if result != "ok"]
    return JsonResponse(
        {"status": "failed" if failed else "ok", "failed": failed, "checks": checks},
        status=503 if failed else 200,
    )
