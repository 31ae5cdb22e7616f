"""What the approved delivery records say about the plan's outputs: the latest record of each
output, and per sector and year how many outputs were delivered, partly, not delivered, not due,
or have no approved record. Public pages and reports read these (approved records only)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from frameworks.i18n import LANGUAGES, fallback_languages, first_text
from frameworks.models import Output, StrategicPlan

from .evidence import has_public_evidence
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


def tally(
    sectors: list[tuple[str, int]],
    rows: Iterable[tuple[str, int, str]],
    years: Iterable[int],
) -> dict[int, list[SectorDelivery]]:
    """Pure: per year of `years`, each sector's outputs by delivery. `sectors`: (code, number of
    outputs) in the order shown; `rows`: (sector code, year, delivery) of each approved record."""
    counts: dict[tuple[str, int], dict[str, int]] = {}
    for sector, year, delivery in rows:
        cell = counts.setdefault((sector, year), {})
        cell[delivery] = cell.get(delivery, 0) + 1
    return {
        year: [
            SectorDelivery(sector, year, outputs, counts.get((sector, year), {}))
            for sector, outputs in sectors
        ]
        for year in sorted(set(years))
    }


def summary_years(plan: StrategicPlan, recorded: Iterable[int]) -> list[int]:
    """The years a summary shows: the plan's period and any other year with a record."""
    return sorted(set(range(plan.period_start, plan.period_end + 1)) | set(recorded))


def delivery_summaries(
    plan: StrategicPlan, years: Iterable[int] | None = None
) -> dict[int, list[SectorDelivery]]:
    """Per year, each sector's outputs by delivery (approved records), sectors in their order.
    Without `years`: the plan's period and every other year with an approved record. Two
    queries."""
    sectors = list(
        Output.objects.filter(plan=plan)
        .order_by()
        .values_list("objective__sector__code", "objective__sector__order")
        .annotate(outputs=Count("pk"))
        .order_by("objective__sector__order")
    )
    records = OutputDelivery.objects.approved().for_plan(plan)
    if years is not None:
        years = list(years)
        records = records.filter(year__in=years)
    rows = list(
        records.order_by().values_list("output__objective__sector__code", "year", "delivery")
    )
    if years is None:
        years = summary_years(plan, (year for _sector, year, _delivery in rows))
    return tally([(code, outputs) for code, _order, outputs in sectors], rows, years)


def delivery_summary(plan: StrategicPlan, year: int) -> list[SectorDelivery]:
    """Each sector's outputs by delivery in `year` (approved records). Two queries."""
    return delivery_summaries(plan, [year])[year]


def approved_records(plan: StrategicPlan) -> list[OutputDelivery]:
    """Every approved delivery record of the plan's outputs, each output's latest year first,
    each with `has_public_evidence` (indicators.evidence). One query."""
    return list(
        OutputDelivery.objects.approved()
        .for_plan(plan)
        .annotate(has_public_evidence=has_public_evidence(OutputDelivery))
        .order_by("output_id", "-year")
    )


def latest_of(records: Iterable[OutputDelivery]) -> dict[int, OutputDelivery]:
    """Pure: each output's record of the latest year, by output id."""
    latest: dict[int, OutputDelivery] = {}
    for record in sorted(records, key=lambda record: -record.year):
        latest.setdefault(record.output_id, record)
    return latest


def narrative_of(record: OutputDelivery) -> tuple[str, str | None]:
    """(text, its language): the record's narrative in the active language, else its fallbacks,
    else whichever language it was written in (a reporter writes one; any may be it)."""
    languages = [*fallback_languages(), *LANGUAGES]
    return first_text(record, "narrative", dict.fromkeys(languages))
