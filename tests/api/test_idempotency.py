"""Safe retries (issue 18): `POST /api/v1/observations/` with an Idempotency-Key writes once per
key and user; a retry gets the first answer, another body with the key a 422."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from api.models import IdempotencyKey
from indicators.models import Observation

from .test_writes import FIGURE, URL

pytestmark = pytest.mark.django_db


def post(client, body=FIGURE, key="report-1"):
    return client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_with_the_same_key_gets_the_first_answer_without_writing(reporter_d):
    before = Observation.objects.count()
    first = post(reporter_d)
    again = post(reporter_d, dict(reversed(FIGURE.items())))  # the same body, keys reordered
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert (again["ETag"], again["Location"]) == (first["ETag"], first["Location"])
    assert Observation.objects.count() == before + 1
    assert IdempotencyKey.objects.get().status_code == 201


def test_without_a_key_the_same_report_twice_is_refused_as_a_duplicate(reporter_d):
    assert reporter_d.post(URL, FIGURE, format="json").status_code == 201
    assert reporter_d.post(URL, FIGURE, format="json").status_code == 400


def test_the_same_key_with_another_body_is_a_422(reporter_d):
    assert post(reporter_d).status_code == 201
    response = post(reporter_d, {**FIGURE, "value": 71})
    assert response.status_code == 422
    assert "another request" in response.json()["detail"]
    assert (
        Observation.objects.filter(value=71, year=2024, indicator__code=FIGURE["indicator"]).count()
        == 0
    )


def test_keys_are_per_user(reporter_d, reporter_d2):
    assert post(reporter_d).status_code == 201
    # the same key from another reporter is their own: their report is judged (a duplicate)
    response = post(reporter_d2)
    assert response.status_code == 400 and "edition" in response.json()


@pytest.mark.parametrize("key", ["", "   ", "k" * 256, "clé"])
def test_an_empty_too_long_or_non_ascii_key_is_a_400(reporter_d, key):
    before = Observation.objects.count()
    response = post(reporter_d, key=key)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert Observation.objects.count() == before


def test_a_key_of_255_characters_is_accepted(reporter_d):
    assert post(reporter_d, key="k" * 255).status_code == 201


def test_a_refused_report_keeps_no_key_and_its_corrected_retry_is_written(reporter_d):
    refused = post(reporter_d, {**FIGURE, "value": -5})
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post(reporter_d, FIGURE).status_code == 201


def test_keys_older_than_a_day_are_forgotten_and_purged(reporter_d):
    assert post(reporter_d).status_code == 201
    IdempotencyKey.objects.update(
        created_at=IdempotencyKey.objects.get().created_at - timedelta(hours=25)
    )
    response = post(reporter_d, {**FIGURE, "year": 2023, "edition": "another"}, key="report-2")
    assert response.status_code == 201
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["report-2"]


def test_the_management_command_purges_expired_keys(reporter_d):
    assert post(reporter_d).status_code == 201
    call_command("purge_idempotency_keys", verbosity=0)
    assert IdempotencyKey.objects.count() == 1
    IdempotencyKey.objects.update(
        created_at=IdempotencyKey.objects.get().created_at - timedelta(days=2)
    )
    call_command("purge_idempotency_keys", verbosity=0)
    assert not IdempotencyKey.objects.exists()
