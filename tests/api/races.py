"""Run by test_races.py in a process of its own, on the database of DATABASE_URL: an SQLite
*file* (pytest-django's in-memory test database shares one cache between connections, which does
not lock as a file does) or a PostgreSQL database of its own. Migrates and loads the plan, then
races two tools of one reporter in each round:

- `patch`: both change the same figure at once, based on version 1; prints the statuses.
- `post-key`: both send the same report with the same Idempotency-Key at once; prints the
  statuses, whether both answers name the same figure, and how many figures were stored.
"""

import json
import os
import sys
import threading
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itu_rbm.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from knox.models import AuthToken  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from indicators.models import Observation  # noqa: E402
from tests.conftest import load_everything  # noqa: E402
from tests.personas import make_persona  # noqa: E402

URL = "/api/v1/observations/"
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
MODE = sys.argv[2] if len(sys.argv) > 2 else "patch"


def tool(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return client


def figure(round_: int) -> dict:
    return {
        "indicator": "1.2-internet-use",
        "geography": "WLD",
        "year": 2024,
        "value": 70,
        "publisher": "ITU",
        "publication": "Race",
        "source": "Race",
        "edition": f"Race {MODE} {round_}",
    }


def at_once(send, clients) -> list:
    """The answers of `send(client)` for every client, sent when every thread is ready."""
    start = threading.Barrier(len(clients))
    answers = []

    def run(client):
        start.wait()
        try:
            answers.append(send(client))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def patch_round(tools, round_: int):
    created = tools[0].post(URL, figure(round_), format="json")
    assert created.status_code == 201, created.content
    address = f"{URL}{created.json()['id']}/"
    answers = at_once(
        lambda client: client.patch(address, {"value": 71}, format="json", HTTP_IF_MATCH='"1"'),
        tools,
    )
    return sorted(answer.status_code for answer in answers)


def post_key_round(tools, round_: int):
    body = figure(round_)
    answers = at_once(
        lambda client: client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=f"k{round_}"),
        tools,
    )
    ids = {answer.json().get("id") for answer in answers}
    stored = Observation.objects.filter(edition=body["edition"]).count()
    return [sorted(answer.status_code for answer in answers), len(ids), stored]


def main() -> None:
    call_command("migrate", verbosity=0)
    load_everything()
    # the database is kept for the other mode's run: its reporter too
    reporter = User.objects.filter(username="reporter_d").first() or make_persona("reporter_d")
    tools = [tool(reporter), tool(reporter)]
    play = {"patch": patch_round, "post-key": post_key_round}[MODE]
    statuses = [play(tools, round_) for round_ in range(ROUNDS)]
    print(json.dumps(statuses))


if __name__ == "__main__":
    main()
