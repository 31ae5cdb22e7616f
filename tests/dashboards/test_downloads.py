"""The figures a visitor downloads, a target's or the whole plan's: CSV with a byte-order mark,
an Excel workbook and JSON, in the page's language; the import format for staff only; and the
"Proposed target" tag that explains itself."""

import csv
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from dashboards.pages import citation
from dashboards.presentation import status_look, verdict_look
from frameworks.models import Target
from indicators.models import Geography, Indicator, Observation
from indicators.status import plan_progress
from tests.personas import make_user

pytestmark = pytest.mark.django_db

PLAN = "plans/2020-2023"
TARGET = f"{PLAN}/targets/1.2"
FRENCH_HEADINGS = [
    "Code de la cible",
    "Code de l'indicateur",
    "Indicateur",
    "Code de la zone géographique",
    "Zone géographique",
    "Unité",
    "Année",
    "Valeur",
    "Utilisée dans la série",
    "Valeur cible",
    "Année cible",
    "Code du verdict",
    "Verdict sur la cible",
    "Code du statut",
    "Statut de la cible",
    "Citation",
    "Source",
    "Édition",
    "Adresse de la source",
    "Note",
]


def approved(**filters):
    return list(
        Observation.objects.approved()
        .filter(**filters)
        .select_related("indicator", "geography")
        .order_by("indicator__code", "geography__order", "geography__code", "year", "edition")
    )


def order_of(rows) -> list[str]:
    return list(dict.fromkeys(row[0] for row in rows))


def read_csv(response) -> tuple[list[str], list[list[str]]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark
    rows = list(csv.reader(io.StringIO(response.content[3:].decode("utf-8"))))
    return rows[0], rows[1:]


def test_a_targets_csv_is_in_the_pages_language_with_exact_numbers(visitor, plan):
    response = visitor.get(f"/fr/{TARGET}/download.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="itu-rbm-2020-2023-target-1.2.csv"'
    )
    headings, rows = read_csv(response)
    assert headings == FRENCH_HEADINGS
    expected = approved(indicator__target__code="1.2")
    assert len(rows) == len(expected) > 20
    by_key = {(row[1], row[3], int(row[6]), row[17]): row for row in rows}
    progress = next(row for row in plan_progress(plan) if row.target.code == "1.2")
    status, verdict = progress.status, progress.verdict
    with translation.override("fr"):
        label = str(status_look(status).label)
        verdict_label = str(verdict_look(verdict).label)
    for obs in expected:
        row = by_key[(obs.indicator.code, obs.geography.code, obs.year, obs.edition)]
        assert Decimal(row[7]) == obs.value
        assert row[0] == "1.2"
        assert row[2] == obs.indicator.name_fr
        assert row[4] == obs.geography.name_fr
        with translation.override("fr"):
            assert row[5] == str(obs.indicator.get_unit_display())
        if obs.indicator.is_main:
            assert (row[9], row[10]) == ("65", "2023")
        assert (row[11], row[12]) == (verdict, verdict_label)
        assert (row[13], row[14]) == (status, label)
        assert row[15] == citation(obs.publisher, obs.publication, obs.edition)
        assert row[15].startswith(obs.publisher + ", ") and obs.publisher
        assert row[16] == obs.source
    world_2023 = [row for row in rows if row[3] == "WLD" and row[6] == "2023"]
    internet = [row for row in world_2023 if row[1] == "1.2-internet-use"]
    assert [(row[4], row[5], row[7], row[8]) for row in internet] == [
        ("Monde", "pour cent", "67", "oui")
    ]


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_arabic_and_chinese_names_come_through_intact(visitor, plan, language):
    _headings, rows = read_csv(visitor.get(f"/{language}/{TARGET}/download.csv"))
    world = Geography.objects.get(code="WLD")
    indicator = Indicator.objects.get(plan=plan, code="1.2-internet-use")
    column = language.replace("-", "_")
    names = {(row[2], row[4]) for row in rows if row[3] == "WLD" and row[1] == indicator.code}
    assert names == {(getattr(indicator, f"name_{column}"), getattr(world, f"name_{column}"))}
    assert getattr(world, f"name_{column}") in {"العالم", "世界"}


def test_the_workbook_has_the_same_figures_as_numbers(visitor, plan):
    response = visitor.get(f"/zh-hans/{TARGET}/download.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="itu-rbm-2020-2023-target-1.2.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    csv_headings, csv_rows = read_csv(visitor.get(f"/zh-hans/{TARGET}/download.csv"))
    assert list(rows[0]) == csv_headings
    assert rows[0][4] == "地理范围"
    assert len(rows) - 1 == len(csv_rows) == len(approved(indicator__target__code="1.2"))
    for cells, text in zip(rows[1:], csv_rows, strict=True):
        assert isinstance(cells[7], (int, float)) and isinstance(cells[6], int)
        assert Decimal(str(cells[7])) == Decimal(text[7])
        assert [str(cell) if cell is not None else "" for cell in cells[:6]] == text[:6]
    assert sheet.sheet_view.rightToLeft is not True


def test_the_arabic_workbook_reads_right_to_left(visitor, plan):
    response = visitor.get(f"/ar/{TARGET}/download.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft is True
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == "المنطقة الجغرافية"
    assert {row[4] for row in rows[1:] if row[3] == "WLD"} == {"العالم"}


def test_the_json_button_downloads_a_file_with_the_same_rows(visitor, plan):
    response = visitor.get(f"/es/{TARGET}/download.json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="itu-rbm-2020-2023-target-1.2.json"'
    )
    document = json.loads(response.content)
    assert (document["plan"], document["target"], document["language"]) == (
        "2020-2023",
        "1.2",
        "es",
    )
    assert document["columns"]["geography_name"] == "Zona geográfica"
    _headings, rows = read_csv(visitor.get(f"/es/{TARGET}/download.csv"))
    assert [(o["geography_name"], o["value"], o["year"]) for o in document["observations"]] == [
        (row[4], row[7], int(row[6])) for row in rows
    ]
    assert {o["used"] for o in document["observations"]} == {True, False}


def test_the_whole_plan_in_one_file(visitor, plan):
    response = visitor.get(f"/en/{PLAN}/download.csv")
    assert response["Content-Disposition"] == 'attachment; filename="itu-rbm-2020-2023-figures.csv"'
    headings, rows = read_csv(response)
    assert headings[:3] == ["Target code", "Indicator code", "Indicator"]
    expected = approved(indicator__plan=plan)
    assert len(rows) == len(expected)
    assert sorted(Decimal(row[7]) for row in rows) == sorted(obs.value for obs in expected)
    statuses = {row.target.code: row.status for row in plan_progress(plan)}
    assert {row[0]: row[13] for row in rows} == {
        code: status
        for code, status in statuses.items()
        if any(obs.indicator.target.code == code for obs in expected)
    }
    verdicts = {row.target.code: row.verdict for row in plan_progress(plan)}
    assert {row[0]: row[11] for row in rows} == {code: verdicts[code] for code in order_of(rows)}
    assert {row[11] for row in rows} >= {"achieved", "not_achieved"}
    # in the plan's order: goal, then target
    order = [code for code in statuses if code in {row[0] for row in rows}]
    assert list(dict.fromkeys(row[0] for row in rows)) == order

    sheet = openpyxl.load_workbook(
        io.BytesIO(visitor.get(f"/en/{PLAN}/download.xlsx").content)
    ).active
    assert sheet.max_row == len(rows) + 1


def test_a_cell_that_a_spreadsheet_would_run_is_defused(visitor, plan):
    indicator = Indicator.objects.get(plan=plan, code="1.2-internet-use")
    Observation.objects.create(
        indicator=indicator,
        geography=indicator.headline_geography,
        year=2016,
        value=Decimal("-0.5"),
        publisher="=1+1",
        publication="Facts and Figures",
        source='=HYPERLINK("http://example.com","x")',
        source_url="+1 555",
        edition="@SUM(A1:A2)",
        note="\tcmd|' /C calc'!A0",
        status="approved",
    )
    _headings, rows = read_csv(visitor.get(f"/en/{TARGET}/download.csv"))
    row = next(row for row in rows if row[6] == "2016")
    assert row[7] == "-0.5"  # a number stays a number
    assert row[15].startswith("'=1+1, Facts and Figures")
    assert (row[16], row[17], row[18], row[19]) == (
        '\'=HYPERLINK("http://example.com","x")',
        "'@SUM(A1:A2)",
        "'+1 555",
        "'\tcmd|' /C calc'!A0",
    )
    sheet = openpyxl.load_workbook(
        io.BytesIO(visitor.get(f"/en/{TARGET}/download.xlsx").content)
    ).active
    cells = next(cells for cells in sheet.iter_rows(min_row=2) if cells[6].value == 2016)
    assert cells[16].value == '=HYPERLINK("http://example.com","x")'
    assert cells[16].data_type == "s"  # text, never a formula
    assert cells[7].value == -0.5


def test_the_import_format_is_for_staff_only(visitor, client, plan):
    for url in (f"/en/{TARGET}/download.import.csv", f"/en/{PLAN}/download.import.csv"):
        assert visitor.get(url).status_code == 404
    client.force_login(make_user("nobody"))
    assert client.get(f"/en/{TARGET}/download.import.csv").status_code == 404
    client.force_login(make_user("reporter_d", "Reporter", ["ITU-D"]))
    response = client.get(f"/fr/{TARGET}/download.import.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        'attachment; filename="itu-rbm-2020-2023-target-1.2-import.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert list(rows[0]) == [
        "indicator",
        "geography",
        "year",
        "value",
        "publisher",
        "publication",
        "edition",
        "source",
        "source_url",
        "reported_in",
        "note",
    ]  # the import format itself: a corrected file loads again
    assert len(rows) == len(approved(indicator__target__code="1.2"))
    assert {row["geography"] for row in rows} >= {"WLD", "DEVD"}
    whole = client.get(f"/en/{PLAN}/download.import.csv")
    assert len(whole.content.decode().splitlines()) - 1 == len(approved(indicator__plan=plan))


@pytest.mark.parametrize(
    ("url", "most"),
    [
        (f"/en/{TARGET}/download.csv", 3),
        (f"/en/{TARGET}/download.xlsx", 3),
        (f"/en/{TARGET}/download.json", 3),
        (f"/en/{PLAN}/download.csv", 4),
        (f"/en/{PLAN}/download.xlsx", 4),
    ],
)
def test_downloads_are_cached_in_few_queries(
    visitor, plan, django_assert_max_num_queries, django_assert_num_queries, url, most
):
    with django_assert_max_num_queries(most):
        first = visitor.get(url)
    with django_assert_num_queries(0):
        again = visitor.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Disposition"] == first["Content-Disposition"]


def test_each_language_has_its_own_download(visitor, plan):
    english = visitor.get(f"/en/{TARGET}/download.csv").content
    french = visitor.get(f"/fr/{TARGET}/download.csv").content
    assert english != french
    assert "Monde" in french.decode("utf-8-sig") and "Monde" not in english.decode("utf-8-sig")


def test_unknown_formats_and_targets_are_404(visitor, plan):
    for url in (
        f"/en/{TARGET}/download.xml",
        f"/en/{PLAN}/download.pdf",
        f"/en/{PLAN}/targets/9.9/download.csv",
        "/en/plans/1999-2000/download.csv",
    ):
        assert visitor.get(url).status_code == 404, url


def test_pages_link_their_downloads(visitor, plan):
    target_page = visitor.get(f"/fr/{TARGET}/").content.decode()
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/fr/{TARGET}/download.{fmt}" download' in target_page
    assert "download.import.csv" not in target_page
    overview = visitor.get(f"/fr/{PLAN}/").content.decode()
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/fr/{PLAN}/download.{fmt}" download' in overview


# --- the "Proposed target" tag ------------------------------------------------------------------

EXPLANATIONS = {
    "en": "The strategic plan marks this target as proposed. "
    "The portal follows it like the other targets.",
    "fr": "Le plan stratégique présente cette cible comme proposée. "
    "Le portail la suit comme les autres cibles.",
    "zh-hans": "战略规划将此具体目标标为拟议目标。本门户像对待其他具体目标一样跟踪其进展。",
}


@pytest.mark.parametrize("language", list(EXPLANATIONS))
def test_a_proposed_target_says_what_proposed_means(visitor, plan, language):
    html = visitor.get(f"/{language}/{PLAN}/targets/1.4/").content.decode()
    tag = re.search(
        r'<span class="tag tag-proposed" tabindex="0" aria-describedby="(proposed-\d+)">'
        r'([^<]+)</span> <span class="proposed-tip" id="(proposed-\d+)" role="tooltip">([^<]+)<',
        html,
    )
    assert tag, html
    assert tag.group(1) == tag.group(3)
    assert tag.group(4) == EXPLANATIONS[language]
    assert '<p class="proposed proposed-open">' in html


def test_the_goal_page_explains_each_proposed_tag(visitor, plan):
    html = visitor.get(f"/en/{PLAN}/goals/1/").content.decode()
    described = re.findall(r'aria-describedby="(proposed-\d+)">Proposed target<', html)
    proposed = list(
        Target.objects.filter(plan=plan, goal__number=1, proposed=True)
        .order_by("order")
        .values_list("pk", flat=True)
    )
    assert described == [f"proposed-{pk}" for pk in proposed]
    assert len(described) == 6
    assert html.count(EXPLANATIONS["en"]) == 6
    assert 'class="proposed proposed-open"' not in html


def test_the_staff_download_loads_again_as_it_is(staff_client, plan, tmp_path):
    """The import format round-trips: every figure of the file is recognised as already stored,
    and nothing is refused."""
    from indicators.imports import observations_import, read_rows

    response = staff_client.get("/en/plans/2020-2023/targets/1.2/download.import.csv")
    path = tmp_path / "target-1.2.csv"
    path.write_bytes(response.content)
    result = observations_import(read_rows(path), plan=plan, approve=True, skip_existing=True)
    assert (result.created, result.skipped) == (0, 29)


# --- formula injection (OWASP): what a reporter types reaches every file as text --------------

FORMULAS = ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+1", "-1+1", "=1+1"]


def reported_and_approved(plan, *, source: str, edition: str) -> Observation:
    """A figure as a reporter submits it (the validator's path) and a reviewer approves it."""
    from indicators import services
    from tests.personas import make_persona

    figure = services.observation_report(
        plan=plan,
        raw={
            "indicator": "1.2-internet-use",
            "geography": "ATG",
            "year": "2021",
            "value": "61.5",
            "publisher": "ITU",
            "publication": "Facts and Figures",
            "edition": edition,
            "source": source,
        },
        user=make_persona("reporter_d"),
    )
    return services.observation_approve(observation=figure, user=make_persona("reviewer_d"))


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_reporters_formula_reaches_every_download_as_text(visitor, staff_client, plan, formula):
    reported_and_approved(plan, source=formula, edition=f"{formula} edition")
    _headings, rows = read_csv(visitor.get(f"/en/{TARGET}/download.csv"))
    row = next(row for row in rows if row[3] == "ATG" and row[6] == "2021")
    assert (row[7], row[16], row[17]) == ("61.5", "'" + formula, f"'{formula} edition")

    sheet = openpyxl.load_workbook(
        io.BytesIO(visitor.get(f"/en/{PLAN}/download.xlsx").content)
    ).active
    cells = next(c for c in sheet.iter_rows(min_row=2) if (c[3].value, c[6].value) == ("ATG", 2021))
    assert [(cell.value, cell.data_type) for cell in (cells[16], cells[17])] == [
        (formula, "s"),  # the text itself, stored as text: never a formula
        (f"{formula} edition", "s"),
    ]
    assert cells[16].quotePrefix and cells[17].quotePrefix  # still text once edited
    assert (cells[7].value, cells[7].data_type) == (61.5, "n")

    staff = staff_client.get(f"/en/{TARGET}/download.import.csv").content.decode()
    row = next(r for r in csv.DictReader(io.StringIO(staff)) if r["geography"] == "ATG")
    assert (row["source"], row["edition"], row["value"]) == (
        "'" + formula,
        f"'{formula} edition",
        "61.5",
    )


def test_a_formula_at_the_start_of_a_cell_is_guarded_and_numbers_are_not(visitor, plan):
    """Tab and carriage return starts (the validator refuses them in new figures, but stored
    texts are written as they are), and negative numbers, which stay numbers."""
    indicator = Indicator.objects.get(plan=plan, code="1.2-internet-use")
    Observation.objects.create(
        indicator=indicator,
        geography=indicator.headline_geography,
        year=2016,
        value=Decimal("-12.25"),
        publisher="\rcmd",
        publication="-5",
        source="\t=1+1",
        edition="e",
        status="approved",
    )
    _headings, rows = read_csv(visitor.get(f"/en/{TARGET}/download.csv"))
    row = next(row for row in rows if row[6] == "2016")
    assert (row[6], row[7], row[16]) == ("2016", "-12.25", "'\t=1+1")
    assert row[15].startswith("'\rcmd, -5")
    sheet = openpyxl.load_workbook(
        io.BytesIO(visitor.get(f"/en/{TARGET}/download.xlsx").content)
    ).active
    cells = next(cells for cells in sheet.iter_rows(min_row=2) if cells[6].value == 2016)
    assert (cells[7].value, cells[7].data_type) == (-12.25, "n")
    assert (cells[16].value, cells[16].data_type, cells[16].quotePrefix) == ("\t=1+1", "s", True)


def test_the_staff_download_keeps_negative_numbers_and_loads_guarded_texts_back(
    staff_client, plan, tmp_path
):
    from indicators.imports import read_rows

    indicator = Indicator.objects.get(plan=plan, code="1.2-internet-use")
    stored = Observation.objects.create(
        indicator=indicator,
        geography=Geography.objects.get(code="ATG"),
        year=2016,
        value=Decimal("-3.5"),
        publisher="ITU",
        publication="@SUM(1+1)",
        source="=cmd|' /C calc'!A0",
        edition="-1+1",
        status="approved",
    )
    content = staff_client.get(f"/en/{TARGET}/download.import.csv").content
    row = next(r for r in csv.DictReader(io.StringIO(content.decode())) if r["year"] == "2016")
    assert (row["value"], row["source"], row["edition"], row["publication"]) == (
        "-3.5",
        "'=cmd|' /C calc'!A0",
        "'-1+1",
        "'@SUM(1+1)",
    )
    path = tmp_path / "import.csv"
    path.write_bytes(content)
    [read] = [row for _line, row in read_rows(path) if row["year"] == "2016"]
    assert (read["source"], read["edition"], read["publication"], read["value"]) == (
        stored.source,
        stored.edition,
        stored.publication,
        "-3.5",
    )
