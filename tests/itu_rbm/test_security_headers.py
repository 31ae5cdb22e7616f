"""Strict headers on every answer: the Content-Security-Policy, no framing (except for a view
marked embeddable), HSTS and the https redirect as the settings say, and `check --deploy` clean
under production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
from django.urls import path

from frameworks.models import Goal
from itu_rbm.embedding import embeddable
from itu_rbm.urls import urlpatterns as portal

ROOT = Path(__file__).resolve().parents[2]
PLAN = "/en/plans/2020-2023"
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# One of each kind of answer: public pages (with charts and without), downloads, the API's JSON
# and its errors, the API docs and schema, the admin, the workspace's sign-in, a page not found.
ANSWERS = [
    "/en/",
    f"{PLAN}/",
    f"{PLAN}/goals/1/",
    f"{PLAN}/targets/1.2/",
    f"{PLAN}/objectives/",
    f"{PLAN}/risks/",
    "/en/method/",
    f"{PLAN}/download.csv",
    "/plans/2020-2023/download.csv",  # redirected to the visitor's language
    "/api/v1/",
    "/api/v1/plans/",
    "/api/v1/plans/1999-2002/",
    "/api/docs/",
    "/api/docs/?script=",
    "/api/schema/",
    "/admin/login/",
    "/en/workspace/",
    "/en/no-such-page/",
]


@embeddable
def embedded_chart(request):
    return HttpResponse("<p>a chart</p>")


def plain(request):
    return HttpResponse("<p>not for framing</p>")


urlpatterns = [
    path("embedded/", embedded_chart),
    path("plain/", plain),
    *portal,
]


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.parametrize("url", ANSWERS)
def test_every_answer_carries_the_strict_policy_and_refuses_framing(client, plan, url):
    response = client.get(url)
    assert response.status_code in {200, 302, 404}, url  # the page itself, sign-in, not found
    assert policy(response) == POLICY
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_admin_pages_signed_in_carry_the_policy(staff_client, plan):
    goal = Goal.objects.order_by("pk").first()
    for url in ["/admin/", "/admin/frameworks/goal/", f"/admin/frameworks/goal/{goal.pk}/change/"]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == POLICY, url
        assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.urls(__name__)
def test_an_embeddable_view_may_be_framed_and_only_it(client, db):
    embedded = client.get("/embedded/")
    assert policy(embedded) == {**POLICY, "frame-ancestors": "*"}
    assert "X-Frame-Options" not in embedded.headers

    other = client.get("/plain/")
    assert policy(other) == POLICY
    assert other.headers["X-Frame-Options"] == "DENY"


def production(settings, *, proxies: int) -> None:
    """The values itu_rbm/settings.py gives with DEBUG off (test_production_settings_from_env
    checks that it does), with or without a proxy in front."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if proxies else None


def test_https_behind_a_trusted_proxy_gets_hsts(client, plan, settings):
    production(settings, proxies=1)
    response = client.get(f"{PLAN}/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert policy(response) == POLICY


def test_plain_http_is_redirected_to_https_without_hsts(client, plan, settings):
    production(settings, proxies=1)
    response = client.get(f"{PLAN}/", headers={"X-Forwarded-Proto": "http"})
    assert response.status_code == 301
    assert response.headers["Location"] == f"https://testserver{PLAN}/"
    assert "Strict-Transport-Security" not in response.headers


def test_forwarded_proto_is_not_believed_without_a_proxy(client, plan, settings):
    production(settings, proxies=0)
    response = client.get(f"{PLAN}/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 301  # still plain http: a client cannot claim https
    assert "Strict-Transport-Security" not in response.headers


def test_development_settings_claim_no_https(client, plan):
    response = client.get(f"{PLAN}/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize(
    ("url", "redirected"), [("/healthz", False), ("/readyz", False), ("/en/", True)]
)
def test_health_probes_are_not_redirected_to_https(settings, url, redirected):
    production(settings, proxies=1)
    middleware = SecurityMiddleware(lambda request: HttpResponse())
    answer = middleware.process_request(RequestFactory().get(url))
    assert (answer is not None and answer.headers["Location"] == f"https://testserver{url}") is (
        redirected
    )


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Python with `args` under production settings (DEBUG off), changed by `env`."""
    # not the test run's database, nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (which
    # check --deploy rightly refuses: it is not part of production settings)
    left_out = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in left_out}
    environment.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "rbm.example.org",
            # as in docker-compose.yml (check warns when the public answers' cache is per process)
            "CACHE_URL": "redis://redis.invalid:6379/0",
            "API_CACHE_URL": "redis://redis.invalid:6379/1",
            # production sends the notifications (check warns when they would only be printed)
            "EMAIL_URL": "smtp://mail.invalid:587/?tls=true",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "env",
    [
        {},  # gunicorn answering https itself or behind a TLS proxy that forwards the scheme
        {"TRUSTED_PROXIES": "1", "SECURE_SSL_REDIRECT": "false"},  # the local nginx in front
    ],
)
def test_check_deploy_is_clean_under_production_settings(env):
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


SHOW = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'itu_rbm.settings'; "
    "from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER, s.SECURE_REDIRECT_EXEMPT)"
)


@pytest.mark.parametrize(
    ("env", "shown"),
    [
        (
            {},
            "True 31536000 False False None ['^healthz$', '^readyz$']",
        ),
        (
            {"TRUSTED_PROXIES": "1", "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "600"},
            "False 600 False False ('HTTP_X_FORWARDED_PROTO', 'https') ['^healthz$', '^readyz$']",
        ),
        (
            {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "yes"},
            "True 31536000 True True None ['^healthz$', '^readyz$']",
        ),
        (
            {"DEBUG": "true"},
            "False 0 False False None ['^healthz$', '^readyz$']",
        ),
    ],
)
def test_production_settings_from_env(env, shown):
    result = run("-c", SHOW, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == shown


def test_a_wrong_hsts_value_stops_start_up():
    result = run("-c", SHOW, SECURE_HSTS_SECONDS="a year")
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr
