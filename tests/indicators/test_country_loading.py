"""Loading ITU's per-country data (indicators/country_loading.py, the load_countries and
load_statistics commands). The session's database holds the real files, loaded once by
tests/conftest.py as `make data` loads them."""

import csv
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from indicators.country_loading import (
    DEFAULT_MANIFEST,
    DEFAULT_SERIES,
    FIXTURES,
    StatisticsLoader,
    countries_load,
    evaluate_formula,
    un_name,
)
from indicators.models import Geography, Indicator, Population, Release, Series, Statistic
from indicators.statistics import choose

WDI_2024 = ("World Bank", "download of November 2024")
WDI_2025 = ("World Bank", "Gapminder data of 8 December 2025")


def figures(series, country, year):
    """{(publisher, edition): (value, is_estimate)} of one country-year's totals."""
    rows = (
        Statistic.objects.filter(release__series__code=series, geography__code=country, year=year)
        .totals()
        .select_related("release")
    )
    return {
        (row.release.publisher, row.release.edition): (round(row.value, 2), row.is_estimate)
        for row in rows
    }


# --- the known facts -------------------------------------------------------------------------


def test_norway_internet_use_2021_is_99_in_the_ddd_and_both_wdi_files(db):
    norway = figures("internet-use", "NOR", 2021)
    assert norway[("ITU", "January 2022")] == (99.0, False)
    assert norway[WDI_2024] == (99.0, False)
    assert norway[WDI_2025] == (99.0, False)


def test_niger_kenya_and_the_price_baskets_as_the_files_give_them(db):
    assert figures("internet-use", "NER", 2017)[("ITU", "January 2022")] == (10.22, False)
    assert figures("coverage-4g", "KEN", 2020) == {("ITU", "January 2022"): (77.0, False)}
    assert figures("basket-mobile-broadband", "NOR", 2019)[("ITU", "January 2022")][0] == 0.36
    assert figures("basket-mobile-broadband", "NER", 2019)[("ITU", "January 2022")][0] == 22.73


def test_ddd_estimates_are_flagged_and_formulas_evaluated(db):
    # "ITU estimate?" = Yes
    assert figures("internet-use", "USA", 2020)[("ITU", "January 2022")] == (90.9, True)
    # "=64.888893763172*(1000/12)": gigabytes a year read as megabytes a month
    traffic = figures("traffic-mobile-broadband", "NOR", 2019)
    assert traffic == {("ITU", "January 2022"): (round(64.888893763172 * 1000 / 12, 2), False)}


def test_breakdowns_by_sex_age_and_area_belong_to_their_series(db):
    norway = Statistic.objects.filter(
        release__series__code="internet-use", geography__code="NOR", year=2019
    )
    by_sex = dict(norway.filter(age="_T").values_list("sex", "value"))
    assert round(by_sex["F"]) == 97 and round(by_sex["M"]) == 98
    areas = Statistic.objects.filter(release__series__code="households-internet").values_list(
        "area", flat=True
    )
    assert set(areas) == {"_T", "U", "R"}
    ages = Statistic.objects.filter(release__series__code="internet-use").values_list(
        "age", flat=True
    )
    assert set(ages) == {"_T", "Y0T14", "Y15T24", "Y25T74", "Y_GE75"}


def test_a_restated_country_year_is_kept_beside_the_older_release_and_the_leading_one_shown(db):
    usa = figures("internet-use", "USA", 2020)
    assert usa[WDI_2024] == (96.58, False)
    assert usa[WDI_2025] == (90.34, False)
    series = Series.objects.get(code="internet-use")
    assert series.releases.get(is_leading=True).edition == "Gapminder data of 8 December 2025"
    statistics = Statistic.objects.of_series(series).totals().filter(geography__code="USA")
    (shown,) = choose(statistics.filter(year=2020).select_related("release"))
    assert round(shown.value, 1) == 90.3 and shown.release.is_leading


def test_each_series_has_one_explicitly_chosen_leading_release(db):
    rows = json.loads(DEFAULT_SERIES.read_text())["series"]
    for row in rows:
        leading = Release.objects.get(series__code=row["code"], is_leading=True)
        citation = json.loads(DEFAULT_MANIFEST.read_text())["releases"][row["leading"]]
        assert (leading.publisher, leading.edition) == (citation["publisher"], citation["edition"])
    assert Series.objects.count() == len(rows) == 32


def test_world_bank_aggregates_go_to_the_portal_geographies_that_match(db):
    world = figures("internet-use", "WLD", 2022)
    assert world[WDI_2024][0] == 64.4  # the World Bank's published World figure
    # aggregates with no portal geography (EAS, SSF, ...) are skipped, never stored
    assert not Statistic.objects.filter(geography__code__in=["EAS", "SSF"]).exists()


def test_plan_indicators_name_the_series_that_measures_them_per_country(db):
    linked = dict(
        Indicator.objects.filter(plan__code="2020-2023")
        .exclude(country_series=None)
        .values_list("code", "country_series__code")
    )
    assert linked["1.2-internet-use"] == "internet-use"
    assert linked["2.8-internet-use-women"] == "internet-use"
    assert linked["1.1-households-internet-rural"] == "households-internet"
    assert linked["1.3-mobile-broadband-price"] == "basket-mobile-broadband"
    assert linked["2.7-4g-coverage"] == "coverage-4g"
    assert linked["3.2-ewaste-recycling-rate"] == "ewaste-recycling-rate"
    # a count of countries with a strategy is not a country's score
    assert "3.1-cybersecurity-strategy" not in linked


def test_population_is_loaded_for_the_weights(db):
    norway = dict(Population.objects.filter(geography__code="NOR").values_list("year", "value"))
    assert 4_000_000 < norway[2010] < 6_000_000
    assert 2050 in norway  # kept: the years between 2013 and 2050 are interpolated from it


# --- countries --------------------------------------------------------------------------------


def test_193_member_states_in_their_itu_regions_and_groups(db):
    members = Geography.objects.member_states()
    assert members.count() == 193
    by_region = {
        code: members.filter(region__code=code).count()
        for code in ("ITU-EUR", "ITU-AFR", "ITU-ASP", "ITU-AMS", "ITU-ARB", "ITU-CIS")
    }
    assert by_region == {
        "ITU-EUR": 46,
        "ITU-AFR": 44,
        "ITU-ASP": 38,
        "ITU-AMS": 35,
        "ITU-ARB": 21,
        "ITU-CIS": 9,
    }
    in_group = {code: members.filter(groups__code=code).count() for code in ("LDC", "LLDC", "SIDS")}
    assert in_group == {"LDC": 45, "LLDC": 32, "SIDS": 36}
    assert not Geography.objects.get(code="HKG").is_member_state


def test_the_m49_file_and_geographies_json_agree_on_the_groups():
    """One source of truth: load_indicators and load_countries must not undo each other."""
    geographies = json.loads((FIXTURES.parent / "indicators" / "geographies.json").read_text())
    listed = {row["code"]: set(row.get("members", ())) for row in geographies}
    with (FIXTURES / "un-m49-country-codes.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    for group, column in (
        ("LDC", "Least Developed Countries (LDC)"),
        ("LLDC", "Land Locked Developing Countries (LLDC)"),
        ("SIDS", "Small Island Developing States (SIDS)"),
    ):
        flagged = {row["ISO3166-1-Alpha-3"] for row in rows if row[column] == "x"}
        assert listed[group] == flagged, group


def test_norway_is_named_as_the_un_writes_it_in_six_languages(db):
    norway = Geography.objects.get(code="NOR")
    assert norway.name_fr == "Norvège"
    assert norway.formal_name_fr == "le Royaume de Norvège"
    assert norway.formal_name_en == "the Kingdom of Norway"
    assert (norway.name_es, norway.name_ru, norway.name_ar, norway.name_zh_hans) == (
        "Noruega",
        "Норвегия",
        "النرويج",
        "挪威",
    )
    assert (norway.iso2, norway.m49, norway.region.code) == ("NO", "578", "ITU-EUR")
    assert "UNTERM" in norway.source and "Member State" in norway.source


def test_un_names_drop_the_article_marker_but_keep_brackets_of_the_name():
    assert un_name("Norvège (la)") == "Norvège"
    assert un_name("Netherlands (the)") == "Netherlands"
    assert un_name("Países Bajos (los)") == "Países Bajos"
    assert un_name("État de Palestine (l') *") == "État de Palestine"
    assert un_name("Bolivie (État plurinational de)") == "Bolivie (État plurinational de)"
    assert un_name("Bolivia (Plurinational State of)") == "Bolivia (Plurinational State of)"


def test_countries_without_unterm_names_take_the_m49_files_own(db):
    assert Geography.objects.get(code="CIV").name_fr == "Côte d’Ivoire"
    assert Geography.objects.get(code="BOL").name_es == "Bolivia (Estado Plurinacional de)"


# --- idempotence, broken files, formulas, names -----------------------------------------------


def test_running_everything_twice_changes_nothing(db):
    counts = (Statistic.objects.count(), Release.objects.count(), Population.objects.count())
    before = set(Statistic.objects.values_list("pk", "value", "is_estimate", "coverage"))
    assert countries_load().updated == 0
    reports, failures = StatisticsLoader(DEFAULT_MANIFEST).load_all()
    assert failures == []
    assert all(report.written == 0 and report.releases_changed == 0 for report in reports)
    assert sum(report.unchanged for report in reports) > 60_000
    call_command("compute_aggregates", verbosity=0)
    assert (Statistic.objects.count(), Release.objects.count(), Population.objects.count()) == (
        counts
    )
    assert set(Statistic.objects.values_list("pk", "value", "is_estimate", "coverage")) == before


@pytest.fixture
def test_manifest(tmp_path):
    """A manifest of one small file in Gapminder's layout, with its own release."""
    manifest = json.loads(DEFAULT_MANIFEST.read_text())
    manifest["releases"]["test-edition"] = {
        "publisher": "Test publisher",
        "publication": "Test publication",
        "edition": "test edition",
    }
    manifest["files"] = [
        {"file": "small.csv", "reader": "long_csv", "geography": "iso3", "release": "test-edition"}
    ]
    series = json.loads(DEFAULT_SERIES.read_text())
    (internet_use,) = [row for row in series["series"] if row["code"] == "internet-use"]
    internet_use["sources"] = [{"file": "small.csv", "label": "internet_users"}]
    series["series"] = [internet_use]
    (tmp_path / "sources.json").write_text(json.dumps(manifest))
    (tmp_path / "series.json").write_text(json.dumps(series))
    return tmp_path


def test_a_broken_file_writes_nothing_and_says_where(db, test_manifest):
    rows = ["geo,time,internet_users", "nor,2019,98", "swe,2019,94.5", "fin,20x9,90", "dnk,2019,97"]
    (test_manifest / "small.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(CommandError) as error:
        call_command("load_statistics", str(test_manifest / "sources.json"), verbosity=0)
    assert str(error.value) == (
        "small.csv: row 4: year '20x9' is not a year (nothing from this file was written)"
    )
    assert not Statistic.objects.filter(release__edition="test edition").exists()
    assert not Release.objects.filter(edition="test edition").exists()


def test_a_good_file_loads_with_a_summary(db, test_manifest, capsys):
    rows = ["geo,time,internet_users", "nor,2019,98", "xyz,2019,5", "swe,2019,"]
    (test_manifest / "small.csv").write_text("\n".join(rows) + "\n")
    call_command("load_statistics", str(test_manifest / "sources.json"), verbosity=1)
    out = capsys.readouterr().out
    assert out.strip() == (
        "small.csv: 3 figures read, 1 written, 0 updated, 0 removed, 0 unchanged; skipped 2: "
        "no portal geography for the code (1: xyz); no value (1)"
    )
    (norway,) = Statistic.objects.filter(release__edition="test edition")
    assert (norway.geography.code, norway.year, norway.value) == ("NOR", 2019, 98.0)


def test_formulas_are_plain_arithmetic_only():
    assert evaluate_formula("=170.77*(1000/12)") == pytest.approx(14230.8333)
    assert evaluate_formula("=-2+3*4") == 10
    for formula in (
        "=__import__('os').system('true')",
        "=SUM(A1:A3)",
        "=A1*2",
        "=2**10",
        "=(1).real",
        "='1'+'2'",
        "=1/0",
        "=[1][0]",
    ):
        with pytest.raises(ValueError):
            evaluate_formula(formula)


def test_gci_names_are_matched_to_un_names_and_the_unmatched_listed(db, tmp_path, capsys):
    manifest = json.loads(DEFAULT_MANIFEST.read_text())
    (gci,) = [entry for entry in manifest["files"] if entry["reader"] == "editions_csv"]
    real = StatisticsLoader(DEFAULT_MANIFEST)
    real.load_all()  # (unchanged) fills real.series and real.geographies
    report = real.load_file(gci)
    print("GCI names not matched:", report.unmatched_names)
    assert report.unmatched_names == []  # every name matched, 18 through the alias table
    assert len(gci["aliases"]) == 18
    assert figures("gci-score", "NOR", 2024) == {("ITU", "GCI 2024"): (97.01, False)}

    shutil.copy(DEFAULT_SERIES, tmp_path / "series.json")
    lines = [
        "Country,2014,Globa Rank,2017,Global Rank,2018,Global Rank,2020,Global Rank,2024,Rank,",
        "Norway,0.5,1,0.6,2,0.7,3,90,4,97.01,5,",
        "Atlantis,0.1,9,0.2,9,0.3,9,10,9,20,9,",
    ]
    (tmp_path / gci["file"]).write_text("\n".join(lines) + "\n")
    manifest["files"] = [gci]
    (tmp_path / "sources.json").write_text(json.dumps(manifest))
    (report,), failures = StatisticsLoader(tmp_path / "sources.json").load_all()
    assert failures == [] and report.unmatched_names == ["Atlantis"]
    assert "name not matched (5: Atlantis)" in str(report)
