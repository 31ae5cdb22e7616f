"""Risk monitoring (issue 17): administrators record each strategic risk's yearly assessment; the
public risks page shows the latest ones as a heat map, with a table alternative, and each
risk's history."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from risks.models import Risk, RiskAssessment, severity
from tests.personas import make_persona

pytestmark = pytest.mark.django_db

RISKS_PAGE = "/{language}/plans/2020-2023/risks/"


@pytest.mark.parametrize(
    "likelihood, impact, band",
    [
        (1, 1, "low"),
        (2, 2, "low"),
        (1, 5, "medium"),
        (3, 3, "medium"),
        (2, 5, "high"),
        (4, 4, "high"),
        (4, 5, "very-high"),
        (5, 5, "very-high"),
    ],
)
def test_severity_bands_of_the_five_by_five_matrix(likelihood, impact, band):
    assert severity(likelihood, impact) == band


def assess(risk, year, likelihood, impact, **extra) -> RiskAssessment:
    return RiskAssessment.objects.create(
        risk=risk,
        year=year,
        likelihood=likelihood,
        impact=impact,
        trend=extra.pop("trend", "steady"),
        owner_en=extra.pop("owner_en", "General Secretariat"),
        mitigation_status=extra.pop("mitigation_status", "under_way"),
        **extra,
    )


def test_an_assessment_outside_the_scale_is_refused_with_a_message(plan):
    risk = Risk.objects.get(plan=plan, number=1)
    assessment = RiskAssessment(
        risk=risk,
        year=2023,
        likelihood=6,
        impact=0,
        trend="rising",
        owner_en="GS",
        mitigation_status="in_place",
    )
    with pytest.raises(ValidationError) as refused:
        assessment.full_clean()
    assert "likelihood" in refused.value.message_dict and "impact" in refused.value.message_dict
    with transaction.atomic(), pytest.raises(IntegrityError):
        assessment.save()  # the database refuses it too


def test_one_assessment_per_risk_and_year(plan):
    risk = Risk.objects.get(plan=plan, number=1)
    assess(risk, 2023, 3, 4)
    with transaction.atomic(), pytest.raises(IntegrityError):
        assess(risk, 2023, 2, 2)


def test_latest_per_risk_takes_each_risks_newest_year(plan):
    first, second = Risk.objects.filter(plan=plan, number__in=[1, 2]).order_by("number")
    assess(first, 2022, 2, 2)
    newest = assess(first, 2023, 4, 5)
    only = assess(second, 2021, 1, 3)
    assert RiskAssessment.objects.latest_per_risk(plan) == {first.pk: newest, second.pk: only}


def test_administrator_records_an_assessment_in_the_admin(plan):
    administrator = make_persona("administrator")
    client = Client()
    client.force_login(administrator)
    risk = Risk.objects.get(plan=plan, number=3)
    data = {
        "risk": risk.pk,
        "year": "2023",
        "likelihood": "4",
        "impact": "5",
        "trend": "rising",
        "owner_en": "General Secretariat",
        "owner_ar": "الأمانة العامة",
        "mitigation_status": "under_way",
        "note_en": "Budget pressure grew.",
    }
    for language in ("es", "fr", "ru", "zh_hans"):
        data.update({f"owner_{language}": "", f"note_{language}": ""})
    data["note_ar"] = ""
    response = client.post(reverse("admin:risks_riskassessment_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = RiskAssessment.objects.get(risk=risk, year=2023)
    assert (saved.score, saved.severity, saved.assessed_by) == (20, "very-high", administrator)
    assert saved.history.count() == 1  # who changed what
    # a likelihood of 7 is refused with the field's message, nothing saved
    refused = client.post(
        reverse("admin:risks_riskassessment_add"), {**data, "year": "2022", "likelihood": "7"}
    )
    assert refused.status_code == 200
    assert "likelihood" in refused.context["adminform"].form.errors
    assert not RiskAssessment.objects.filter(risk=risk, year=2022).exists()


@pytest.mark.parametrize("persona", ["editor_i", "reviewer_d", "reporter_d"])
def test_only_administrators_record_assessments(persona, plan):
    client = Client()
    client.force_login(make_persona(persona))
    assert client.get(reverse("admin:risks_riskassessment_add")).status_code == 403


def test_risks_page_shows_the_heat_map_its_table_and_each_risks_history(
    plan, visitor, django_assert_max_num_queries
):
    first, second = Risk.objects.filter(plan=plan, number__in=[1, 2]).order_by("number")
    assess(first, 2022, 2, 3, trend="rising", note_en="Earlier view")
    assess(first, 2023, 4, 5, trend="rising", note_en="Budget pressure grew")
    assess(second, 2023, 1, 2, trend="falling", mitigation_status="effective")
    with django_assert_max_num_queries(4):
        html = visitor.get(RISKS_PAGE.format(language="en")).content.decode()
    heat_map = html.split('class="heat-map"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><th scope=\"row\">Impact (\d)</th>(.*?)</tr>", heat_map)
    assert [impact for impact, _cells in rows] == ["5", "4", "3", "2", "1"]
    cells = {
        impact: re.findall(r"<td class=\"severity-([\w-]+)\">(.*?)</td>", row)
        for impact, row in rows
    }
    # risk 1 at likelihood 4, impact 5 (very high); risk 2 at likelihood 1, impact 2 (low)
    assert cells["5"][3] == ("very-high", '<a href="#risk-1" class="risk-marker">1</a>')
    assert cells["2"][0] == ("low", '<a href="#risk-2" class="risk-marker">2</a>')
    assert sum(cell.count("risk-marker") for row in cells.values() for _b, cell in row) == 2
    table = html.split('class="latest-assessments"', 1)[1].split("</table>", 1)[0]
    assert "<td>2023</td><td>4</td><td>5</td><td>Very high</td><td>Rising</td>" in table
    assert "<td>Effective</td>" in table
    history = html.split('id="risk-1"', 1)[1].split('id="risk-2"', 1)[0]
    assert history.index("Budget pressure grew") < history.index("Earlier view")  # newest first


def test_risks_page_before_any_assessment_says_so(plan, visitor):
    html = visitor.get(RISKS_PAGE.format(language="en")).content.decode()
    assert "No risk has been assessed yet" in html and 'class="heat-map"' not in html


def test_risks_page_in_arabic_reads_right_to_left_with_the_owner_in_arabic(plan, visitor):
    risk = Risk.objects.get(plan=plan, number=1)
    assess(risk, 2023, 3, 3, owner_ar="الأمانة العامة")
    html = visitor.get(RISKS_PAGE.format(language="ar")).content.decode()
    assert 'dir="rtl"' in html and "الأمانة العامة" in html
