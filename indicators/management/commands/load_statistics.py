from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from frameworks.loading import ContentError
from indicators.country_loading import DEFAULT_MANIFEST, StatisticsLoader


class Command(BaseCommand):
    help = (
        "Load per-country figures from the files of a manifest (default "
        "fixtures/countries/sources.json): one transaction per file, so a broken file changes "
        "nothing and is named; running twice changes nothing. Run after load_countries."
    )

    def add_arguments(self, parser):
        parser.add_argument("manifest", nargs="?", type=Path, default=DEFAULT_MANIFEST)

    def handle(self, manifest, verbosity, **options):
        def progress(iterable, total, description):
            if verbosity < 1:
                return iterable
            return tqdm(iterable, total=total or None, desc=description, unit=" rows", leave=False)

        try:
            loader = StatisticsLoader(manifest)
            reports, failures = loader.load_all(progress)
        except ContentError as error:
            raise CommandError(str(error)) from None
        if verbosity >= 1:
            for report in reports:
                self.stdout.write(str(report))
        if failures:
            raise CommandError("\n".join(failures))
