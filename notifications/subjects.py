"""What a notification can be about, and for each kind of thing: who is told of which event,
how the thing is described and where the link goes: figures and outputs' delivery records."""

from decimal import Decimal

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from frameworks.roles import sector_code_of
from indicators.models import Observation, OutputDelivery
from itu_rbm.formats import plain_number

from .models import Event


class Subject:
    """A kind of thing notifications are about. Methods run in the recipient's language."""

    name = ""

    def sector_of(self, thing) -> str:
        return sector_code_of(thing)

    def reporter_id(self, thing) -> int | None:
        raise NotImplementedError

    def audience(self, thing, event: str) -> tuple[str, object]:
        """Who is told of `event`: ("sector", code), the reviewers of the thing's sector, when it
        was submitted; ("user", pk), its reporter, when it was returned or approved."""
        if event == Event.SUBMITTED:
            return ("sector", self.sector_of(thing))
        return ("user", self.reporter_id(thing))

    def load(self, things: list) -> list:
        """`things` read again with what describing them needs (one query)."""
        return things

    def details(self, thing) -> list[tuple[str, str]]:
        """(label, value) lines that name the thing in full."""
        raise NotImplementedError

    def headline(self, thing) -> str:
        """One line that names the thing (a digest's item)."""
        raise NotImplementedError

    def path(self, thing, event: str) -> str:
        """Where the recipient acts on the event (the address's path, in the active language)."""
        raise NotImplementedError


class FigureSubject(Subject):
    name = "figure"

    def reporter_id(self, thing: Observation) -> int | None:
        return thing.reported_by_id

    def load(self, things: list[Observation]) -> list[Observation]:
        """The figures again, with what their descriptions read, in one query."""
        fresh = Observation.objects.select_related("indicator__sector", "geography").in_bulk(
            [thing.pk for thing in things]
        )
        return [fresh.get(thing.pk, thing) for thing in things]

    @staticmethod
    def value(observation: Observation) -> str:
        # as the recipient's language writes numbers, without trailing zeros (407,5)
        number = Decimal(plain_number(observation.value))
        return number_format(number, use_l10n=True, force_grouping=True)

    def details(self, thing: Observation) -> list[tuple[str, str]]:
        indicator, geography = thing.indicator, thing.geography
        return [
            (_("Indicator"), f"{indicator.code} — {indicator.name}"),
            (_("Geography"), f"{geography.code} — {geography.name}"),
            (_("Year"), str(thing.year)),
            (_("Value"), self.value(thing)),
            (_("Edition"), thing.edition),
        ]

    def headline(self, thing: Observation) -> str:
        return " · ".join(
            [
                thing.indicator.code,
                thing.geography.name,
                str(thing.year),
                self.value(thing),
                thing.edition,
            ]
        )

    def path(self, thing: Observation, event: str) -> str:
        if event == Event.SUBMITTED:
            return reverse("workspace:review")
        if event == Event.RETURNED:
            return reverse("workspace:revise", args=[thing.pk])
        return reverse("workspace:figures") + f"#figure-{thing.pk}"


class DeliverySubject(Subject):
    name = "delivery"

    def reporter_id(self, thing: OutputDelivery) -> int | None:
        return thing.reported_by_id

    def load(self, things: list[OutputDelivery]) -> list[OutputDelivery]:
        fresh = OutputDelivery.objects.select_related("output__objective__sector").in_bulk(
            [thing.pk for thing in things]
        )
        return [fresh.get(thing.pk, thing) for thing in things]

    def details(self, thing: OutputDelivery) -> list[tuple[str, str]]:
        output = thing.output
        return [
            (_("Output"), f"{output.code} — {output.text}"),
            (_("Year"), str(thing.year)),
            (_("Delivery"), thing.get_delivery_display()),
        ]

    def headline(self, thing: OutputDelivery) -> str:
        return " · ".join([thing.output.code, str(thing.year), thing.get_delivery_display()])

    def path(self, thing: OutputDelivery, event: str) -> str:
        if event == Event.SUBMITTED:
            return reverse("workspace:review")
        if event == Event.RETURNED:
            return reverse("workspace:delivery_revise", args=[thing.pk])
        return reverse("workspace:deliveries") + f"#delivery-{thing.pk}"


FIGURE = FigureSubject()
DELIVERY = DeliverySubject()
SUBJECTS: dict[str, Subject] = {subject.name: subject for subject in [FIGURE, DELIVERY]}
SUBJECT_OF_MODEL = {Observation: FIGURE, OutputDelivery: DELIVERY}


def subject_of(thing) -> Subject:
    return SUBJECT_OF_MODEL[type(thing)]
