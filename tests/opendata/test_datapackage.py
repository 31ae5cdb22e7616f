"""/<lang>/open-data/datapackage.zip: the whole portal as a Frictionless Data Package, with CSV
on the Web metadata, validated by both standards' own libraries."""

import csv
import io
import json
import zipfile

import csvw
import frictionless
import pytest
from django.core.management import call_command

from frameworks.models import StrategicPlan, Target
from indicators.models import Geography, Observation, Statistic
from indicators.status import plan_progress
from opendata.datapackage import TABLES
from opendata.formats import FORMATS

pytestmark = pytest.mark.django_db

FILES = {table.path for table in TABLES} | {"datapackage.json", "csv-metadata.json"}


def body(response) -> bytes:
    """The download's bytes: a FileResponse, streamed from the built file."""
    return b"".join(response.streaming_content)


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def rows(files: dict[str, str], name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"])))


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory):
    """The package written once by the management command (the real data: ~84,000 statistics)."""
    directory = tmp_path_factory.mktemp("datapackage")
    with django_db_blocker.unblock():
        call_command("export_datapackage", str(directory), stdout=io.StringIO())
    return directory


def test_the_download_is_a_zip_of_every_table_and_both_descriptions(
    visitor, django_assert_max_num_queries
):
    plans = StrategicPlan.objects.published().count()
    # one query per table, plan_progress's three per published plan, the plans themselves
    with django_assert_max_num_queries(len(TABLES) + 1 + 3 * plans):
        response = visitor.get("/en/open-data/datapackage.zip")
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="datapackage.zip"'
    files = unzip(body(response))
    assert set(files) == FILES
    assert len(rows(files, "statistics")) == Statistic.objects.count()
    assert len(rows(files, "geographies")) == Geography.objects.count()
    assert len(rows(files, "observations")) == Observation.objects.approved().count()
    package = json.loads(files["datapackage.json"])
    assert package["profile"] == "tabular-data-package"
    assert package["homepage"] == "http://testserver/en/open-data/"
    assert [resource["name"] for resource in package["resources"]] == [t.name for t in TABLES]


def test_the_download_is_cached_until_the_content_changes(visitor, django_assert_num_queries):
    first = visitor.get("/en/open-data/datapackage.zip")
    with django_assert_num_queries(0):
        again = visitor.get("/en/open-data/datapackage.zip")
    assert body(again) == body(first)
    assert (
        visitor.get("/en/open-data/datapackage.zip", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    target = Target.objects.get(plan__code="2020-2023", code="1.1")
    target.text_en = "A new text"
    target.save()
    changed = unzip(body(visitor.get("/en/open-data/datapackage.zip")))
    element = next(r for r in rows(changed, "plan_elements") if r["id"] == "2020-2023:target:1.1")
    assert element["name"] == "A new text"


def test_texts_are_in_the_pages_language(visitor):
    files = unzip(body(visitor.get("/fr/open-data/datapackage.zip")))
    goal = Target.objects.get(plan__code="2020-2023", code="1.1").goal
    element = next(r for r in rows(files, "plan_elements") if r["id"] == "2020-2023:goal:1")
    assert element["name"] == goal.name_fr and goal.name_fr != goal.name_en
    norway = next(r for r in rows(files, "geographies") if r["code"] == "NOR")
    assert norway["name"] == Geography.objects.get(code="NOR").name_fr
    assert json.loads(files["datapackage.json"])["languages"] == ["fr"]


def test_a_country_row_names_its_codes_region_and_membership(exported):
    files = {path.name: path.read_text(encoding="utf-8") for path in exported.iterdir()}
    assert set(files) == FILES
    norway = next(r for r in rows(files, "geographies") if r["code"] == "NOR")
    assert norway["kind"] == "country"
    assert (norway["m49"], norway["iso2"], norway["is_member_state"]) == ("578", "NO", "true")
    assert norway["region"] == Geography.objects.get(code="NOR").region.code


def test_norways_internet_use_in_2021_is_99(exported):
    """A known fact of the data (shared/data/countries/README.md)."""
    files = {path.name: path.read_text(encoding="utf-8") for path in exported.iterdir()}
    ddd = "World Telecommunication/ICT Indicators Database"
    releases = {r["id"]: r for r in rows(files, "releases")}
    figures = [
        r
        for r in rows(files, "statistics")
        if r["geography"] == "NOR" and r["year"] == "2021" and r["sex"] == "_T"
        and r["age"] == "_T" and r["area"] == "_T"
        and releases[r["release"]]["publication"] == ddd
    ]  # fmt: skip
    assert any(float(r["value"]) == 99 for r in figures)


def test_statuses_are_the_status_modules(exported):
    files = {path.name: path.read_text(encoding="utf-8") for path in exported.iterdir()}
    plan = StrategicPlan.objects.get(code="2020-2023")
    expected = {
        f"2020-2023:target:{item.target.code}": (item.status, item.verdict)
        for item in plan_progress(plan)
    }
    found = {
        r["target"]: (r["status"], r["verdict"] or None)
        for r in rows(files, "statuses")
        if r["plan"] == "2020-2023"
    }
    assert found == expected and len(found) == Target.objects.filter(plan=plan).count()


def test_the_package_is_valid_frictionless_data(exported):
    report = frictionless.validate(str(exported / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((exported / "datapackage.json").read_text())
    statistics = next(r for r in package["resources"] if r["name"] == "statistics")
    assert statistics["schema"]["primaryKey"] == [
        "release", "geography", "year", "sex", "age", "area"
    ]  # fmt: skip
    assert {"fields": ["release"], "reference": {"resource": "releases", "fields": ["id"]}} in (
        statistics["schema"]["foreignKeys"]
    )
    assert any("World Telecommunication/ICT Indicators Database" in s["title"]
               for s in statistics["sources"])  # fmt: skip


def test_the_csv_on_the_web_metadata_is_valid(exported):
    # not strict: csvw's strict mode refuses any empty foreign key (a goal has no parent goal, a
    # country may have no region); filled ones are still checked against the referenced table
    checked = csvw.CSVW(str(exported / "csv-metadata.json"), validate=True, strict=False)
    assert checked.is_valid, checked.warnings[:10]
    tables = {table.url.string: table for table in checked.t.tables}
    assert set(tables) == {table.path for table in TABLES}
    assert tables["statistics.csv"].tableSchema.foreignKeys


def test_the_format_is_listed_on_the_open_data_page(visitor):
    assert any(item.url_name == "opendata:datapackage" for item in FORMATS)
    page = visitor.get("/en/open-data/").content.decode()
    assert 'href="/en/open-data/datapackage.zip"' in page


@pytest.fixture(autouse=True)
def _package_directory(settings, tmp_path):
    """Each test's built packages in a folder of its own (datapackage.package_directory)."""
    settings.OPEN_DATA_DIRECTORY = tmp_path / "open-data"
