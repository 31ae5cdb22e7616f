"""import_observations: every failure mode is reported with its line, and nothing is written."""

import csv
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from indicators.models import Observation

pytestmark = pytest.mark.django_db

HEADER = [
    "indicator",
    "geography",
    "year",
    "value",
    "source",
    "source_url",
    "edition",
    "note",
    "publisher",
    "publication",
]
CITED = ["ITU", "Facts and Figures 2024"]  # publisher, publication: the last two columns
GOOD = [
    "1.2-internet-use",
    "WLD",
    "2024",
    "68",
    "ITU Facts and Figures 2024",
    "",
    "FF2024",
    "",
    *CITED,
]


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
        *CITED,
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
            [*GOOD[:3], "100000000000000000000", *GOOD[4:]],
            "value: '100000000000000000000' has too many digits",
        ),
        # an exponent is no way to write a figure in the import format (read_plain_number)
        ([*GOOD[:3], "1e20", *GOOD[4:]], "value: '1e20' is not a number in the import format"),
        ([*GOOD[:2], "2036", *GOOD[3:]], "year: 2036 is outside 1990–2035"),
        ([*GOOD[:2], "soon", *GOOD[3:]], "year: 'soon' is not a year"),
        # the import format's decimal mark is a point, and it has no thousands separator
        (
            [*GOOD[:3], "40,5", *GOOD[4:]],
            "value: '40,5' is not a number in the import format: write it with a decimal "
            "point and no thousands separator, e.g. 1234.5",
        ),
        ([*GOOD[:3], "1,234", *GOOD[4:]], "value: '1,234' is not a number in the import format"),
        ([*GOOD[:3], "1_0", *GOOD[4:]], "value: '1_0' is not a number in the import format"),
        ([*GOOD[:3], "1 234", *GOOD[4:]], "value: '1 234' is not a number in the import format"),
        (
            [*GOOD[:2], "2031", *GOOD[3:]],
            "year: 2031 is outside the reporting window of the 2020-2023 plan: 2010 to 2026",
        ),
        (
            [*GOOD[:2], "2009", *GOOD[3:]],
            "year: 2009 is outside the reporting window of the 2020-2023 plan: 2010 to 2026",
        ),
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
    sheet.append(["1.2-internet-use", "WLD", 2024, 68.25, "ITU", None, "FF2024", None, *CITED])
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


def test_import_refuses_a_year_in_the_future_even_within_the_plans_reach(tmp_path, plan, capsys):
    next_year = timezone.localdate().year + 1
    plan.reporting_reach_years = next_year - 2023 + 2
    plan.save()
    before = Observation.objects.count()
    row = [*GOOD[:2], str(next_year), *GOOD[3:]]
    with pytest.raises(CommandError, match="nothing was written"):
        run_import(write_csv(tmp_path / "future.csv", [GOOD, row]))
    assert (
        f"line 3: year: {next_year} is in the future: figures are reported up to "
        f"{next_year - 1}, the current year"
    ) in capsys.readouterr().err
    assert Observation.objects.count() == before


def test_import_reads_numbers_of_xlsx_cells_and_refuses_a_comma_in_a_text_cell(
    tmp_path, plan, capsys
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([GOOD[0], "DEVG", 2023.0, 40.5, *GOOD[4:]])  # number cells, as Excel stores them
    sheet.append([*GOOD[:3], "68,5", *GOOD[4:]])  # a text cell with a decimal comma
    path = tmp_path / "figures.xlsx"
    workbook.save(path)
    with pytest.raises(CommandError, match="1 problem"):
        run_import(str(path))
    assert "line 3: value: '68,5' is not a number in the import format" in (capsys.readouterr().err)
    assert not Observation.objects.filter(edition=GOOD[HEADER.index("edition")]).exists()


# --- citations (issue 13) -----------------------------------------------------------------------


def _citation_migration():
    import importlib

    return importlib.import_module("indicators.migrations.0002_observation_citation")


def _conversion_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "cite_published_figures.py"
    spec = importlib.util.spec_from_file_location("cite_published_figures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_citation_migration_holds_the_same_tables_as_the_conversion_script():
    script, migration = _conversion_script(), _citation_migration()
    assert {key: tuple(c) for key, c in script.CITATIONS.items()} == migration.CITATIONS
    assert migration.REPORTED_IN == script.REPORTED_IN
    # the script writes the import format's columns, which it keeps a copy of to run alone
    from indicators.validation import FIELDS

    assert script.FIELDS == FIELDS


def test_every_published_figure_is_cited_and_the_2024_world_figures_are_loaded(plan):
    figures = Observation.objects.filter(indicator__plan=plan)
    assert figures.count() == 186
    assert not figures.filter(publisher="").exists()
    assert not figures.filter(publication="").exists()
    world = figures.get(indicator__code="1.2-internet-use", geography__code="WLD", year=2024)
    assert (world.value, world.publisher, world.publication, world.edition, world.reported_in) == (
        Decimal("68"),
        "ITU",
        "Facts and Figures 2024",
        "Facts and Figures 2024",
        "digitaldemocracynow.org, dataxpat.com",
    )
    users = figures.get(
        indicator__code="1.2-internet-users-millions", geography__code="WLD", year=2024
    )
    assert users.value == Decimal("5500")
    # press reports are named; the publications read directly are not "as reported"
    assert set(figures.exclude(reported_in="").values_list("reported_in", flat=True)) >= {
        "Computer Weekly",
        "WastePlant",
        "Rapid TV News",
    }
    assert figures.filter(edition="Facts and Figures 2023", reported_in="").count() == 20


def test_citation_migration_cites_a_figure_stored_before_it(plan):
    from django.apps import apps

    old_edition = "ITU Facts and Figures 2021 (published 30 Nov/1 Dec 2021)"
    figure = Observation.objects.filter(edition="Facts and Figures 2021").first()
    Observation.objects.filter(pk=figure.pk).update(
        edition=old_edition, source="ITU Facts and Figures 2021", publisher="", publication=""
    )
    staff = Observation.objects.filter(edition="Facts and Figures 2022").first()
    Observation.objects.filter(pk=staff.pk).update(edition="Ministry yearbook", publisher="")
    _citation_migration().cite(apps, None)
    figure.refresh_from_db()
    assert (figure.publisher, figure.publication, figure.edition, figure.source) == (
        "ITU",
        "Facts and Figures 2021",
        "Facts and Figures 2021",
        f"ITU Facts and Figures 2021 — recorded as: {old_edition}",
    )
    staff.refresh_from_db()  # an edition no table knows: kept, and named as the publication
    assert (staff.publisher, staff.publication, staff.edition) == (
        "",
        "Ministry yearbook",
        "Ministry yearbook",
    )


def test_import_refuses_a_row_without_publisher_or_publication(tmp_path, plan, capsys):
    before = Observation.objects.count()
    with pytest.raises(CommandError) as refused:
        run_import(write_csv(tmp_path / "bad.csv", [[*GOOD[:8], "", ""]]))
    captured = capsys.readouterr()
    out = f"{captured.out}{captured.err}{refused.value}"
    assert Observation.objects.count() == before
    assert "line 2: publisher: this field is required" in out
    assert "line 2: publication: this field is required" in out


# --- what people do not write: control characters, oversized cells, numbers Python reads -------

# GOOD's columns: indicator, geography, year, value, source, source_url, edition, note, ...
SOURCE, NOTE, YEAR, VALUE = 4, 7, 2, 3


def with_cell(column: int, text: str) -> list[str]:
    row = list(GOOD)
    row[column] = text
    return row


@pytest.mark.parametrize(
    ("column", "text", "message"),
    [
        (SOURCE, "ITU\x00 Facts", "source: holds a control character (U+0000) at character 4"),
        (NOTE, "see \x1b[31m", "note: holds a control character (U+001B) at character 5"),
        (SOURCE, "ITU\tFacts", "source: holds a control character (U+0009) at character 4"),
        (SOURCE, "ITU\nFacts", "source: holds a control character (U+000A) at character 4"),
        (VALUE, "68\x00", "value: holds a control character (U+0000) at character 3"),
        (NOTE, "n" * 2001, "note: longer than 2000 characters"),
        (SOURCE, "s" * 501, "source: longer than 500 characters"),
        (YEAR, "2_019", "year: '2_019' is not a year"),
        (YEAR, "２０１９", "year: '２０１９' is not a year"),
        (VALUE, "1e3", "value: '1e3' is not a number in the import format"),
        (VALUE, "NaN", "value: 'NaN' is not a number in the import format"),
        (VALUE, "Infinity", "value: 'Infinity' is not a number in the import format"),
        (VALUE, "６８", "value: '６８' is not a number in the import format"),
        (VALUE, "0x44", "value: '0x44' is not a number in the import format"),
    ],
)
def test_import_refuses_what_people_do_not_write_with_line_and_column(
    tmp_path, plan, capsys, column, text, message
):
    before = Observation.objects.count()
    path = write_csv(tmp_path / "bad.csv", [[GOOD[0], "DEVG", *GOOD[2:]], with_cell(column, text)])
    with pytest.raises(CommandError, match=r"1 problem.*nothing was written"):
        run_import(path)
    assert f"line 3: {message}" in capsys.readouterr().err
    assert Observation.objects.count() == before


def test_import_takes_line_breaks_in_a_quoted_note_and_counts_lines_as_the_file_has_them(
    tmp_path, plan, capsys
):
    multi = with_cell(NOTE, "first line\r\nsecond line")
    bad = with_cell(SOURCE, "ITU\x07")
    path = write_csv(tmp_path / "notes.csv", [multi, [GOOD[0], "DEVG", *GOOD[2:4], *bad[4:]]])
    with pytest.raises(CommandError):
        run_import(path)
    assert "line 4: source: holds a control character (U+0007)" in capsys.readouterr().err
    run_import(write_csv(tmp_path / "notes.csv", [multi, [GOOD[0], "DEVG", *GOOD[2:]]]))
    assert Observation.objects.get(geography__code="WLD", edition="FF2024").note == (
        "first line\r\nsecond line"
    )


def test_import_refuses_a_50_mb_cell_with_its_line_not_a_traceback(tmp_path, plan):
    before = Observation.objects.count()
    path = tmp_path / "huge.csv"
    write_csv(path, [GOOD, with_cell(NOTE, "x" * 50_000_000)])
    with pytest.raises(CommandError, match=r"huge.csv: line 3: field larger than field limit"):
        run_import(str(path))
    assert Observation.objects.count() == before


def test_import_of_xlsx_refuses_the_same_cells(tmp_path, plan, capsys):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([GOOD[0], "DEVG", 2019, 68, *GOOD[4:]])  # number cells are numbers
    sheet.append(with_cell(YEAR, "2_019"))
    sheet.append([*GOOD[:3], "1_0", *GOOD[4:]])
    sheet.append([*GOOD[:2], "2020", "67", *with_cell(NOTE, "n" * 2001)[4:]])
    workbook.save(tmp_path / "bad.xlsx")
    before = Observation.objects.count()
    with pytest.raises(CommandError, match="3 problem"):
        run_import(str(tmp_path / "bad.xlsx"))
    errors = capsys.readouterr().err
    assert "line 3: year: '2_019' is not a year" in errors
    assert "line 4: value: '1_0' is not a number in the import format" in errors
    assert "line 5: note: longer than 2000 characters" in errors
    assert Observation.objects.count() == before


def test_import_of_a_broken_xlsx_sheet_is_a_clean_error(tmp_path, plan):
    import zipfile

    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(GOOD)
    good = tmp_path / "good.xlsx"
    workbook.save(good)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<row r='3'><c r='A3' t='inlineStr'>")
            target.writestr(item, data)
    with pytest.raises(CommandError, match=r"broken\.xlsx: not a readable XLSX file"):
        run_import(str(broken))
    assert not Observation.objects.filter(edition="FF2024").exists()
