"""A target page carries schema.org `Dataset` markup (JSON-LD) that extruct reads, with the
properties search engines require (name, description) and the recommended ones."""

import extruct
import pytest

from frameworks.models import StrategicPlan, Target
from indicators.models import Indicator
from opendata.templatetags.dataset_markup import ld_json_script

pytestmark = pytest.mark.django_db


def dataset_of(page: str) -> dict:
    found = extruct.extract(page, syntaxes=["json-ld"], uniform=True)["json-ld"]
    datasets = [item for item in found if item.get("@type") == "Dataset"]
    assert len(datasets) == 1
    return datasets[0]


def test_a_target_page_describes_its_dataset(visitor, django_assert_max_num_queries):
    plan = StrategicPlan.objects.current()
    target = Target.objects.get(plan=plan, code="1.2")
    indicators = list(Indicator.objects.filter(target=target))
    years = sorted(
        {y for i in indicators for y in i.observations.approved().values_list("year", flat=True)}
    )
    address = f"/en/plans/{plan.code}/targets/1.2/"
    page = visitor.get(address).content.decode()
    dataset = dataset_of(page)
    assert dataset["name"] == f"Target 1.2 — ITU Strategic Plan {plan.code}"
    assert dataset["description"] == target.text
    assert dataset["url"] == f"http://testserver{address}"
    assert dataset["license"].startswith("https://www.itu.int/")
    assert dataset["creator"]["name"] == "International Telecommunication Union"
    assert dataset["publisher"]["@type"] == "Organization"
    assert dataset["temporalCoverage"] == f"{years[0]}/{years[-1]}"
    assert {"@type": "Place", "name": "World"} in dataset["spatialCoverage"]
    assert [v["name"] for v in dataset["variableMeasured"]] == [i.name for i in indicators]
    assert {(d["encodingFormat"], d["contentUrl"]) for d in dataset["distribution"]} == {
        ("text/csv", f"http://testserver{address}download.csv"),
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"http://testserver{address}download.xlsx",
        ),
        ("application/json", f"http://testserver{address}download.json"),
    }
    for download in dataset["distribution"]:
        assert visitor.get(download["contentUrl"]).status_code == 200


def test_the_markup_is_in_the_pages_language(visitor):
    plan = StrategicPlan.objects.current()
    dataset = dataset_of(visitor.get(f"/fr/plans/{plan.code}/targets/1.2/").content.decode())
    assert dataset["name"].startswith("Cible 1.2")
    assert dataset["inLanguage"] == "fr"


def test_no_value_can_close_the_script_element():
    markup = ld_json_script({"name": "</script><script>alert(1)</script> & more"})
    assert markup.count("</script>") == 1
    assert "\\u003C/script\\u003E" in markup and "\\u0026" in markup
