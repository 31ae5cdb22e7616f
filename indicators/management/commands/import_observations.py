import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from frameworks.models import StrategicPlan
from indicators.imports import FileFormatError, count_rows, observations_import, read_rows


class Command(BaseCommand):
    help = (
        "Import observations from a CSV or XLSX file with the columns indicator, geography, year, "
        "value, publisher, publication, edition, source, source_url, reported_in, note "
        "(source_url, reported_in and note may be left empty). Every row is checked first; if "
        "any row is bad, every problem is listed and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--plan", default=None, help="plan code (default: the current plan)")
        parser.add_argument("--dry-run", action="store_true", help="check and report only")
        parser.add_argument(
            "--approve", action="store_true", help="enter the figures as approved (staff only)"
        )
        parser.add_argument("--user", help="username of the staff member importing")
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="skip rows identical to a stored figure (re-running an import is harmless)",
        )

    def handle(self, path, plan, dry_run, approve, user, skip_existing, **options):
        plan = self._plan(plan)
        user = self._user(user, approve)
        progress = None
        if sys.stderr.isatty():
            self.total = count_rows(path)
            progress = self._progress
        try:
            result = observations_import(
                read_rows(path),
                plan=plan,
                user=user,
                approve=approve,
                dry_run=dry_run,
                skip_existing=skip_existing,
                on_progress=progress,
            )
        except (FileFormatError, OSError) as error:
            raise CommandError(str(error)) from None
        if progress:
            self.stderr.write("")
        if result.problems:
            for problem in result.problems:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(
                f"{len(result.problems)} problem(s) in {result.rows} row(s); nothing was written."
            )
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{path}: {result.rows} row(s) checked, {verb} {result.valid}, "
            f"skipped {result.skipped} already stored."
        )

    def _progress(self, rows):
        if self.total:
            done = min(rows / self.total, 1)
            bar = "#" * int(done * 30)
            self.stderr.write(
                f"\r  [{bar:<30}] {done:4.0%} {rows:,}/{self.total:,} rows",
                ending="",
                style_func=str,
            )
        else:
            self.stderr.write(f"\r  checked {rows:,} rows", ending="", style_func=str)
        self.stderr.flush()

    def _plan(self, code):
        plans = StrategicPlan.objects.all()
        plan = plans.filter(code=code).first() if code else plans.order_by("-period_start").first()
        if plan is None:
            raise CommandError(f"no plan {code!r}" if code else "no plan is loaded")
        return plan

    def _user(self, username, approve):
        if username is None:
            # Without --user, the command runs as the operator of the machine (make data).
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        if approve and not user.is_staff:
            raise CommandError(f"{username} is not staff and cannot approve figures")
        return user
