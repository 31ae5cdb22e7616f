from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.loading import ContentError
from indicators.country_loading import M49_FILE, MEMBER_STATES_FILE, countries_load


class Command(BaseCommand):
    help = (
        "Name every country as the UN does in the six languages (UNTERM short and formal), set "
        "ISO2/M49 codes, the 193 ITU Member States with their region, and the LDC/LLDC/SIDS "
        "memberships. Run after load_indicators; running twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--m49", type=Path, default=M49_FILE)
        parser.add_argument("--member-states", type=Path, default=MEMBER_STATES_FILE)

    def handle(self, m49, member_states, verbosity, **options):
        try:
            report = countries_load(m49_path=m49, member_states_path=member_states)
        except ContentError as error:
            raise CommandError(str(error)) from None
        if verbosity >= 1:
            self.stdout.write(f"Countries: {report}.")
