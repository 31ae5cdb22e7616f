"""The review workflow (indicators.services): every transition, legal and illegal; who may make
it; reporting and revising a figure with the validator's rules; bulk review, all or nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from frameworks import roles
from frameworks.models import Objective, StrategicPlan
from indicators import services
from indicators.models import Geography, Indicator, Observation
from indicators.validation import ReportingWindow

from .conftest import FIGURE, form_data, report

pytestmark = pytest.mark.django_db

Status = Observation.Status


def figure(plan, people, status, **changes) -> Observation:
    """A figure of ITU-D reported by reporter_d, put in `status` directly (test set-up)."""
    observation = report(plan, people["reporter_d"], **changes)
    Observation.objects.filter(pk=observation.pk).update(status=status)
    observation.refresh_from_db()
    return observation


# --- transitions ---------------------------------------------------------------------------------

LEGAL = [
    (Status.DRAFT, "submit", Status.SUBMITTED),
    (Status.SUBMITTED, "approve", Status.APPROVED),
    (Status.SUBMITTED, "return", Status.RETURNED),
    (Status.RETURNED, "submit", Status.SUBMITTED),
]
ILLEGAL = [
    (Status.DRAFT, "approve"),
    (Status.DRAFT, "return"),
    (Status.SUBMITTED, "submit"),
    (Status.APPROVED, "submit"),
    (Status.APPROVED, "approve"),
    (Status.APPROVED, "return"),
    (Status.RETURNED, "approve"),
    (Status.RETURNED, "return"),
]


def act(action, observation, people):
    if action == "submit":
        return services.observation_submit(observation=observation, user=people["reporter_d"])
    if action == "approve":
        return services.observation_approve(observation=observation, user=people["reviewer_d"])
    return services.observation_return(
        observation=observation, user=people["reviewer_d"], comment="Check the source"
    )


@pytest.mark.parametrize("start, action, end", LEGAL)
def test_workflow_legal_transition_records_who_and_when(start, action, end, plan, people):
    observation = figure(plan, people, start)
    version = observation.version
    act(action, observation, people)
    observation.refresh_from_db()
    assert observation.status == end
    assert observation.version == version + 1
    record = observation.history.first()
    assert record.status == end
    assert record.history_change_reason == {"submit": "submitted", "approve": "approved"}.get(
        action, "returned"
    )
    if action == "submit":
        assert record.history_user == people["reporter_d"] and observation.submitted_at
    else:
        assert record.history_user == people["reviewer_d"]
        assert observation.reviewed_by == people["reviewer_d"] and observation.reviewed_at
    if action == "return":
        assert observation.review_comment == "Check the source"


@pytest.mark.parametrize("start, action", ILLEGAL)
def test_workflow_illegal_transition_is_refused_with_a_message(start, action, plan, people):
    observation = figure(plan, people, start)
    with pytest.raises(services.WorkflowError, match="cannot become"):
        act(action, observation, people)
    observation.refresh_from_db()
    assert observation.status == start and observation.version == 1


def test_workflow_return_requires_a_comment(submitted, people):
    with pytest.raises(services.WorkflowError, match="comment is required"):
        services.observation_return(observation=submitted, user=people["reviewer_d"], comment=" ")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


@pytest.mark.parametrize("persona", ["reviewer_r", "reporter_d2", "editor_d", "no_role"])
def test_workflow_review_refused_outside_the_reviewers_role_or_sector(persona, submitted, people):
    with pytest.raises(services.WorkflowError, match="may not review"):
        services.observation_approve(observation=submitted, user=people[persona])


def test_workflow_reviewer_cannot_approve_a_figure_they_reported(plan, people, django_user_model):
    from django.contrib.auth.models import Group

    both = people["reviewer_d"]
    both.groups.add(Group.objects.get(name="Reporter"))
    roles.forget(both)
    own = report(plan, both)
    with pytest.raises(services.WorkflowError, match="another reviewer"):
        services.observation_approve(observation=own, user=both)


def test_workflow_submit_refused_outside_the_reporters_sector(plan, people):
    observation = figure(plan, people, Status.DRAFT)
    with pytest.raises(services.WorkflowError, match="may not report"):
        services.observation_submit(observation=observation, user=people["editor_d"])


# --- reporting and revising ----------------------------------------------------------------------


def test_report_creates_a_submitted_figure(plan, people):
    observation = report(plan, people["reporter_d"])
    assert observation.status == Status.SUBMITTED
    assert observation.reported_by == people["reporter_d"] and observation.submitted_at
    assert str(observation.value.normalize()) == "68.5"
    record = observation.history.get()
    assert (record.history_type, record.history_user) == ("+", people["reporter_d"])


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"value": "around half"}, "value", "is not a number"),
        ({"value": "101"}, "value", "above the highest allowed value 100"),
        ({"year": "1850"}, "year", "outside 1990–2035"),
        ({"geography": "ATLANTIS"}, "geography", "unknown geography 'ATLANTIS'"),
        ({"indicator": "9.9-nothing"}, "indicator", "unknown indicator '9.9-nothing'"),
        ({"source": ""}, "source", "this field is required"),
        ({"source_url": "ftp://x"}, "source_url", "must be an http(s) address"),
        (
            {"year": "2023", "edition": FIGURE["edition"].replace("2024", "2023")},
            None,
            None,
        ),
    ],
)
def test_report_refuses_an_invalid_figure_with_a_message_per_field(
    changes, field, message, plan, people
):
    if field is None:  # a valid figure for comparison: another edition of a year
        assert report(plan, people["reporter_d"], **changes).pk
        return
    with pytest.raises(services.InvalidFigure) as refused:
        report(plan, people["reporter_d"], **changes)
    assert any(message in text for text in refused.value.by_field()[field])
    assert not Observation.objects.filter(edition=FIGURE["edition"]).exists()


def test_report_refuses_a_duplicate_of_a_stored_figure(plan, people, submitted):
    with pytest.raises(services.InvalidFigure) as refused:
        report(plan, people["reporter_d2"])
    assert "already exists in the edition" in refused.value.by_field()["edition"][0]


def test_report_refused_for_another_sectors_reporter(plan, people):
    with pytest.raises(services.WorkflowError, match="indicators of ITU-D"):
        report(plan, people["reporter_r"])


def test_revise_a_returned_figure_sends_it_back_to_review(plan, people, submitted):
    services.observation_return(
        observation=submitted, user=people["reviewer_d"], comment="Use the 2024 estimate"
    )
    submitted.refresh_from_db()
    revised = services.observation_revise(
        observation=submitted,
        raw={**FIGURE, "value": "67.9"},
        user=people["reporter_d"],
        based_on_version=submitted.version,
    )
    assert revised.status == Status.SUBMITTED and revised.version == 3
    assert str(revised.value.normalize()) == "67.9"
    reasons = list(revised.history.values_list("history_change_reason", flat=True))
    assert reasons == ["revised", "returned", "reported"]


def test_revise_based_on_an_old_version_is_refused(plan, people, submitted):
    services.observation_revise(
        observation=submitted,
        raw={**FIGURE, "value": "69"},
        user=people["reporter_d"],
        based_on_version=1,
    )
    with pytest.raises(services.StaleVersion) as stale:
        services.observation_revise(
            observation=submitted,
            raw={**FIGURE, "value": "70"},
            user=people["reporter_d"],
            based_on_version=1,
        )
    assert stale.value.current.version == 2
    submitted.refresh_from_db()
    assert str(submitted.value.normalize()) == "69"


@pytest.mark.parametrize("persona", ["reporter_d2", "reviewer_d", "editor_d"])
def test_revise_only_by_the_reporter(persona, people, submitted):
    with pytest.raises(services.WorkflowError, match="only change figures you reported"):
        services.observation_revise(
            observation=submitted, raw=FIGURE, user=people[persona], based_on_version=1
        )


def test_revise_refused_once_approved(people, submitted):
    services.observation_approve(observation=submitted, user=people["reviewer_d"])
    with pytest.raises(services.WorkflowError):
        services.observation_revise(
            observation=submitted, raw=FIGURE, user=people["reporter_d"], based_on_version=2
        )


# --- bulk review ---------------------------------------------------------------------------------


def test_bulk_approve_moves_every_figure(plan, people):
    figures = [report(plan, people["reporter_d"], geography=code) for code in ("WLD", "LDC")]
    count = services.observations_review(
        observations=figures, user=people["reviewer_d"], approve=True
    )
    assert count == 2
    statuses = Observation.objects.filter(pk__in=[f.pk for f in figures]).values_list(
        "status", "reviewed_by__username"
    )
    assert set(statuses) == {("approved", "reviewer_d")}


def test_bulk_review_is_all_or_nothing(plan, people):
    waiting = report(plan, people["reporter_d"], geography="WLD")
    approved = report(plan, people["reporter_d"], geography="LDC")
    services.observation_approve(observation=approved, user=people["reviewer_d"])
    with pytest.raises(services.WorkflowError, match="approved cannot become returned"):
        services.observations_review(
            observations=[waiting, approved],
            user=people["reviewer_d"],
            approve=False,
            comment="Both wrong",
        )
    waiting.refresh_from_db()
    assert waiting.status == Status.SUBMITTED and waiting.review_comment == ""


def test_bulk_return_requires_a_comment(plan, people, submitted):
    with pytest.raises(services.WorkflowError, match="comment is required"):
        services.observations_review(
            observations=[submitted], user=people["reviewer_d"], approve=False
        )


# --- what each role sees --------------------------------------------------------------------------


def test_visible_to_anonymous_and_role_less_users_only_approved_and_published(
    plan, people, submitted
):
    draft = StrategicPlan.objects.create(
        code="2024-2027", title="Next", period_start=2024, period_end=2027, vision="v", mission="m"
    )
    for user in (AnonymousUser(), people["no_role"]):
        assert draft not in StrategicPlan.objects.visible_to(user)
        assert submitted not in Observation.objects.visible_to(user)
    for name in ("reporter_d", "editor_r", "reviewer_d", "administrator"):
        assert draft in StrategicPlan.objects.visible_to(people[name])
        assert submitted in Observation.objects.visible_to(people[name])


def test_scope_filter_matches_in_scope(plan, people):
    objectives = Objective.objects.filter(plan=plan)
    for name in ("editor_d", "editor_r", "editor_i", "administrator", "reporter_d"):
        user = people[name]
        scope = roles.scope_filter(user, Objective)
        filtered = set(objectives if scope is None else objectives.filter(scope))
        assert filtered == {o for o in objectives if roles.in_scope(user, o)}
    indicators = Indicator.objects.filter(plan=plan)
    scope = roles.scope_filter(people["reporter_d"], Indicator)
    assert indicators.filter(scope).count() == indicators.count() == 55


# --- the reporting window, and numbers in the admin's language ----------------------------------

OWN = {**FIGURE, "geography": "ATG", "year": "2022", "edition": "Workflow test edition"}


def test_reporting_window_of_the_plan(plan):
    window = ReportingWindow.for_plan(plan, today=date(2026, 12, 4))
    # earliest baseline 2015 less 5 years of context; target year 2023 plus a reach of 3
    assert (window.first, window.last, window.plan_last) == (2010, 2026, 2026)
    assert ReportingWindow.for_plan(plan, today=date(2025, 1, 1)).last == 2025
    plan.reporting_reach_years, plan.reporting_lookback_years = 1, 0
    assert (window := ReportingWindow.for_plan(plan, today=date(2030, 1, 1))).first == 2015
    assert window.last == 2024
    assert window.problem(2024) is None
    assert window.problem(2025) == (
        "2025 is outside the reporting window of the 2020-2023 plan: 2015 to 2024"
    )


@pytest.mark.parametrize("year", ["2031", "2009"])
def test_report_refuses_a_year_outside_the_plans_window(year, plan, people):
    with pytest.raises(services.InvalidFigure) as refused:
        report(plan, people["reporter_d"], **{**OWN, "year": year})
    assert refused.value.by_field() == {
        "year": [f"{year} is outside the reporting window of the 2020-2023 plan: 2010 to 2026"]
    }
    assert not Observation.objects.filter(edition=OWN["edition"]).exists()


def admin_add(client, data):
    url = reverse("admin:indicators_observation_add")
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="fr")


def admin_form(client) -> dict:
    page = client.get(reverse("admin:indicators_observation_add"), HTTP_ACCEPT_LANGUAGE="fr")
    data = {key: value for key, value in form_data(page).items() if value not in ("", None)}
    indicator = Indicator.objects.get(code="1.2-internet-users-millions")
    fields = page.context["adminform"].form.fields
    return {
        **data,
        **{name: value for name, value in OWN.items() if name in fields},
        "indicator": str(indicator.pk),
        "geography": str(Geography.objects.get(code="ATG").pk),
    }


def test_admin_reads_a_french_decimal_comma(client_of):
    client = client_of("reporter_d")
    response = admin_add(client, {**admin_form(client), "value": "407,5"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Observation.objects.get(edition=OWN["edition"]).value == Decimal("407.5")


def test_admin_asks_which_number_a_french_text_means_and_writes_nothing(client_of):
    client = client_of("reporter_d")
    response = admin_add(client, {**admin_form(client), "value": "1,234"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["value"] == [
        "« 1,234 » se lit de deux façons : dites quel nombre vous voulez dire (ou tapez 1,2340 "
        "pour le nombre décimal, 1234 pour le nombre entier).",
        "1,234 — « , » marque les décimales",
        "1\xa0234 — « , » sépare les milliers",
    ]
    assert not Observation.objects.filter(edition=OWN["edition"]).exists()
    response = admin_add(client, {**admin_form(client), "value": "1234"})
    assert response.status_code == 302
    assert Observation.objects.get(edition=OWN["edition"]).value == Decimal("1234")


def test_admin_refuses_a_year_outside_the_window(client_of):
    client = client_of("reporter_d")
    response = admin_add(client, {**admin_form(client), "value": "40", "year": "2031"})
    assert response.context["adminform"].form.errors["year"] == [
        "2031 est hors de la période de déclaration du plan 2020-2023 : de 2010 à 2026"
    ]
    assert not Observation.objects.filter(edition=OWN["edition"]).exists()
