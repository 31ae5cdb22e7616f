"""The fault experiment of issue 18: reporters keep posting figures while the database restarts.

A private PostgreSQL cluster (initdb in a temporary folder, 127.0.0.1:5499, so that restarting it
disturbs nobody), the portal under gunicorn on 127.0.0.1:8419 (DEBUG off), and REPORTERS threads
that post new figures for SECONDS seconds, each with its own Idempotency-Key, retrying a failed
request with the same key until it gets an answer that is not a server error. Meanwhile the
cluster restarts twice: "fast" (sessions ended cleanly) and "immediate" (as after a crash).

At the end: requests tried, 5xx answers, connection errors, acknowledged writes against rows
stored, duplicates (one report stored twice), writes stored that the client was told failed (a
report whose retries gave up, but whose row exists), and the longest time without a successful
write after a restart. Run as root (the cluster runs as the postgres user):

    .venv/bin/python bench/faults.py [--reporters 20] [--seconds 10]
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT = 5499
WEB_PORT = 8419
DATABASE = f"postgres://postgres@127.0.0.1:{PG_PORT}/itu_rbm_faults"
ENVIRONMENT = {
    **os.environ,
    "DATABASE_URL": DATABASE,
    "DEBUG": "false",
    "SECRET_KEY": "bench-faults-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_CONN_MAX_AGE": "0",
}
PYTHON = sys.executable


def as_postgres(*command: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True)


class Cluster:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="itu-rbm-faults-"))
        shutil.chown(self.folder, "postgres")
        self.data = self.folder / "data"
        as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {PG_PORT} -k {self.folder} -c listen_addresses=127.0.0.1"
        # -l: the server's output goes to a file, not to the pipes this process waits on
        log = str(self.folder / "server.log")
        as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options, "-w", *args
        )

    def remove(self) -> None:
        try:
            self.pg_ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def manage(*args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=ENVIRONMENT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


SETUP = """
from knox.models import AuthToken
from tests.conftest import load_everything
from tests.personas import make_persona
load_everything()
print(AuthToken.objects.create(user=make_persona("reporter_d"))[1])
"""

COUNT = """
from django.db.models import Count
from indicators.models import Observation
rows = Observation.objects.filter(edition__startswith="Fault ").values("edition")
print(__import__("json").dumps(list(rows.annotate(n=Count("id")).values_list("edition", "n"))))
"""


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.tried = self.server_errors = self.connection_errors = 0
        self.acknowledged, self.given_up = set(), set()
        self.successes: list[float] = []

    def add(self, **counts) -> None:
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


def post(token: str, body: dict, key: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=30)
    try:
        connection.request(
            "POST",
            "/api/v1/observations/",
            json.dumps(body),
            {
                "Content-Type": "application/json",
                "Authorization": f"Token {token}",
                "Idempotency-Key": key,
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()


def reporter(number: int, token: str, stop_at: float, tally: Tally) -> None:
    report = 0
    while time.monotonic() < stop_at:
        edition = f"Fault {number}-{report}"
        body = {
            "indicator": "1.2-internet-use",
            "geography": "WLD",
            "year": 2024,
            "value": 70,
            "publisher": "ITU",
            "publication": "Fault experiment",
            "source": "Fault experiment",
            "edition": edition,
        }
        give_up = time.monotonic() + 30
        while True:
            tally.add(tried=1)
            try:
                status = post(token, body, key=edition)
            except OSError:
                status = None
                tally.add(connection_errors=1)
            if status is not None and status >= 500:
                tally.add(server_errors=1)
            if status is not None and status < 500:
                with tally.lock:
                    if status == 201:
                        tally.acknowledged.add(edition)
                        tally.successes.append(time.monotonic())
                break
            if time.monotonic() > give_up:
                with tally.lock:
                    tally.given_up.add(edition)
                break
            time.sleep(0.2)
        report += 1


def longest_gap(successes: list[float], after: float) -> float:
    """Seconds from `after` (a restart) to the first acknowledged write after it."""
    later = [moment for moment in successes if moment >= after]
    return round(min(later) - after, 2) if later else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reporters", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    options = parser.parse_args()

    cluster = Cluster()
    web = None
    try:
        cluster.pg_ctl("start")
        as_postgres(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "itu_rbm_faults"
        )
        manage("migrate", "--noinput", "-v", "0")
        token = manage("shell", "-c", SETUP).strip().splitlines()[-1]
        web = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py", "itu_rbm.wsgi"],
            cwd=ROOT,
            env={**ENVIRONMENT, "GUNICORN_BIND": f"127.0.0.1:{WEB_PORT}", "GUNICORN_WORKERS": "4"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3)

        tally = Tally()
        start = time.monotonic()
        stop_at = start + options.seconds
        threads = [
            threading.Thread(target=reporter, args=(n, token, stop_at, tally))
            for n in range(options.reporters)
        ]
        for thread in threads:
            thread.start()
        restarts = []
        for delay, mode in ((options.seconds * 0.3, "fast"), (options.seconds * 0.65, "immediate")):
            time.sleep(max(0.0, start + delay - time.monotonic()))
            restarts.append((mode, time.monotonic()))
            cluster.pg_ctl("restart", "-m", mode)
        for thread in threads:
            thread.join()

        stored = dict(json.loads(manage("shell", "-c", COUNT).strip().splitlines()[-1]))
        result = {
            "reporters": options.reporters,
            "seconds": options.seconds,
            "requests tried": tally.tried,
            "5xx answers": tally.server_errors,
            "connection errors": tally.connection_errors,
            "acknowledged writes": len(tally.acknowledged),
            "rows stored": sum(stored.values()),
            "acknowledged but not stored": len(tally.acknowledged - stored.keys()),
            "duplicates": sum(n - 1 for n in stored.values() if n > 1),
            "stored although the client gave up": len(tally.given_up & stored.keys()),
            "reports given up": len(tally.given_up),
            "recovery seconds": {
                mode: longest_gap(tally.successes, moment) for mode, moment in restarts
            },
        }
        print(json.dumps(result, indent=2))
    finally:
        if web is not None:
            web.send_signal(signal.SIGTERM)
            web.wait(timeout=30)
        cluster.remove()


if __name__ == "__main__":
    main()
