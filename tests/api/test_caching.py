"""Conditional GET and the cache of public answers: ETag and Last-Modified, 304 without building
the body, Cache-Control, and every write making the cached answers stale."""

import gzip
import json

import pytest
from django.utils.http import http_date

from frameworks.models import Goal
from indicators.imports import observations_import
from indicators.models import Observation
from itu_rbm.caching import content_stamp, read_content_stamp

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/plans/2020-2023"
TREE = f"{PLAN}/tree/"


def test_public_reads_carry_validators_and_public_cache_control(api):
    response = api.get(f"{PLAN}/targets/")
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 26
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Last-Modified"] == http_date(read_content_stamp().modified.timestamp())
    for header in ("Accept", "Accept-Language", "Authorization", "Cookie"):
        assert header in response["Vary"]


def test_a_matching_etag_is_answered_304_without_a_query(
    api, steady, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(21):
        etag = api.get(TREE)["ETag"]
    with django_assert_num_queries(0):
        response = api.get(TREE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and response["Cache-Control"] == "public, max-age=60"
    assert api.get(TREE, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    assert api.get(TREE, HTTP_IF_NONE_MATCH=f'"x", W/{etag}').status_code == 304


def test_answers_are_compressed_for_clients_that_accept_it_and_304_on_the_weak_etag(api, steady):
    plain = api.get(TREE)
    compressed = api.get(TREE, HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
    assert json.loads(gzip.decompress(compressed.content)) == plain.json()
    assert len(compressed.content) < len(plain.content) / 4
    # compression makes the ETag weak; a conditional GET with it is still answered 304
    assert compressed["ETag"] == "W/" + plain["ETag"]
    response = api.get(TREE, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=compressed["ETag"])
    assert response.status_code == 304 and response.content == b""


def test_a_304_keeps_the_language_and_the_vary_header(api, steady):
    full = api.get(f"{PLAN}/goals/", {"lang": "zh-hans"})
    response = api.get(f"{PLAN}/goals/", {"lang": "zh-hans"}, HTTP_IF_NONE_MATCH=full["ETag"])
    assert response.status_code == 304
    assert response["Content-Language"] == "zh-hans"
    assert response["Vary"] == full["Vary"]  # the variants of what it confirms, named once each
    names = [name.strip().lower() for name in full["Vary"].split(",")]
    assert len(names) == len(set(names))
    assert {"accept", "accept-language", "authorization", "cookie"} <= set(names)
    assert response["Last-Modified"] == full["Last-Modified"]


def test_if_modified_since_is_answered_304(api, steady):
    modified = api.get(f"{PLAN}/goals/")["Last-Modified"]
    assert api.get(f"{PLAN}/goals/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_the_tree_is_served_from_the_cache(api, steady, django_assert_num_queries):
    first = api.get(TREE)
    with django_assert_num_queries(0):
        again = api.get(TREE)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Language"] == "en" and again["Content-Type"] == "application/json"


def test_no_cache_rebuilds_the_answer(api, steady, django_assert_max_num_queries):
    api.get(TREE)
    with django_assert_max_num_queries(25) as context:
        fresh = api.get(TREE, HTTP_CACHE_CONTROL="no-cache")
    assert len(context.captured_queries) >= 19 and fresh.status_code == 200


def test_each_language_and_format_has_its_own_answer(api, steady):
    english, chinese = api.get(f"{PLAN}/goals/"), api.get(f"{PLAN}/goals/", {"lang": "zh-hans"})
    by_header = api.get(f"{PLAN}/goals/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    as_csv = api.get(f"{PLAN}/goals/", {"format": "csv"})
    assert english.json()["results"][0]["short_name"] == "Growth"
    assert chinese.json()["results"][0]["short_name"] == "增长"
    assert by_header.content == chinese.content and by_header["ETag"] == chinese["ETag"]
    assert len({english["ETag"], chinese["ETag"], as_csv["ETag"]}) == 3
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"


def test_a_write_makes_the_cached_tree_stale(api, steady, plan):
    before = api.get(TREE)
    goal = Goal.objects.get(plan=plan, number=1)
    goal.short_name_en = "Growth and access"
    goal.save()
    after = api.get(TREE, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["goals"][0]["short_name"] == "Growth and access"
    assert after["ETag"] != before["ETag"]


def test_a_write_by_another_process_is_seen_once_the_stamp_is_read_again(
    api, steady, settings, plan
):
    """An import (another process, no signals here) writes figures and their history: this
    process keeps its answer while it trusts its stamp, then sees the new figure."""
    url = "/api/v1/observations/"
    params = {"indicator": "1.2-internet-use", "geography": "WLD", "year": 2024}
    assert api.get(url, params).json()["count"] == 0
    row = {
        "indicator": "1.2-internet-use",
        "geography": "WLD",
        "year": "2024",
        "value": "68",
        "source": "ITU",
        "edition": "Facts and Figures 2024",
    }
    assert observations_import([(2, row)], plan=plan, approve=True).created == 1
    assert api.get(url, params).json()["count"] == 0  # still trusting the stamp it read
    settings.API_STAMP_SECONDS = 0
    assert [r["value"] for r in api.get(url, params).json()["results"]] == [68]


def test_the_content_stamp_is_one_query_and_changes_with_every_recorded_write(
    plan, django_assert_num_queries
):
    with django_assert_num_queries(1):
        before = read_content_stamp()
    observation = Observation.objects.filter(indicator__plan=plan).first()
    observation.note = "checked"
    observation.save()
    after = read_content_stamp()
    assert after.modified > before.modified and after.token != before.token
    assert content_stamp() == after  # the save forgot the stamp this process remembered


def test_reads_with_credentials_are_private_and_never_served_from_the_public_cache(
    api, reporter_d, steady, plan
):
    url = "/api/v1/observations/"
    public = api.get(url, {"status": "submitted"})
    assert public.json()["count"] == 0
    indicator = plan.indicators.get(code="1.2-internet-use")
    Observation.objects.bulk_create(  # no signal: the public cache is not told
        [
            Observation(
                indicator=indicator,
                geography=indicator.headline_geography,
                year=2024,
                value=68,
                source="s",
                edition="pending",
                status=Observation.Status.SUBMITTED,
            )
        ]
    )
    private = reporter_d.get(url, {"status": "submitted"})
    assert private["Cache-Control"] == "private, no-store"
    assert "ETag" not in private
    assert private.json()["count"] == 1


def test_errors_are_not_cached(api, steady):
    assert api.get("/api/v1/plans/2024-2027/").status_code == 404
    response = api.get(f"{PLAN}/goals/", {"lang": "xx"})
    assert response.status_code == 400 and "ETag" not in response
