from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from opendata.datapackage import write_directory


class Command(BaseCommand):
    help = (
        "Write the open-data Data Package (the CSV tables, datapackage.json and "
        "csv-metadata.json, as /<lang>/open-data/datapackage.zip holds them) into DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument("--language", default="en", help="The texts' language (en, fr, ...).")
        parser.add_argument("--homepage", default="", help="The portal's address, if any.")

    def handle(self, *args, directory, language, homepage, **options):
        with translation.override(language):
            written = write_directory(directory, homepage=homepage)
        self.stdout.write(f"{len(written)} files written to {directory}")
