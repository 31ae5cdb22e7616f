from django.core.management.base import BaseCommand

from indicators.aggregates import aggregates_compute


class Command(BaseCommand):
    help = (
        "Compute population-weighted averages of every rate series (per cent, % of GNI p.c., per "
        "100) for the world, the six ITU regions, LDC, LLDC and SIDS, from each country's chosen "
        "figure, totals only, with their population coverage. Run after load_statistics; "
        "running twice changes nothing."
    )

    def handle(self, verbosity, **options):
        report = aggregates_compute()
        if verbosity >= 1:
            self.stdout.write(f"Aggregates: {report}.")
