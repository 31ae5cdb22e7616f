"""/<lang>/open-data/sdmx/: the portal's own SDMX output, read back with sdmx1 (structure, then the
data with that structure) and as plain SDMX-CSV, compared figure by figure with the database."""

import csv
import io
import re
from collections import Counter

import pytest
import sdmx

from indicators.models import Geography, Observation, Series, Statistic
from indicators.statistics import choose
from indicators.status import choose_points
from opendata.sdmx import ref_area_code

pytestmark = pytest.mark.django_db

BASE = "/en/open-data/sdmx/"
INTERNET = "internet-use"
PLAN_INTERNET = "1_2-internet-use"  # the plan indicator 1.2-internet-use's observations


def expected_country_figures(series_code: str) -> dict[tuple, tuple]:
    """Key (REF_AREA, SEX, AGE, URBANISATION, year) → (value, edition, status), as the portal shows
    them: `choose` over the series' country figures."""
    statistics = Statistic.objects.filter(
        release__series__code=series_code, geography__kind=Geography.Kind.COUNTRY
    ).select_related("release", "geography")
    return {
        (ref_area_code(s.geography), s.sex, s.age, s.area, str(s.year)): (
            s.value,
            s.release.edition,
            "E" if s.is_estimate else "A",
        )
        for s in choose(statistics)
    }


def read_structure(visitor):
    return sdmx.read_sdmx(io.BytesIO(visitor.get(BASE + "structure.xml").content))


def read_data(visitor, address, structure):
    dsd = structure.structure["DSD_ITU_RBM"]
    message = sdmx.read_sdmx(io.BytesIO(visitor.get(address).content), structure=dsd)
    (dataset,) = message.data
    figures = {}
    for observation in dataset.obs:
        key = observation.key.get_values()  # the series' dimensions then TIME_PERIOD
        attributes = {name: value.value for name, value in observation.attrib.items()}
        figures[tuple(str(part) for part in key)] = (float(observation.value), attributes)
    return figures


def read_csv(visitor, address) -> list[dict]:
    response = visitor.get(address)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_ref_area_is_the_m49_code_or_the_sdg_code_or_the_portals():
    assert ref_area_code(Geography.objects.get(code="WLD")) == "1"
    assert ref_area_code(Geography.objects.get(code="LDC")) == "199"
    assert ref_area_code(Geography.objects.get(code="LLDC")) == "432"
    assert ref_area_code(Geography.objects.get(code="SIDS")) == "722"
    assert ref_area_code(Geography.objects.get(code="ITU-AFR")) == "ITU-AFR"
    france = Geography.objects.get(kind=Geography.Kind.COUNTRY, iso2="FR")
    assert ref_area_code(france) == france.m49 == "250"


def test_structure_reads_back_with_its_codelists_and_dsd(visitor, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = visitor.get(BASE + "structure.xml")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    structure = sdmx.read_sdmx(io.BytesIO(response.content))
    dsd = structure.structure["DSD_ITU_RBM"]
    assert [dimension.id for dimension in dsd.dimensions] == [
        "SERIES",
        "REF_AREA",
        "SEX",
        "AGE",
        "URBANISATION",
        "TIME_PERIOD",
    ]
    assert [measure.id for measure in dsd.measures] == ["OBS_VALUE"]
    assert [attribute.id for attribute in dsd.attributes] == [
        "UNIT_MEASURE",
        "EDITION",
        "OBS_STATUS",
    ]
    areas = structure.codelist["CL_AREA"]
    assert {"1", "199", "432", "722", "250", "ITU-EUR"} <= set(areas.items)
    assert str(areas["250"].name.localizations["fr"]) == "France"
    assert str(areas["1"].name.localizations["en"]) == "World"
    series = structure.codelist["CL_SERIES"]
    assert len(series) == Series.objects.count() + 55  # and the plan's 55 indicators
    assert {INTERNET, PLAN_INTERNET} <= set(series.items)
    assert set(structure.codelist["CL_SEX"].items) == {"_T", "F", "M"}
    assert set(structure.codelist["CL_OBS_STATUS"].items) == {"A", "E"}
    assert str(structure.codelist["CL_SEX"]["F"].name.localizations["fr"]) == "Femmes"
    assert "CS_ITU_RBM" in structure.concept_scheme
    assert "DF_ITU_RBM" in structure.dataflow


def test_internet_use_data_reads_back_with_every_figure_of_the_database(
    visitor, django_assert_max_num_queries
):
    structure = read_structure(visitor)
    with django_assert_max_num_queries(8):
        visitor.get(f"{BASE}{INTERNET}.xml")
    figures = read_data(visitor, f"{BASE}{INTERNET}.xml", structure)
    expected = expected_country_figures(INTERNET)
    assert len(figures) == len(expected) > 5000
    for (area, sex, age, urbanisation, year), (value, edition, status) in expected.items():
        got_value, attributes = figures[(INTERNET, area, sex, age, urbanisation, year)]
        assert got_value == value
        assert attributes == {"UNIT_MEASURE": "percent", "EDITION": edition, "OBS_STATUS": status}
    # some figures are estimates, and flagged so
    assert Counter(attributes["OBS_STATUS"] for _value, attributes in figures.values())["E"] == (
        sum(1 for _value, _edition, status in expected.values() if status == "E")
    )


def test_the_plans_observations_share_the_structure(visitor):
    structure = read_structure(visitor)
    figures = read_data(visitor, f"{BASE}{PLAN_INTERNET}.xml", structure)
    approved = Observation.objects.approved().filter(indicator__code="1.2-internet-use")
    assert len(figures) == approved.values("geography", "year").distinct().count() > 0
    # the world's figures are those the plan's chart shows (one per year, the newest edition's)
    chosen, _superseded = choose_points(list(approved.filter(geography__code="WLD")))
    assert len(chosen) >= 5
    for point in chosen:
        value, attributes = figures[(PLAN_INTERNET, "1", "_T", "_T", "_T", str(point.year))]
        assert (value, attributes["EDITION"]) == (float(point.value), point.edition)
    assert figures[(PLAN_INTERNET, "1", "_T", "_T", "_T", "2019")][0] == 54.0
    assert attributes["UNIT_MEASURE"] == "percent"
    assert attributes["OBS_STATUS"] == "A"


def test_internet_use_csv_has_every_figure_of_the_database(visitor):
    rows = read_csv(visitor, f"{BASE}{INTERNET}.csv")
    assert list(rows[0]) == [
        "DATAFLOW",
        "SERIES",
        "REF_AREA",
        "SEX",
        "AGE",
        "URBANISATION",
        "TIME_PERIOD",
        "OBS_VALUE",
        "UNIT_MEASURE",
        "EDITION",
        "OBS_STATUS",
    ]
    expected = expected_country_figures(INTERNET)
    got = {
        (row["REF_AREA"], row["SEX"], row["AGE"], row["URBANISATION"], row["TIME_PERIOD"]): (
            float(row["OBS_VALUE"]),
            row["EDITION"],
            row["OBS_STATUS"],
        )
        for row in rows
    }
    assert len(rows) == len(got) == len(expected)
    assert got == expected
    assert {row["DATAFLOW"] for row in rows} == {"ITU:DF_ITU_RBM(1.0)"}


def test_all_holds_every_series_counted_as_the_database_and_is_built_once(
    visitor, django_assert_max_num_queries
):
    rows = read_csv(visitor, BASE + "all.csv")
    counts = Counter(row["SERIES"] for row in rows)
    for series in Series.objects.all():
        assert counts[series.code] == len(expected_country_figures(series.code)), series.code
    plan_rows = sum(count for code, count in counts.items() if code[0].isdigit())
    approved = Observation.objects.approved().values("indicator", "geography", "year").distinct()
    assert plan_rows == approved.count()
    with django_assert_max_num_queries(0):  # kept for the content generation
        again = visitor.get(BASE + "all.csv")
    assert len(again.content.decode().splitlines()) == len(rows) + 1

    # all.xml is written by the same code as each series' file, which the tests above read
    # back with sdmx1; here its observations are counted by series, without parsing 7 MB again
    document = visitor.get(BASE + "all.xml").content.decode()
    in_xml = Counter()
    for block in document.split("<Series ")[1:]:
        code = re.match(r'SERIES="([^"]+)"', block).group(1)
        in_xml[code] += block.count("<Obs ")
    assert in_xml == counts


def test_an_unknown_series_is_not_found(visitor):
    assert visitor.get(BASE + "no-such-series.xml").status_code == 404
    assert visitor.get(BASE + "no-such-series.csv").status_code == 404


def test_the_open_data_page_lists_sdmx(visitor):
    page = visitor.get("/fr/open-data/").content.decode()
    assert 'href="/fr/open-data/sdmx/structure.xml"' in page
