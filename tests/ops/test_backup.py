"""`make backup` / `make restore` (scripts/database_backup.sh): a loaded database dumped and
restored into a new one has every table's rows and answers the plan's tree byte for byte.
PostgreSQL only; the refusals run everywhere. Slow: about 15 s beyond loading the database."""

import subprocess
import sys

import pytest

from .conftest import ROOT, create_database, drop_database, needs_postgres, portal_env, psql

SCRIPT = ROOT / "scripts" / "database_backup.sh"
TREE = "/api/v1/plans/2020-2023/tree/"


def run_script(*args, database_url: str | None, force: bool = False, cwd=ROOT):
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin"}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    if force:
        env["FORCE"] = "1"
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def row_counts(url: str) -> dict[str, int]:
    tables = psql(
        url,
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    ).split()
    counts = psql(
        url,
        " UNION ALL ".join(
            f"SELECT '{table}', count(*) FROM public.\"{table}\"" for table in tables
        ),
    )
    return {table: int(count) for table, count in (line.split("|") for line in counts.split())}


def tree_bytes(url: str, into) -> bytes:
    """The tree's answer as the portal builds it on `url` (a process of its own each time)."""
    script = (
        "from pathlib import Path; from django.test import Client;"
        f"response = Client().get({TREE!r});"
        "assert response.status_code == 200, response.status_code;"
        f"Path({str(into)!r}).write_bytes(response.content)"
    )
    env = portal_env(DATABASE_URL=url, DEBUG="true", ALLOWED_HOSTS="testserver")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    return into.read_bytes()


@pytest.mark.parametrize("url", [None, "", "sqlite:///db.sqlite3"])
def test_backup_refuses_sqlite_and_says_what_to_do(url, tmp_path):
    result = run_script("backup", str(tmp_path), database_url=url)
    assert result.returncode == 2
    assert 'sqlite3 db.sqlite3 ".backup' in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_restore_needs_a_file():
    result = run_script("restore", database_url="postgres://nobody@127.0.0.1:1/none")
    assert result.returncode == 2
    assert "make restore FILE=" in result.stderr


@needs_postgres
def test_a_backup_restores_exactly(loaded_database, tmp_path):
    backup = run_script("backup", str(tmp_path / "backups"), database_url=loaded_database)
    assert backup.returncode == 0, backup.stderr
    dump = tmp_path / "backups" / backup.stdout.strip().rsplit("/", 1)[-1]
    source_name = loaded_database.rsplit("/", 1)[-1]
    assert dump.exists() and dump.name.startswith(f"{source_name}-") and dump.suffix == ".dump"
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert not list(dump.parent.glob("*.partial"))

    name = f"itu_rbm_ops_restored_{source_name.rsplit('_', 1)[-1]}"
    restored = create_database(name)
    try:
        result = run_script("restore", str(dump), database_url=restored)
        assert result.returncode == 0, result.stderr

        counts = row_counts(loaded_database)
        assert counts["indicators_observation"] > 150 and len(counts) > 30
        assert row_counts(restored) == counts
        source_tree = tree_bytes(loaded_database, tmp_path / "source.json")
        assert source_tree.startswith(b'{"code":"2020-2023"') and len(source_tree) > 50_000
        assert tree_bytes(restored, tmp_path / "restored.json") == source_tree

        # a database with content is not overwritten unless told so, and is left as it was
        refused = run_script("restore", str(dump), database_url=restored)
        assert refused.returncode == 2
        assert "not empty" in refused.stderr and "FORCE=1" in refused.stderr
        psql(restored, "DELETE FROM django_migrations WHERE app = 'risks'")
        assert row_counts(restored) != counts
        forced = run_script("restore", str(dump), database_url=restored, force=True)
        assert forced.returncode == 0, forced.stderr
        assert row_counts(restored) == counts
    finally:
        drop_database(name)
