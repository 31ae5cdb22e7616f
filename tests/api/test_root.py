"""/api/v1/: the API's root lists every collection, the schema and the documentation, and each
address it gives answers."""

import pytest

pytestmark = pytest.mark.django_db

PLAN_COLLECTIONS = {
    "goals": "goals/",
    "targets": "targets/",
    "objectives": "objectives/",
    "outcomes": "outcomes/",
    "outputs": "outputs/",
    "enablers": "enablers/",
    "risks": "risks/",
    "indicators": "indicators/",
    "progress": "progress/",
    "tree": "tree/",
}


def test_root_lists_every_collection_the_schema_and_the_docs(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = api.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "plans": "/api/v1/plans/",
        "geographies": "/api/v1/geographies/",
        "observations": "/api/v1/observations/",
        "indicators": "/api/v1/indicators/",
        "progress": "/api/v1/progress/",
        "countries": "/api/v1/countries/",
        "series": "/api/v1/series/",
        "statistics": "/api/v1/statistics/",
        "datapackage": "/en/open-data/datapackage.zip",
        "dcat_catalogue": "/en/open-data/catalogue.jsonld",
        "plan": "/api/v1/plans/{plan}/",
        "plan_collections": {
            name: f"/api/v1/plans/{{plan}}/{tail}" for name, tail in PLAN_COLLECTIONS.items()
        },
        "current_plan": "2020-2023",
        "current_plan_collections": {
            name: f"/api/v1/plans/2020-2023/{tail}" for name, tail in PLAN_COLLECTIONS.items()
        },
        "schema": "/api/schema/",
        "docs": "/api/docs/",
        "sdmx": "/en/open-data/sdmx/structure.xml",
        "open_sdg": "/en/open-data/open-sdg.zip",
    }


def test_every_address_of_the_root_answers(api):
    root = api.get("/api/v1/").json()
    links = [value for value in root.values() if isinstance(value, str) and "/" in value]
    links += list(root["plan_collections"].values()) + list(
        root["current_plan_collections"].values()
    )
    addresses = {link.replace("{plan}", root["current_plan"]) for link in links}
    assert len(links) == 35 and len(addresses) == 25
    for address in addresses:
        assert api.get(address).status_code == 200, address


def test_root_is_cached_like_other_public_reads(api, django_assert_max_num_queries):
    first = api.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="fr")
    assert first["Cache-Control"] == "public, max-age=60"
    with django_assert_max_num_queries(0):
        again = api.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="fr")
    assert again.json() == first.json()
    assert (
        api.get("/api/v1/", HTTP_IF_NONE_MATCH=first["ETag"], HTTP_ACCEPT_LANGUAGE="fr").status_code
        == 304
    )


def test_root_without_a_published_plan_names_no_current_plan(api):
    from frameworks.models import StrategicPlan

    StrategicPlan.objects.update(status=StrategicPlan.Status.DRAFT)
    root = api.get("/api/v1/").json()
    assert root["current_plan"] is None
    assert root["current_plan_collections"] is None
    assert root["plans"] == "/api/v1/plans/"


def test_root_is_documented_in_the_openapi_schema(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/"]["get"]
    assert operation["summary"] == (
        "The API's root: every collection, the schema and the documentation"
    )
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    root = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert set(root["properties"]) == {
        "plans",
        "geographies",
        "observations",
        "indicators",
        "progress",
        "countries",
        "series",
        "statistics",
        "datapackage",
        "dcat_catalogue",
        "plan",
        "plan_collections",
        "current_plan",
        "current_plan_collections",
        "schema",
        "docs",
        "sdmx",
        "open_sdg",
    }


def test_unknown_addresses_say_what_is_wrong(api):
    without_slash = api.get("/api/v1/plans/2020-2023/goals")
    assert without_slash.status_code == 404
    assert without_slash.json() == {
        "detail": "Not found: /api/v1/plans/2020-2023/goals. API addresses end with a slash."
    }
    with_slash = api.get("/api/v1/nothing-here/")
    assert with_slash.status_code == 404
    assert with_slash.json() == {
        "detail": "Not found: /api/v1/nothing-here/. The API's root, /api/v1/, lists its addresses."
    }
