from django.core.management.base import BaseCommand, CommandError

from frameworks.loading import ContentError, load_plan_file
from risks.loading import RISKS


class Command(BaseCommand):
    help = (
        "Load a strategic plan from its content file (and the language files beside it): its "
        "elements (frameworks.loading), then its risks (risks.loading). "
        "Existing text is kept unless --overwrite is given; loading twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="fixtures/plans/<plan-code>.json")
        parser.add_argument(
            "--overwrite", action="store_true", help="replace text that staff may have edited"
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish the plan if it is a draft"
        )

    def handle(self, path, overwrite, publish, **options):
        try:
            plan, report = load_plan_file(path, overwrite=overwrite, sections=[RISKS])
        except ContentError as error:
            raise CommandError(str(error)) from None
        if publish and not plan.is_published:
            plan.status = plan.Status.PUBLISHED
            plan.save(update_fields=["status", "updated_at"])
            self.stdout.write(f"Published plan {plan.code}.")
        self.stdout.write(f"Plan {plan.code}: {report}.")
