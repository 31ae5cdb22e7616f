"""`manage.py check` warns when the cache of public answers would not be shared by the workers."""

from django.core.checks import run_checks

from itu_rbm.settings import cache_from_url


def public_cache_warnings() -> list:
    return [message for message in run_checks(tags=["caches"]) if message.id == "itu_rbm.W001"]


def test_production_with_the_public_cache_in_process_memory_is_warned(settings):
    settings.DEBUG = False
    settings.CACHES = {
        **settings.CACHES,
        "api": cache_from_url("", local_name="itu-rbm-api", timeout=600),
    }
    (warning,) = public_cache_warnings()
    assert warning.msg.startswith("API_CACHE_URL is not set")
    assert "redis://" in warning.hint


def test_a_shared_public_cache_or_development_is_not_warned(settings):
    settings.DEBUG = True
    assert public_cache_warnings() == []
    settings.DEBUG = False
    settings.CACHES = {
        **settings.CACHES,
        "api": cache_from_url("redis://redis:6379/1", local_name="", timeout=600),
    }
    assert public_cache_warnings() == []  # no connection is made to tell
