"""Conditional GET and the cache of public answers: ETag and Last-Modified, 304 without building
the body, Cache-Control, and every write making the cached answers stale."""

import gzip
import json

import pytest
from django.conf import settings
from django.utils.http import http_date

from frameworks.models import Goal
from indicators.imports import observations_import
from indicators.models import Indicator, Observation
from itu_rbm.caching import content_generation, read_generation
from risks.models import Risk

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/plans/2020-2023"
TREE = f"{PLAN}/tree/"


def test_public_reads_carry_validators_and_public_cache_control(api):
    response = api.get(f"{PLAN}/targets/")
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 26
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Last-Modified"] == http_date(read_generation().modified.timestamp())
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


def test_a_visitors_no_cache_is_answered_from_the_cache(api, steady, django_assert_num_queries):
    """Issue 18: `Cache-Control: no-cache` from anyone rebuilt the tree (~50x the work)."""
    first = api.get(TREE)
    with django_assert_num_queries(0):
        again = api.get(TREE, HTTP_CACHE_CONTROL="no-cache", HTTP_PRAGMA="no-cache")
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"]
    with django_assert_num_queries(0):  # revalidation works as ever
        revalidated = api.get(TREE, HTTP_CACHE_CONTROL="no-cache", HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 304


def test_a_signed_in_user_gets_the_answer_built_afresh(
    api, nobody, steady, django_assert_max_num_queries
):
    public = api.get(TREE)
    with django_assert_max_num_queries(27) as context:
        built = nobody.get(TREE)
    assert len(context.captured_queries) >= 19
    assert built.content == public.content  # no role: the public's content, built for them
    assert built["Cache-Control"] == "private, no-store"


def test_credentials_that_prove_nothing_are_a_visitors(api, steady, django_assert_max_num_queries):
    """A made-up session cookie, or an Authorization scheme the API does not take, bypassed the
    public cache as well as no-cache did."""
    public = api.get(TREE)
    api.cookies[settings.SESSION_COOKIE_NAME] = "made-up"
    with django_assert_max_num_queries(1):  # the session looked up, nothing built
        forged = api.get(TREE)
    assert forged.content == public.content and forged["ETag"] == public["ETag"]
    del api.cookies[settings.SESSION_COOKIE_NAME]
    with django_assert_max_num_queries(1):
        basic = api.get(TREE, HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==")
    assert basic.status_code == 401
    assert basic.json() == {"detail": "Unknown credentials: send a token."}


def test_a_visitors_no_cache_on_a_page_is_answered_from_the_cache(
    client, steady, django_assert_num_queries, django_assert_max_num_queries
):
    first = client.get("/en/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get("/en/", HTTP_CACHE_CONTROL="no-cache")
    assert again.content == first.content
    client.cookies[settings.SESSION_COOKIE_NAME] = "made-up"
    with django_assert_max_num_queries(1):  # at most the session looked up, nothing built
        assert client.get("/en/", HTTP_AUTHORIZATION="Token x").content == first.content


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


FIGURE_URL = "/api/v1/observations/"
FIGURE_QUERY = {
    "indicator": "1.2-internet-use",
    "geography": "WLD",
    "year": 2024,
    "edition": "Facts and Figures 2025",  # beside the published Facts and Figures 2024
}
FIGURE_ROW = {
    "indicator": "1.2-internet-use",
    "geography": "WLD",
    "year": "2024",
    "value": "68",
    "publisher": "ITU",
    "publication": "Facts and Figures 2025",
    "source": "ITU",
    "edition": "Facts and Figures 2025",
}


def test_a_write_by_another_process_is_seen_once_the_generation_is_read_again(
    api, steady, settings, plan, monkeypatch
):
    """An import in another process starts a new generation in the shared cache: this process
    keeps its answer while it trusts the generation it read, then sees the new figure."""
    assert api.get(FIGURE_URL, FIGURE_QUERY).json()["count"] == 0
    with monkeypatch.context() as other_process:
        other_process.setattr("itu_rbm.caching._memo", {})  # its own memory of the generation
        assert observations_import([(2, FIGURE_ROW)], plan=plan, approve=True).created == 1
    assert api.get(FIGURE_URL, FIGURE_QUERY).json()["count"] == 0  # still trusting its own
    settings.API_STAMP_SECONDS = 0
    assert [r["value"] for r in api.get(FIGURE_URL, FIGURE_QUERY).json()["results"]] == [68]


def test_an_import_leaves_the_cached_answers_behind_once_however_many_rows(
    api, steady, plan, django_capture_on_commit_callbacks
):
    """Its rows are inserted in bulk (no signal): the import says so itself, and once more when
    its transaction commits."""
    assert api.get(FIGURE_URL, FIGURE_QUERY).json()["count"] == 0
    rows = [(2, FIGURE_ROW), (3, {**FIGURE_ROW, "year": "2025", "value": "70"})]
    with django_capture_on_commit_callbacks() as after_commit:
        assert observations_import(rows, plan=plan, approve=True).created == 2
    assert len(after_commit) == 1
    assert [r["value"] for r in api.get(FIGURE_URL, FIGURE_QUERY).json()["results"]] == [68]


def test_the_generation_is_read_without_a_query_and_changes_with_every_write(
    plan, django_assert_num_queries
):
    with django_assert_num_queries(0):
        before = read_generation()
        assert content_generation() == before
    observation = Observation.objects.filter(indicator__plan=plan).first()
    observation.note = "checked"
    observation.save()
    after = read_generation()
    assert after.modified > before.modified and after.token != before.token
    assert content_generation() == after  # the save forgot the generation this process read


@pytest.mark.parametrize("model", [Goal, Indicator, Risk])
def test_a_save_in_each_data_app_starts_a_new_generation(plan, model):
    """Each data app connects the receivers for its own models (its AppConfig.ready())."""
    before = read_generation()
    model.objects.filter(plan=plan).first().save()
    assert read_generation() != before


def test_a_change_of_links_or_a_delete_starts_a_new_generation(plan):
    assert plan.custodian_indicators.exists()
    before = read_generation()
    plan.custodian_indicators.remove(*plan.custodian_indicators.all()[:1])
    assert read_generation() != before
    before = read_generation()
    Observation.objects.filter(indicator__plan=plan).first().delete()
    assert read_generation() != before


def test_a_write_starts_a_new_generation_again_once_committed(
    plan, django_capture_on_commit_callbacks
):
    """A read between a write and its commit sees what the database showed before, and may keep
    it under the generation the write started: the commit starts another."""
    goal = Goal.objects.get(plan=plan, number=1)
    with django_capture_on_commit_callbacks(execute=True):
        goal.save()
        during = read_generation()
    assert read_generation().token != during.token


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
