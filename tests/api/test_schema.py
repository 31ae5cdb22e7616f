"""The OpenAPI description: a valid OpenAPI 3 document at /api/schema/ that covers every address,
a documentation page whose assets the portal serves itself, and a property-based run of
schemathesis over every operation that finds no server error and no answer breaking the schema."""

import os
import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from knox.models import AuthToken
from openapi_spec_validator import validate
from schemathesis.checks import CHECKS as CHECK_REGISTRY
from schemathesis.checks import load_all_checks
from schemathesis.generation.modes import GenerationMode

from api import urls as api_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(api) -> dict:
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(openapi):
    validate(openapi)  # raises on any error
    assert openapi["openapi"].startswith("3.")
    assert openapi["info"]["title"] == "ITU RBM portal API"
    assert set(openapi["components"]["securitySchemes"]) >= {"tokenAuth"}
    token = openapi["components"]["securitySchemes"]["tokenAuth"]
    assert (token["in"], token["name"]) == ("header", "Authorization")
    assert "shown once, and expire (90 days" in token["description"]


def test_schema_describes_every_address_of_the_api(openapi):
    documented = {re.sub(r"\{\w+\}", "{}", path) for path in openapi["paths"]}
    for pattern in api_urls.urlpatterns:
        route = str(pattern.pattern)
        if "(?P<rest>" in route:
            continue  # the JSON 404 for unknown addresses
        address = re.sub(r"\(\?P<\w+>[^)]*\)|<\w+:\w+>", "{}", route).strip("^$")
        assert f"/api/v1/{address}" in documented, route


def test_every_operation_has_a_summary_and_its_error_responses(openapi):
    expected = {
        "get": {"200", "304", "400", "404"},
        "post": {"201", "400", "401", "403", "429"},
        "patch": {"200", "400", "401", "403", "404", "412", "428", "429"},
    }
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            responses = set(operation["responses"])
            wanted = expected[method] - ({"304"} if path.endswith("/ping/") else set())
            assert wanted <= responses, (method, path, wanted - responses)
            names = {parameter["name"] for parameter in operation.get("parameters", [])}
            assert {"lang", "Accept-Language"} <= names, (method, path)


def test_collections_document_their_filters_and_csv(openapi):
    observations = openapi["paths"]["/api/v1/observations/"]["get"]
    names = {parameter["name"] for parameter in observations["parameters"]}
    assert names >= {
        "plan",
        "target",
        "indicator",
        "geography",
        "year",
        "year_min",
        "year_max",
        "edition",
        "status",
        "ordering",
        "page",
        "page_size",
        "format",
    }
    content = observations["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv"}


def test_enums_carry_their_names(openapi):
    """settings.SPECTACULAR_SETTINGS names the enums by where they are defined: a module that
    moves must take its name along, or the schema falls back to hashed names (Status50eEnum)."""
    schemas = openapi["components"]["schemas"]
    assert {"PlanStatusEnum", "ReviewStatusEnum", "ProgressStatusEnum"} <= set(schemas)
    assert {"SexEnum", "AgeEnum", "AreaEnum"} <= set(schemas)  # the statistics' breakdowns
    assert not [name for name in schemas if re.fullmatch(r"\w+[0-9a-f]{3}Enum", name)]
    assert "achieved" in schemas["ProgressStatusEnum"]["enum"]


def test_documentation_page_uses_the_portals_own_assets(api):
    page = api.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and not [url for url in assets if url.startswith(("http:", "https:", "//"))]
    bundle = next(url for url in assets if url.endswith("swagger-ui-bundle.js"))
    assert finders.find(bundle.removeprefix("/static/"))
    script = next(url for url in assets if "script" in url)
    assert api.get(script).status_code == 200  # the page's own script, a separate request
    assert "<script>" not in html  # no inline script: a strict Content-Security-Policy works


# --- schemathesis -------------------------------------------------------------------------------


@pytest.fixture
def api_schema(db, django_user_model):
    """The schema, served in-process by the WSGI application (the test's database transaction
    stays open: Django's per-request connection closing is suspended, as its test client does)."""
    from itu_rbm.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def reporter_token(django_user_model):
    from django.contrib.auth.models import Group

    from frameworks.models import Sector, SectorAssignment

    user = django_user_model.objects.create_user("fuzz", "fuzz@example.org", "a-long-password-2")
    user.groups.add(Group.objects.get(name="Reporter"))
    SectorAssignment.objects.create(user=user, sector=Sector.objects.get(code="ITU-D"))
    _token, key = AuthToken.objects.create(user=user)
    return key


# a dozen examples per operation and mode in CI; more to explore locally (API_FUZZ_EXAMPLES=200)
FUZZ_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))

load_all_checks()
CHECKS = [
    check for check in CHECK_REGISTRY.get_all() if check.__name__ != "positive_data_acceptance"
]
"""Every check schemathesis has: no server error; status codes, content types, headers and
bodies as the schema says; data that breaks the schema refused; required headers, methods and
Allow as documented; authentication not ignored. All but positive_data_acceptance, which expects
every request of the right types to succeed: a figure for an indicator code that does not exist,
or a filter by a code with a NUL in it, has the types the schema gives and is still refused 400
with a message (which not_a_server_error and status_code_conformance check)."""


def fuzz(operation, mode: GenerationMode, headers: dict) -> None:
    """Send FUZZ_EXAMPLES generated requests to one operation and check every answer."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=FUZZ_EXAMPLES,
        # the same examples on every CI run (a red run is then the code's, not the draw's);
        # API_FUZZ_RANDOM=1 draws new ones, to explore locally
        derandomize=not os.environ.get("API_FUZZ_RANDOM"),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_answers_every_generated_request_within_its_schema(api_schema, reporter_token, mode):
    """Every operation, with data that fits the schema and data that does not: reads without
    credentials (the public, cached path), writes with a reporter's token. Bounded: a dozen
    examples per operation and mode. (schemathesis' pytest plugin does not run under pytest 9,
    so the operations are driven here with Hypothesis directly.)"""
    failures = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:
        write = operation.method.upper() != "GET"
        # The WSGI transport hands over the body as sent: ask for it uncompressed, as an HTTP
        # client would after decoding it (compression itself: tests/api/test_http.py).
        headers = {"Accept-Encoding": "identity"}
        if write:
            headers["Authorization"] = f"Token {reporter_token}"
        try:
            fuzz(operation, mode, headers)
        except Exception as error:  # collect every operation's failure, then report them all
            failures[operation.label] = str(error)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
