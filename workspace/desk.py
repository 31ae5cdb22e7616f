"""The desk: what waits for each signed-in user, by role (issue 17). Plain functions, each a
fixed number of queries; the view (plan_views.home) only puts them on the page.

- a reporter: the indicators of their sectors with no figure yet for the reporting year, and
  their figures returned by a reviewer; the outputs of their sectors with no delivery record
  for that year, and their delivery records returned;
- a reviewer: the queue of their sectors (figures, and delivery records), counted by sector,
  with the age of the oldest;
- an editor: the elements of their sectors changed in a draft plan, not yet published;
- everyone: the recent changes and the plans to compare.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, Min, OuterRef
from django.utils import timezone

from frameworks import roles
from frameworks.models import Output, StrategicPlan
from indicators.models import Indicator, Observation, OutputDelivery
from indicators.validation import ReportingWindow

from . import services

RECENT_LIMIT = 8


def reporting_year(window: ReportingWindow, today: date) -> int:
    """The year figures are being reported for: last year's figures are published this year,
    so the year before `today`, within the plan's reporting window."""
    return max(window.first, min(today.year - 1, window.plan_last))


def missing_figures(user, plan: StrategicPlan, year: int) -> list[Indicator]:
    """The plan's indicators in the user's sectors with no figure (of any state but returned)
    for their headline geography in `year`. One query."""
    reported = Observation.objects.filter(
        indicator=OuterRef("pk"),
        geography=OuterRef("headline_geography"),
        year=year,
    ).exclude(status=Observation.Status.RETURNED)
    indicators = Indicator.objects.for_plan(plan).filter(~Exists(reported))
    scope = roles.scope_filter(user, Indicator)
    if scope is not None:
        indicators = indicators.filter(scope)
    return list(
        indicators.select_related("target", "headline_geography").order_by(
            "target__goal__number", "target__order", "code"
        )
    )


def returned_figures(user) -> list[Observation]:
    """The user's figures a reviewer returned, newest review first. One query."""
    return list(
        Observation.objects.filter(reported_by=user, status=Observation.Status.RETURNED)
        .select_related("indicator", "geography", "reviewed_by")
        .order_by("-reviewed_at", "-pk")
    )


def missing_deliveries(user, plan: StrategicPlan, year: int) -> list[Output]:
    """The plan's outputs in the user's sectors with no delivery record (of any state but
    returned) for `year`. One query."""
    recorded = OutputDelivery.objects.filter(output=OuterRef("pk"), year=year).exclude(
        status=OutputDelivery.Status.RETURNED
    )
    outputs = Output.objects.filter(plan=plan).filter(~Exists(recorded))
    scope = roles.scope_filter(user, Output)
    if scope is not None:
        outputs = outputs.filter(scope)
    return list(
        outputs.select_related("objective").order_by(
            "objective__sector__order", "objective__order", "order"
        )
    )


def returned_deliveries(user) -> list[OutputDelivery]:
    """The user's delivery records a reviewer returned, newest review first. One query."""
    return list(
        OutputDelivery.objects.filter(reported_by=user, status=OutputDelivery.Status.RETURNED)
        .select_related("output", "reviewed_by")
        .order_by("-reviewed_at", "-pk")
    )


@dataclass(frozen=True)
class QueueCount:
    sector: str
    count: int
    oldest: datetime | None

    def age_days(self, now: datetime) -> int | None:
        return None if self.oldest is None else (now - self.oldest).days


def review_queue(user) -> list[QueueCount]:
    """The figures waiting for the user's review, counted by sector, with the oldest submission
    of each. One query."""
    queue = Observation.objects.awaiting_review()
    scope = roles.scope_filter(user, Observation)
    if scope is not None:
        queue = queue.filter(scope)
    rows = (
        queue.order_by()
        .values("indicator__sector__code")
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
        .order_by("indicator__sector__code")
    )
    return [QueueCount(row["indicator__sector__code"], row["count"], row["oldest"]) for row in rows]


def delivery_queue(user) -> list[QueueCount]:
    """The delivery records waiting for the user's review, counted by sector, with the oldest
    submission of each. One query."""
    queue = OutputDelivery.objects.awaiting_review()
    scope = roles.scope_filter(user, OutputDelivery)
    if scope is not None:
        queue = queue.filter(scope)
    sector = "output__objective__sector__code"
    rows = (
        queue.order_by()
        .values(sector)
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
        .order_by(sector)
    )
    return [QueueCount(row[sector], row["count"], row["oldest"]) for row in rows]


@dataclass(frozen=True)
class PendingPlan:
    plan: StrategicPlan
    against: StrategicPlan | None  # the published plan it would replace
    differences: list  # services.Difference, in the user's sectors


def pending_changes(user, plans: list[StrategicPlan]) -> list[PendingPlan]:
    """The draft plans' differences from the current plan, in the user's sectors (elements of
    no sector count as intersectoral). One query per kind of element and draft."""
    current = next(
        (p for p in sorted(plans, key=lambda p: -p.period_start) if p.status == "published"),
        None,
    )
    sectors = None if roles.is_administrator(user) else roles.sector_codes_of(user)
    result = []
    for draft in plans:
        if draft.status == StrategicPlan.Status.PUBLISHED or current is None:
            continue
        differences = [
            difference
            for difference in services.plan_compare(current, draft)
            if sectors is None or difference.sector in sectors
        ]
        result.append(PendingPlan(draft, current, differences))
    return result


@dataclass
class Desk:
    year: int | None = None
    plan: StrategicPlan | None = None
    missing: list | None = None  # None: not a reporter
    returned: list | None = None
    missing_outputs: list | None = None  # None: not a reporter
    returned_deliveries: list | None = None
    queue: list | None = None  # None: not a reviewer
    delivery_queue: list | None = None
    pending: list | None = None  # None: not an editor
    recent: list | None = None

    @property
    def queue_total(self) -> int:
        return sum(item.count for item in self.queue or [])

    @property
    def delivery_queue_total(self) -> int:
        return sum(item.count for item in self.delivery_queue or [])


def desk_for(user, plans: list[StrategicPlan], *, today: date | None = None) -> Desk:
    today = today or timezone.localdate()
    desk = Desk(recent=services.recent_changes(limit=RECENT_LIMIT))
    desk.plan = max(
        (p for p in plans if p.status == StrategicPlan.Status.PUBLISHED),
        key=lambda p: p.period_start,
        default=None,
    )
    if roles.has_role(user, roles.Role.REPORTER) and desk.plan is not None:
        desk.year = reporting_year(ReportingWindow.for_plan(desk.plan, today=today), today)
        desk.missing = missing_figures(user, desk.plan, desk.year)
        desk.returned = returned_figures(user)
        desk.missing_outputs = missing_deliveries(user, desk.plan, desk.year)
        desk.returned_deliveries = returned_deliveries(user)
    if roles.has_role(user, roles.Role.REVIEWER):
        desk.queue = review_queue(user)
        desk.delivery_queue = delivery_queue(user)
    if roles.has_role(user, roles.Role.EDITOR):
        desk.pending = pending_changes(user, plans)
    return desk
