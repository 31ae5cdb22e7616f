"""/<lang>/countries/: the Member States by region, the world map with its table, the group
aggregates; and the map and country distribution on a target's page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dashboards.countries_factory import build_country_data, grow, internet_use

pytestmark = pytest.mark.django_db

DISCLAIMER = (
    "The boundaries and names shown and the designations used on this map do not imply "
    "official endorsement or acceptance by the United Nations."
)


@pytest.fixture
def data(db):
    return build_country_data()


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def listed(html: str) -> list[str]:
    """The ISO3 codes of the Member States the list shows, in order."""
    listing = html[html.index('id="country-list"') :]
    return re.findall(r'<li data-name="[^"]*" data-formal="[^"]*" data-code="(\w+)"', listing)


def table_rows(html: str, table_id: str) -> list[str]:
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<tr data-code="([\w-]+)"', table)


def map_codes(html: str, map_id: str = "map-countries") -> list[str]:
    import json

    found = re.search(rf'<script id="{map_id}-data" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))["data"][0]["locations"]


def test_member_states_are_grouped_by_itu_region_with_names_in_english(visitor, data):
    html = html_of(visitor, "/en/countries/")
    assert "ITU's 17 Member States" in html
    europe = html[html.index('id="region-ITU-EUR"') :]
    europe = europe[: europe.index("</section>")]
    assert re.findall(r'data-code="(\w+)"', europe) == ["FRA", "DEU", "NOR"]  # name order
    assert '<a href="/en/countries/NOR/">Norway</a>' in html
    # a territory with a figure is on the map, not in the list of Member States
    assert "HKG" not in listed(html)
    assert "HKG" in map_codes(html)


def test_names_are_in_the_pages_language(visitor, data):
    arabic = html_of(visitor, "/ar/countries/")
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<a href="/ar/countries/NOR/">النرويج</a>' in arabic  # as the UN writes it
    assert "الأفراد الذين يستخدمون الإنترنت، 2021" in arabic  # the series, in the map's title
    chinese = html_of(visitor, "/zh-hans/countries/")
    assert '<a href="/zh-hans/countries/NOR/">挪威</a>' in chinese
    assert ">欧洲</h3>" in chinese  # the ITU region's name


def test_search_by_name_in_the_pages_language_and_by_iso_code(visitor, data):
    assert listed(html_of(visitor, "/en/countries/?q=norw")) == ["NOR"]
    assert listed(html_of(visitor, "/fr/countries/?q=norv")) == ["NOR"]  # Norvège
    assert listed(html_of(visitor, "/en/countries/?q=ken")) == ["KEN"]  # ISO3, any case
    assert listed(html_of(visitor, "/en/countries/?q=zz-nothing")) == []
    assert "No Member State matches." in html_of(visitor, "/en/countries/?q=zz-nothing")


def test_filters_by_region_and_group_apply_to_the_list_and_the_map(visitor, data):
    html = html_of(visitor, "/en/countries/?region=ITU-CIS")
    assert sorted(listed(html)) == ["KAZ", "RUS"]
    assert sorted(map_codes(html)) == ["KAZ", "RUS"]
    html = html_of(visitor, "/en/countries/?group=LLDC")
    assert sorted(listed(html)) == ["AFG", "KAZ", "NER"]
    assert sorted(table_rows(html, "map-countries-table")) == ["AFG", "KAZ", "NER"]
    assert sorted(listed(html_of(visitor, "/en/countries/?group=SIDS"))) == ["FJI", "HTI"]


def test_the_table_beside_the_map_has_the_maps_figures_with_release_and_estimate_flag(
    visitor, data
):
    html = html_of(visitor, "/en/countries/")
    # the default: the Internet-use target's series, in its latest year with most countries
    assert "selected>Individuals using the Internet</option>" in html
    assert '<option value="2021" selected>2021</option>' in html
    codes = map_codes(html)
    assert len(codes) == 18
    assert table_rows(html, "map-countries-table") == codes
    niger = re.search(r'<tr data-code="NER">(.*?)</tr>', html).group(1)
    assert f">{internet_use('NER', 2021):g}%<" in niger
    assert "ITU, World Telecommunication/ICT Indicators Database, January 2022" in niger
    assert "ITU estimate" in niger
    # the leading release wins over the newer one's restatement
    norway = re.search(r'<tr data-code="NOR">(.*?)</tr>', html).group(1)
    assert ">99%<" in norway and "January 2022" in norway
    assert DISCLAIMER in html
    assert "Disputed areas are drawn as separate shapes" in html
    assert 'class="map-plot" id="map-countries"' in html and 'tabindex="0" role="img"' in html


def test_the_page_loads_the_geo_bundle_and_its_geometry_not_the_basic_bundle(visitor, data):
    html = html_of(visitor, "/en/countries/")
    assert "vendor/plotly-geo-4.1.1.min.js" in html
    assert "vendor/plotly-basic-4.1.1.min.js" not in html
    assert 'rel="preload" href="/static/vendor/topojson/world_110m.json"' in html
    assert "cdn" not in html.lower()


def test_another_year_and_series_are_chosen_in_the_address(visitor, data):
    html = html_of(visitor, "/en/countries/?series=internet-use-test&year=2022")
    assert sorted(map_codes(html)) == ["KEN", "NOR", "USA"]
    assert '<option value="2022" selected>2022</option>' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "year=2021abc",
            "“2021abc” is not a year: the latest nearly complete year is shown.",
        ),
        ("year=1999", "No figures for 1999 in this series"),
        ("year=99999999999", "is not a year"),
        ("series=nope", "No series has the code “nope”: the default series is shown."),
        ("region=XYZ&group=G7", ""),
        ("q=" + "x" * 300, ""),
    ],
)
def test_bad_parameters_fall_back_with_a_message(visitor, data, query, message):
    html = html_of(visitor, f"/en/countries/?{query}")
    assert message in html
    assert '<option value="2021" selected>2021</option>' in html  # the default year
    assert len(map_codes(html)) == 18


def test_the_aggregates_panel_shows_computed_and_published_side_by_side(visitor, data):
    html = html_of(visitor, "/en/countries/?year=2019")
    ldc = re.search(r'<tr data-code="LDC">(.*?)</tr>', html).group(1)
    assert '<td class="number computed">17.9%</td>' in ldc
    assert '<td class="number coverage">71%</td>' in ldc
    assert "19.1%" in ldc and "Key ICT indicators" in ldc
    assert '<td class="number difference">-1.2</td>' in ldc
    assert "Computed by the portal" in html
    assert table_rows(html, "aggregates-table")[0] == "WLD"
    assert len(table_rows(html, "aggregates-table")) == 10


def test_the_aggregates_panel_in_arabic_and_chinese(visitor, data):
    arabic = html_of(visitor, "/ar/countries/?year=2019")
    assert re.search(
        r'<tr data-code="LDC"><th scope="row">أقل البلدان نموا</th>'
        r'<td class="number computed">17,9%',
        arabic,
    )
    chinese = html_of(visitor, "/zh-hans/countries/?year=2019")
    assert '<td class="number coverage">71%</td>' in chinese


def test_the_site_navigation_links_to_the_countries_page(visitor, data):
    html = html_of(visitor, "/fr/plans/2020-2023/")
    assert re.search(r'<a href="/fr/countries/">[^<]+</a>', html)
    html = html_of(visitor, "/en/countries/")
    assert '<a href="/en/countries/" aria-current="page">Countries</a>' in html


def test_a_country_links_to_its_page(visitor, data):
    assert "Norway" in html_of(visitor, "/en/countries/NOR/")
    assert visitor.get("/en/countries/HKG/").status_code == 404  # not a Member State


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


COUNTRIES_QUERIES = 13  # map years and figures: each reads the series' releases first


def test_the_query_count_stays_the_same_when_the_data_grows(
    visitor, data, django_assert_max_num_queries
):
    urls = ["/en/countries/", "/en/countries/?year=2019&group=LDC", "/ar/countries/?q=nor"]
    before = [count_queries(visitor, url + ("&" if "?" in url else "?") + "n=1") for url in urls]
    assert max(before) <= COUNTRIES_QUERIES
    grow(data)
    after = [count_queries(visitor, url + ("&" if "?" in url else "?") + "n=2") for url in urls]
    assert after == before
    with django_assert_max_num_queries(COUNTRIES_QUERIES):
        visitor.get("/en/countries/?year=2012")


def test_the_target_page_shows_the_map_and_the_member_states_against_the_target(visitor, data):
    html = html_of(visitor, "/en/plans/2020-2023/targets/1.2/")
    section = html[html.index('class="target-countries"') :]
    assert (
        "On their own figures, 9 of the 17 Member States reached the target&#x27;s level by "
        "2023, 0 did not, and 8 cannot be judged (no figure for 2023)." in section
    )
    assert "The target&#x27;s level: 65%." in section
    # the map: the latest year up to 2023 (2022: the WDI's three countries)
    assert sorted(map_codes(html, "map-target")) == ["KEN", "NOR", "USA"]
    assert DISCLAIMER in section
    assert sorted(table_rows(html, "distribution-table")) == sorted(
        ["KEN", "NER", "NGA", "HTI", "EGY", "IND", "AFG", "FJI"]
    )
    table = section[section.index('id="distribution-table"') :]
    kenya = re.search(r'<tr data-code="KEN">(.*?)</tr>', table).group(1)
    assert ">30%<" in kenya and ">2022<" in kenya and "No figure for the target year" in kenya
    assert "vendor/plotly-geo-4.1.1.min.js" in html and "js/charts.js" in html


def test_a_target_without_a_country_series_has_no_map(visitor, data):
    html = html_of(visitor, "/en/plans/2020-2023/targets/1.1/")
    assert "target-countries" not in html
    assert "plotly-geo" not in html


def test_the_target_page_adds_a_constant_number_of_queries(visitor, data):
    url = "/en/plans/2020-2023/targets/1.2/?n="
    count_queries(visitor, url + "0")  # what a process reads once (the content generation)
    before = count_queries(visitor, url + "1")
    grow(data)
    assert count_queries(visitor, url + "2") == before
    assert before <= 6 + 7
