"""schemathesis over the countries, series, statistics and map addresses with figures in the
database (tests/api/test_schema.py runs every operation, on a database without statistics)."""

import pytest
from schemathesis.generation.modes import GenerationMode

from tests.api.country_factory import make_country_world
from tests.api.test_schema import api_schema, fuzz  # noqa: F401 (api_schema: the fixture)

pytestmark = pytest.mark.django_db

PREFIXES = ("/api/v1/countries/", "/api/v1/series/", "/api/v1/statistics/")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_country_addresses_answer_every_generated_request_within_their_schema(
    api_schema,  # noqa: F811
    mode,
):
    make_country_world()
    operations = [
        result.ok()
        for result in api_schema.get_all_operations()
        if result.ok().path.startswith(PREFIXES)
    ]
    assert len(operations) == 6
    failures = {}
    for operation in operations:
        try:
            fuzz(operation, mode, {"Accept-Encoding": "identity"})
        except Exception as error:  # every operation's failure, then all of them
            failures[operation.label] = str(error)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
