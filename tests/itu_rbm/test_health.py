"""/healthz (the process is up) and /readyz (the database and both caches answer): JSON, never
cached, no cookie, and the public cache's content untouched."""

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test import Client, override_settings

from itu_rbm import caching, health

pytestmark = pytest.mark.django_db

# a loopback port of this project's range where nothing listens
CLOSED_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:8329/8",
}


def assert_probe_answer(response):
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies, "a probe sets no cookie"


def test_healthz_answers_without_database_or_cache(settings, django_assert_num_queries):
    settings.CACHES = {alias: CLOSED_REDIS for alias in ("default", "api")}
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert_probe_answer(response)


def test_readyz_lists_every_check_when_ready(django_assert_num_queries):
    with django_assert_num_queries(1):
        response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "cache:default": "ok", "cache:api": "ok"},
    }
    assert_probe_answer(response)


def test_readyz_names_the_database_when_it_fails():
    def refuse(execute, sql, params, many, context):
        raise OperationalError("the server closed the connection")

    with connection.execute_wrapper(refuse):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["cache:api"] == "ok"
    assert_probe_answer(response)


@pytest.mark.parametrize("alias", ["default", "api"])
def test_readyz_names_a_cache_that_does_not_answer(settings, alias):
    with override_settings(CACHES={**settings.CACHES, alias: CLOSED_REDIS}):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failed"
    assert body["failed"] == [f"cache:{alias}"]
    assert body["checks"]["database"] == "ok"
    assert "8329" not in response.content.decode(), "the cache's address stays in the log"
    assert_probe_answer(response)


def test_probes_leave_the_public_cache_alone():
    api_cache = caches["api"]
    Client().get("/api/v1/plans/")  # a cached public answer and a content generation
    generation = api_cache.get(caching.GENERATION_KEY)
    before = dict(api_cache._cache)  # the process's memory (LocMemCache) as tests use it
    assert generation and len(before) >= 2
    for address in ("/healthz", "/readyz", "/healthz", "/readyz"):
        Client().get(address)
    after = dict(api_cache._cache)
    assert {key for key in after if key not in before} == {api_cache.make_key(health.PROBE_KEY)}
    assert api_cache.get(caching.GENERATION_KEY) == generation
    for key, value in before.items():
        assert after[key] == value


def test_probe_paths_sit_outside_the_language_prefix():
    assert Client().get("/healthz", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200
    assert Client().get("/en/healthz").status_code == 404
