from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from frameworks.models import StrategicPlan
from reports import formats
from reports.content import ReportError, build_report
from reports.models import ReportFormat
from reports.pdf import PdfUnavailable, check_pdf_support

FORMATS = tuple(ReportFormat.values)


def cut_off_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--cut-off {value!r}: use a date such as 2024-03-31.") from None


class Command(BaseCommand):
    help = (
        "Write a plan's progress report for a reporting year, e.g. `progress_report 2020-2023 "
        "--year 2023 --lang fr --format pdf --output report.pdf` (or --format docx: a Word "
        "document to edit): the verdicts by goal, each target with its figures, chart and "
        "sources, the sector objectives, the risks and the method, from the figures approved "
        "by the end of the year's reporting period (31 March of the next year; see "
        "reports.content.reporting_cut_off)."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="code of the plan, e.g. 2020-2023")
        parser.add_argument("--year", type=int, required=True, help="the reporting year")
        parser.add_argument(
            "--lang",
            default=settings.LANGUAGE_CODE,
            help="language: " + ", ".join(code for code, _name in settings.LANGUAGES),
        )
        parser.add_argument("--format", default="pdf", choices=FORMATS, dest="fmt")
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument(
            "--cut-off",
            type=cut_off_day,
            help="read the figures approved by this day (YYYY-MM-DD) instead of the rule's",
        )

    def handle(self, plan, year, lang, fmt, output, cut_off, **options):
        code = plan
        plan = StrategicPlan.objects.filter(code=code).first()
        if plan is None:
            known = ", ".join(StrategicPlan.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"No plan has the code {code!r} (plans: {known}).")
        languages = {code.lower(): code for code, _name in settings.LANGUAGES}
        language = languages.get(lang.lower().replace("_", "-"))
        if language is None:
            raise CommandError(f"Unknown language {lang!r}: use one of {', '.join(languages)}.")
        try:
            if fmt == "pdf":
                check_pdf_support()  # before the report's work: say at once what is missing
            report = build_report(plan, year, language, cut_off=cut_off)
            content = formats.render(report, fmt)
        except (ReportError, PdfUnavailable) as error:
            raise CommandError(str(error)) from None
        try:
            Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stdout.write(
            f"Wrote {output}: the {plan.code} progress report for {year} in {language} "
            f"({len(content) // 1024} KiB, figures approved by {report.cut_off.isoformat()})."
        )
