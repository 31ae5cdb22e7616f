from django.core.management.base import BaseCommand

from api.idempotency import KEEP, purge_expired


class Command(BaseCommand):
    help = (
        f"Delete the Idempotency-Keys of reports older than {KEEP} (each keyed report does it "
        "too; for a quiet API, run it daily)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {purge_expired()} expired idempotency key(s).")
