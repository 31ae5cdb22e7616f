from django.core.management.base import BaseCommand

from itu_rbm.caching import forget_public_answers


class Command(BaseCommand):
    help = (
        "Empty the cache of public answers (the API's and the pages'), e.g. when a new release "
        "starts: its templates or code may render the same content differently, and answers "
        "kept in a shared cache would otherwise be served until they expire."
    )

    def handle(self, **options):
        forget_public_answers()
        self.stdout.write("The cache of public answers is empty.")
