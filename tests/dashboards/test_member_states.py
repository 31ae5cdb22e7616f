"""What a delegate finds with the real country data the session loads (fixtures/countries/, the
same commands as `make data`): their own country's page in their language, the world map with its
table, the group aggregates beside ITU's own, and the API's one call for a map."""

import html
import re

import pytest

from indicators.models import Geography

pytestmark = pytest.mark.django_db


def text_of(client, url: str) -> str:
    """The page's visible text, tags and scripts removed, entities decoded."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start) + len(start))]


def test_norway_in_french_against_target_1_2_beside_its_region_and_the_world(visitor):
    text = text_of(visitor, "/fr/countries/NOR/")
    assert "Norvège" in text and "le Royaume de Norvège" in text  # UNTERM's French names
    target = section(text, "Cible 1.2: Personnes utilisant l'Internet D'ici", "Cible 1.3")
    # the ITU figure of 2021 (DDD, January 2022) reached the plan's 65 %
    assert "Cible atteinte" in target
    assert "2021 99 % Total" in target  # the figures table: year, value, breakdown, release
    assert "Europe (calculé par le portail)" in target
    assert "Monde (calculé par le portail)" in target and "Monde (UIT)" in target


def test_kenya_in_chinese_shows_its_4g_coverage_of_2020(visitor):
    text = text_of(visitor, "/zh-hans/countries/KEN/")
    assert "肯尼亚" in text
    coverage = text[text.index("LTE/WiMAX") :]
    figures = coverage[coverage.index("2020 77%") :]
    assert "国际电联" in figures[:400] or "ITU" in figures[:400]


def test_the_countries_page_in_arabic_is_right_to_left_with_the_map_and_its_table(visitor):
    page = visitor.get("/ar/countries/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert 'id="map-countries"' in page  # the map's container
    table = page[page.index('id="map-countries-table"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr data-code="(\w+)"', table)
    assert len(rows) >= 150 and "NOR" in rows and "KEN" in rows  # the map's alternative
    assert "النرويج" in table
    listing = page[page.index('id="country-list"') :]
    assert len(re.findall(r'data-code="(\w{3})"', listing)) == 193


def test_every_member_state_has_a_page():
    from django.test import Client

    client = Client()
    codes = list(Geography.objects.member_states().values_list("code", flat=True))
    assert len(codes) == 193
    failed = [code for code in codes if client.get(f"/en/countries/{code}/").status_code != 200]
    assert failed == []


def test_the_computed_ldc_figure_stands_beside_itus_published_one(visitor):
    text = text_of(visitor, "/en/countries/?series=internet-use&year=2019")
    # the portal's population-weighted average from the LDCs with a figure, its coverage,
    # ITU's 19.1 % (Key ICT indicators, 2019) and the difference
    computed, coverage, published, difference = re.search(
        r"Least developed countries ([\d.]+)% (\d+)% ([\d.]+)% [^%]*? ([+−-][\d.]+) ", text
    ).groups()
    assert published == "19.1"
    assert float(coverage) >= 90
    assert abs(float(computed) - 19.1) < 5
    assert float(difference.replace("−", "-")) == pytest.approx(float(computed) - 19.1, abs=0.06)
    # a price series is not compared with ITU's medians, nor the parity ratio with a percentage
    assert re.search(r"Arab States [\d.]+% \d+% – – ", text)


def test_the_api_gives_one_indicator_for_every_country_in_one_call(client):
    answer = client.get("/api/v1/series/internet-use/countries/", {"year": 2021}).json()
    assert answer["year"] == 2021
    by_code = {row["iso3"]: row for row in answer["results"]}
    assert len(by_code) == answer["countries_with_data"] >= 180
    assert by_code["NOR"]["value"] == 99
