"""A figure sent through the API or the workspace's form is held to the import's rules: no NUL
byte or other control character, no number or year in a form Python reads but people do not
write ("1_0", "2_024", full-width digits in a JSON text), and nothing written when refused."""

import json

import pytest
from django.urls import reverse

from indicators.models import Observation
from tests.api.test_writes import FIGURE, URL, snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"source": "ITU\x00"}, {"source": ["Null characters are not allowed."]}),
        (
            {"edition": "FF\x1b2025"},
            {"edition": ["holds a control character (U+001B) at character 3: remove it"]},
        ),
        (
            {"source": "ITU \ud800"},  # a lone surrogate: no UTF-8 text holds it
            {"source": ["Surrogate characters are not allowed: U+D800."]},
        ),
        ({"note": "n" * 2001}, {"note": ["longer than 2000 characters"]}),
        ({"value": "1_0"}, {"value": ["A valid number is required."]}),
        ({"value": "1e3"}, {"value": ["A valid number is required."]}),
        ({"value": "７０"}, {"value": ["A valid number is required."]}),
        ({"year": "2_024"}, {"year": ["A valid integer is required."]}),
        ({"year": "２０２４"}, {"year": ["A valid integer is required."]}),
    ],
)
def test_the_api_refuses_what_people_do_not_write(reporter_d, change, errors):
    before = snapshot()
    # as a tool sends it: JSON escapes (\u0000, \ud800) in ASCII text
    body = json.dumps({**FIGURE, **change})
    response = reporter_d.post(URL, body, content_type="application/json")
    assert (response.status_code, response.json()) == (400, errors)
    assert snapshot() == before


def test_the_api_reads_numbers_as_json_and_plain_texts(reporter_d):
    response = reporter_d.post(URL, {**FIGURE, "year": "2024", "value": "+70.5"}, format="json")
    assert response.status_code == 201, response.content
    assert Observation.objects.get(pk=response.json()["id"]).value == 70.5


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"source": "ITU\x00"}, "source", "Null characters are not allowed."),
        ({"source": "ITU\x1b"}, "source", "holds a control character (U+001B) at character 4"),
        ({"year": "2_024"}, "year", "&#x27;2_024&#x27; is not a year"),
    ],
)
def test_the_workspace_form_refuses_what_people_do_not_write(change, field, message):
    from django.test import Client

    from tests.personas import make_persona
    from tests.workspace.conftest import FIGURE as TYPED

    client = Client()
    client.force_login(make_persona("reporter_d"))
    before = snapshot()
    response = client.post(reverse("workspace:report"), {**TYPED, **change})
    assert response.status_code == 400  # the form again, with its message
    assert message in response.content.decode()
    assert snapshot() == before


def test_the_workspace_form_keeps_a_multi_line_note(plan):
    from django.test import Client

    from tests.personas import make_persona
    from tests.workspace.conftest import FIGURE as TYPED

    client = Client()
    client.force_login(make_persona("reporter_d"))
    response = client.post(reverse("workspace:report"), {**TYPED, "note": "one\r\ntwo"})
    assert response.status_code == 302
    assert Observation.objects.get(edition=TYPED["edition"]).note == "one\r\ntwo"
