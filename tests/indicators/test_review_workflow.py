"""The one review workflow (indicators.services) on both kinds of reported items, figures and
outputs' delivery records: the same transitions, the same rules, each kind's own words."""

import pytest

from indicators import services
from indicators.models import Observation, OutputDelivery, Reviewable, ReviewStatus
from tests.personas import make_persona

pytestmark = pytest.mark.django_db

Status = ReviewStatus

FIGURE = {
    "indicator": "1.2-internet-use",
    "geography": "WLD",
    "year": "2024",
    "value": "68.5",
    "publisher": "ITU",
    "publication": "Facts and Figures 2025",
    "source": "ITU Facts and Figures 2025",
    "edition": "Facts and Figures 2025",
}
RECORD = {
    "output": "D.1-1",
    "year": "2022",
    "delivery": "partly",
    "narrative": "Two of three forums held.",
    "narrative_language": "en",
}


@pytest.fixture
def people(db):
    return {
        name: make_persona(name)
        for name in ("reporter_d", "reporter_r", "reviewer_d", "reviewer_r", "administrator")
    }


def make(kind: str, plan, people, status=Status.SUBMITTED, **changes) -> Reviewable:
    """A submitted item of ITU-D reported by reporter_d, put in `status` directly."""
    if kind == "figure":
        item = services.observation_report(
            plan=plan, raw={**FIGURE, **changes}, user=people["reporter_d"]
        )
    else:
        item = services.delivery_record(
            plan=plan, raw={**RECORD, **changes}, user=people["reporter_d"]
        )
    type(item).objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    return item


KINDS = ["figure", "delivery"]


def test_both_kinds_share_the_status_choices_and_queryset():
    assert Observation.Status is OutputDelivery.Status is ReviewStatus
    assert set(Observation.review_messages) == set(OutputDelivery.review_messages)


@pytest.mark.parametrize("kind", KINDS)
def test_awaiting_review_and_approved_on_both_kinds(kind, plan, people):
    model = Observation if kind == "figure" else OutputDelivery
    item = make(kind, plan, people)
    assert item in model.objects.awaiting_review()
    assert item not in model.objects.approved()
    services.reviewable_approve(item=item, user=people["reviewer_d"])
    assert item in model.objects.approved() and item not in model.objects.awaiting_review()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "start, action, end",
    [
        (Status.DRAFT, "submit", Status.SUBMITTED),
        (Status.SUBMITTED, "approve", Status.APPROVED),
        (Status.SUBMITTED, "return", Status.RETURNED),
        (Status.RETURNED, "submit", Status.SUBMITTED),
    ],
)
def test_legal_transitions_on_both_kinds(kind, start, action, end, plan, people):
    item = make(kind, plan, people, start)
    if action == "submit":
        services.reviewable_submit(item=item, user=people["reporter_d"])
        who = people["reporter_d"]
    elif action == "approve":
        services.reviewable_approve(item=item, user=people["reviewer_d"])
        who = people["reviewer_d"]
    else:
        services.reviewable_return(item=item, user=people["reviewer_d"], comment="Why?")
        who = people["reviewer_d"]
    item.refresh_from_db()
    assert item.status == end and item.version == 2
    latest = item.history.first()
    assert latest.history_user == who and latest.status == end
    if action != "submit":
        assert item.reviewed_by == who and item.reviewed_at is not None


@pytest.mark.parametrize(
    "kind, message",
    [
        ("figure", "A figure that is approved cannot become submitted."),
        ("delivery", "A delivery record that is approved cannot become submitted."),
    ],
)
def test_illegal_transition_is_refused_in_the_kinds_words(kind, message, plan, people):
    item = make(kind, plan, people, Status.APPROVED)
    with pytest.raises(services.WorkflowError) as refused:
        services.reviewable_submit(item=item, user=people["reporter_d"])
    assert str(refused.value) == message
    item.refresh_from_db()
    assert item.status == Status.APPROVED and item.version == 1


@pytest.mark.parametrize("kind", KINDS)
def test_sector_scope_for_reporting_and_reviewing(kind, plan, people):
    item = make(kind, plan, people, Status.DRAFT)
    with pytest.raises(services.WorkflowError, match="may not"):
        services.reviewable_submit(item=item, user=people["reporter_r"])
    services.reviewable_submit(item=item, user=people["reporter_d"])
    with pytest.raises(services.WorkflowError, match="may not review"):
        services.reviewable_approve(item=item, user=people["reviewer_r"])
    # an administrator reviews in every sector
    services.reviewable_approve(item=item, user=people["administrator"])
    assert item.status == Status.APPROVED


def test_bulk_review_of_delivery_records_is_all_or_nothing(plan, people):
    waiting = make("delivery", plan, people)
    approved = make("delivery", plan, people, Status.APPROVED, output="D.1-2")
    with pytest.raises(services.WorkflowError, match="delivery record that is approved"):
        services.deliveries_review(
            deliveries=[waiting, approved], user=people["reviewer_d"], approve=True
        )
    waiting.refresh_from_db()
    assert waiting.status == Status.SUBMITTED
    assert services.deliveries_review(deliveries=[waiting], user=people["reviewer_d"], approve=True)
    waiting.refresh_from_db()
    assert waiting.status == Status.APPROVED


def test_bulk_review_names_a_vanished_item_in_its_kinds_words(plan, people):
    item = make("delivery", plan, people)
    OutputDelivery.objects.filter(pk=item.pk).delete()
    with pytest.raises(services.WorkflowError) as refused:
        services.deliveries_review(deliveries=[item], user=people["reviewer_d"], approve=True)
    assert str(refused.value) == "A delivery record of the selection no longer exists."


def test_stale_delivery_revision_is_refused(plan, people):
    item = make("delivery", plan, people, Status.RETURNED)
    with pytest.raises(services.StaleVersion, match="changed this delivery record"):
        services.delivery_revise(
            record=item, raw=RECORD, user=people["reporter_d"], based_on_version=0
        )
