"""Run by test_sqlite_race.py in a process of its own, on an SQLite *file* (pytest-django's
in-memory test database shares one cache between connections, which does not lock as a file
does). Loads the plan, then in each round two reporters' tools change the same figure at once,
both based on version 1. Prints the answers' statuses as JSON."""

import json
import os
import sys
import threading
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itu_rbm.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from knox.models import AuthToken  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from tests.conftest import load_everything  # noqa: E402
from tests.personas import make_persona  # noqa: E402

URL = "/api/v1/observations/"
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10


def tool(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return client


def change(client, address, value, start, answers) -> None:
    """One tool's change, based on version 1, sent when every tool is ready."""
    start.wait()
    try:
        response = client.patch(address, {"value": value}, format="json", HTTP_IF_MATCH='"1"')
        answers.append(response.status_code)
    finally:
        connections.close_all()  # this thread's own connection


def main() -> None:
    call_command("migrate", verbosity=0)
    load_everything()
    reporter = make_persona("reporter_d")
    tools = [tool(reporter), tool(reporter)]
    statuses = []
    for round_ in range(ROUNDS):
        created = tools[0].post(
            URL,
            {
                "indicator": "1.2-internet-use",
                "geography": "WLD",
                "year": 2024,
                "value": 70,
                "publisher": "ITU",
                "publication": "Race",
                "source": "Race",
                "edition": f"Race {round_}",
            },
            format="json",
        )
        assert created.status_code == 201, created.content
        address = f"{URL}{created.json()['id']}/"
        start = threading.Barrier(len(tools))
        answers = []
        threads = [
            threading.Thread(target=change, args=(client, address, 71 + n, start, answers))
            for n, client in enumerate(tools)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses.append(sorted(answers))
    print(json.dumps(statuses))


if __name__ == "__main__":
    main()
