"""The next cycle: copying a plan (service, command, admin action), the draft hidden from the
public, and the comparison of two plans."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from modeltranslation.utils import build_localized_fieldname

from frameworks.models import (
    Enabler,
    FrameworkLevel,
    Goal,
    Objective,
    ObjectiveGoalLink,
    Outcome,
    Output,
    StrategicPlan,
    Target,
    Value,
)
from indicators.models import Indicator
from risks.models import Mitigation, Risk
from workspace import services
from workspace.services import Kind, compare_rows

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh_hans"]


@pytest.fixture
def copy(plan, people):
    return services.plan_copy(source=plan, code="2024-2027", user=people["administrator"])


# (model, how its rows reach the plan, the code that pairs rows, its translated fields)
ELEMENTS = [
    (FrameworkLevel, "plan", ("code",), ("name", "definition")),
    (Value, "plan", ("order",), ("name", "description")),
    (Goal, "plan", ("number",), ("short_name", "name", "description", "note")),
    (Target, "plan", ("code",), ("text", "note")),
    (Objective, "plan", ("code",), ("short_name", "text", "note")),
    (Outcome, "plan", ("code",), ("text", "note")),
    (Output, "plan", ("code",), ("text", "note")),
    (Enabler, "plan", ("code",), ("activity", "contribution", "results")),
    (Risk, "plan", ("number",), ("title", "description")),
    (Mitigation, "risk__plan", ("risk__number", "order"), ("text",)),
    (Indicator, "plan", ("code",), ("name", "definition", "note")),
]


def rows(model, path, key, texts, plan, extra=()):
    columns = [build_localized_fieldname(t, lang) for t in texts for lang in LANGUAGES]
    return {
        tuple(row[k] for k in key): row
        for row in model.objects.filter(**{path: plan}).order_by().values(*key, *columns, *extra)
    }


@pytest.mark.parametrize(
    "model, path, key, texts", ELEMENTS, ids=lambda v: getattr(v, "__name__", "")
)
def test_plan_copy_has_every_element_with_every_translation(model, path, key, texts, plan, copy):
    original = rows(model, path, key, texts, plan)
    copied = rows(model, path, key, texts, copy)
    assert len(original) > 0
    assert copied == original  # same codes, same text in each of the six languages


def test_plan_copy_counts_equal_and_no_observations(plan, copy):
    original, copied = services.plan_contents(plan), services.plan_contents(copy)
    assert original.pop("observations") == 186
    assert copied.pop("observations") == 0
    assert copied == original
    assert copied["goal–SDG target links"] == 213 and copied["indicators"] == 55


def test_plan_copy_links_point_inside_the_copy(plan, copy):
    for target in Target.objects.filter(plan=copy).select_related("goal"):
        assert target.goal.plan_id == copy.pk
    assert set(Target.objects.filter(plan=copy).values_list("code", "data_sources__code")) == set(
        Target.objects.filter(plan=plan).values_list("code", "data_sources__code")
    )
    assert set(Goal.objects.filter(plan=copy).values_list("number", "sdg_targets__code")) == set(
        Goal.objects.filter(plan=plan).values_list("number", "sdg_targets__code")
    )
    assert set(Enabler.objects.filter(plan=copy).values_list("code", "objectives__code")) == set(
        Enabler.objects.filter(plan=plan).values_list("code", "objectives__code")
    )
    assert (
        not Enabler.objects.filter(plan=copy)
        .exclude(objectives__plan=copy)
        .filter(objectives__isnull=False)
    )
    for indicator in Indicator.objects.filter(plan=copy).select_related("target", "outcome"):
        assert indicator.target.plan_id == copy.pk
        assert indicator.outcome is None or indicator.outcome.plan_id == copy.pk
    assert set(copy.custodian_indicators.values_list("code", flat=True)) == set(
        plan.custodian_indicators.values_list("code", flat=True)
    )


def test_plan_copy_copies_objective_goal_links(plan, people):
    ObjectiveGoalLink.objects.create(
        objective=Objective.objects.get(plan=plan, code="D.1"),
        goal=Goal.objects.get(plan=plan, number=2),
        kind="primary",
    )
    copy = services.plan_copy(source=plan, code="2024-2027")
    link = ObjectiveGoalLink.objects.get(objective__plan=copy)
    assert (link.objective.code, link.goal.number, link.goal.plan_id) == ("D.1", 2, copy.pk)


def test_plan_copy_is_a_draft_of_the_next_period_with_history(plan, copy, people):
    assert (copy.code, copy.status, copy.period_start, copy.period_end) == (
        "2024-2027",
        "draft",
        2024,
        2027,
    )
    assert copy.title_zh_hans == "国际电联2024-2027年战略规划"
    record = Target.objects.get(plan=copy, code="1.2").history.get()
    assert record.history_user == people["administrator"]
    assert record.history_change_reason == "copied from 2020-2023"
    assert Target.objects.get(plan=copy, code="1.2").version == 1


def test_plan_copy_titles_the_copy_with_its_own_period_in_every_language(plan, copy):
    assert {language: getattr(copy, f"title_{language}") for language in LANGUAGES} == {
        "ar": "الخطة الاستراتيجية للاتحاد الدولي للاتصالات للفترة 2024–2027",
        "en": "ITU Strategic Plan 2024–2027",
        "es": "Plan Estratégico de la UIT para 2024–2027",
        "fr": "Plan stratégique de l'UIT pour la période 2024-2027",
        "ru": "Стратегический план МСЭ на 2024–2027 годы",
        "zh_hans": "国际电联2024-2027年战略规划",
    }
    assert copy.title == "ITU Strategic Plan 2024–2027"  # the default language's
    assert copy.edition_fr.startswith("Projet, copié du plan 2020-2023 le ")
    assert "2018" not in copy.edition_en  # not the source's edition


def test_plan_copy_takes_a_given_title_and_asks_for_one_it_cannot_derive(plan):
    plan.title_ru = "Стратегический план МСЭ"  # names no period
    plan.save()
    with pytest.raises(services.PlanCopyError, match="does not name its period in ru"):
        services.plan_copy(source=plan, code="2024-2027")
    copy = services.plan_copy(
        source=plan, code="2024-2027", titles={"ru": "Стратегический план МСЭ на 2024–2027 годы"}
    )
    assert copy.title_ru == "Стратегический план МСЭ на 2024–2027 годы"
    with pytest.raises(services.PlanCopyError, match="Unknown language xx"):
        services.copy_titles(plan, (2024, 2027), {"xx": "A plan"})


@pytest.mark.parametrize(
    "code, message",
    [
        ("2020-2023", "exists already"),
        ("2024-27", "is not a plan code"),
        ("2028-2031", "its code must be 2024-2027"),
    ],
)
def test_plan_copy_refuses_a_bad_code(code, message, plan):
    with pytest.raises(services.PlanCopyError, match=message):
        services.plan_copy(source=plan, code=code)
    assert StrategicPlan.objects.count() == 1


def test_copy_plan_command_reports_counts(plan, capsys):
    call_command("copy_plan", "2020-2023", "2024-2027")
    out = capsys.readouterr().out
    assert "Copied 2020-2023 into the draft 2024-2027 (2024–2027)" in out
    assert "26 targets" in out and "55 indicators" in out and "0 observations" in out
    assert StrategicPlan.objects.get(code="2024-2027").status == "draft"
    assert "title (en): ITU Strategic Plan 2024–2027" in out
    assert "title (zh-hans): 国际电联2024-2027年战略规划" in out


def test_copy_plan_command_takes_titles(plan, capsys):
    call_command("copy_plan", "2020-2023", "2024-2027", "--title", "en=Strategic Plan of ITU")
    assert "title (en): Strategic Plan of ITU" in capsys.readouterr().out
    with pytest.raises(CommandError, match="use LANGUAGE=TITLE"):
        call_command("copy_plan", "2020-2023", "2024-2027", "--title", "Strategic Plan")


@pytest.mark.parametrize(
    "source, code, message",
    [
        ("2020-2023", "2020-2023", "exists already"),
        ("2020-2023", "next", "is not a plan code"),
        ("1990-1993", "1994-1997", "No plan has the code '1990-1993'"),
    ],
)
def test_copy_plan_command_errors(source, code, message, plan):
    with pytest.raises(CommandError, match=message):
        call_command("copy_plan", source, code)


def test_admin_action_copies_a_plan(plan, client_of):
    client = client_of("administrator")
    response = client.post(
        reverse("admin:frameworks_strategicplan_changelist"),
        {"action": "copy_into_next_cycle", "_selected_action": [plan.pk]},
        follow=True,
    )
    assert "2020-2023 was copied into the draft 2024-2027: 5 goals, 26 targets" in (
        response.content.decode()
    )
    again = client.post(
        reverse("admin:frameworks_strategicplan_changelist"),
        {"action": "copy_into_next_cycle", "_selected_action": [plan.pk]},
        follow=True,
    )
    assert "A plan with the code 2024-2027 exists already." in again.content.decode()


def test_admin_action_not_offered_to_sector_editors(plan, client_of):
    page = client_of("editor_i").get(reverse("admin:frameworks_strategicplan_changelist"))
    actions = dict(page.context["action_form"].fields["action"].choices)
    assert "copy_into_next_cycle" in actions  # intersectoral editors add plans
    assert (
        client_of("editor_d")
        .get(reverse("admin:frameworks_strategicplan_changelist"))
        .context["cl"]
        .result_count
        == 0
    )


@pytest.mark.parametrize(
    "address",
    [
        "/en/plans/2024-2027/",
        "/en/plans/2024-2027/targets/1.2/",
        "/en/plans/2024-2027/risks/",
        "/api/v1/plans/2024-2027/",
        "/api/v1/plans/2024-2027/targets/",
    ],
)
def test_draft_copy_is_hidden_from_the_public_and_shown_to_staff(address, copy, visitor, client_of):
    assert visitor.get(address).status_code == 404
    assert client_of("no_role").get(address).status_code == 404
    assert client_of("editor_d").get(address).status_code == 200


# --- comparison ----------------------------------------------------------------------------------

TARGET = Kind(Target, "Target", "plan", ("code",), ("text",), ("proposed",))


def test_compare_rows_names_added_removed_reworded_and_changed():
    old = {
        "1.1": {"code": "1.1", "text_en": "Same", "proposed": False},
        "1.2": {"code": "1.2", "text_en": "Old words", "text_fr": "Mots", "proposed": False},
        "1.3": {"code": "1.3", "text_en": "Gone", "proposed": False},
        "1.4": {"code": "1.4", "text_en": "Kept", "proposed": False},
    }
    new = {
        "1.1": {"code": "1.1", "text_en": "Same", "proposed": False},
        "1.2": {"code": "1.2", "text_en": "New words", "text_fr": "Mots", "proposed": False},
        "1.4": {"code": "1.4", "text_en": "Kept", "proposed": True},
        "1.10": {"code": "1.10", "text_en": "Fresh", "proposed": False},
    }
    result = compare_rows(TARGET, old, new, "fr")
    assert [(d.code, d.change) for d in result] == [
        ("1.2", "reworded"),
        ("1.3", "removed"),
        ("1.4", "changed"),
        ("1.10", "added"),
    ]
    reworded = result[0].fields[0]
    # unchanged in French (the active language): shown in the language that changed
    assert (reworded.field, reworded.old, reworded.new) == ("text (en)", "Old words", "New words")
    assert result[1].text == "Gone" and result[3].text == "Fresh"
    assert (result[2].fields[0].old, result[2].fields[0].new) == ("no", "yes")


def test_plan_compare_of_a_copy_finds_only_the_edits(plan, copy):
    # before any edit, only the title differs: the copy names its own period
    (title,) = services.plan_compare(plan, copy)
    assert (title.kind, title.change) == ("Plan", "reworded")
    assert (title.fields[0].old, title.fields[0].new) == (
        "ITU Strategic Plan 2020–2023",
        "ITU Strategic Plan 2024–2027",
    )
    Target.objects.filter(plan=copy, code="1.2").update(text_en="Universal connectivity by 2027")
    Target.objects.filter(plan=copy, code="1.3").delete()
    Objective.objects.create(
        plan=copy,
        sector=Objective.objects.get(plan=plan, code="D.1").sector,
        code="D.6",
        order=6,
        short_name="New",
        text_en="A new objective",
    )
    differences = {(d.kind, d.code): d for d in services.plan_compare(plan, copy)}
    assert differences[("Target", "1.2")].change == "reworded"
    assert differences[("Target", "1.2")].fields[0].new == "Universal connectivity by 2027"
    assert differences[("Target", "1.3")].change == "removed"
    assert differences[("Objective", "D.6")].change == "added"
    # the indicators of the removed target went with it
    assert differences[("Indicator", "1.3-mobile-broadband-price")].change == "removed"


def test_compare_page_shows_the_differences_in_the_active_language(
    plan, copy, client_of, django_assert_max_num_queries
):
    Target.objects.filter(plan=copy, code="1.2").update(
        text_en="Universal connectivity by 2027", text_zh_hans="到2027年实现普遍连接"
    )
    client = client_of("editor_d")
    url = reverse("workspace:compare", args=["2020-2023", "2024-2027"])
    with django_assert_max_num_queries(25):
        page = client.get(url)
    content = page.content.decode()
    assert "<ins>Universal connectivity by 2027</ins>" in content
    assert "text (en, zh-hans)" in content
    chinese = client.get(url.replace("/en/", "/zh-hans/")).content.decode()
    assert "<ins>到2027年实现普遍连接</ins>" in chinese


def test_compare_page_unknown_or_hidden_plan_is_404(client_of, visitor, copy):
    assert (
        client_of("editor_d")
        .get(reverse("workspace:compare", args=["2020-2023", "1990-1993"]))
        .status_code
        == 404
    )


def test_workspace_home_offers_the_comparison(copy, client_of):
    client = client_of("editor_d")
    response = client.get(reverse("workspace:home"), {"a": "2020-2023", "b": "2024-2027"})
    assert response.status_code == 302
    assert response.url == reverse("workspace:compare", args=["2020-2023", "2024-2027"])
