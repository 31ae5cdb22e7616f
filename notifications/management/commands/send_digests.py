import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.services import digests_send


def a_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date {value!r}: use YYYY-MM-DD, e.g. 2026-12-07") from None


class Command(BaseCommand):
    help = (
        "Send each user who chose a daily digest one e-mail listing their notifications of the "
        "day and before. Run it once a day (cron); running it again the same day sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the day whose digests to send, YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, date=None, **options):
        day = a_date(date) if date else timezone.localdate()
        result = digests_send(day=day)
        self.stdout.write(
            f"{day}: {result['emails']} digest(s) sent, listing {result['notifications']} "
            "notification(s)."
        )
