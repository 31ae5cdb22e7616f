"""SQLite, the default database, under the same-ETag race (issue 18): two changes of one figure
based on the same version must answer 200 and 412, never 500 "database is locked". Only a file
database locks as production does, so the race runs in a process of its own (sqlite_race.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("sqlite_race.py")


def test_two_changes_based_on_one_version_answer_200_and_412_on_sqlite(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "10"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rounds = json.loads(result.stdout.strip().splitlines()[-1])
    # before transaction_mode="IMMEDIATE": [200, 500] in every round
    assert rounds == [[200, 412]] * 10
