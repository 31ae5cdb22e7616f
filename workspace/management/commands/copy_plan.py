from django.core.management.base import BaseCommand, CommandError

from frameworks.models import StrategicPlan
from workspace.services import PlanCopyError, plan_contents, plan_copy


class Command(BaseCommand):
    help = (
        "Start the next plan cycle: copy a plan (every element, translation and link, no "
        "figures) into a draft, e.g. `copy_plan 2020-2023 2024-2027`. The public does not see "
        "the draft until it is published in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="code of the plan to copy, e.g. 2020-2023")
        parser.add_argument("code", help="code of the new plan: the next period, e.g. 2024-2027")

    def handle(self, source, code, **options):
        plan = StrategicPlan.objects.filter(code=source).first()
        if plan is None:
            raise CommandError(f"No plan has the code {source!r}.")
        try:
            copy = plan_copy(source=plan, code=code)
        except PlanCopyError as error:
            raise CommandError(str(error)) from None
        counts = ", ".join(f"{count} {name}" for name, count in plan_contents(copy).items())
        self.stdout.write(
            f"Copied {plan.code} into the draft {copy.code} "
            f"({copy.period_start}–{copy.period_end}): {counts}."
        )
