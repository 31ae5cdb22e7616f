"""The workspace pages: the reviewer's queue, the reporter's figures, who may open which page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

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
    next_year = report(plan, people["reporter_d"], year="2025")  # after Facts and Figures 2024
    first_ever = report(plan, people["reporter_d"], geography="ATG", year="2024")
    items = {item.observation.pk: item for item in queue_items([same_year, next_year, first_ever])}

    restated = items[same_year.pk]
    assert (restated.previous.year, restated.previous.value) == (2023, Decimal("67"))
    assert restated.previous_kind == "edition"
    assert restated.change_percent == "+20.0%" and restated.outlier

    following = items[next_year.pk]
    assert (following.previous.year, following.previous_kind) == (2024, "year")
    assert following.change_percent == "+0.7%" and not following.outlier
    assert [p.year for p in following.series] == [2017, 2018, 2019, 2021, 2022, 2023, 2024]

    alone = items[first_ever.pk]
    assert alone.previous is None and alone.series == [] and alone.spark is None


def test_review_queue_lists_waiting_figures_oldest_first(
    plan, people, client_of, django_assert_max_num_queries
):
    first = report(plan, people["reporter_d"], geography="LDC", value="40")
    second = report(plan, people["reporter_d"], year="2025")
    client = client_of("reviewer_d")
    with django_assert_max_num_queries(12):
        response = client.get(PAGES["review"])
    items = response.context["items"]
    assert [item.observation.pk for item in items] == [first.pk, second.pk]
    content = response.content.decode()
    assert content.index(f'id="figure-{first.pk}"') < content.index(f'id="figure-{second.pk}"')
    assert "68.5" in content and "+0.7%" in content  # against 2024's 68
    assert "ITU, Facts and Figures 2025" in content  # the citation, provenance apart
    assert (items[1].previous.year, items[1].previous.value) == (2024, Decimal("68"))
    assert "<polyline" in content


def test_review_queue_queries_do_not_grow_with_the_queue(
    plan, people, client_of, django_assert_max_num_queries
):
    # twelve years within the plan's reporting window (2010-2026)
    for year in range(2014, 2026):
        report(plan, people["reporter_d"], year=str(year), edition="Queue test edition")
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
    assert errors["value"] == [
        "“around half” is not a number as this language writes it: write numbers like 1,234.5 "
        "(“.” before the decimals)."
    ]
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
    assert page.context["form"].initial["value"] == Decimal("68.5")
    assert 'value="68.5"' in page.content.decode()
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
    for year in range(2020, 2026):  # within the plan's reporting window (2010-2026)
        report(plan, people["reporter_d"], year=str(year), edition="Bounded test edition")
    client = client_of("reporter_d")
    # the desk (workspace/desk.py): session and user, roles, sectors, plans, the reporting
    # window, the missing and the returned figures, and the recent changes (one query, then two
    # per kind of element among them): more figures do not mean more queries
    with django_assert_max_num_queries(16):
        home = client.get(PAGES["home"])
    assert "Report a figure" in home.content.decode()
    with django_assert_max_num_queries(10):
        figures = client.get(PAGES["figures"])
    assert len(figures.context["figures"]) == 6
    assert figures.content.decode().count("Submitted") == 6


# --- numbers as the page's language writes them, the reporting window, the value's context ------

OWN = {**FIGURE, "geography": "ATG", "year": "2022", "edition": "Workspace test edition"}


def report_url(language: str) -> str:
    with translation.override(language):
        return reverse("workspace:report")


def test_report_page_in_french_reads_a_decimal_comma(client_of):
    response = client_of("reporter_d").post(report_url("fr"), {**OWN, "value": "40,75"})
    assert response.status_code == 302
    assert Observation.objects.get(edition=OWN["edition"]).value == Decimal("40.75")


def test_report_page_in_english_refuses_a_decimal_comma_and_says_how_english_writes_it(
    client_of,
):
    response = client_of("reporter_d").post(report_url("en"), {**OWN, "value": "85,5"})
    assert response.status_code == 400
    assert response.context["form"].errors["value"] == [
        "“85,5” is not a number as this language writes it: write numbers like 1,234.5 "
        "(“.” before the decimals)."
    ]
    assert not Observation.objects.filter(edition=OWN["edition"]).exists()


def test_report_page_in_french_asks_which_number_and_keeps_the_input(client_of):
    client = client_of("reporter_d")
    figure = {**OWN, "indicator": "1.2-internet-users-millions", "value": "1,234"}
    response = client.post(report_url("fr"), figure)
    assert response.status_code == 400
    assert response.context["form"].errors["value"] == [
        "« 1,234 » se lit de deux façons : dites quel nombre vous voulez dire (ou tapez 1,2340 "
        "pour le nombre décimal, 1234 pour le nombre entier)."
    ]
    content = response.content.decode()
    assert "Quel nombre voulez-vous dire ?" in content
    assert 'value="1.234"' in content and "1,234 — « , » marque les décimales" in content
    assert 'value="1234"' in content and "1\xa0234 — « , » sépare les milliers" in content
    assert 'value="1,234"' in content and 'value="Workspace test edition"' in content  # kept
    assert not Observation.objects.filter(edition=OWN["edition"]).exists()
    response = client.post(report_url("fr"), {**figure, "value_reading": "1234"})
    assert response.status_code == 302
    assert Observation.objects.get(edition=OWN["edition"]).value == Decimal("1234")


def test_report_page_takes_the_decimal_reading_when_chosen(client_of):
    figure = {**OWN, "value": "1,234", "value_reading": "1.234"}
    assert client_of("reporter_d").post(report_url("fr"), figure).status_code == 302
    assert Observation.objects.get(edition=OWN["edition"]).value == Decimal("1.234")


def test_report_page_asks_again_when_the_choice_is_not_a_reading_of_the_text(client_of):
    figure = {**OWN, "value": "2,345", "value_reading": "1234"}  # chosen for another text
    response = client_of("reporter_d").post(report_url("fr"), figure)
    assert response.status_code == 400
    assert 'value="2345"' in response.content.decode()
    assert not Observation.objects.filter(edition=OWN["edition"]).exists()


def test_report_page_refuses_a_year_outside_the_plans_window(client_of):
    response = client_of("reporter_d").post(report_url("en"), {**OWN, "year": "2031"})
    assert response.status_code == 400
    assert response.context["form"].errors["year"] == [
        "2031 is outside the reporting window of the 2020-2023 plan: 2010 to 2026"
    ]
    assert "From 2010 to 2026." in response.content.decode()  # the year's help
    assert not Observation.objects.filter(edition=OWN["edition"]).exists()


def test_report_page_refuses_a_year_in_the_future(client_of, plan):
    next_year = timezone.localdate().year + 1
    plan.reporting_reach_years = next_year - 2023 + 2
    plan.save()
    response = client_of("reporter_d").post(report_url("en"), {**OWN, "year": str(next_year)})
    assert response.status_code == 400
    assert response.context["form"].errors["year"] == [
        f"{next_year} is in the future: figures are reported up to {next_year - 1}, "
        "the current year"
    ]
    assert not Observation.objects.filter(edition=OWN["edition"]).exists()


def test_report_page_shows_unit_range_and_last_approved_figure_beside_the_value(
    client_of, plan, people, django_assert_max_num_queries
):
    millions = {**OWN, "indicator": "1.2-internet-users-millions"}
    approved = report(plan, people["reporter_d"], **{**millions, "value": "1234.5", "year": "2021"})
    services.observation_approve(observation=approved, user=people["reviewer_d"])
    client = client_of("reporter_d")
    with django_assert_max_num_queries(14):
        page = client.get(report_url("fr"))
    assert page.context["figure_context"]["unit"] == "—"  # nothing chosen yet
    figure = {**millions, "value": "abc"}  # refused: the page shows the chosen indicator's context
    with django_assert_max_num_queries(16):
        response = client.post(report_url("fr"), figure)
    context = response.context["figure_context"]
    latest = "1\xa0234,5 en 2021 (Workspace test edition)"
    assert (context["unit"], context["range"], context["latest"]) == (
        "millions",
        "0 ou plus",
        latest,
    )
    content = response.content.decode()
    assert '<dd data-part="unit">millions</dd>' in content
    assert '<dd data-part="range">0 ou plus</dd>' in content
    assert f'<dd data-part="latest">{latest}</dd>' in content
    # every indicator of the form, for the script that follows the choice
    data = context["data"]
    assert data["indicators"]["1.2-internet-use"] == {"unit": "pour cent", "range": "0 – 100"}
    assert data["latest"]["1.2-internet-users-millions|ATG"] == latest
    assert "1.2-internet-use|ATG" not in data["latest"]
    assert '<script id="figure-context-data" type="application/json">' in content
    assert "/static/js/figure-form.js" in content
    assert "<script>" not in content  # no inline script: a strict CSP stays possible


def test_revise_page_shows_the_stored_value_in_the_pages_format(client_of, plan, people):
    figure = report(plan, people["reporter_d"], **{**OWN, "value": "1.234"})
    client = client_of("reporter_d")
    with translation.override("fr"):
        url = reverse("workspace:revise", args=[figure.pk])
    page = client.get(url)
    assert 'value="1,234"' in page.content.decode()
    # sent back unchanged, the shown "1,234" is the stored 1.234, not a question
    data = {**OWN, "value": "1,234", "note": "checked", "version": figure.version}
    assert client.post(url, data).status_code == 302
    figure.refresh_from_db()
    assert (figure.value, figure.note) == (Decimal("1.234"), "checked")
