from django.core.management.base import BaseCommand, CommandError
from modeltranslation.utils import build_localized_fieldname

from frameworks.i18n import LANGUAGES
from frameworks.models import StrategicPlan
from workspace.services import PlanCopyError, plan_contents, plan_copy


def language_and_text(value: str) -> tuple[str, str]:
    language, separator, text = value.partition("=")
    if not separator or not text.strip():
        raise CommandError(f"--title {value!r}: use LANGUAGE=TITLE, e.g. en='ITU Strategic Plan …'")
    return language.strip(), text


class Command(BaseCommand):
    help = (
        "Start the next plan cycle: copy a plan (every element, translation and link, no "
        "figures) into a draft, e.g. `copy_plan 2020-2023 2024-2027`. The copy's title names "
        "its own period in every language (derived from the source's, or given with --title). "
        "The public does not see the draft until it is published in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="code of the plan to copy, e.g. 2020-2023")
        parser.add_argument("code", help="code of the new plan: the next period, e.g. 2024-2027")
        parser.add_argument(
            "--title",
            action="append",
            default=[],
            metavar="LANGUAGE=TITLE",
            help="the copy's title in a language (repeat for several); the others are derived",
        )

    def handle(self, source, code, title, **options):
        plan = StrategicPlan.objects.filter(code=source).first()
        if plan is None:
            raise CommandError(f"No plan has the code {source!r}.")
        titles = dict(language_and_text(value) for value in title)
        try:
            copy = plan_copy(source=plan, code=code, titles=titles)
        except PlanCopyError as error:
            raise CommandError(str(error)) from None
        counts = ", ".join(f"{count} {name}" for name, count in plan_contents(copy).items())
        self.stdout.write(
            f"Copied {plan.code} into the draft {copy.code} "
            f"({copy.period_start}–{copy.period_end}): {counts}."
        )
        for language in LANGUAGES:
            text = getattr(copy, build_localized_fieldname("title", language))
            if text:
                self.stdout.write(f"  title ({language}): {text}")
