"""Every error under /api/ is JSON (issue 18): bodies too deep or too large, unknown addresses,
methods and formats, and server errors, which carry an id to quote and no details. Public
pages keep their HTML error pages."""

import logging

import pytest

from api import figures
from api.base import MAX_JSON_DEPTH

pytestmark = pytest.mark.django_db

URL = "/api/v1/observations/"


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_a_body_nested_1000_levels_deep_is_a_json_400_not_a_500(reporter_d):
    response = reporter_d.post(URL, nested(1000), content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "JSON nested more than 32 levels deep."}


def test_the_depth_limit_is_32_levels(reporter_d):
    too_deep = reporter_d.post(URL, nested(MAX_JSON_DEPTH + 1), content_type="application/json")
    assert too_deep.json() == {"detail": "JSON nested more than 32 levels deep."}
    note = {"note": "x"}
    for _ in range(MAX_JSON_DEPTH - 1):
        note = {"note": note}
    deep_enough = reporter_d.post(URL, note, format="json")  # parsed, then refused per field
    assert deep_enough.status_code == 400 and "indicator" in deep_enough.json()


def test_a_body_over_the_size_limit_is_a_json_413(reporter_d, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = reporter_d.post(URL, {"note": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The body is too large."}


@pytest.mark.parametrize(
    ("method", "address", "headers", "status"),
    [
        ("get", "/api/nothing/", {}, 404),
        ("get", "/api/v1/nothing/", {}, 404),
        ("get", "/api/schema/?format=nothing", {}, 404),
        ("delete", f"{URL}1/", {}, 405),
        ("get", "/api/v1/plans/", {"HTTP_ACCEPT": "image/png"}, 406),
    ],
)
def test_api_errors_are_json(reporter_d, method, address, headers, status):
    response = getattr(reporter_d, method)(address, **headers)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_a_body_that_is_not_json_is_a_json_415(reporter_d):
    response = reporter_d.post(URL, "value=1", content_type="text/plain")
    assert response.status_code == 415 and response.json()["detail"].startswith("Unsupported")


def test_a_server_error_is_json_with_an_id_logged_with_its_traceback(api, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(figures.GeographyViewSet, "list", broken)
    with caplog.at_level(logging.ERROR, logger="api.errors"):
        response = api.get("/api/v1/geographies/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "error_id"} and len(body["error_id"]) == 16
    assert body["error_id"] in body["detail"] and "secret" not in response.content.decode()
    (record,) = [r for r in caplog.records if r.name == "api.errors"]
    assert body["error_id"] in record.getMessage()
    assert record.exc_info[0] is RuntimeError


def test_public_pages_keep_their_html_errors(client):
    response = client.get("/en/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_errors_of_every_operation(api):
    paths = api.get("/api/schema/", {"format": "json"}).json()["paths"]
    for operations in paths.values():
        for method, operation in operations.items():
            assert "500" in operation["responses"], method
            schema = operation["responses"]["500"]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ServerError"}
            if method in ("post", "patch"):
                assert {"413", "415"} <= set(operation["responses"])
    create = paths["/api/v1/observations/"]["post"]
    assert {"409", "422"} <= set(create["responses"])
    assert "Idempotency-Key" in {parameter["name"] for parameter in create["parameters"]}
