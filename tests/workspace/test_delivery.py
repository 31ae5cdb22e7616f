"""Outputs' delivery records: a reporter records whether an output of their sector was delivered
in a year, a reviewer of the sector approves or returns it, by the same workflow as figures
(indicators.services); the desk and the review queue show them."""

import pytest
from django.urls import reverse
from django.utils import translation

from frameworks.models import Output
from indicators import services
from indicators.models import OutputDelivery
from indicators.validation import ReportingWindow
from workspace import desk
from workspace import services as workspace_services

from .conftest import form_data

pytestmark = pytest.mark.django_db

Status = OutputDelivery.Status

RECORD = {
    "output": "D.1-1",
    "year": "2022",
    "delivery": "delivered",
    "narrative": "Three regional forums held; the toolkit was published.",
    "narrative_language": "en",
    "evidence_url": "https://www.itu.int/en/ITU-D/Pages/default.aspx",
}


def record(plan, user, **changes) -> OutputDelivery:
    return services.delivery_record(plan=plan, raw={**RECORD, **changes}, user=user)


@pytest.fixture
def recorded(plan, people):
    """D.1-1's delivery in 2022, recorded by reporter_d and waiting for review."""
    return record(plan, people["reporter_d"])


# --- recording ----------------------------------------------------------------------------------


def test_reporter_records_a_delivery_through_the_form(client_of, plan, people):
    client = client_of("reporter_d")
    form = client.get(reverse("workspace:delivery_record"), {"output": "D.1-1", "year": "2022"})
    assert form.status_code == 200
    page = form.content.decode()
    # the outputs of their sector, grouped by objective; the output and year filled in
    assert '<optgroup label="D.1 — ' in page and "R.1-1" not in page
    assert '<option value="D.1-1" selected>' in page
    response = client.post(reverse("workspace:delivery_record"), RECORD)
    assert response.status_code == 302 and response["Location"] == reverse("workspace:deliveries")
    saved = OutputDelivery.objects.get(output__plan=plan, output__code="D.1-1", year=2022)
    assert (saved.status, saved.delivery, saved.reported_by) == (
        Status.SUBMITTED,
        "delivered",
        people["reporter_d"],
    )
    assert saved.narrative_en == RECORD["narrative"] and saved.submitted_at is not None
    assert saved.history.first().history_change_reason == "reported"
    mine = client.get(reverse("workspace:deliveries")).content.decode()
    assert "D.1-1</span> · 2022" in mine and "Submitted" in mine and "Delivered" in mine


def test_reporter_of_another_sector_cannot_record(client_of, plan, people):
    with pytest.raises(services.WorkflowError, match="outputs of ITU-D"):
        record(plan, people["reporter_r"])
    response = client_of("reporter_r").post(reverse("workspace:delivery_record"), RECORD)
    # ITU-D's outputs are not among their choices
    assert response.status_code == 400
    assert "D.1-1 is not one of the available choices" in response.content.decode()
    assert not OutputDelivery.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer_d", "editor_d", "no_role"])
def test_record_page_is_for_reporters(persona, client_of):
    assert client_of(persona).get(reverse("workspace:delivery_record")).status_code == 403


def test_year_outside_the_window_is_refused_with_a_message(client_of, plan, people):
    window = ReportingWindow.for_plan(plan)
    late = window.last + 1
    with pytest.raises(services.InvalidDelivery) as refused:
        record(plan, people["reporter_d"], year=str(late))
    expected = (
        f"{late} is outside the reporting window of the 2020-2023 plan: "
        f"{window.first} to {window.last}"
    )
    assert refused.value.by_field() == {"year": [expected]}
    response = client_of("reporter_d").post(
        reverse("workspace:delivery_record"), {**RECORD, "year": "1980"}
    )
    assert response.status_code == 400
    assert "1980 is outside the reporting window of the 2020-2023 plan" in response.content.decode()
    assert not OutputDelivery.objects.exists()


def test_second_record_of_the_same_output_and_year_gets_a_message_and_a_link(client_of, recorded):
    response = client_of("reporter_d").post(
        reverse("workspace:delivery_record"), {**RECORD, "delivery": "partly"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "D.1-1 already has a delivery record for 2022: change that one instead." in page
    assert reverse("workspace:delivery_revise", args=[recorded.pk]) in page
    assert OutputDelivery.objects.get().delivery == "delivered"


def test_missing_delivery_and_narrative_are_refused_per_field(plan, people):
    with pytest.raises(services.InvalidDelivery) as refused:
        record(plan, people["reporter_d"], delivery="done", narrative=" ", evidence_url="itu")
    assert set(refused.value.by_field()) == {"delivery", "narrative", "evidence_url"}


def test_narrative_in_arabic_only_is_accepted_and_shown_marked(client_of, plan, people):
    arabic = "عُقدت ثلاثة منتديات إقليمية."
    saved = record(plan, people["reporter_d"], narrative=arabic, narrative_language="ar")
    assert saved.narrative_ar == arabic and not saved.narrative_en
    with translation.override("en"):
        page = client_of("reporter_d").get(reverse("workspace:deliveries")).content.decode()
    assert f'<span lang="ar" dir="rtl" class="fallback">{arabic}</span>' in page
    assert "(written in Arabic)" in page


def test_revise_a_returned_record_sends_it_back_to_review(client_of, people, recorded):
    services.reviewable_return(item=recorded, user=people["reviewer_d"], comment="Which forums?")
    client = client_of("reporter_d")
    page = client.get(reverse("workspace:delivery_revise", args=[recorded.pk])).content.decode()
    assert "Which forums?" in page and RECORD["narrative"] in page
    response = client.post(
        reverse("workspace:delivery_revise", args=[recorded.pk]),
        {**RECORD, "narrative": "Forums in Kigali and Lima.", "version": 2},
    )
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.status == Status.SUBMITTED and recorded.narrative_en.startswith("Forums")
    assert recorded.version == 3


def test_revise_refused_to_another_reporter_and_once_approved(client_of, people, recorded):
    url = reverse("workspace:delivery_revise", args=[recorded.pk])
    assert client_of("reporter_d2").get(url).status_code == 403
    services.reviewable_approve(item=recorded, user=people["reviewer_d"])
    response = client_of("reporter_d").get(url)
    assert response.status_code == 403
    assert "An approved delivery record cannot be changed." in response.content.decode()


# --- review ---------------------------------------------------------------------------------------


def test_reviewer_approves_from_the_queue(client_of, people, recorded):
    client = client_of("reviewer_d")
    queue = client.get(reverse("workspace:review")).content.decode()
    assert f'name="delivery-records" value="{recorded.pk}"' in queue
    response = client.post(
        reverse("workspace:review"),
        {"kind": "deliveries", "delivery-records": [recorded.pk], "delivery-decision": "approve"},
    )
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.status == Status.APPROVED and recorded.reviewed_by == people["reviewer_d"]
    assert recorded.history.first().history_change_reason == "approved"
    # among the recent changes, with who approved it
    (latest,) = workspace_services.recent_changes(limit=1)
    assert (latest.kind, latest.element, latest.action) == (
        "output delivery record",
        "D.1-1 · 2022",
        "changed",
    )
    assert latest.record.history_user == people["reviewer_d"]
    after = client.get(reverse("workspace:review")).content.decode()
    assert "1 delivery record approved." in after
    assert "No delivery record waits for review in your sectors." in after


def test_return_needs_a_comment(client_of, people, recorded):
    client = client_of("reviewer_d")
    response = client.post(
        reverse("workspace:review"),
        {"kind": "deliveries", "delivery-records": [recorded.pk], "delivery-decision": "return"},
    )
    assert response.status_code == 400
    assert "a comment is required" in response.content.decode()
    with pytest.raises(services.WorkflowError, match="comment is required"):
        services.deliveries_review(
            deliveries=[recorded], user=people["reviewer_d"], approve=False, comment=" "
        )
    recorded.refresh_from_db()
    assert recorded.status == Status.SUBMITTED
    client.post(
        reverse("workspace:review"),
        {
            "kind": "deliveries",
            "delivery-records": [recorded.pk],
            "delivery-decision": "return",
            "delivery-comment": "Name the forums.",
        },
    )
    recorded.refresh_from_db()
    assert (recorded.status, recorded.review_comment) == (Status.RETURNED, "Name the forums.")


def test_reviewer_cannot_approve_their_own_record(plan, people):
    from django.contrib.auth.models import Group

    from frameworks import roles

    both = people["reviewer_d"]
    both.groups.add(Group.objects.get(name="Reporter"))
    roles.forget(both)
    own = record(plan, both)
    with pytest.raises(services.WorkflowError, match="another reviewer must review it"):
        services.deliveries_review(deliveries=[own], user=both, approve=True)
    own.refresh_from_db()
    assert own.status == Status.SUBMITTED


def test_reviewer_of_another_sector_neither_sees_nor_approves(client_of, people, recorded):
    page = client_of("reviewer_r").get(reverse("workspace:review")).content.decode()
    assert f'value="{recorded.pk}"' not in page
    with pytest.raises(services.WorkflowError, match="may not review delivery records"):
        services.deliveries_review(deliveries=[recorded], user=people["reviewer_r"], approve=True)


def test_review_page_with_both_queues_in_bounded_queries(
    client_of, plan, people, recorded, django_assert_max_num_queries
):
    for code in ("D.1-2", "D.2-1", "D.3-1"):
        record(plan, people["reporter_d"], output=code)
    client = client_of("reviewer_d")
    with django_assert_max_num_queries(20):
        page = client.get(reverse("workspace:review")).content.decode()
    assert page.count('name="delivery-records"') == 4


# --- the desk -------------------------------------------------------------------------------------


def test_desk_lists_outputs_without_a_record_and_the_queue(client_of, plan, people):
    year = desk.desk_for(people["reporter_d"], [plan]).year
    itu_d = Output.objects.filter(plan=plan, objective__sector__code="ITU-D").count()
    before = desk.missing_deliveries(people["reporter_d"], plan, year)
    assert len(before) == itu_d and before[0].code == "D.1-1"
    record(plan, people["reporter_d"], year=str(year))
    after = desk.missing_deliveries(people["reporter_d"], plan, year)
    assert [o.code for o in after] == [o.code for o in before[1:]]
    assert desk.missing_deliveries(people["reporter_r"], plan, year)[0].code == "R.1-1"
    (waiting,) = desk.delivery_queue(people["reviewer_d"])
    assert (waiting.sector, waiting.count) == ("ITU-D", 1)
    assert desk.delivery_queue(people["reviewer_r"]) == []
    page = client_of("reporter_d").get(reverse("workspace:home")).content.decode()
    assert f"{itu_d - 1} outputs still without a delivery record for {year}" in page
    link = f"{reverse('workspace:delivery_record')}?output=D.1-2&amp;year={year}"
    assert link in page
    queue = client_of("reviewer_d").get(reverse("workspace:home")).content.decode()
    assert "1 delivery record waiting for your review" in queue


# --- the admin ------------------------------------------------------------------------------------


def test_admin_lists_records_in_scope_and_lets_administrators_correct_the_words(
    client_of, plan, people, recorded, django_assert_max_num_queries
):
    listing = reverse("admin:indicators_outputdelivery_changelist")
    change = reverse("admin:indicators_outputdelivery_change", args=[recorded.pk])
    reviewer = client_of("reviewer_d")
    with django_assert_max_num_queries(15):
        assert "D.1-1" in reviewer.get(listing).content.decode()
    assert "D.1-1" not in client_of("reviewer_r").get(listing).content.decode()
    # made in the workspace only, where the output and the year are checked
    add = reverse("admin:indicators_outputdelivery_add")
    assert client_of("reporter_d").get(add).status_code == 403
    assert client_of("reporter_d").get(change).status_code == 200  # to read
    admin = client_of("administrator")
    page = admin.get(change)
    assert page.status_code == 200 and 'name="narrative_ar"' in page.content.decode()
    data = {**form_data(page), "narrative_fr": "Trois forums régionaux."}
    assert admin.post(change, data).status_code == 302
    recorded.refresh_from_db()
    assert recorded.narrative_fr == "Trois forums régionaux."
    assert (recorded.status, recorded.version) == (Status.SUBMITTED, 2)
