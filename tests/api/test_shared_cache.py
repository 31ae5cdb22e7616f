"""With CACHE_URL and API_CACHE_URL on Redis (as docker-compose.yml sets them), what one gunicorn
worker counts and caches, every other worker sees: here a second connection to the same Redis
stands in for another worker.

These tests need Redis at REDIS_TEST_URL (default redis://127.0.0.1:6379); they empty databases 14
and 15, or the two named by REDIS_TEST_DATABASES (such as "12,13"). .ci/run starts Redis and sets
REQUIRE_REDIS=1, so that CI fails rather than skips; elsewhere they are skipped, with that reason,
when Redis is not running.
"""

import os

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from frameworks.models import Goal
from itu_rbm.caching import GENERATION_KEY
from itu_rbm.settings import cache_from_url

REDIS = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379").rstrip("/")
DEFAULT_DB, API_DB = os.environ.get("REDIS_TEST_DATABASES", "14,15").split(",")
URL = "/api/v1/observations/"
FIGURE = {
    "indicator": "1.2-internet-use",
    "geography": "WLD",
    "value": 70.5,
    "publisher": "ITU",
    "publication": "Facts and Figures 2025",
    "source": "ITU Facts and Figures 2025",
    "edition": "Facts and Figures 2025",
}


def another_worker(alias: str) -> RedisCache:
    """A cache of its own on the same Redis database, as another process would have."""
    config = caches.settings[alias]
    return RedisCache(config["LOCATION"], {"TIMEOUT": config["TIMEOUT"]})


@pytest.fixture
def shared_caches(settings):
    try:
        redis.Redis.from_url(f"{REDIS}/{DEFAULT_DB}", socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_REDIS"):
            raise
        pytest.skip(f"Redis is not running at {REDIS}")
    settings.CACHES = {
        "default": cache_from_url(f"{REDIS}/{DEFAULT_DB}", local_name="", timeout=3600),
        "api": cache_from_url(f"{REDIS}/{API_DB}", local_name="", timeout=600),
    }
    for alias in ("default", "api"):
        caches[alias].clear()
    yield
    for alias in ("default", "api"):
        caches[alias].clear()


def test_the_settings_give_redis_caches_for_redis_addresses(shared_caches):
    assert isinstance(caches["default"], RedisCache) and isinstance(caches["api"], RedisCache)


def test_the_report_rate_is_counted_once_for_every_worker(shared_caches, reporter_d, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"reports": "2/minute"},
    }
    for year in (2024, 2025):
        assert reporter_d.post(URL, {**FIGURE, "year": year}, format="json").status_code == 201
    history = another_worker("default").get(f"throttle_reports_{reporter_d.user.pk}")
    assert history is not None and len(history) == 2
    refused = reporter_d.post(URL, {**FIGURE, "year": 2026}, format="json")
    assert refused.status_code == 429


def answer_keys(stored: redis.Redis) -> set[str]:
    """The cached answers' keys, as another worker names them (Redis has ":1:public:…")."""
    keys = {key.decode().split(":", 2)[2] for key in stored.keys("*public:*")}
    return keys - {GENERATION_KEY}


def test_a_cached_answer_serves_every_worker_until_a_write(shared_caches, api, settings):
    settings.API_STAMP_SECONDS = 0  # each read asks Redis for the generation, as a worker would
    tree = "/api/v1/plans/2020-2023/tree/"
    first = api.get(tree)
    stored = redis.Redis.from_url(f"{REDIS}/{API_DB}")
    (key,) = answer_keys(stored)
    entry = another_worker("api").get(key)
    assert entry.content == first.content and entry.etag == first["ETag"]
    generation = another_worker("api").get(GENERATION_KEY)
    assert generation is not None

    goal = Goal.objects.get(plan__code="2020-2023", number=1)
    goal.note_en = "Changed by a test."
    goal.save()
    # every worker reads the new generation: the answer kept under the old one is left behind
    assert another_worker("api").get(GENERATION_KEY) != generation
    again = api.get(tree)
    assert again["ETag"] != first["ETag"]
    assert again.json()["goals"][0]["note"] == "Changed by a test."
    assert len(answer_keys(stored)) == 2
