"""Signing in: failed attempts lock the pair (user, address) out for a cool-off that grows with
each lock-out (django-axes, frameworks.accounts.signin_cooloff), passwords are validated,
sessions are secure in production, and a password change signs the user out everywhere else
and ends their API tokens."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog
from django.conf import settings
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/?next=/admin/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_signin_with_the_right_password_works(people):
    client = Client()
    response = sign_in(client, "editor_d", PASSWORD)
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


LOCKED = "Signing in to this account from your address is locked after 5 failed attempts."


def fail(client, username, times):
    return [sign_in(client, username, f"wrong-{attempt}") for attempt in range(times)][-1]


def let_time_pass(seconds):
    """Move every sign-in record `seconds` into the past, as if that much time had passed."""
    from datetime import timedelta

    from django.db.models import F

    delta = timedelta(seconds=seconds)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)
    AccessAttemptExpiration.objects.update(expires_at=F("expires_at") - delta)
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - delta)


def test_signin_locks_the_user_out_from_that_address_after_five_failures(people):
    client = Client()
    for attempt in range(1, 5):
        refused = sign_in(client, "editor_d", f"wrong-{attempt}")
        assert refused.status_code == 200
        assert "Please enter the correct username and password" in refused.content.decode()
    locked = sign_in(client, "editor_d", "wrong-5")
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert "Try again in 1 minute," in locked.content.decode() and locked["Retry-After"] == "60"
    # the right password no longer opens it from this address
    again = sign_in(client, "editor_d", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_locks_neither_the_user_elsewhere_nor_others_at_that_address(people):
    """Five wrong passwords from one address do not lock the user out from another (nobody can
    lock someone out from afar), nor other users behind the same address."""
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    assert fail(attacker, "editor_d", 5).status_code == 429
    assert sign_in(Client(REMOTE_ADDR="10.0.0.9"), "editor_d", PASSWORD).status_code == 302
    assert sign_in(Client(REMOTE_ADDR="203.0.113.7"), "reviewer_d", PASSWORD).status_code == 302
    assert sign_in(attacker, "editor_d", PASSWORD).status_code == 429  # the pair stays locked


def test_the_cooloff_doubles_with_each_lockout_of_the_pair_up_to_an_hour(people):
    client = Client(REMOTE_ADDR="203.0.113.7")
    waits = []
    for _lockout in range(8):
        locked = fail(client, "editor_d", 5)
        assert locked.status_code == 429 and LOCKED in locked.content.decode()
        wait = int(locked["Retry-After"])
        waits.append(wait)
        let_time_pass(wait - 2)
        assert sign_in(client, "editor_d", PASSWORD).status_code == 429  # not yet
        let_time_pass(3)
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert sign_in(client, "editor_d", PASSWORD).status_code == 302  # the cool-off ended
    # another address's first lock-out is short: the growth belongs to the pair
    other = fail(Client(REMOTE_ADDR="10.0.0.9"), "editor_d", 5)
    assert other["Retry-After"] == "60" and "Try again in 1 minute," in other.content.decode()


def test_the_lockout_page_says_how_long_to_wait(people):
    client = Client(REMOTE_ADDR="203.0.113.7")
    fail(client, "editor_d", 5)
    let_time_pass(61)
    page = fail(client, "editor_d", 5)
    assert "Try again in 2 minutes, or ask an administrator to unlock it." in page.content.decode()
    # failures during a lock-out neither extend it nor count as another lock-out
    fail(client, "editor_d", 7)
    let_time_pass(121)
    assert sign_in(client, "editor_d", PASSWORD).status_code == 302


def test_signin_success_resets_the_failure_count(people):
    client = Client()
    for attempt in range(4):
        sign_in(client, "editor_d", f"wrong-{attempt}")
    assert sign_in(client, "editor_d", PASSWORD).status_code == 302
    assert sign_in(Client(), "editor_d", "wrong-again").status_code == 200  # not locked


def test_password_change_signs_out_every_other_session(people):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        assert sign_in(client, "editor_d", PASSWORD).status_code == 302
    assert elsewhere.get("/admin/").status_code == 200
    response = here.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase-93",
            "new_password2": "another-long-passphrase-93",
        },
    )
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200  # the session that changed it stays
    signed_out = elsewhere.get("/admin/")
    assert signed_out.status_code == 302 and signed_out.url.startswith("/admin/login/")


def test_password_set_by_an_administrator_signs_the_user_out(people, client_of):
    user_session = Client()
    sign_in(user_session, "reporter_d", PASSWORD)
    url = reverse("admin:auth_user_password_change", args=[people["reporter_d"].pk])
    response = client_of("administrator").post(
        url,
        {
            "usable_password": "true",
            "password1": "a-fresh-long-passphrase-12",
            "password2": "a-fresh-long-passphrase-12",
        },
    )
    assert response.status_code == 302
    assert user_session.get("/admin/").status_code == 302


@pytest.mark.parametrize("who", ["the user", "an administrator"])
def test_password_change_ends_the_api_tokens_and_other_sessions(who, people, client_of):
    reporter = people["reporter_d"]
    _token, key = AuthToken.objects.create(user=reporter)
    tool = APIClient()
    tool.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert tool.get("/api/v1/observations/").status_code == 200
    elsewhere = Client()
    assert sign_in(elsewhere, "reporter_d", PASSWORD).status_code == 302
    new = "a-fresh-long-passphrase-12"
    if who == "the user":
        here = Client()
        sign_in(here, "reporter_d", PASSWORD)
        response = here.post(
            reverse("admin:password_change"),
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
    else:
        response = client_of("administrator").post(
            reverse("admin:auth_user_password_change", args=[reporter.pk]),
            {"usable_password": "true", "password1": new, "password2": new},
        )
    assert response.status_code == 302
    refused = tool.get("/api/v1/observations/")
    assert refused.status_code == 401 and refused.json() == {"detail": "Invalid token."}
    assert not AuthToken.objects.filter(user=reporter).exists()
    signed_out = elsewhere.get("/admin/")
    assert signed_out.status_code == 302 and signed_out.url.startswith("/admin/login/")


def test_password_validators_refuse_a_weak_password(people):
    client = Client()
    sign_in(client, "editor_d", PASSWORD)
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    errors = response.context["form"].errors["new_password2"]
    assert "This password is too short. It must contain at least 12 characters." in errors
    assert "This password is too common." in errors
    assert "This password is entirely numeric." in errors


def test_session_settings():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"
    assert settings.AXES_FAILURE_LIMIT == 5


def test_session_cookies_are_secure_in_production():
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "rbm.example.org",
    }
    environment.pop("DATABASE_URL", None)
    code = (
        "import json; from django.conf import settings as s; print(json.dumps("
        "[s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY]))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, True]


def test_behind_a_proxy_one_visitors_failures_do_not_lock_out_another(people, settings):
    settings.TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request reaches the portal from the proxy
    attacker = Client(HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    fail(attacker, "reviewer_d", 5)
    assert sign_in(attacker, "reviewer_d", PASSWORD).status_code == 429  # that pair is locked
    # the same user from another visitor's address, through the same proxy, signs in; a forged
    # leftmost entry changes nothing
    colleague = Client(HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy)
    assert sign_in(colleague, "reviewer_d", PASSWORD).status_code == 302
    forged = Client(HTTP_X_FORWARDED_FOR="198.51.100.4, 203.0.113.7", **proxy)
    assert sign_in(forged, "reviewer_d", PASSWORD).status_code == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(people):
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    for attempt in range(5):
        sign_in(Client(**forged), "editor_d", f"wrong-{attempt}")
    # the failures count against the real address (the test client's), whatever the header said
    assert (
        sign_in(Client(HTTP_X_FORWARDED_FOR="198.51.100.1"), "editor_d", PASSWORD).status_code
        == 429
    )
