"""The objectives page shows each output's latest approved delivery (its words, not a colour
alone) and how many outputs of each sector were delivered each year; indicators.delivery gives
the same numbers to the report."""

import pytest
from django.utils import translation

from frameworks.models import Output
from indicators import delivery, services
from indicators.models import OutputDelivery
from tests.personas import make_persona

pytestmark = pytest.mark.django_db

URL = "/en/plans/2020-2023/objectives/"


@pytest.fixture
def people(db):
    return {name: make_persona(name) for name in ("reporter_d", "reviewer_d")}


def record(plan, people, code, year, state="delivered", *, approve=True, **raw):
    saved = services.delivery_record(
        plan=plan,
        raw={
            "output": code,
            "year": str(year),
            "delivery": state,
            "narrative": f"{code} in {year}.",
            "narrative_language": "en",
            **raw,
        },
        user=people["reporter_d"],
    )
    if approve:
        services.deliveries_review(deliveries=[saved], user=people["reviewer_d"], approve=True)
    return saved


def output_item(html: str, code: str) -> str:
    start = html.index(f'<li id="output-{code}">')
    return html[start : html.index("</li>", start)]


def test_delivered_badge_shows_after_approval_not_before(visitor, plan, people):
    pending = record(plan, people, "D.1-1", 2022, approve=False)
    html = visitor.get(URL).content.decode()
    assert "delivery-delivered" not in output_item(html, "D.1-1")
    services.deliveries_review(deliveries=[pending], user=people["reviewer_d"], approve=True)
    item = output_item(visitor.get(URL).content.decode(), "D.1-1")
    assert 'In 2022: <span class="tag delivery delivery-delivered">Delivered</span>' in item
    assert "D.1-1 in 2022." in item


def test_the_latest_approved_year_is_shown(visitor, plan, people):
    record(plan, people, "D.1-2", 2021, "partly")
    record(plan, people, "D.1-2", 2022, "not_due")
    record(plan, people, "D.1-2", 2023, "delivered", approve=False)
    item = output_item(visitor.get(URL).content.decode(), "D.1-2")
    assert "In 2022:" in item and ">Not due yet</span>" in item and "2021" not in item


def test_arabic_narrative_is_shown_marked_with_its_language(client, plan, people):
    arabic = "سُلّمت مجموعة الأدوات."
    record(plan, people, "D.2-1", 2022, narrative=arabic, narrative_language="ar")
    with translation.override("fr"):
        item = output_item(client.get(URL.replace("/en/", "/fr/")).content.decode(), "D.2-1")
    assert f'<span lang="ar" dir="rtl" class="fallback">{arabic}</span>' in item
    assert "fallback-language" in item


def test_summary_counts_by_sector_and_year(visitor, plan, people):
    itu_d = Output.objects.filter(plan=plan, objective__sector__code="ITU-D").count()
    record(plan, people, "D.1-1", 2022, "delivered")
    record(plan, people, "D.1-2", 2022, "delivered")
    record(plan, people, "D.1-3", 2022, "partly")
    record(plan, people, "D.2-1", 2022, "not_delivered")
    record(plan, people, "D.2-2", 2022, "not_due", approve=False)  # not counted yet
    record(plan, people, "D.1-1", 2021, "partly")
    (row,) = [row for row in delivery.delivery_summary(plan, 2022) if row.sector == "ITU-D"]
    assert row.cells == [2, 1, 1, 0, itu_d - 4]
    summaries = delivery.delivery_summaries(plan)
    assert list(summaries) == [2020, 2021, 2022, 2023]
    assert [r.sector for r in summaries[2021]] == ["ITU-R", "ITU-T", "ITU-D", "intersectoral"]
    html = visitor.get(URL).content.decode()
    cells = "".join(f'<td class="number">{n}</td>' for n in [2, 1, 1, 0, itu_d - 4])
    row_html = (
        '<tr><th scope="row">2022</th>'
        '<th scope="row">Telecommunication Development Sector (ITU-D)</th>'
        f"{cells}</tr>"
    )
    assert row_html in html


def test_page_says_when_nothing_is_recorded(visitor):
    assert "No delivery has been recorded and approved yet." in visitor.get(URL).content.decode()


def test_objectives_page_queries_do_not_grow_with_records(
    visitor, plan, people, django_assert_max_num_queries
):
    for code in ("D.1-1", "D.1-2", "D.2-1", "D.3-1", "D.4-1"):
        for year in (2020, 2021, 2022):
            record(plan, people, code, year)
    with django_assert_max_num_queries(9):
        html = visitor.get(URL).content.decode()
    assert html.count("delivery-delivered") == 5


def test_latest_of_picks_each_outputs_latest_year():
    records = [
        OutputDelivery(output_id=1, year=2021, delivery="partly"),
        OutputDelivery(output_id=1, year=2023, delivery="delivered"),
        OutputDelivery(output_id=2, year=2020, delivery="not_due"),
    ]
    latest = delivery.latest_of(records)
    assert {key: (r.year, r.delivery) for key, r in latest.items()} == {
        1: (2023, "delivered"),
        2: (2020, "not_due"),
    }


def test_tally_counts_and_leaves_the_rest_without_record():
    rows = [("ITU-D", 2022, "delivered"), ("ITU-D", 2022, "delivered"), ("ITU-R", 2021, "partly")]
    result = delivery.tally([("ITU-R", 3), ("ITU-D", 4)], rows, [2021, 2022])
    assert [(r.sector, r.cells) for r in result[2022]] == [
        ("ITU-R", [0, 0, 0, 0, 3]),
        ("ITU-D", [2, 0, 0, 0, 2]),
    ]
    assert result[2021][0].cells == [0, 1, 0, 0, 2]
