"""The API's tests act as a visitor without credentials (`api`), or as tools holding a token for one
of the personas of tests/personas.py."""

import pytest
from django.core.cache import caches
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.personas import make_persona


@pytest.fixture
def api(db):
    """A tool without credentials."""
    return APIClient()


def _client_for(user) -> APIClient:
    client = APIClient()
    _token, key = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.user = user
    return client


@pytest.fixture
def reporter_d(db):
    """Reports figures for the Development Sector, whose indicators are loaded."""
    return _client_for(make_persona("reporter_d"))


@pytest.fixture
def reporter_d2(db):
    """Another reporter of the Development Sector."""
    return _client_for(make_persona("reporter_d2"))


@pytest.fixture
def reporter_r(db):
    """Reports for the Radiocommunication Sector only."""
    return _client_for(make_persona("reporter_r"))


@pytest.fixture
def reviewer_d(db):
    return _client_for(make_persona("reviewer_d"))


@pytest.fixture
def administrator(db):
    return _client_for(make_persona("administrator"))


@pytest.fixture
def nobody(db):
    """Signed up, but without any role."""
    return _client_for(make_persona("nobody"))


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """The report rate is counted in the default cache, per user: start each test at zero (user
    ids come back after a rolled-back test)."""
    caches["default"].clear()
