"""Countries, per-economy series and statistics, and one series for every Member State in one
year (api/countries.py), on the small world of tests/api/country_factory.py."""

import csv
import io

import pytest
from django.core.cache import caches

from indicators.models import Geography, Statistic
from itu_rbm.caching import content_changed
from tests.api.country_factory import grow_countries, make_country_world
from tests.api.test_queries import PAGINATOR_COUNT

pytestmark = pytest.mark.django_db

COUNTRIES = "/api/v1/countries/"
SERIES = "/api/v1/series/"
STATISTICS = "/api/v1/statistics/"
MAP = "/api/v1/series/internet-use/countries/"


@pytest.fixture
def world(db):
    return make_country_world()


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["iso3"] for row in response.json()["results"]]


def parse_csv(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


# --- countries ----------------------------------------------------------------------------------


def test_countries_are_the_member_states_with_un_names_codes_region_and_groups(api, world):
    response = api.get(COUNTRIES)
    assert codes(response) == ["AFG", "FJI", "KEN", "NOR"]
    norway = response.json()["results"][3]
    assert norway == {
        "iso3": "NOR",
        "iso2": "NO",
        "m49": "578",
        "name": "Norway",
        "formal_name": "the Kingdom of Norway",
        "is_member_state": True,
        "region": {"code": "ITU-EUR", "name": "Europe"},
        "groups": [],
        "fallbacks": {},
    }
    afghanistan = response.json()["results"][0]
    assert afghanistan["groups"] == ["LDC", "LLDC"]
    assert afghanistan["region"]["code"] == "ITU-ASP"


def test_every_country_geography_with_all_true(api, world):
    every = codes(api.get(COUNTRIES, {"all": "true", "page_size": 500}))
    assert "ABW" in every and "NOR" in every
    assert len(every) == Geography.objects.countries().count()
    assert codes(api.get(COUNTRIES, {"all": "false"})) == ["AFG", "FJI", "KEN", "NOR"]
    refused = api.get(COUNTRIES, {"all": "maybe"})
    assert (refused.status_code, refused.json()) == (400, {"all": ["Enter true or false."]})


@pytest.mark.parametrize(
    ("lang", "name", "formal_name"),
    [
        ("fr", "Norvège", "le Royaume de Norvège"),
        ("ar", "النرويج", "مملكة النرويج"),
        ("zh-hans", "挪威", "挪威王国"),
        ("ru", "Норвегия", "Королевство Норвегия"),
    ],
)
def test_countries_are_named_as_the_un_writes_them_in_the_language_asked(
    api, world, lang, name, formal_name
):
    response = api.get(f"{COUNTRIES}NOR/", {"lang": lang})
    assert (response.json()["name"], response.json()["formal_name"]) == (name, formal_name)
    assert response["Content-Language"] == lang


def test_countries_filter_by_region_group_and_name_or_code(api, world):
    assert codes(api.get(COUNTRIES, {"region": "ITU-ASP"})) == ["AFG", "FJI"]
    assert codes(api.get(COUNTRIES, {"group": "SIDS"})) == ["FJI"]
    assert codes(api.get(COUNTRIES, {"q": "norv", "lang": "fr"})) == ["NOR"]
    assert codes(api.get(COUNTRIES, {"q": "norv", "lang": "en"})) == []
    assert codes(api.get(COUNTRIES, {"q": "ken"})) == ["KEN"]
    assert codes(api.get(COUNTRIES, {"q": "ke"})) == ["KEN"]  # ISO2, and "Kenya"
    assert codes(api.get(COUNTRIES, {"q": "578"})) == ["NOR"]
    assert codes(api.get(COUNTRIES, {"q": "republic"})) == ["AFG", "FJI", "KEN"]


def test_a_country_lists_the_series_with_figures_for_it(api, world):
    response = api.get(f"{COUNTRIES}nor/")  # the ISO3 code in any case
    assert response.status_code == 200
    body = response.json()
    assert body["iso3"] == "NOR" and body["groups"] == []
    assert body["series"] == [
        {
            "code": "internet-use",
            "name": "Individuals using the Internet",
            "years": [2019, 2020, 2021, 2022, 2023],
        },
        {
            "code": "mobile-4g-coverage",
            "name": "Population covered by at least a 4G mobile network",
            "years": [2020],
        },
    ]
    aruba = api.get(f"{COUNTRIES}ABW/").json()  # not a Member State: still a country
    assert (aruba["is_member_state"], [s["code"] for s in aruba["series"]]) == (
        False,
        ["internet-use"],
    )


def test_an_unknown_country_is_a_404_that_says_where_they_are_listed(api, world):
    response = api.get(f"{COUNTRIES}XYZ/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Unknown country 'XYZ'; /api/v1/countries/?all=true lists them."
    }
    assert api.get(f"{COUNTRIES}LDC/").status_code == 404  # a group is not a country


def test_countries_as_csv(api, world):
    rows = parse_csv(api.get(COUNTRIES, {"format": "csv", "lang": "fr"}))
    assert [row["iso3"] for row in rows] == ["AFG", "FJI", "KEN", "NOR"]
    assert rows[3]["name"] == "Norvège" and rows[3]["region.code"] == "ITU-EUR"
    assert rows[0]["groups"] == "LDC; LLDC"


# --- series -------------------------------------------------------------------------------------


def test_series_list_their_releases_leading_first_and_the_indicators_they_measure(api, world):
    response = api.get(SERIES)
    assert response.status_code == 200
    internet, coverage = response.json()["results"]
    assert (internet["code"], internet["unit"], internet["direction"]) == (
        "internet-use",
        "percent",
        "increase",
    )
    assert [release["publisher"] for release in internet["releases"]] == ["ITU", "World Bank"]
    leading = internet["releases"][0]
    assert leading["citation"] == (
        "ITU, World Telecommunication/ICT Indicators Database, January 2022"
    )
    assert (leading["is_leading"], leading["is_computed"], leading["id"]) == (
        True,
        False,
        world.ddd.pk,
    )
    assert internet["indicators"] == [{"plan": "2020-2023", "code": "1.2-internet-use"}]
    assert coverage["indicators"] == []
    french = api.get(f"{SERIES}internet-use/", {"lang": "fr"}).json()
    assert french["name"] == "Personnes utilisant l'Internet"
    assert french["fallbacks"] == {"definition": "en"}


def test_an_unknown_series_is_a_404_with_a_clear_message(api, world):
    for address in (f"{SERIES}no-such/", f"{SERIES}no-such/countries/"):
        response = api.get(address)
        assert response.status_code == 404
        assert response.json() == {
            "detail": "Unknown series 'no-such'; /api/v1/series/ lists them."
        }


# --- statistics ---------------------------------------------------------------------------------


def test_statistics_of_a_country_with_breakdowns_and_release_citations(api, world):
    response = api.get(STATISTICS, {"geography": "KEN", "series": "internet-use"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["sex"], row["value"]) for row in rows] == [("F", 25.0), ("M", 33.0), ("_T", 29.0)]
    assert rows[2] == {
        "id": rows[2]["id"],
        "geography": "KEN",
        "series": "internet-use",
        "year": 2021,
        "sex": "_T",
        "age": "_T",
        "area": "_T",
        "value": 29.0,
        "is_estimate": False,
        "coverage": None,
        "release": {
            "id": world.ddd.pk,
            "publisher": "ITU",
            "publication": "World Telecommunication/ICT Indicators Database",
            "edition": "January 2022",
        },
    }
    women = api.get(STATISTICS, {"geography": "KEN", "sex": "F"}).json()["results"]
    assert [row["value"] for row in women] == [25.0]
    rural = api.get(STATISTICS, {"geography": "NOR", "area": "R"}).json()["results"]
    assert [(row["series"], row["value"]) for row in rural] == [("mobile-4g-coverage", 99.5)]


def test_statistics_filter_by_years_release_and_several_geographies(api, world):
    def values(**params):
        response = api.get(STATISTICS, {"series": "internet-use", "sex": "_T", **params})
        assert response.status_code == 200, response.content
        return [(row["geography"], row["year"], row["value"]) for row in response.json()["results"]]

    assert values(geography="NOR", year_min=2021, year_max=2022) == [
        ("NOR", 2021, 99.0),
        ("NOR", 2021, 99.2),
        ("NOR", 2022, 99.0),
    ]
    assert values(geography="NOR", release=world.wdi.pk, year=2021) == [("NOR", 2021, 99.2)]
    assert values(geography="AFG,FJI") == [("AFG", 2021, 18.4), ("FJI", 2020, 69.0)]
    estimate = api.get(STATISTICS, {"geography": "AFG"}).json()["results"][0]
    assert estimate["is_estimate"] is True


def test_chosen_keeps_the_figure_each_country_year_shows(api, world):
    response = api.get(STATISTICS, {"geography": "NOR", "series": "internet-use", "chosen": "true"})
    shown = [
        (row["year"], row["value"], row["release"]["publisher"])
        for row in response.json()["results"]
    ]
    assert sorted(shown) == [
        (2019, 98.0, "ITU"),
        (2020, 97.0, "ITU"),
        (2021, 99.0, "ITU"),  # the leading release's, not the WDI's 99.2
        (2022, 99.0, "World Bank"),  # the leading release has none: the WDI fills the gap
        (2023, 99.3, "World Bank"),
    ]
    every = api.get(STATISTICS, {"geography": "NOR", "series": "internet-use", "chosen": "false"})
    assert every.json()["count"] == 6


def test_group_aggregates_are_statistics_of_the_group(api, world):
    ldc = Geography.objects.get(code="LDC")
    Statistic.objects.create(release=world.ddd, geography=ldc, year=2021, value=27.0, coverage=0.93)
    rows = api.get(STATISTICS, {"geography": "LDC"}).json()["results"]
    assert [(row["geography"], row["value"], row["coverage"]) for row in rows] == [
        ("LDC", 27.0, 0.93)
    ]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"year_min": "abc"}, {"year_min": ["Enter a whole number."]}),
        ({"year": "2020.5"}, {"year": ["Enter a whole number."]}),
        ({"sex": "X"}, {"sex": ["Unknown value X; use one of: _T, F, M."]}),
        (
            {"age": "old"},
            {"age": ["Unknown value old; use one of: _T, Y0T14, Y15T24, Y25T74, Y_GE75."]},
        ),
        ({"area": "town"}, {"area": ["Unknown value town; use one of: _T, U, R."]}),
        ({"chosen": "yes"}, {"chosen": ["Enter true or false."]}),
        ({"release": "0"}, {"release": ["Ensure this value is greater than or equal to 1."]}),
        ({"geography": ""}, {"geography": ["Give a value, or leave the parameter out."]}),
    ],
)
def test_bad_statistics_parameters_are_400s_naming_the_parameter(api, world, params, errors):
    response = api.get(STATISTICS, params)
    assert (response.status_code, response.json()) == (400, errors)
    assert response["Content-Type"] == "application/json"


def test_statistics_as_csv_name_the_release_in_columns(api, world):
    rows = parse_csv(api.get(STATISTICS, {"geography": "KEN", "sex": "F"}, HTTP_ACCEPT="text/csv"))
    assert rows == [
        {
            "id": rows[0]["id"],
            "geography": "KEN",
            "series": "internet-use",
            "year": "2021",
            "sex": "F",
            "age": "_T",
            "area": "_T",
            "value": "25.0",
            "is_estimate": "false",
            "coverage": "",
            "release.id": str(world.ddd.pk),
            "release.publisher": "ITU",
            "release.publication": "World Telecommunication/ICT Indicators Database",
            "release.edition": "January 2022",
        }
    ]


def test_observations_still_filter_the_plans_own_figures_by_geography(api, world):
    response = api.get("/api/v1/observations/", {"geography": "WLD", "page_size": 500})
    rows = response.json()["results"]
    assert rows and {row["geography"] for row in rows} == {"WLD"}
    assert {row["indicator"] for row in rows} >= {"1.2-internet-use"}
    # a country's statistics are not the plan's figures
    assert api.get("/api/v1/observations/", {"geography": "NOR"}).json()["count"] == 0


# --- one series for every Member State ----------------------------------------------------------


def test_the_map_gives_every_member_states_figure_of_the_fullest_recent_year(api, world):
    response = api.get(MAP)
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("series", "unit", "year", "countries_with_data")} == {
        "series": "internet-use",
        "unit": "percent",
        "year": 2021,  # four countries (ABW with them), against two in 2020
        "countries_with_data": 3,
    }
    assert body["years"] == {"2019": 1, "2020": 2, "2021": 4, "2022": 1, "2023": 1}
    assert [(row["iso3"], row["value"]) for row in body["results"]] == [
        ("AFG", 18.4),
        ("KEN", 29.0),
        ("NOR", 99.0),  # the leading release's figure
    ]
    afghanistan = body["results"][0]
    assert afghanistan == {
        "iso3": "AFG",
        "name": "Afghanistan",
        "region": "ITU-ASP",
        "value": 18.4,
        "is_estimate": True,
        "release": {
            "id": world.ddd.pk,
            "publisher": "ITU",
            "publication": "World Telecommunication/ICT Indicators Database",
            "edition": "January 2022",
        },
    }


def test_the_map_of_a_year_asked_for(api, world):
    body = api.get(MAP, {"year": 2022, "lang": "fr"}).json()
    assert (body["year"], body["countries_with_data"]) == (2022, 1)
    assert body["results"][0]["name"] == "Norvège"
    assert body["results"][0]["release"]["publisher"] == "World Bank"
    assert api.get(MAP, {"year": 1999}).json()["results"] == []
    refused = api.get(MAP, {"year": "abc"})
    assert (refused.status_code, refused.json()) == (400, {"year": ["Enter a whole number."]})
    kenya = api.get("/api/v1/series/mobile-4g-coverage/countries/").json()
    assert [(row["iso3"], row["value"]) for row in kenya["results"]] == [
        ("KEN", 77.0),
        ("NOR", 99.9),  # the total, not its urban and rural figures
    ]


def test_the_map_as_csv_is_one_row_per_country(api, world):
    rows = parse_csv(api.get(MAP, {"format": "csv"}))
    assert [(row["iso3"], row["value"], row["release.publisher"]) for row in rows] == [
        ("AFG", "18.4", "ITU"),
        ("KEN", "29.0", "ITU"),
        ("NOR", "99.0", "ITU"),
    ]


# --- as for the rest of the API: caching, ETags, the root, the schema ---------------------------


def test_new_addresses_are_cached_answer_304_and_see_writes(api, world, steady):
    for address in (COUNTRIES, f"{COUNTRIES}NOR/", SERIES, STATISTICS, MAP):
        first = api.get(address)
        assert first["Cache-Control"] == "public, max-age=60", address
        assert api.get(address, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, address
    before = api.get(MAP)
    figure = Statistic.objects.get(release=world.ddd, geography__code="KEN", year=2021, sex="_T")
    figure.value = 30.0
    figure.save()
    # statistics are written in bulk by load_statistics, which starts a new content generation
    # itself (Statistic.writes_announced)
    content_changed()
    after = api.get(MAP, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert [row["value"] for row in after.json()["results"] if row["iso3"] == "KEN"] == [30.0]


def test_the_schema_describes_the_new_addresses_and_points_to_statistics(api):
    openapi = api.get("/api/schema/", {"format": "json"}).json()
    paths = openapi["paths"]
    for address in (
        "/api/v1/countries/",
        "/api/v1/countries/{code}/",
        "/api/v1/series/",
        "/api/v1/series/{code}/",
        "/api/v1/series/{code}/countries/",
        "/api/v1/statistics/",
    ):
        assert address in paths
    for address in ("/api/v1/observations/", "/api/v1/statistics/"):
        assert "/api/v1/statistics/" in paths[address]["get"]["description"]
    parameters = {p["name"]: p for p in paths["/api/v1/statistics/"]["get"]["parameters"]}
    assert set(parameters) >= {"geography", "series", "year_min", "year_max", "sex", "age"}
    assert parameters["sex"]["schema"]["enum"] == ["F", "M", "_T"]
    schemas = openapi["components"]["schemas"]
    assert {"SexEnum", "AgeEnum", "AreaEnum"} <= set(schemas)


# --- query counts -------------------------------------------------------------------------------

# address: the most queries it may take (rows, count, one per attached or prefetched relation)
BOUNDS = {
    COUNTRIES: 3,
    f"{COUNTRIES}NOR/": 4,
    SERIES: 4,
    f"{SERIES}internet-use/": 3,
    STATISTICS: 2,
    f"{STATISTICS}?geography=NOR&chosen=true": 2,
    MAP: 6,
    f"{MAP}?year=2021": 6,
}


def count(api, address, django_assert_max_num_queries) -> int:
    caches["api"].clear()  # built afresh
    with django_assert_max_num_queries(BOUNDS[address]) as context:
        response = api.get(address, {"page_size": 500} if "?" not in address else None)
    assert response.status_code == 200, (address, response.content[:300])
    # the paginator's COUNT depends on whether the page is full, not on the size of the data
    return len([q for q in context.captured_queries if not q["sql"].startswith(PAGINATOR_COUNT)])


def test_query_counts_stay_the_same_as_the_data_grows(api, world, django_assert_max_num_queries):
    before = {address: count(api, address, django_assert_max_num_queries) for address in BOUNDS}
    grow_countries(world, 40)  # 40 more Member States, 3,920 more figures
    assert api.get(MAP, {"year": 2021}).json()["countries_with_data"] == 43
    after = {address: count(api, address, django_assert_max_num_queries) for address in BOUNDS}
    assert after == before
