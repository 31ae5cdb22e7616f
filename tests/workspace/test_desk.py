"""The desk (workspace/desk.py): after signing in, each role finds what waits for it, and every
workspace page is reachable by links from there."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from frameworks.models import Objective
from indicators import services as figures
from indicators.models import Indicator
from indicators.validation import ReportingWindow
from workspace import desk, services

from .conftest import FIGURE, PASSWORD, report

pytestmark = pytest.mark.django_db


def _reporting_year(plan) -> int:
    today = timezone.localdate()
    return desk.reporting_year(ReportingWindow.for_plan(plan, today=today), today)


@pytest.mark.parametrize(
    "window, today, year",
    [
        (ReportingWindow(2013, 2026, 2026, "2020-2023"), date(2026, 12, 4), 2025),
        # a plan whose reach ended: its last year of the window
        (ReportingWindow(2013, 2024, 2024, "2020-2023"), date(2026, 12, 4), 2024),
        # a plan that has not started: its first year
        (ReportingWindow(2030, 2026, 2040, "2034-2037"), date(2026, 12, 4), 2030),
    ],
)
def test_reporting_year_is_last_year_within_the_window(window, today, year):
    assert desk.reporting_year(window, today) == year


def test_reporter_desk_lists_their_sectors_indicators_missing_a_figure(plan, people):
    year = _reporting_year(plan)
    reporter = people["reporter_d"]
    missing = desk.missing_figures(reporter, plan, year)
    codes = [indicator.code for indicator in missing]
    # every ITU-D indicator without a figure for the year, for its headline geography
    expected = [
        indicator.code
        for indicator in Indicator.objects.for_plan(plan)
        .filter(sector__code="ITU-D")
        .order_by("target__goal__number", "target__order", "code")
        if not indicator.observations.filter(
            geography=indicator.headline_geography, year=year
        ).exists()
    ]
    assert codes == expected and "1.2-internet-use" in codes
    report(plan, reporter, year=str(year))
    assert "1.2-internet-use" not in [
        indicator.code for indicator in desk.missing_figures(reporter, plan, year)
    ]
    # ITU-R's reporter has no indicator in this plan
    assert desk.missing_figures(people["reporter_r"], plan, year) == []


def test_a_returned_figure_is_on_its_reporters_desk_and_missing_again(plan, people):
    year = _reporting_year(plan)
    figure = report(plan, people["reporter_d"], year=str(year))
    figures.observations_review(
        observations=[figure], user=people["reviewer_d"], approve=False, comment="Which edition?"
    )
    assert desk.returned_figures(people["reporter_d"]) == [figure]
    assert desk.returned_figures(people["reporter_d2"]) == []
    missing = desk.missing_figures(people["reporter_d"], plan, year)
    assert "1.2-internet-use" in [indicator.code for indicator in missing]


def test_reviewer_desk_counts_the_queue_by_sector_with_its_oldest(plan, people):
    assert desk.review_queue(people["reviewer_d"]) == []
    first = report(plan, people["reporter_d"])
    report(plan, people["reporter_d"], geography="LDC", value="40")
    (itu_d,) = desk.review_queue(people["reviewer_d"])
    assert (itu_d.sector, itu_d.count, itu_d.oldest) == ("ITU-D", 2, first.submitted_at)
    assert itu_d.age_days(first.submitted_at) == 0
    assert desk.review_queue(people["reviewer_r"]) == []
    assert desk.review_queue(people["administrator"])[0].count == 2


def test_editor_desk_shows_the_drafts_changes_in_their_sectors_only(plan, people):
    draft = services.plan_copy(source=plan, code="2024-2027", user=people["administrator"])
    Objective.objects.filter(plan=draft, code="D.1").update(text_en="A reworded objective")
    Objective.objects.filter(plan=draft, code="R.1").update(text_en="Another")
    plans = [draft, plan]
    (pending,) = desk.pending_changes(people["editor_d"], plans)
    assert pending.plan == draft and pending.against == plan
    assert [(d.kind, d.code, d.change) for d in pending.differences] == [
        ("Objective", "D.1", "reworded")
    ]
    (of_r,) = desk.pending_changes(people["editor_r"], plans)
    assert [d.code for d in of_r.differences] == ["R.1"]
    # plan-wide elements (the copy's own title) belong to the intersectoral editors
    (of_i,) = desk.pending_changes(people["editor_i"], plans)
    assert [(d.kind, d.sector) for d in of_i.differences] == [("Plan", "intersectoral")]
    assert len(desk.pending_changes(people["administrator"], plans)[0].differences) == 3


@pytest.mark.parametrize(
    "persona, shown, hidden",
    [
        (
            "reporter_d",
            ["still without a figure for", "Figures returned to you"],
            ["waiting for your review"],
        ),
        ("reviewer_d", ["waiting for your review"], ["still without a figure for"]),
        (
            "editor_d",
            ["Changes waiting to be published", "No draft plan"],
            ["waiting for your review"],
        ),
    ],
)
def test_desk_page_shows_each_role_its_part(
    persona, shown, hidden, client_of, plan, django_assert_max_num_queries
):
    client = client_of(persona)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("workspace:home")).content.decode()
    for text in [*shown, "Recent changes", "Compare two plans"]:
        assert text in page, text
    for text in hidden:
        assert text not in page, text


def test_desk_links_a_missing_figure_to_the_report_form_filled_in(client_of, plan):
    year = _reporting_year(plan)
    client = client_of("reporter_d")
    page = client.get(reverse("workspace:home")).content.decode()
    query = f"indicator=1.2-internet-use&amp;geography=WLD&amp;year={year}"
    link = f"{reverse('workspace:report')}?{query}"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert (form["indicator"].value(), form["geography"].value(), str(form["year"].value())) == (
        "1.2-internet-use",
        "WLD",
        str(year),
    )


def test_desk_links_every_workspace_page(client_of, plan, people):
    services.plan_copy(source=plan, code="2024-2027", user=people["administrator"])
    page = client_of("administrator").get(reverse("workspace:home")).content.decode()
    for name in ("review", "report", "figures", "history"):
        assert f'href="{reverse(f"workspace:{name}")}' in page, name
    assert f'href="{reverse("workspace:compare", args=["2020-2023", "2024-2027"])}"' in page
    assert f'href="{reverse("admin:index")}"' in page


def test_staff_sign_in_lands_on_the_desk(people, plan):
    client = Client()
    public = client.get("/en/").content.decode()
    assert f'href="{reverse("workspace:home")}">Staff sign-in' in public
    asked = client.get(reverse("workspace:home"))
    assert asked.status_code == 302 and "next=/en/workspace/" in asked.url
    signed_in = client.post(
        asked.url, {"username": "reporter_d", "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == reverse("workspace:home")
    assert "Your desk" in signed_in.content.decode()


def test_admin_index_links_back_to_the_desk(client_of):
    page = client_of("editor_d").get(reverse("admin:index")).content.decode()
    assert f'<a href="{reverse("workspace:home")}">Your desk in the workspace' in page


def test_report_form_prefill_ignores_what_it_does_not_know(client_of, plan):
    form = (
        client_of("reporter_d")
        .get(reverse("workspace:report"), {"indicator": "no-such", "colour": "red"})
        .context["form"]
    )
    assert form["indicator"].value() == "no-such"  # shown as chosen: nothing matches it
    assert not form.is_bound
    assert FIGURE["indicator"] in dict(form.fields["indicator"].choices)
