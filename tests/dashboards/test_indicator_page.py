"""An indicator's page: its name, the target it measures, its figures, its SDG metadata in the
page's language (English, marked, where a text is not translated), schema.org markup, and a
download with the target download's columns."""

import csv
import io
import re

import extruct
import pytest
from django.utils.html import escape
from openpyxl import load_workbook

from dashboards.downloads import KEYS
from frameworks.models import DataSource
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

CODE = "1.2-internet-use"


def page_of(client, language, plan, code=CODE) -> str:
    response = client.get(f"/{language}/plans/{plan.code}/indicators/{code}/")
    assert response.status_code == 200
    return response.content.decode()


def metadata_entry(page: str, key: str) -> str:
    """The <dd> of one metadata concept (its <div id="metadata-…">)."""
    found = re.search(rf'<div id="metadata-{key}"><dt>.*?</dt><dd>(.*?)</dd></div>', page, re.S)
    assert found, key
    return found.group(1)


def test_the_english_page_names_the_indicator_its_target_and_metadata(visitor, plan):
    indicator = Indicator.objects.get(plan=plan, code=CODE)
    page = page_of(visitor, "en", plan)
    assert "<h1>Individuals using the Internet</h1>" in page
    assert f'href="/en/plans/{plan.code}/targets/1.2/"' in page
    # the metadata, from the database, in the SDG concepts' order
    keys = [
        "definition",
        "unit",
        "computation_method",
        "sources",
        "disaggregation",
        "comparability",
        "status-method",
        "contact",
    ]
    assert re.findall(r'<div id="metadata-([a-z_-]+)">', page) == keys
    for field in ("definition", "computation_method", "disaggregation", "comparability"):
        text = getattr(indicator, f"{field}_en")
        assert text and escape(text) in metadata_entry(page, field)
    assert "SDG indicator 17.8.1" in metadata_entry(page, "computation_method")
    assert metadata_entry(page, "unit") == str(indicator.get_unit_display())
    itu = DataSource.objects.get(code="ITU")
    assert escape(itu.contact_en) in metadata_entry(page, "contact")
    sources = metadata_entry(page, "sources")
    assert f'<a href="{itu.url}" rel="noopener">International Telecommunication Union' in sources
    assert "Facts and Figures 2023" in sources
    assert 'href="/en/method/#statcan"' in metadata_entry(page, "status-method")
    assert "Not yet translated" not in page


def test_the_page_shows_the_chart_and_every_approved_figure(visitor, plan):
    indicator = Indicator.objects.get(plan=plan, code=CODE)
    approved = indicator.observations.approved().count()
    page = page_of(visitor, "en", plan)
    assert 'id="chart-1-2-internet-use"' in page
    assert f"The indicator's {approved} approved figures" in page
    # world Internet use in 2023 (Facts and Figures 2023), the headline's target-year figure
    row = r'<th scope="row">World</th>\s*<td>2023</td>\s*<td[^>]*>(.*?)</td>'
    world_2023 = re.search(row, page)
    assert world_2023 and world_2023.group(1).startswith("67")


def test_the_chinese_page_reads_the_chinese_metadata(visitor, plan):
    indicator = Indicator.objects.get(plan=plan, code=CODE)
    page = page_of(visitor, "zh-hans", plan)
    assert '<html lang="zh-hans" dir="ltr">' in page
    assert indicator.name_zh_hans in page
    for field in ("definition", "computation_method", "disaggregation", "comparability"):
        assert escape(getattr(indicator, f"{field}_zh_hans")) in metadata_entry(page, field)
    assert escape(DataSource.objects.get(code="ITU").contact_zh_hans) in page
    assert 'class="fallback"' not in metadata_entry(page, "computation_method")


def test_an_untranslated_text_is_shown_in_english_and_marked(visitor, plan):
    indicator = Indicator.objects.get(plan=plan, code=CODE)
    Indicator.objects.filter(pk=indicator.pk).update(comparability_ar="")
    page = page_of(visitor, "ar", plan)
    assert '<html lang="ar" dir="rtl">' in page
    comparability = metadata_entry(page, "comparability")
    assert "Not yet translated" in comparability or "لم تُترجم بعد" in comparability
    assert f'<div lang="en" dir="ltr" class="fallback"><p>{escape(indicator.comparability_en)}' in (
        comparability
    )
    # the texts that are translated are in Arabic, unmarked
    if indicator.computation_method_ar:
        method = metadata_entry(page, "computation_method")
        assert escape(indicator.computation_method_ar) in method
        assert "fallback" not in method


def test_the_page_carries_schema_org_dataset_markup(visitor, plan):
    indicator = Indicator.objects.get(plan=plan, code=CODE)
    address = f"/en/plans/{plan.code}/indicators/{CODE}/"
    found = extruct.extract(page_of(visitor, "en", plan), syntaxes=["json-ld"], uniform=True)
    datasets = [item for item in found["json-ld"] if item.get("@type") == "Dataset"]
    assert len(datasets) == 1
    dataset = datasets[0]
    assert dataset["name"] == f"Individuals using the Internet — ITU Strategic Plan {plan.code}"
    assert dataset["description"] == indicator.definition_en
    assert dataset["url"] == f"http://testserver{address}"
    assert [v["name"] for v in dataset["variableMeasured"]] == [indicator.name_en]
    years = sorted(indicator.observations.approved().values_list("year", flat=True))
    assert dataset["temporalCoverage"] == f"{years[0]}/{years[-1]}"
    downloads = {d["contentUrl"] for d in dataset["distribution"]}
    assert downloads == {f"http://testserver{address}download.{f}" for f in ("csv", "xlsx", "json")}
    for url in downloads:
        assert visitor.get(url).status_code == 200


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_download_has_the_target_downloads_columns_and_rows(visitor, plan, language):
    indicator = Indicator.objects.get(plan=plan, code=CODE)
    base = f"/{language}/plans/{plan.code}"
    mine = csv_rows(visitor.get(f"{base}/indicators/{CODE}/download.csv"))
    targets = csv_rows(visitor.get(f"{base}/targets/1.2/download.csv"))
    assert mine[0] == targets[0]
    code_column = KEYS.index("indicator")
    assert mine[1:] == [row for row in targets[1:] if row[code_column] == CODE]
    assert len(mine) - 1 == indicator.observations.approved().count()
    if language == "zh-hans":
        assert indicator.name_zh_hans in {row[2] for row in mine[1:]}


def test_the_workbook_and_json_have_the_same_columns(visitor, plan):
    base = f"/en/plans/{plan.code}"
    workbook = load_workbook(
        io.BytesIO(visitor.get(f"{base}/indicators/{CODE}/download.xlsx").content)
    )
    target_file = visitor.get(f"{base}/targets/1.2/download.xlsx").content
    target_book = load_workbook(io.BytesIO(target_file))
    header = [cell.value for cell in next(workbook.active.iter_rows(max_row=1))]
    assert header == [cell.value for cell in next(target_book.active.iter_rows(max_row=1))]
    document = visitor.get(f"{base}/indicators/{CODE}/download.json").json()
    assert document["indicator"] == CODE and document["target"] == "1.2"
    assert {row["indicator"] for row in document["observations"]} == {CODE}


def test_a_context_indicator_has_no_status_of_its_own(visitor, plan):
    page = page_of(visitor, "en", plan, "2.7-4g-coverage")
    assert '<span class="tag">context</span>' in page
    assert 'id="status-heading"' not in page
    assert "signal of at least LTE/WiMAX (4G)" in metadata_entry(page, "computation_method")


def test_an_indicator_without_figures_says_so(visitor, plan):
    page = page_of(visitor, "en", plan, "5.1-ict-development-programmes")
    assert "No figure has been published for this indicator yet." in page
    assert "ITU output count" in metadata_entry(page, "computation_method")


def test_target_goal_and_plan_pages_link_to_indicator_pages(visitor, plan):
    target_page = visitor.get(f"/en/plans/{plan.code}/targets/1.2/").content.decode()
    for code in Indicator.objects.filter(plan=plan, target__code="1.2").values_list(
        "code", flat=True
    ):
        assert f'href="/en/plans/{plan.code}/indicators/{code}/"' in target_page
    goal_page = visitor.get(f"/en/plans/{plan.code}/goals/1/").content.decode()
    assert f'href="/en/plans/{plan.code}/indicators/{CODE}/"' in goal_page
    plan_page = visitor.get(f"/en/plans/{plan.code}/").content.decode()
    assert f'href="/en/plans/{plan.code}/indicators/{CODE}/"' in plan_page


def test_the_page_reads_a_bounded_number_of_queries(visitor, plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        page_of(visitor, "en", plan)
    with django_assert_max_num_queries(4):
        assert visitor.get(f"/en/plans/{plan.code}/indicators/{CODE}/download.csv").status_code == (
            200
        )


def test_an_unknown_indicator_is_not_found(visitor, plan):
    response = visitor.get(f"/en/plans/{plan.code}/indicators/9.9-nothing/")
    assert response.status_code == 404
    assert "9.9-nothing" in response.content.decode()
    download = visitor.get(f"/en/plans/{plan.code}/indicators/9.9-nothing/download.csv")
    assert download.status_code == 404
    other_format = visitor.get(f"/en/plans/{plan.code}/indicators/{CODE}/download.pdf")
    assert other_format.status_code == 404
    assert visitor.get(f"/en/plans/1999-2000/indicators/{CODE}/").status_code == 404
