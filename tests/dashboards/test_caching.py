"""The public pages are the same for every visitor without a session: cached with the API's
answers (itu_rbm.caching), rebuilt after a change, answered 304, and free of cookies; the
language switcher is guarded by origin instead of a CSRF token."""

import io

import pytest
from django.core.management import call_command

from frameworks.models import Goal, StrategicPlan
from indicators.models import Observation

pytestmark = pytest.mark.django_db

PLAN = "/en/plans/2020-2023"
TARGET = f"{PLAN}/targets/1.2/"
MOST = 13  # the target page's queries built fresh, with the map of the Member States
SWITCH = "/i18n/setlang/"


def test_a_page_is_built_once_and_then_served_without_a_query(
    visitor, plan, steady, django_assert_num_queries
):
    first = visitor.get(TARGET)
    with django_assert_num_queries(0):
        again = visitor.get(TARGET)
    assert again.status_code == 200 and again.content == first.content
    # browsers keep it but ask each time (and get a 304 while nothing changed)
    assert again["Cache-Control"] == "public, no-cache"
    assert again["ETag"] == first["ETag"] and again["Content-Language"] == "en"
    # a page's language is in its address: it does not vary on Accept or Accept-Language
    assert again["Vary"] == "Accept-Encoding, Authorization, Cookie"
    with django_assert_num_queries(0):
        other_browser = visitor.get(TARGET, HTTP_ACCEPT="*/*", HTTP_ACCEPT_LANGUAGE="ru")
    assert other_browser.content == first.content
    # each language is a page of its own
    french = visitor.get(f"/fr{TARGET[3:]}")
    assert french["Content-Language"] == "fr" and french.content != first.content


def test_a_change_to_the_plan_or_its_figures_shows_at_once(visitor, plan, steady):
    goal_page = f"{PLAN}/goals/1/"
    assert "A renamed goal" not in visitor.get(goal_page).content.decode()
    goal = Goal.objects.get(plan=plan, number=1)
    goal.short_name_en = "A renamed goal"
    goal.save()
    assert "A renamed goal" in visitor.get(goal_page).content.decode()

    download = f"{TARGET}download.csv"
    rows = len(visitor.get(download).content.decode().splitlines())
    Observation.objects.approved().filter(indicator__target__code="1.2").latest("year").delete()
    assert len(visitor.get(download).content.decode().splitlines()) == rows - 1


def test_a_release_with_other_static_files_builds_the_pages_again(
    visitor, plan, steady, monkeypatch, django_assert_num_queries, django_assert_max_num_queries
):
    monkeypatch.setattr("itu_rbm.caching.assets_token", lambda: "release-1")
    visitor.get(TARGET)
    with django_assert_num_queries(0):
        visitor.get(TARGET)
    # the next release's manifest: the page kept by the previous one is not served
    monkeypatch.setattr("itu_rbm.caching.assets_token", lambda: "release-2")
    with django_assert_max_num_queries(MOST) as built:
        visitor.get(TARGET)
    assert len(built.captured_queries) >= 5


def test_a_new_year_builds_the_pages_again(
    visitor, plan, steady, monkeypatch, django_assert_num_queries, django_assert_max_num_queries
):
    """A target whose year passes is judged from then on: the page kept last year is not served."""
    monkeypatch.setattr("itu_rbm.caching.current_year", lambda: 2026)
    visitor.get(TARGET)
    with django_assert_num_queries(0):
        visitor.get(TARGET)
    monkeypatch.setattr("itu_rbm.caching.current_year", lambda: 2027)
    with django_assert_max_num_queries(MOST) as built:
        visitor.get(TARGET)
    assert len(built.captured_queries) >= 5


def test_a_new_release_starts_with_an_empty_cache(
    visitor, plan, steady, django_assert_num_queries, django_assert_max_num_queries
):
    visitor.get(TARGET)
    with django_assert_num_queries(0):
        visitor.get(TARGET)
    out = io.StringIO()
    call_command("forget_public_answers", stdout=out)
    assert out.getvalue() == "The cache of public answers is empty.\n"
    with django_assert_max_num_queries(MOST) as built:
        visitor.get(TARGET)
    assert len(built.captured_queries) >= 5


def test_addresses_with_a_query_string_are_not_kept(
    visitor, plan, steady, django_assert_max_num_queries
):
    visitor.get(f"{TARGET}?utm_source=newsletter")
    with django_assert_max_num_queries(MOST) as built:
        again = visitor.get(f"{TARGET}?utm_source=newsletter")
    assert len(built.captured_queries) >= 5  # built again
    assert again.status_code == 200 and "Cache-Control" not in again


def test_a_browser_that_has_the_page_gets_304_without_a_query(
    visitor, plan, steady, django_assert_num_queries
):
    etag = visitor.get(TARGET)["ETag"]
    with django_assert_num_queries(0):
        response = visitor.get(TARGET, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag


def test_a_cached_download_keeps_its_file_name(visitor, plan, steady):
    for _ in range(2):
        response = visitor.get(f"{TARGET}download.csv")
        assert response["Content-Disposition"] == (
            'attachment; filename="itu-rbm-2020-2023-target-1.2.csv"'
        )
        assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_visitors_get_no_cookie_and_no_token(visitor, plan):
    response = visitor.get(TARGET)
    assert dict(response.cookies) == {}
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_signed_in_staff_are_served_fresh_private_pages(visitor, staff_client, plan, steady):
    plan.status = StrategicPlan.Status.DRAFT
    plan.save()
    staff_page = staff_client.get(TARGET)
    assert staff_page.status_code == 200
    assert staff_page["Cache-Control"] == "private, no-store"
    assert "only staff can see it" in staff_page.content.decode()
    # what staff saw is not what a visitor gets: the draft stays hidden from the public
    assert visitor.get(TARGET).status_code == 404


# --- the language switcher ----------------------------------------------------------------------


def test_the_switcher_remembers_the_choice_from_the_portals_own_pages(visitor, plan, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://portal.example.org"]  # the public address, say
    for headers in (
        {"HTTP_ORIGIN": "https://portal.example.org"},
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "http://testserver"},
        {},
    ):
        visitor.cookies.clear()
        response = visitor.post(SWITCH, {"language": "ar", "next": f"/ar{TARGET[3:]}"}, **headers)
        assert response.status_code == 302, headers
        assert response.headers["Location"] == f"/ar{TARGET[3:]}"
        assert response.cookies["django_language"].value == "ar"
        assert visitor.get("/").headers["Location"] == "/ar/"


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://elsewhere.example"},
    ],
)
def test_the_switcher_refuses_other_sites(visitor, plan, headers):
    response = visitor.post(SWITCH, {"language": "ar", "next": "/ar/"}, **headers)
    assert response.status_code == 403
    assert "portal's own pages" in response.content.decode()
    assert "django_language" not in response.cookies
    assert visitor.get("/").headers["Location"] == "/en/"


def test_the_switcher_takes_only_posts(visitor):
    assert visitor.get(SWITCH + "?language=fr&next=/fr/").status_code == 405


def test_the_refusal_is_in_the_visitors_language(visitor):
    response = visitor.post(
        SWITCH,
        {"language": "ar", "next": "/ar/"},
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 403
    assert response.content.decode() == (
        "La langue ne peut être changée que depuis les pages du portail lui-même."
    )
