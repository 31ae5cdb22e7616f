"""What the approved delivery records say about the plan's outputs: the latest record of each
output, and per sector and year how many outputs were delivered, partly, not delivered, not due,
or have no approved record. Public pages and reports read these (approved records only)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from frameworks.i18n import LANGUAGES, fallback_languages, first_text
from frameworks.models import Output, StrategicPlan

from .models import OutputDelivery

Delivery = OutputDelivery.Delivery


@dataclass(frozen=True)
class SectorDelivery:
    """One sector in one year: its outputs by delivery (approved records only)."""

    sector: str  # the sector's code
    year: int
    outputs: int
    counts: dict[str, int]  # OutputDelivery.Delivery value -> outputs

    @property
    def no_record(self) -> int:
        return self.outputs - sum(self.counts.values())

    def count(self, delivery: str) -> int:
        return self.counts.get(delivery, 0)

    @property
    def cells(self) -> list[int]:
        """The counts in the order of Delivery's choices, then the outputs without a record."""
        return [self.count(value) for value in Delivery.values] + [self.no_record]


def delivery_summaries(
    plan: StrategicPlan, years: Iterable[int] | None = None
) -> dict[int, list[SectorDelivery]]:
    """Per year, each sector's outputs by delivery, sectors in their order. Without `years`:
    the plan's period and every other year with an approved record. Two queries."""
    sectors = list(
        Output.objects.filter(plan=plan)
        .order_by()
        .values_list("objective__sector__code", "objective__sector__order")
        .annotate(outputs=Count("pk"))
        .order_by("objective__sector__order")
    )
    records = OutputDelivery.objects.approved().filter(output__plan=plan)
    if years is not None:
        years = sorted(set(years))
        records = records.filter(year__in=years)
    counts: dict[tuple[str, int], dict[str, int]] = {}
    for sector, year, delivery, number in (
        records.order_by()
        .values_list("output__objective__sector__code", "year", "delivery")
        .annotate(number=Count("pk"))
    ):
        counts.setdefault((sector, year), {})[delivery] = number
    if years is None:
        years = sorted(
            set(range(plan.period_start, plan.period_end + 1)) | {year for _s, year in counts}
        )
    return {
        year: [
            SectorDelivery(sector, year, outputs, counts.get((sector, year), {}))
            for sector, _order, outputs in sectors
        ]
        for year in years
    }


def delivery_summary(plan: StrategicPlan, year: int) -> list[SectorDelivery]:
    """Each sector's outputs by delivery in `year`. Two queries."""
    return delivery_summaries(plan, [year])[year]


def latest_approved(plan: StrategicPlan) -> dict[int, OutputDelivery]:
    """Each output's approved record of the latest year, by output id. One query."""
    latest: dict[int, OutputDelivery] = {}
    for record in OutputDelivery.objects.approved().for_plan(plan).order_by("output_id", "-year"):
        latest.setdefault(record.output_id, record)
    return latest


def narrative_of(record: OutputDelivery) -> tuple[str, str | None]:
    """(text, its language): the record's narrative in the active language, else its fallbacks,
    else whichever language it was written in (a reporter writes one; any may be it)."""
    languages = [*fallback_languages(), *LANGUAGES]
    return first_text(record, "narrative", dict.fromkeys(languages))
