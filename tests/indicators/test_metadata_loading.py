"""The loaders read the SDG metadata: an indicator's computation method, disaggregation and
comparability (indicators.json in en and zh-hans, indicators.<lang>.json in the other languages),
a data source's contact (translated) and web address (the plan file)."""

import json
from pathlib import Path

import pytest

from frameworks.loading import load_plan_file
from frameworks.models import DataSource
from indicators.loading import load_indicator_files
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
INDICATORS = ROOT / "fixtures" / "indicators"
PLAN_FILE = ROOT / "fixtures" / "plans" / "2020-2023.json"
FIELDS = ("computation_method", "disaggregation", "comparability")


def read(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_indicator_has_its_metadata_in_the_six_languages(plan):
    rows = read(INDICATORS / "indicators.json")
    overlays = {
        lang: read(INDICATORS / f"indicators.{lang}.json") for lang in ("ar", "es", "fr", "ru")
    }
    stored = {indicator.code: indicator for indicator in Indicator.objects.filter(plan=plan)}
    assert len(rows) == len(stored) == 55
    for row in rows:
        indicator = stored[row["code"]]
        for field in FIELDS:
            assert getattr(indicator, f"{field}_en") == row[field]["en"]
            assert getattr(indicator, f"{field}_zh_hans") == row[field]["zh-hans"]
            for language, overlay in overlays.items():
                assert getattr(indicator, f"{field}_{language}") == overlay[row["code"]][field]
    internet_use = stored["1.2-internet-use"]
    assert "SDG indicator 17.8.1" in internet_use.computation_method_en
    assert "17.8.1" in internet_use.computation_method_ru


def test_data_sources_carry_their_contact_and_web_address():
    sources = {source.code: source for source in DataSource.objects.all()}
    itu = sources["ITU"]
    assert itu.contact_en == (
        "ITU Telecommunication Development Bureau (BDT), ICT Data and Analytics Division"
    )
    assert itu.contact_fr.startswith("Bureau de développement des télécommunications (BDT)")
    assert itu.contact_zh_hans.startswith("国际电联电信发展局")
    assert itu.url == "https://www.itu.int/en/ITU-D/Statistics/Pages/SDGs-ITU-ICT-indicators.aspx"
    assert sources["WB"].url == "https://www.worldbank.org/en/publication/globalfindex"
    # no address is known for these: none is made up
    assert sources["UNCTAD"].url == sources["IPCC"].url == ""
    for source in sources.values():
        for language in ("en", "zh_hans", "ar", "es", "fr", "ru"):
            assert getattr(source, f"contact_{language}"), (source.code, language)


def test_loading_changed_metadata_keeps_staff_text_unless_overwriting(plan, tmp_path):
    rows = read(INDICATORS / "indicators.json")
    row = next(r for r in rows if r["code"] == "1.2-internet-use")
    row["disaggregation"]["en"] = "By sex only."
    copy = tmp_path / "indicators.json"
    copy.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    geographies = INDICATORS / "geographies.json"

    kept = load_indicator_files(geographies, copy, plan=plan)
    indicator = Indicator.objects.get(plan=plan, code="1.2-internet-use")
    assert indicator.disaggregation_en.startswith("By sex, age group")
    assert Indicator not in kept.updated

    report = load_indicator_files(geographies, copy, plan=plan, overwrite=True)
    indicator.refresh_from_db()
    assert indicator.disaggregation_en == "By sex only."
    assert indicator.disaggregation_zh_hans == row["disaggregation"]["zh-hans"]
    assert len(report.updated[Indicator]) == 1  # the one indicator whose text changed


def test_the_plan_loader_reads_a_data_sources_contact_and_address(tmp_path):
    content = read(PLAN_FILE)
    unctad = next(row for row in content["data_sources"] if row["code"] == "UNCTAD")
    unctad["url"] = "https://unctad.org/"
    unctad["contact"]["en"] = "UNCTAD, ICT Policy Section"
    copy = tmp_path / "2020-2023.json"
    copy.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")

    load_plan_file(copy, overwrite=True)
    source = DataSource.objects.get(code="UNCTAD")
    assert source.url == "https://unctad.org/"
    assert source.contact_en == "UNCTAD, ICT Policy Section"
    assert source.contact_zh_hans == unctad["contact"]["zh-hans"]
    # a file without the keys leaves what is stored
    del unctad["url"], unctad["contact"]
    copy.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    load_plan_file(copy, overwrite=True)
    source.refresh_from_db()
    assert source.url == "https://unctad.org/"
    assert source.contact_en == "UNCTAD, ICT Policy Section"
