"""The workspace pages: the reviewer's queue, the reporter's figures, who may open which page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import services
from indicators.models import Observation
from workspace.views import queue_items, sparkline

from .conftest import FIGURE, report

pytestmark = pytest.mark.django_db

# --- who may open which page ---------------------------------------------------------------------

PAGES = {
    "home": reverse("workspace:home"),
    "review": reverse("workspace:review"),
    "figures": reverse("workspace:figures"),
    "report": reverse("workspace:report"),
    "history": reverse("workspace:history"),
    "compare": reverse("workspace:compare", args=["2020-2023", "2020-2023"]),
}
ALLOWED = {
    "reporter_d": {"home", "figures", "report", "history", "compare"},
    "editor_d": {"home", "history", "compare"},
    "editor_r": {"home", "history", "compare"},
    "reviewer_d": {"home", "review", "history", "compare"},
    "administrator": set(PAGES),
    "no_role": set(),
}


@pytest.mark.parametrize("persona", list(ALLOWED))
@pytest.mark.parametrize("page", list(PAGES))
def test_workspace_pages_by_role(persona, page, client_of):
    response = client_of(persona).get(PAGES[page])
    allowed = page in ALLOWED[persona]
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "Not for your role" in response.content.decode()


@pytest.mark.parametrize("page", list(PAGES))
def test_workspace_pages_send_visitors_to_sign_in(page, visitor):
    response = visitor.get(PAGES[page])
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/?next=")


def test_workspace_home_lists_the_tasks_of_the_role(client_of):
    content = client_of("reviewer_d").get(PAGES["home"]).content.decode()
    assert "Review the figures waiting for approval" in content
    assert "Report a figure" not in content.split("<h1>")[1]
    assert "Reviewer" in content and "ITU-D" in content


# --- the queue ------------------------------------------------------------------------------------


def test_sparkline_scales_the_series_into_its_box():
    spark = sparkline([(2017, 49.0), (2019, 53.6), (2023, 67.0)], (2024, 68.5))
    assert spark["line"] == "2.0,30.0 35.1,23.4 101.4,4.2"  # 116 px for 7 years, 28 px for 19.5
    assert spark["dot"] == (118.0, 2.0)
    assert sparkline([], (2024, 1.0)) is None


def test_queue_items_compare_with_the_edition_in_use_or_the_year_before(plan, people):
    same_year = report(
        plan, people["reporter_d"], year="2023", value="80.4", edition="A restated edition"
    )
    next_year = report(plan, people["reporter_d"])
    first_ever = report(plan, people["reporter_d"], geography="ATG", year="2024")
    items = {item.observation.pk: item for item in queue_items([same_year, next_year, first_ever])}

    restated = items[same_year.pk]
    assert (restated.previous.year, restated.previous.value) == (2023, Decimal("67"))
    assert restated.previous_kind == "edition"
    assert restated.change_percent == "+20.0%" and restated.outlier

    following = items[next_year.pk]
    assert (following.previous.year, following.previous_kind) == (2023, "year")
    assert following.change_percent == "+2.2%" and not following.outlier
    assert [p.year for p in following.series] == [2017, 2018, 2019, 2021, 2022, 2023]

    alone = items[first_ever.pk]
    assert alone.previous is None and alone.series == [] and alone.spark is None


def test_review_queue_lists_waiting_figures_oldest_first(
    plan, people, client_of, django_assert_max_num_queries
):
    first = report(plan, people["reporter_d"], geography="LDC", value="40")
    second = report(plan, people["reporter_d"])
    client = client_of("reviewer_d")
    with django_assert_max_num_queries(12):
        response = client.get(PAGES["review"])
    items = response.context["items"]
    assert [item.observation.pk for item in items] == [first.pk, second.pk]
    content = response.content.decode()
    assert content.index(f'id="figure-{first.pk}"') < content.index(f'id="figure-{second.pk}"')
    assert "68.5" in content and "67" in content and "+2.2%" in content
    assert "<polyline" in content


def test_review_queue_queries_do_not_grow_with_the_queue(
    plan, people, client_of, django_assert_max_num_queries
):
    for year in range(2024, 2036):
        report(plan, people["reporter_d"], year=str(year))
    client = client_of("reviewer_d")
    with django_assert_max_num_queries(12):
        response = client.get(PAGES["review"])
    assert len(response.context["items"]) == 12


def test_review_queue_shows_only_the_reviewers_sectors(client_of, submitted):
    assert client_of("reviewer_r").get(PAGES["review"]).context["items"] == []
    assert (
        "Nothing waits for review" in client_of("reviewer_r").get(PAGES["review"]).content.decode()
    )


def test_review_page_approves_in_bulk(plan, people, client_of, submitted):
    other = report(plan, people["reporter_d"], geography="LDC", value="40")
    client = client_of("reviewer_d")
    response = client.post(
        PAGES["review"], {"figures": [submitted.pk, other.pk], "decision": "approve"}, follow=True
    )
    assert "2 figures approved." in response.content.decode()
    assert set(
        Observation.objects.filter(pk__in=[submitted.pk, other.pk]).values_list("status", flat=True)
    ) == {"approved"}
    assert response.context["items"] == []


def test_review_page_return_needs_a_comment(client_of, submitted):
    client = client_of("reviewer_d")
    refused = client.post(PAGES["review"], {"figures": [submitted.pk], "decision": "return"})
    assert refused.status_code == 400
    assert "a comment is required" in refused.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    client.post(
        PAGES["review"],
        {"figures": [submitted.pk], "decision": "return", "comment": "Which edition?"},
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.review_comment) == ("returned", "Which edition?")


def test_review_page_refuses_an_illegal_transition_and_changes_nothing(
    plan, people, client_of, submitted
):
    approved = report(plan, people["reporter_d"], geography="LDC", value="40")
    services.observation_approve(observation=approved, user=people["administrator"])
    response = client_of("reviewer_d").post(
        PAGES["review"], {"figures": [submitted.pk, approved.pk], "decision": "approve"}
    )
    assert response.status_code == 400
    assert "Nothing was changed: A figure that is approved cannot become approved." in (
        response.content.decode()
    )
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_review_page_refuses_figures_of_another_sector(client_of, submitted):
    response = client_of("reviewer_r").post(
        PAGES["review"], {"figures": [submitted.pk], "decision": "approve"}
    )
    assert response.status_code == 400
    assert "figures" in response.context["form"].errors
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_review_page_needs_a_selection(client_of, submitted):
    response = client_of("reviewer_d").post(PAGES["review"], {"decision": "approve"})
    assert "Select at least one figure." in response.content.decode()


# --- the reporter's pages -------------------------------------------------------------------------


def test_report_page_submits_a_valid_figure(client_of, people, django_assert_max_num_queries):
    client = client_of("reporter_d")
    with django_assert_max_num_queries(12):
        page = client.get(PAGES["report"])
    assert 'value="1.2-internet-use"' in page.content.decode()
    response = client.post(PAGES["report"], FIGURE, follow=True)
    assert "1.2-internet-use · WLD · 2024 was submitted for review." in response.content.decode()
    created = Observation.objects.get(edition=FIGURE["edition"])
    assert created.status == "submitted" and created.reported_by == people["reporter_d"]


def test_report_page_shows_the_validators_messages_and_keeps_the_input(client_of):
    response = client_of("reporter_d").post(
        PAGES["report"], {**FIGURE, "value": "around half", "source_url": "ftp://x"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["value"] == ["'around half' is not a number"]
    assert errors["source_url"] == ["must be an http(s) address"]
    assert 'value="around half"' in response.content.decode()
    assert not Observation.objects.filter(edition=FIGURE["edition"]).exists()


def test_my_figures_show_a_returned_figure_with_its_comment(client_of, people, submitted):
    services.observation_return(
        observation=submitted, user=people["reviewer_d"], comment="Cite the 2024 release"
    )
    content = client_of("reporter_d").get(PAGES["figures"]).content.decode()
    assert "Cite the 2024 release" in content and "Correct and submit again" in content
    assert reverse("workspace:revise", args=[submitted.pk]) in content


def test_revise_page_resubmits_a_returned_figure(client_of, people, submitted):
    services.observation_return(observation=submitted, user=people["reviewer_d"], comment="No")
    client = client_of("reporter_d")
    url = reverse("workspace:revise", args=[submitted.pk])
    page = client.get(url)
    assert page.context["form"].initial["value"] == "68.5"
    response = client.post(url, {**FIGURE, "value": "68.1", "version": 2})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, str(submitted.value.normalize())) == ("submitted", "68.1")


def test_revise_page_refuses_a_stale_version_and_keeps_the_input(client_of, people, submitted):
    client = client_of("reporter_d")
    url = reverse("workspace:revise", args=[submitted.pk])
    services.observation_revise(
        observation=submitted,
        raw={**FIGURE, "value": "69.2"},
        user=people["reporter_d"],
        based_on_version=1,
    )
    response = client.post(url, {**FIGURE, "value": "70.3", "version": 1})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Someone else changed this figure" in content
    [conflict] = response.context["conflicts"]
    assert (conflict.field, conflict.theirs, conflict.yours) == ("value", "69.2", "70.3")
    assert 'value="70.3"' in content  # the input is kept
    assert response.context["form"]["version"].value() == 2  # saving again is deliberate
    submitted.refresh_from_db()
    assert str(submitted.value.normalize()) == "69.2"
    assert client.post(url, {**FIGURE, "value": "70.3", "version": 2}).status_code == 302


@pytest.mark.parametrize("persona, status", [("reporter_d2", 403), ("administrator", 200)])
def test_revise_page_only_for_the_reporter(persona, status, client_of, submitted):
    url = reverse("workspace:revise", args=[submitted.pk])
    assert client_of(persona).get(url).status_code == status


def test_workspace_home_and_my_figures_in_bounded_queries(
    plan, people, client_of, django_assert_max_num_queries
):
    for year in range(2024, 2030):
        report(plan, people["reporter_d"], year=str(year))
    client = client_of("reporter_d")
    with django_assert_max_num_queries(10):
        home = client.get(PAGES["home"])
    assert "Report a figure" in home.content.decode()
    with django_assert_max_num_queries(10):
        figures = client.get(PAGES["figures"])
    assert len(figures.context["figures"]) == 6
    assert figures.content.decode().count("Submitted") == 6
