"""A Member State's page (/<lang>/countries/<ISO3>/) and its downloads, on the factory's data."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from indicators.models import Geography, Release, Series, Statistic
from tests.dashboards import country_factory


@pytest.fixture
def countries(db):
    return country_factory.build()["countries"]


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def figures_of(response, chart_id: str) -> dict:
    html = response.content.decode()
    found = re.search(rf'<script id="{chart_id}-data" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_norway_in_french_shows_internet_use_against_target_1_2(visitor, countries):
    response = visitor.get("/fr/countries/NOR/")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    text = text_of(response)
    assert "<h1>Norvège</h1>" in response.content.decode()
    assert "le Royaume de Norvège" in text
    assert "Europe" in text  # its ITU region
    assert "Cible 1.2" in text
    assert "Norvège était de 99 % en 2021" in text  # the verdict, in French, with the figure
    assert "65 %" in text
    figure = figures_of(response, "chart-1-2-internet-use")
    traces = {trace["meta"]: trace for trace in figure["data"]}
    norway = traces["observed:NOR"]
    assert norway["x"][-1] == 2021 and norway["y"][-1] == 99.0
    assert traces["observed:ITU-EUR-region"]["y"] == [83.0, 84.9, 87.0]
    assert traces["observed:WLD-world"]["y"] == [54.0, 60.0, 63.0]
    assert 67.0 in traces["observed:WLD-world_plan"]["y"]  # ITU's published world figure
    assert traces["target"]["x"][-1] == 2023 and traces["target"]["y"] == [65.0, 65.0]


def test_norways_figures_carry_release_estimate_flag_and_restatements(visitor, countries):
    text = text_of(visitor.get("/en/countries/NOR/"))
    assert "ITU, World Telecommunication/ICT Indicators Database, January 2022" in text
    assert "2021 99% Total ITU, World Telecommunication/ICT Indicators Database, January 2022 " \
        "ITU estimate" in text  # fmt: skip
    assert "Restated by other releases" in text
    assert "2021 98.8% Total World Bank, World Development Indicators, November 2024" in text
    # breakdowns, parity, rank
    assert "Gender parity (target 2.8)" in text
    assert "2019 97.5% 98.4% 0.99" in text
    assert "Urban and rural" in text and "75 years and over" in text
    assert "Norway shares place 1 of the 3 countries of Europe with a figure for 2021." in text
    assert "Lower is better: the lowest figure is in place 1." in text  # the price basket


def test_kenya_in_chinese_shows_4g_coverage(visitor, countries):
    response = visitor.get("/zh-hans/countries/KEN/")
    assert response.status_code == 200
    text = text_of(response)
    assert "<h1>肯尼亚</h1>" in response.content.decode()
    figure = figures_of(response, "chart-2-7-4g-coverage")
    kenya = next(trace for trace in figure["data"] if trace["meta"] == "observed:KEN")
    assert dict(zip(kenya["x"], kenya["y"], strict=True))[2020] == 77.0
    assert "77%" in text


def test_arabic_is_right_to_left(visitor, countries):
    response = visitor.get("/ar/countries/NOR/")
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_every_member_state_of_the_factory_answers(visitor, countries):
    for code in country_factory.COUNTRIES:
        response = visitor.get(f"/en/countries/{code}/")
        assert response.status_code == 200, code
        assert f"<h1>{Geography.objects.get(code=code).name_en}</h1>" in response.content.decode()


def test_unknown_codes_regions_and_non_members_are_404_and_lower_case_redirects(visitor, countries):
    assert visitor.get("/en/countries/XXX/").status_code == 404
    assert visitor.get("/en/countries/ITU-EUR/").status_code == 404
    assert visitor.get("/en/countries/WLD/").status_code == 404
    assert visitor.get("/en/countries/FRA/").status_code == 404  # not loaded as a Member State
    response = visitor.get("/fr/countries/nor/")
    assert response.status_code == 301 and response["Location"] == "/fr/countries/NOR/"


def test_the_page_has_no_inline_script_or_style_and_a_table_for_each_chart(visitor, countries):
    html = visitor.get("/en/countries/NOR/").content.decode()
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)
    plots = re.findall(r'class="chart-plot" id="([^"]+)"', html)
    assert len(plots) >= 6
    assert html.count("The numbers as a table") == len(plots)


def test_csv_has_every_figure_with_release_and_estimate(visitor, countries):
    response = visitor.get("/en/countries/NOR/download.csv")
    assert response["Content-Disposition"].endswith('country-NOR.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    internet = [r for r in rows if r["Indicator code"] == "1.2-internet-use"]
    latest = next(
        r for r in internet if r["Shown as"] == "Country" and r["Year"] == "2021"
        and r["Sex"] == "Both sexes"
    )  # fmt: skip
    assert latest["Value"] == "99.0"
    assert latest["ITU estimate"] == "yes"
    assert latest["Edition"] == "January 2022"
    assert latest["Verdict code"] == "achieved"
    restated = [r for r in internet if r["Shown as"] == "Other release (restated)"]
    assert [(r["Year"], r["Value"], r["Used in the series"]) for r in restated] == [
        ("2020", "97.5", "no"),
        ("2021", "98.8", "no"),
    ]
    shown = {r["Shown as"] for r in internet}
    assert shown == {
        "Country",
        "Other release (restated)",
        "ITU region, computed by the portal",
        "World, computed by the portal",
        "World, ITU",
        "Country of the region",
    }
    region = next(r for r in internet if r["Shown as"].startswith("ITU region"))
    assert (region["Computed by the portal"], region["Population coverage"]) == ("yes", "0.9")
    peers = {r["Geography code"] for r in internet if r["Shown as"] == "Country of the region"}
    assert peers == {"SWE", "ALB"}


def test_downloads_speak_the_pages_language(visitor, countries):
    data = json.loads(visitor.get("/fr/countries/NOR/download.json").content)
    assert data["country"] == "NOR" and data["name"] == "Norvège" and data["language"] == "fr"
    assert set(data["columns"]) >= {"year", "value", "is_estimate", "edition", "publisher"}
    assert any(row["value"] == 99.0 and row["year"] == 2021 for row in data["figures"])
    workbook = load_workbook(io.BytesIO(visitor.get("/ar/countries/NOR/download.xlsx").content))
    sheet = workbook.active
    assert sheet.sheet_view.rightToLeft
    header = [cell.value for cell in sheet[1]]
    values = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    year, value = header.index(header[12]), header.index(header[13])
    assert any(row[year] == 2021 and row[value] == 99.0 for row in values)


def test_a_formula_in_a_release_name_is_not_run(visitor, countries):
    Release.objects.filter(publisher="World Bank").update(publication="=HYPERLINK(1)")
    content = visitor.get("/en/countries/NOR/download.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_takes_the_same_queries_whatever_the_data_size(
    visitor, countries, django_assert_max_num_queries
):
    from itu_rbm.caching import forget_public_answers

    with django_assert_max_num_queries(11):
        assert visitor.get("/en/countries/NOR/").status_code == 200
    forget_public_answers()
    before = count_queries(visitor, "/en/countries/NOR/")
    # more years, releases, series and countries
    country_factory.more_countries(15)
    series = Series.objects.create(code="more", name="More", unit="percent")
    release = Release.objects.create(series=series, publisher="X", publication="Y", edition="Z")
    internet = Series.objects.get(code=country_factory.series_code("internet-use"))
    older = Release.objects.create(series=internet, publisher="A", publication="B", edition="C")
    norway = countries["NOR"]
    Statistic.objects.bulk_create(
        [Statistic(release=older, geography=norway, year=y, value=1.0) for y in range(1990, 2017)]
        + [Statistic(release=release, geography=norway, year=2020, value=5.0)]
    )
    from indicators.models import Indicator

    Indicator.objects.filter(plan__code="2020-2023", code="2.3-internet-use").update(
        country_series=internet
    )
    forget_public_answers()
    assert count_queries(visitor, "/en/countries/NOR/") == before
    forget_public_answers()
    assert count_queries(visitor, "/en/countries/NOR/download.csv") <= before
