"""Shared fixtures: the real plan and its figures are loaded once per test session (the same
files `make data` loads), and a few named personas act on them."""

from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PLAN_FILE = ROOT / "fixtures" / "plans" / "2020-2023.json"
GEOGRAPHIES_FILE = ROOT / "fixtures" / "indicators" / "geographies.json"
INDICATORS_FILE = ROOT / "fixtures" / "indicators" / "indicators.json"
FIGURES_FILE = ROOT / "fixtures" / "indicators" / "itu-published-figures.csv"


def load_everything():
    call_command("load_plan", str(PLAN_FILE), "--publish", verbosity=0)
    call_command(
        "load_indicators",
        str(GEOGRAPHIES_FILE),
        str(INDICATORS_FILE),
        "--plan",
        "2020-2023",
        verbosity=0,
    )
    call_command(
        "import_observations",
        str(FIGURES_FILE),
        "--plan",
        "2020-2023",
        "--approve",
        "--skip-existing",
        verbosity=0,
    )


def load_country_data():
    """The per-country data (fixtures/countries/), as `make data` loads it: names and Member
    States, every file's figures, the portal's aggregates. Once per session: ~10 s."""
    call_command("load_countries", verbosity=0)
    call_command("load_statistics", verbosity=0)
    call_command("compute_aggregates", verbosity=0)


def set_aside_country_data() -> None:
    """For a test that builds country figures of its own (the factories in tests/api and
    tests/dashboards): the session's real ones go, until the test's transaction is rolled back.
    Statistics go in one query (indicators.models.Statistic.writes_announced)."""
    from indicators.models import Geography, Population, Series

    Series.objects.all().delete()  # their releases and statistics; indicators lose their link
    Population.objects.all().delete()
    Geography.objects.countries().update(is_member_state=False, region=None)


def ensure_roles() -> None:
    """The roles' groups as frameworks.roles.ROLE_PERMISSIONS defines them (kept after every
    migrate). A transactional test (the browser tests) empties the database, roles included;
    this puts them back, so that no test depends on the order tests run in."""
    from django.contrib.auth.models import Group

    from frameworks.roles import ROLE_PERMISSIONS, sync_role_groups

    # a count, not a full comparison: this runs for each persona a test creates
    if Group.objects.filter(name__in=list(ROLE_PERMISSIONS)).count() < len(ROLE_PERMISSIONS):
        sync_role_groups()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_everything()
        # not in load_everything: browser tests call that for each test
        load_country_data()


@pytest.fixture(autouse=True)
def _fresh_api_cache():
    """Each test starts without cached public answers: a test's writes are rolled back at its
    end, and answers cached from them must not outlive it (itu_rbm/caching.py)."""
    from itu_rbm.caching import forget_public_answers

    forget_public_answers()


@pytest.fixture
def steady(settings):
    """A process that trusts the content generation it read for a minute (as in production,
    only longer): another process's write is not seen meanwhile (itu_rbm/caching.py)."""
    settings.API_STAMP_SECONDS = 60


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Each test starts in the default language: a request in another language leaves it
    active in the thread, and commands would then answer in French."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def plan(db):
    from frameworks.models import StrategicPlan

    return StrategicPlan.objects.get(code="2020-2023")


@pytest.fixture
def visitor(client):
    """Anonymous: a member of the public."""
    return client


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        "staff", "staff@example.org", "a-long-test-password", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(staff_user):
    """A second browser, signed in as staff (the visitor stays anonymous)."""
    from django.test import Client

    client = Client()
    client.force_login(staff_user)
    return client
