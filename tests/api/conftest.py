"""Personas of the API: a visitor without credentials, and tools holding a token for a user with a
role in a sector (groups "Reporter", "Reviewer", "Administrator" exist from a data migration; every
loaded indicator belongs to ITU-D)."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from frameworks.models import Sector, SectorAssignment


@pytest.fixture
def api(db):
    """A tool without credentials."""
    return APIClient()


def _user(django_user_model, name: str, *, role: str | None = None, sector: str | None = None):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "a-long-password-1")
    if role:
        user.groups.add(Group.objects.get(name=role))
    if sector:
        SectorAssignment.objects.create(user=user, sector=Sector.objects.get(code=sector))
    return user


def _client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client.user = user
    return client


@pytest.fixture
def reporter_d(db, django_user_model):
    """Reports figures for the Development Sector, whose indicators are loaded."""
    return _client_for(_user(django_user_model, "reporter-d", role="Reporter", sector="ITU-D"))


@pytest.fixture
def reporter_r(db, django_user_model):
    """Reports for the Radiocommunication Sector only."""
    return _client_for(_user(django_user_model, "reporter-r", role="Reporter", sector="ITU-R"))


@pytest.fixture
def reviewer_d(db, django_user_model):
    return _client_for(_user(django_user_model, "reviewer-d", role="Reviewer", sector="ITU-D"))


@pytest.fixture
def administrator(db, django_user_model):
    return _client_for(_user(django_user_model, "administrator", role="Administrator"))


@pytest.fixture
def nobody(db, django_user_model):
    """Signed up, but without any role."""
    return _client_for(_user(django_user_model, "nobody"))


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """The report rate is counted in the default cache, per user: start each test at zero (user
    ids come back after a rolled-back test)."""
    caches["default"].clear()
