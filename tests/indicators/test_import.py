"""import_observations: every failure mode is reported with its line, and nothing is written."""

import csv
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from indicators.models import Observation

pytestmark = pytest.mark.django_db

HEADER = ["indicator", "geography", "year", "value", "source", "source_url", "edition", "note"]
GOOD = ["1.2-internet-use", "WLD", "2024", "68", "ITU Facts and Figures 2024", "", "FF2024", ""]


def write_csv(path, rows, header=HEADER):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def run_import(path, *args):
    return call_command("import_observations", path, "--plan", "2020-2023", *args)


def test_import_valid_file_enters_figures_as_submitted(tmp_path, plan, capsys):
    second = [
        "2.4-internet-use",
        "LDC",
        "2023",
        "38.5",
        "ITU",
        "https://www.itu.int/x",
        "FF2024",
        "n",
    ]
    run_import(write_csv(tmp_path / "ok.csv", [GOOD, second]))
    figure = Observation.objects.get(
        indicator__code="2.4-internet-use", year=2023, edition="FF2024"
    )
    assert figure.value == Decimal("38.5")
    assert figure.status == Observation.Status.SUBMITTED
    assert figure.source_url == "https://www.itu.int/x"
    assert figure.history.count() == 1
    assert "2 row(s) checked, imported 2" in capsys.readouterr().out


def test_import_approve_enters_figures_as_approved(tmp_path, plan):
    run_import(write_csv(tmp_path / "ok.csv", [GOOD]), "--approve")
    assert Observation.objects.get(edition="FF2024").status == Observation.Status.APPROVED


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["no-such-indicator", *GOOD[1:]], "indicator: unknown indicator 'no-such-indicator'"),
        ([GOOD[0], "XYZ", *GOOD[2:]], "geography: unknown geography 'XYZ'"),
        ([*GOOD[:3], "around half", *GOOD[4:]], "value: 'around half' is not a number"),
        ([*GOOD[:3], "101", *GOOD[4:]], "value: 101 is above the highest allowed value 100"),
        ([*GOOD[:3], "-1", *GOOD[4:]], "value: -1 is below the lowest allowed value 0"),
        ([*GOOD[:2], "1989", *GOOD[3:]], "year: 1989 is outside 1990–2035"),
        (
            [*GOOD[:3], "1e20", *GOOD[4:]],
            "value: '1e20' has too many digits",
        ),
        ([*GOOD[:2], "2036", *GOOD[3:]], "year: 2036 is outside 1990–2035"),
        ([*GOOD[:2], "soon", *GOOD[3:]], "year: 'soon' is not a year"),
        ([*GOOD[:6], "", ""], "edition: this field is required"),
    ],
)
def test_import_refuses_a_bad_row_and_writes_nothing(tmp_path, plan, capsys, row, message):
    before = Observation.objects.count()
    good_elsewhere = [GOOD[0], "DEVG", *GOOD[2:]]
    path = write_csv(tmp_path / "bad.csv", [good_elsewhere, row])
    with pytest.raises(CommandError, match="nothing was written"):
        run_import(path)
    errors = capsys.readouterr().err
    assert f"line 3: {message}" in errors
    assert Observation.objects.count() == before


def test_import_refuses_a_figure_already_stored_for_that_edition(tmp_path, plan, capsys):
    stored = Observation.objects.get(
        indicator__code="1.2-internet-use", geography__code="WLD", year=2023
    )
    row = ["1.2-internet-use", "WLD", "2023", "66", "ITU", "", stored.edition, ""]
    with pytest.raises(CommandError, match="nothing was written"):
        run_import(write_csv(tmp_path / "again.csv", [row]))
    assert "line 2: edition: a figure for 1.2-internet-use, WLD, 2023 already exists" in (
        capsys.readouterr().err
    )
    stored.refresh_from_db()
    assert stored.value == Decimal("67")


def test_import_reports_every_bad_row_with_its_line(tmp_path, plan, capsys):
    rows = [GOOD, GOOD, [GOOD[0], "XYZ", *GOOD[2:]], [GOOD[0], GOOD[1], "2025", "n/a", *GOOD[4:]]]
    with pytest.raises(CommandError, match="3 problem"):
        run_import(write_csv(tmp_path / "bad.csv", rows))
    errors = capsys.readouterr().err
    assert "line 3: edition: duplicate of line 2" in errors
    assert "line 4: geography: unknown geography 'XYZ'" in errors
    assert "line 5: value: 'n/a' is not a number" in errors


def test_import_dry_run_writes_nothing(tmp_path, plan, capsys):
    before = Observation.objects.count()
    run_import(write_csv(tmp_path / "ok.csv", [GOOD]), "--dry-run")
    assert Observation.objects.count() == before
    assert "would import 1" in capsys.readouterr().out


def test_import_reads_xlsx(tmp_path, plan):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["1.2-internet-use", "WLD", 2024, 68.25, "ITU", None, "FF2024", None])
    path = tmp_path / "figures.xlsx"
    workbook.save(path)
    run_import(str(path))
    assert Observation.objects.get(edition="FF2024").value == Decimal("68.25")


def test_import_refuses_unknown_columns_and_formats(tmp_path, plan):
    with pytest.raises(CommandError, match="unknown column"):
        run_import(write_csv(tmp_path / "odd.csv", [GOOD], header=[*HEADER[:-1], "comment"]))
    with pytest.raises(CommandError, match="missing column"):
        run_import(write_csv(tmp_path / "short.csv", [GOOD[:3]], header=HEADER[:3]))
    text = tmp_path / "figures.txt"
    text.write_text("x")
    with pytest.raises(CommandError, match=r"use a \.csv or \.xlsx file"):
        run_import(str(text))


def test_import_approve_needs_a_staff_user(tmp_path, plan, django_user_model):
    django_user_model.objects.create_user("clerk", password="x-long-password-1")
    with pytest.raises(CommandError, match="not staff"):
        run_import(write_csv(tmp_path / "ok.csv", [GOOD]), "--approve", "--user", "clerk")


def test_import_skip_existing_makes_a_rerun_harmless(tmp_path, plan, capsys):
    path = write_csv(tmp_path / "ok.csv", [GOOD])
    run_import(path)
    run_import(path, "--skip-existing")
    assert Observation.objects.filter(edition="FF2024").count() == 1
    assert "skipped 1 already stored" in capsys.readouterr().out
