from django.core.management.base import BaseCommand, CommandError

from frameworks.loading import ContentError
from frameworks.models import StrategicPlan
from indicators.loading import load_indicator_files


class Command(BaseCommand):
    help = (
        "Load geographies and the indicator definitions of a plan (loading twice changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("geographies", help="fixtures/indicators/geographies.json")
        parser.add_argument("indicators", help="fixtures/indicators/indicators.json")
        parser.add_argument("--plan", required=True, help="plan code, e.g. 2020-2023")
        parser.add_argument("--overwrite", action="store_true")

    def handle(self, geographies, indicators, plan, overwrite, **options):
        plan_obj = StrategicPlan.objects.filter(code=plan).first()
        if plan_obj is None:
            raise CommandError(f"no plan {plan!r}; load it first with load_plan")
        try:
            report = load_indicator_files(
                geographies, indicators, plan=plan_obj, overwrite=overwrite
            )
        except ContentError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Indicators of {plan}: {report}.")
