"""/<lang>/open-data/open-sdg/: each indicator as Open SDG's input files, compared figure by figure
with the database, and every file put through the checks sdg-build runs before a build
(open_sdg_check: sdg/check_csv.py on the data, SchemaInputOpenSdg on the metadata)."""

import csv
import io
import re
import zipfile
from collections import defaultdict
from decimal import Decimal

import jsonschema
import pandas
import pytest
import yaml

from indicators.models import Geography, Indicator, Observation, Statistic
from indicators.statistics import choose
from indicators.status import choose_points
from opendata.formats import FORMATS
from opendata.opensdg import plan_indicators
from opendata.sdmx import ref_area_code

pytestmark = pytest.mark.django_db

BASE = "/en/open-data/open-sdg/"
ZIP = "/en/open-data/open-sdg.zip"
INTERNET_USE = "1-2-1"  # 1.2-internet-use, target 1.2's main indicator
LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh-Hans")
# sdg-build's non-disaggregation columns (open_sdg_indicator_options_defaults, those we write)
NOT_DISAGGREGATIONS = {"Year", "Series", "Units", "GeoCode", "Value"}


# --- sdg-build's checks, as a helper ----------------------------------------------------------


def data_errors(name: str, content: bytes, headline: bool = True) -> list[str]:
    """What sdg-build's check_csv (headers, data types, whitespace, empty rows) and Open SDG's
    data format (an integer Year, GeoCode before Value, one value per series, disaggregation and
    year; and, with `headline`, a headline) find wrong in a data file."""
    errors = []
    text = content.decode("utf-8")
    if text.startswith("\ufeff"):
        errors.append(f"{name}: a byte-order mark")
    lines = list(csv.reader(io.StringIO(text)))
    header = lines[0]
    errors += [
        f"{name}:{number}: {len(line)} cells for {len(header)} columns"
        for number, line in enumerate(lines[1:], 2)
        if len(line) != len(header)
    ]
    frame = pandas.read_csv(io.BytesIO(content))
    columns = list(frame.columns)
    if columns[0] != "Year":
        errors.append(f"{name}: the first column is not Year")
    if columns[-1] != "Value":
        errors.append(f"{name}: the last column is not Value")
    if "GeoCode" in columns and columns[-2] != "GeoCode":
        errors.append(f"{name}: GeoCode is not the second from last column")
    errors += [f"{name}: whitespace around {c!r}" for c in columns if c != c.strip()]
    if frame.empty:  # sdg-build checks no data of an indicator without figures
        return errors
    for column in ("Year", "Value"):
        if frame[column].dtype not in ("int64", "float64"):
            errors.append(f"{name}: {column} is not numeric")
    if frame["Year"].dtype != "int64":
        errors.append(f"{name}: Year is not an integer")
    for column in columns:
        if pandas.api.types.is_string_dtype(frame[column]):
            cells = frame[column].dropna()
            if (cells.str.startswith(" ") | cells.str.endswith(" ")).any():
                errors.append(f"{name}: whitespace around a cell of {column}")
    if frame.isnull().all(axis=1).any():
        errors.append(f"{name}: an empty row")
    if frame.drop(columns="Value").duplicated().any():
        errors.append(f"{name}: two values for one series, disaggregation and year")
    disaggregations = [column for column in columns if column not in NOT_DISAGGREGATIONS]
    if headline and disaggregations and not frame[disaggregations].isnull().all(axis=1).any():
        errors.append(f"{name}: no headline (a row with every disaggregation blank)")
    return errors


def metadata_validator(schema_file: bytes):
    """sdg-build's SchemaInputOpenSdg: metadata_schema.yml (Prose.io fields) as a JSON Schema."""
    fields = yaml.safe_load(schema_file)["prose"]["metadata"]["meta"]
    required = ["reporting_status"]
    properties = {}
    for item in fields:
        field, is_required = item["field"], item["name"] in required
        prop = {"type": ["string", "integer", "number", "boolean"]}
        if field["element"] == "checkbox":
            prop["type"] = ["boolean"]
        if not is_required:
            prop["type"].append("null")
        if field["element"] == "select":
            prop["anyOf"] = [{"type": "string", "enum": [o["value"]]} for o in field["options"]]
            if not is_required:
                prop["anyOf"].append({"type": "null"})
        properties[item["name"]] = prop
    schema = {
        "type": "object",
        "required": required,
        "properties": properties,
        "allOf": [
            {
                "if": {"properties": {"reporting_status": {"enum": ["complete"]}}},
                "then": {"required": ["data_non_statistical"]},
            },
            {
                "if": {
                    "properties": {
                        "reporting_status": {"enum": ["complete"]},
                        "data_non_statistical": {"const": False},
                    }
                },
                "then": {"required": ["graph_title", "graph_type"]},
            },
        ],
    }
    return jsonschema.validators.validator_for(schema)(schema)


# Open SDG's metadata format: the fields it calls mandatory (docs/metadata-format.md)
MANDATORY = (
    "indicator_name",
    "target",
    "target_id",
    "national_geographical_coverage",
    "computation_units",
    "reporting_status",
    "graph_type",
    "graph_title",
    "data_non_statistical",
)


def metadata_errors(name: str, content: bytes, validator) -> list[str]:
    metadata = yaml.safe_load(content)
    errors = [f"{name}: {error.message}" for error in validator.iter_errors(metadata)]
    errors += [f"{name}: no {field}" for field in MANDATORY if field not in metadata]
    errors += [f"{name}: no {language} block" for language in LANGUAGES if language not in metadata]
    return errors


# --- reading ----------------------------------------------------------------------------------


def read_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def read_zip(visitor, address=ZIP) -> zipfile.ZipFile:
    response = visitor.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def expected_plan_figures(indicator: Indicator) -> dict[tuple[str, str], Decimal]:
    """(GeoCode, Year) -> value: the approved figures as the plan's charts choose them, the
    headline geography's under a blank GeoCode."""
    by_geography = defaultdict(list)
    for observation in Observation.objects.approved().filter(indicator=indicator):
        by_geography[observation.geography].append(observation)
    expected = {}
    for geography, observations in by_geography.items():
        code = "" if geography == indicator.headline_geography else ref_area_code(geography)
        for point in choose_points(observations)[0]:
            expected[(code, str(point.year))] = point.value
    return expected


@pytest.fixture
def internet_use(plan):
    return Indicator.objects.get(plan=plan, code="1.2-internet-use")


# --- ids --------------------------------------------------------------------------------------


def test_ids_number_each_targets_indicators_the_main_one_first(plan):
    ids = plan_indicators(plan)
    assert len(ids) == Indicator.objects.filter(plan=plan).count() == 55
    assert all(re.fullmatch(r"[1-9]\d*-\d+-\d+", open_sdg_id) for open_sdg_id in ids)
    target_1_2 = {key: value.code for key, value in ids.items() if key.startswith("1-2-")}
    assert target_1_2 == {
        "1-2-1": "1.2-internet-use",
        "1-2-2": "1.2-internet-users-growth",
        "1-2-3": "1.2-internet-users-millions",
        "1-2-4": "1.2-population-offline",
    }
    assert ids["2-10-1"].code == "2.10-ict-skills"
    for open_sdg_id, indicator in ids.items():  # the id names the indicator's target
        assert open_sdg_id.rsplit("-", 1)[0] == indicator.target.code.replace(".", "-")


# --- the data ---------------------------------------------------------------------------------


def test_target_1_2_data_hold_every_approved_figure_and_no_other(visitor, plan):
    ids = plan_indicators(plan)
    world = Geography.objects.get(code="WLD")
    internet_use = ids[INTERNET_USE]
    # figures not approved: a submitted one for a new year, a draft restating a known year
    for status, year, value in (
        (Observation.Status.SUBMITTED, 2030, "99.5"),
        (Observation.Status.DRAFT, 2019, "11.1"),
    ):
        Observation.objects.create(
            indicator=internet_use,
            geography=world,
            year=year,
            value=Decimal(value),
            publisher="ITU",
            publication="Test",
            source="test",
            edition=f"Not approved {year}",
            status=status,
        )
    for open_sdg_id in ("1-2-1", "1-2-2", "1-2-3", "1-2-4"):
        indicator = ids[open_sdg_id]
        rows = read_rows(visitor.get(f"{BASE}data/indicator_{open_sdg_id}.csv"))
        plan_rows = [row for row in rows if row["Series"] == indicator.name]
        got = {(row.get("GeoCode", ""), row["Year"]): Decimal(row["Value"]) for row in plan_rows}
        expected = expected_plan_figures(indicator)
        assert got == expected and len(got) == len(plan_rows) > 0, open_sdg_id
        assert {row["Units"] for row in plan_rows} == {indicator.get_unit_display()}
        for row in plan_rows:  # the headline geography's figures are the headline
            blank = row.get("GeoCode", "") == ""
            assert (row.get("Geography", "") == "") is blank
            assert all(row.get(column, "") == "" for column in ("Sex", "Age", "Location"))
    rows = read_rows(visitor.get(f"{BASE}data/indicator_{INTERNET_USE}.csv"))
    years = {row["Year"] for row in rows if row["Series"] == internet_use.name}
    assert "2030" not in years
    headline_2019 = [
        row
        for row in rows
        if row["Series"] == internet_use.name and row["Year"] == "2019" and not row.get("GeoCode")
    ]
    assert len(headline_2019) == 1 and headline_2019[0]["Value"] != "11.1"


KEY_COLUMNS = ("GeoCode", "Geography", "Sex", "Age", "Location", "Year")


def test_internet_use_data_hold_every_countrys_figure_with_its_breakdowns(visitor, internet_use):
    series = internet_use.country_series
    assert series.code == "internet-use"
    rows = read_rows(visitor.get(f"{BASE}data/indicator_{INTERNET_USE}.csv"))
    # the series has figures by sex and age, none by urban and rural areas
    columns = ["Year", "Series", "Units", "Geography", "Sex", "Age", "GeoCode", "Value"]
    assert list(rows[0]) == columns
    # the headline first: the world's figures, every disaggregation blank
    assert rows[0]["Series"] == internet_use.name and rows[0]["GeoCode"] == ""
    labels = {
        "Sex": dict(Statistic.Sex.choices),
        "Age": dict(Statistic.Age.choices),
        "Location": dict(Statistic.Area.choices),
    }
    expected = {}
    statistics = Statistic.objects.filter(
        release__series=series, geography__kind=Geography.Kind.COUNTRY
    ).select_related("release", "geography")
    for statistic in choose(statistics):
        breakdown = tuple(
            "" if code == Statistic.TOTAL else str(labels[column][code])
            for column, code in zip(
                ("Sex", "Age", "Location"),
                (statistic.sex, statistic.age, statistic.area),
                strict=True,
            )
        )
        key = (statistic.geography.m49, statistic.geography.name, *breakdown, str(statistic.year))
        expected[key] = statistic.value
    country_rows = [row for row in rows if row["Series"] == f"{series.name}, per country"]
    assert series.name == internet_use.name  # yet the plan's figures are another Series
    got = {
        tuple(row.get(column, "") for column in KEY_COLUMNS): float(row["Value"])
        for row in country_rows
    }
    assert got == expected and len(country_rows) == len(expected) > 5000
    assert {row["Units"] for row in country_rows} == {"per cent"}
    assert {row["Sex"] for row in country_rows} == {"", "Women", "Men"}
    assert {row["Age"] for row in country_rows} >= {"", "15–24 years", "75 years and over"}


def test_households_data_are_by_urban_and_rural_areas(visitor):
    rows = read_rows(visitor.get(f"{BASE}data/indicator_1-1-1.csv"))
    assert list(rows[0]) == ["Year", "Series", "Units", "Geography", "Location", "GeoCode", "Value"]
    assert {row["Location"] for row in rows} == {"", "Urban", "Rural"}


def test_data_are_in_the_addresss_language(visitor, internet_use):
    rows = read_rows(visitor.get(f"/fr/open-data/open-sdg/data/indicator_{INTERNET_USE}.csv"))
    assert rows[0]["Series"] == internet_use.name_fr
    assert rows[0]["Units"] == "pour cent"
    assert "Femmes" in {row["Sex"] for row in rows}
    assert "France" in {row["Geography"] for row in rows if row["GeoCode"] == "250"}


def test_an_indicator_without_figures_has_the_header_alone(visitor, plan):
    ids = plan_indicators(plan)
    open_sdg_id, indicator = next(iter(ids.items()))
    Observation.objects.filter(indicator=indicator).delete()
    Indicator.objects.filter(pk=indicator.pk).update(country_series=None)
    response = visitor.get(f"{BASE}data/indicator_{open_sdg_id}.csv")
    assert response.content == b"Year,Value\n"
    metadata = yaml.safe_load(visitor.get(f"{BASE}meta/{open_sdg_id}.yml").content)
    assert metadata["reporting_status"] == "notstarted"


# --- the metadata -----------------------------------------------------------------------------


def test_metadata_name_the_indicator_in_every_language(visitor, internet_use):
    response = visitor.get(f"/fr/open-data/open-sdg/meta/{INTERNET_USE}.yml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    metadata = yaml.safe_load(response.content)
    assert metadata["indicator_number"] == "1.2.1"
    assert metadata["indicator_sort_order"] == "01-02-01"
    assert (metadata["goal_number"], metadata["target_id"]) == ("1", "1.2")
    assert metadata["portal_indicator_code"] == "1.2-internet-use"
    assert metadata["portal_plan"] == "2020-2023"
    assert metadata["reporting_status"] == "complete"
    assert metadata["data_non_statistical"] is False
    assert metadata["graph_type"] == "line"
    assert metadata["indicator_name"] == internet_use.name_fr  # the address's language
    assert metadata["computation_units"] == "pour cent"
    assert metadata["source_organisation_1"] == internet_use.data_source.name_fr
    for language, field in zip(LANGUAGES, ("ar", "en", "es", "fr", "ru", "zh_hans"), strict=True):
        assert metadata[language]["indicator_name"] == getattr(internet_use, f"name_{field}")
        assert metadata[language]["target"] == getattr(internet_use.target, f"text_{field}")
    assert metadata["en"]["computation_units"] == "per cent"


# --- the repository and sdg-build's checks ----------------------------------------------------


def test_zip_is_an_open_sdg_data_repository_of_every_indicator(visitor, plan):
    archive = read_zip(visitor)
    ids = plan_indicators(plan)
    assert sorted(archive.namelist()) == sorted(
        ["config_data.yml", "metadata_schema.yml"]
        + [f"data/indicator_{open_sdg_id}.csv" for open_sdg_id in ids]
        + [f"meta/{open_sdg_id}.yml" for open_sdg_id in ids]
    )
    config = yaml.safe_load(archive.read("config_data.yml"))
    assert config["languages"] == ["en", "ar", "es", "fr", "ru", "zh-Hans"]
    assert config["schema_file"] == "metadata_schema.yml"
    assert [item["path_pattern"] for item in config["inputs"]] == ["data/*-*.csv", "meta/*-*.yml"]
    # the per-indicator addresses serve the same files
    for open_sdg_id in ("1-2-1", "2-10-1", "3-2-1"):
        data = visitor.get(f"{BASE}data/indicator_{open_sdg_id}.csv").content
        assert data == archive.read(f"data/indicator_{open_sdg_id}.csv")
        meta = visitor.get(f"{BASE}meta/{open_sdg_id}.yml").content
        assert meta == archive.read(f"meta/{open_sdg_id}.yml")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_indicator_passes_sdg_builds_checks(visitor, plan, language):
    archive = read_zip(visitor, f"/{language}/open-data/open-sdg.zip")
    validator = metadata_validator(archive.read("metadata_schema.yml"))
    # a headline wherever the headline geography has an approved figure
    headlines = {
        f"data/indicator_{open_sdg_id}.csv"
        for open_sdg_id, indicator in plan_indicators(plan).items()
        if Observation.objects.approved()
        .filter(indicator=indicator, geography=indicator.headline_geography)
        .exists()
    }
    assert len(headlines) == 36
    errors, statuses = [], {}
    for name in archive.namelist():
        if name.startswith("data/"):
            errors += data_errors(name, archive.read(name), headline=name in headlines)
        elif name.startswith("meta/"):
            errors += metadata_errors(name, archive.read(name), validator)
            statuses[name] = yaml.safe_load(archive.read(name))["reporting_status"]
    assert errors == []
    # complete where the data file has figures, not started elsewhere
    for name, status in statuses.items():
        open_sdg_id = name.removeprefix("meta/").removesuffix(".yml")
        data = archive.read(f"data/indicator_{open_sdg_id}.csv")
        assert status == ("complete" if data.count(b"\n") > 1 else "notstarted"), name
    assert list(statuses.values()).count("complete") == 41


def test_the_checks_find_what_sdg_build_refuses():
    assert data_errors("ok", b"Year,Sex,Value\n2020,,1\n2020,F,2\n") == []
    assert data_errors("a", b"Value,Year\n1,2020\n") == [
        "a: the first column is not Year",
        "a: the last column is not Value",
    ]
    assert data_errors("b", b"Year,Sex,Value\n2020,,x\n") == ["b: Value is not numeric"]
    assert data_errors("c", b"Year,Sex,Value\n2020,,1\n2020,F ,2\n") == [
        "c: whitespace around a cell of Sex"
    ]
    assert data_errors("d", b"Year,Sex,Value\n2020,,1\n2020,,2\n") == [
        "d: two values for one series, disaggregation and year"
    ]
    assert data_errors("e", b"Year,Sex,Value\n2020,F,1\n") == [
        "e: no headline (a row with every disaggregation blank)"
    ]
    validator = metadata_validator(
        yaml.safe_dump(
            {
                "prose": {
                    "metadata": {
                        "meta": [
                            {
                                "name": "reporting_status",
                                "field": {
                                    "element": "select",
                                    "options": [{"name": "Complete", "value": "complete"}],
                                },
                            }
                        ]
                    }
                }
            }
        )
    )
    messages = sorted(e.message for e in validator.iter_errors({"reporting_status": "complete"}))
    assert messages == [
        "'data_non_statistical' is a required property",
        "'graph_title' is a required property",
        "'graph_type' is a required property",
    ]
    assert list(validator.iter_errors({"reporting_status": "unknown"}))
    complete = {
        "reporting_status": "complete",
        "data_non_statistical": False,
        "graph_title": "A title",
        "graph_type": "line",
    }
    assert list(validator.iter_errors(complete)) == []


# --- addresses, caching, queries --------------------------------------------------------------


def test_an_unknown_indicator_is_a_404_that_says_so(visitor):
    for address in (f"{BASE}data/indicator_1-2-99.csv", f"{BASE}meta/9-9-9.yml"):
        response = visitor.get(address)
        assert response.status_code == 404
        assert "Open SDG id" in response.content.decode()


def test_files_are_built_in_a_constant_number_of_queries(visitor, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert visitor.get(f"{BASE}data/indicator_{INTERNET_USE}.csv").status_code == 200
    with django_assert_max_num_queries(4):
        assert visitor.get(f"{BASE}meta/{INTERNET_USE}.yml").status_code == 200
    with django_assert_max_num_queries(5):
        assert visitor.get(ZIP).status_code == 200
    with django_assert_max_num_queries(0):  # then from the cache
        assert visitor.get(ZIP).status_code == 200
        assert visitor.get(f"{BASE}data/indicator_{INTERNET_USE}.csv").status_code == 200


def test_a_figure_approved_shows_at_once(visitor, internet_use):
    address = f"{BASE}data/indicator_{INTERNET_USE}.csv"
    before = read_rows(visitor.get(address))
    read_zip(visitor)
    Observation.objects.create(
        indicator=internet_use,
        geography=Geography.objects.get(code="WLD"),
        year=2031,
        value=Decimal("97.25"),
        publisher="ITU",
        publication="Test",
        source="test",
        edition="Approved 2031",
        status=Observation.Status.APPROVED,
    )
    after = read_rows(visitor.get(address))
    assert len(after) == len(before) + 1
    assert {"Year": "2031", "GeoCode": "", "Value": "97.25"}.items() <= after[
        [row["Year"] for row in after].index("2031")
    ].items()
    assert b"2031," in read_zip(visitor).read(f"data/indicator_{INTERNET_USE}.csv")


# --- the Open data page -----------------------------------------------------------------------


def test_open_sdg_is_a_listed_format(visitor):
    assert any(item.url_name == "opendata:opensdg-zip" for item in FORMATS)


@pytest.mark.parametrize("language", ["ar", "en", "es", "fr", "ru", "zh-hans"])
def test_the_open_data_page_links_every_format_and_each_indicators_files(
    visitor, plan, language, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        page = visitor.get(f"/{language}/open-data/").content.decode()
    for address in (
        "open-sdg.zip",
        "datapackage.zip",
        "catalogue.jsonld",
        "catalogue.ttl",
        "sdmx/structure.xml",
    ):
        assert f'href="/{language}/open-data/{address}"' in page
    ids = plan_indicators(plan)
    assert page.count(f'href="/{language}/open-data/open-sdg/data/indicator_') == len(ids)
    assert page.count(f'href="/{language}/open-data/open-sdg/meta/') == len(ids)
    prefix = f"/{language}/open-data/"
    assert f'href="{prefix}open-sdg/data/indicator_1-2-1.csv"' in page
    assert f'href="{prefix}sdmx/1_2-internet-use.xml"' in page
    assert f'href="{prefix}sdmx/internet-use.csv"' in page
    assert "<td>1-2-1</td>" in page
