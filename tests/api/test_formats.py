"""CSV as a second format of every collection (`?format=csv` or `Accept: text/csv`), and the
flattening of nested values into columns."""

import csv
import io
from decimal import Decimal

import pytest

from api.base import CSVRenderer, ORJSONRenderer, flatten

PLAN = "/api/v1/plans/2020-2023"


def parse(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_flatten_nests_dotted_columns_and_joins_lists():
    row = {
        "code": "1.2",
        "value": Decimal("65.000000"),
        "share": Decimal("0.980000"),
        "proposed": False,
        "missing": None,
        "data_sources": ["ITU", "UNCTAD"],
        "assessment": {"status": "achieved", "numbers": {"gap": -2.0}},
        "mitigations": [{"order": 1, "text": "t"}],
    }
    assert flatten(row) == {
        "code": "1.2",
        "value": "65",
        "share": "0.98",
        "proposed": "false",
        "missing": "",
        "data_sources": "ITU; UNCTAD",
        "assessment.status": "achieved",
        "assessment.numbers.gap": "-2.0",
        "mitigations": '[{"order":1,"text":"t"}]',
    }


def test_csv_renderer_writes_the_page_of_a_paginated_answer():
    data = {"count": 2, "next": None, "results": [{"a": 1, "b": {"c": 2}}, {"a": 3, "d": "x,y"}]}
    text = CSVRenderer().render(data).decode()
    assert text == 'a,b.c,d\r\n1,2,\r\n3,,"x,y"\r\n'
    assert CSVRenderer().render({"count": 0, "results": []}) == b"value\r\n"


def test_json_renderer_writes_decimals_as_numbers():
    assert ORJSONRenderer().render({"value": Decimal("67.000000")}) == b'{"value":67.0}'


@pytest.mark.django_db
def test_csv_of_targets_matches_the_json(api):
    rows = parse(api.get(f"{PLAN}/targets/", {"format": "csv"}))
    json_rows = api.get(f"{PLAN}/targets/").json()["results"]
    assert len(rows) == len(json_rows) == 26
    assert list(rows[0]) == [
        "code",
        "goal",
        "order",
        "text",
        "note",
        "proposed",
        "data_sources",
        "indicators",
    ]
    one_two = next(row for row in rows if row["code"] == "1.2")
    assert one_two["goal"] == "1" and one_two["proposed"] == "false"
    assert one_two["data_sources"] == "ITU"
    assert one_two["indicators"].split("; ")[0] == "1.2-internet-use"
    assert [row["text"] for row in rows] == [row["text"] for row in json_rows]


@pytest.mark.django_db
def test_csv_by_accept_header_and_in_chinese(api):
    rows = parse(api.get(f"{PLAN}/goals/", {"lang": "zh-hans"}, HTTP_ACCEPT="text/csv"))
    assert rows[0]["short_name"] == "增长"


@pytest.mark.django_db
def test_csv_of_progress_and_observations(api):
    progress = {row["target"]: row for row in parse(api.get(f"{PLAN}/progress/?format=csv"))}
    assert progress["1.2"]["status"] == "achieved"
    assert float(progress["1.2"]["latest_value"]) == 67
    assert float(progress["1.2"]["target_value"]) == 65
    assert progress["1.4"]["latest_value"] == ""
    figures = parse(
        api.get(
            "/api/v1/observations/",
            {"indicator": "2.4-internet-use", "year_min": 2022, "format": "csv"},
        )
    )
    assert sorted((row["geography"], row["year"], row["value"]) for row in figures) == [
        ("LDC", "2022", "36"),
        ("LDC", "2022", "36"),
        ("LDC", "2024", "35"),
        ("LLDC", "2024", "39"),
    ]


@pytest.mark.django_db
def test_an_empty_csv_page_still_names_its_columns(api):
    response = api.get("/api/v1/observations/", {"year": 1990, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().startswith("id,plan,indicator,target,geography,year,value")
    assert parse(response) == []


@pytest.mark.django_db
def test_csv_of_risks_keeps_mitigations_as_json(api):
    rows = parse(api.get(f"{PLAN}/risks/", {"format": "csv"}))
    assert rows[0]["mitigations"].startswith('[{"order":1,"strategy":"avoid"')


@pytest.mark.django_db
def test_csv_is_for_collections_only(api):
    assert api.get(f"{PLAN}/targets/1.2/", {"format": "csv"}).status_code == 404
    assert api.get(f"{PLAN}/tree/", HTTP_ACCEPT="text/csv").status_code == 406


# --- formula injection (OWASP): texts guarded, numbers left as numbers ------------------------


def test_flatten_guards_texts_a_spreadsheet_would_run_and_leaves_numbers():
    row = {
        "source": "=cmd|' /C calc'!A0",
        "edition": "@SUM(1+1)",
        "publisher": "+1",
        "publication": "-1+1",
        "note": "\tx",
        "text": "\rx",
        "typed": "-5",  # a text that looks like a number is still a text
        "value": Decimal("-5.500000"),
        "year": -1,
        "gap": -2.5,
        "codes": ["-1", "ITU"],
        "fine": "a=b",
    }
    assert flatten(row) == {
        "source": "'=cmd|' /C calc'!A0",
        "edition": "'@SUM(1+1)",
        "publisher": "'+1",
        "publication": "'-1+1",
        "note": "'\tx",
        "text": "'\rx",
        "typed": "'-5",
        "value": "-5.5",
        "year": "-1",
        "gap": "-2.5",
        "codes": "'-1; ITU",
        "fine": "a=b",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("formula", ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+1", "-1+1"])
def test_a_reporters_formula_reaches_the_csv_answers_as_text(api, reporter_d, formula):
    from indicators import services
    from indicators.models import Observation
    from tests.personas import make_persona

    response = reporter_d.post(
        "/api/v1/observations/",
        {
            "indicator": "1.2-internet-use",
            "geography": "WLD",
            "year": 2024,
            "value": 71.5,
            "publisher": formula,
            "publication": "Facts and Figures 2025",
            "source": formula,
            "edition": formula,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    figure = Observation.objects.get(pk=response.json()["id"])
    services.observation_approve(observation=figure, user=make_persona("reviewer_d"))

    query = {"year": 2024, "geography": "WLD", "edition": formula, "format": "csv"}
    [row] = parse(api.get("/api/v1/observations/", query))
    assert (row["source"], row["edition"], row["publisher"]) == ("'" + formula,) * 3
    assert (row["year"], row["value"]) == ("2024", "71.5")
    # the edition the status rests on, renamed to the formula in the database
    Observation.objects.filter(edition="Facts and Figures 2023").update(edition=formula)
    progress = {row["target"]: row for row in parse(api.get(f"{PLAN}/progress/?format=csv"))}
    assert progress["1.2"]["latest_edition"] == progress["1.2"]["verdict_edition"] == "'" + formula
    assert (progress["1.2"]["latest_value"], progress["1.2"]["shortfall"]) == ("67.0", "-2.0")
