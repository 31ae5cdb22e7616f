"""The loaded plan is complete and faithful to the seed: every count and code, both languages."""

import re

import pytest
from django.core.management import call_command
from modeltranslation.translator import translator

from frameworks import models
from risks.models import Mitigation, Risk

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")
LEFTOVERS = re.compile(r"\[bookmark:|footnoteRef|\[\d+:\s|\t|《《|》》")


def test_plan_counts_match_the_seed(plan):
    in_plan = {"plan": plan}
    assert models.Value.objects.filter(**in_plan).count() == 5
    assert models.Goal.objects.filter(**in_plan).count() == 5
    assert models.Target.objects.filter(**in_plan).count() == 26
    assert models.Target.objects.filter(**in_plan, proposed=True).count() == 12
    assert models.Objective.objects.filter(**in_plan).count() == 18
    assert models.Outcome.objects.filter(**in_plan).count() == 64
    assert models.Output.objects.filter(**in_plan).count() == 70
    assert models.Enabler.objects.filter(**in_plan).count() == 31
    assert Risk.objects.filter(**in_plan).count() == 6
    assert Mitigation.objects.filter(risk__plan=plan).count() == 19
    assert models.WsisContribution.objects.filter(**in_plan).count() == 11
    assert models.SdgContribution.objects.filter(**in_plan).count() == 17
    assert models.FrameworkLevel.objects.filter(**in_plan).count() == 6


def test_plan_codes_follow_one_pattern(plan):
    targets = list(models.Target.objects.filter(plan=plan).values_list("code", flat=True))
    assert targets[:9] == [f"1.{n}" for n in range(1, 10)]
    assert targets[-2:] == ["4.1", "5.1"]
    objectives = list(models.Objective.objects.filter(plan=plan).values_list("code", flat=True))
    assert objectives == [
        "R.1",
        "R.2",
        "R.3",
        "T.1",
        "T.2",
        "T.3",
        "T.4",
        "T.5",
        "D.1",
        "D.2",
        "D.3",
        "D.4",
        "I.1",
        "I.2",
        "I.3",
        "I.4",
        "I.5",
        "I.6",
    ]
    outcomes = set(models.Outcome.objects.filter(plan=plan).values_list("code", flat=True))
    assert all(re.fullmatch(r"[RTDI]\.\d-[a-z]", code) for code in outcomes)
    # the seed's typos, normalised
    assert {"D.4-a", "D.1-e", "I.1-d"} <= outcomes
    outputs = set(models.Output.objects.filter(plan=plan).values_list("code", flat=True))
    assert all(re.fullmatch(r"[RTDI]\.\d-\d", code) for code in outputs)
    assert "I.1-4" in outputs  # the real fourth output of I.1


def test_plan_proposed_targets_are_those_marked_in_the_seed(plan):
    proposed = set(
        models.Target.objects.filter(plan=plan, proposed=True).values_list("code", flat=True)
    )
    assert proposed == {
        "1.4",
        "1.5",
        "1.6",
        "1.7",
        "1.8",
        "1.9",
        "2.10",
        "3.3",
        "3.4",
        "3.5",
        "4.1",
        "5.1",
    }


def test_plan_targets_carry_their_data_sources(plan):
    def sources(code):
        target = models.Target.objects.get(plan=plan, code=code)
        return sorted(target.data_sources.values_list("code", flat=True))

    assert sources("1.1") == ["ITU"]
    assert sources("1.5") == ["UNCTAD"]
    assert sources("1.9") == ["WB"]
    assert sources("3.2") == ["ITU", "UNU"]
    assert sources("3.4") == ["IPCC"]


def test_plan_ships_no_objective_goal_links(plan):
    """Table 3 lost its ticks: staff record links; none are guessed."""
    assert not models.ObjectiveGoalLink.objects.filter(objective__plan=plan).exists()


def test_plan_wsis_and_sdg_counts(plan):
    wsis = {
        row.action_line.code: (row.outputs, row.activities)
        for row in models.WsisContribution.objects.filter(plan=plan).select_related("action_line")
    }
    assert wsis["C2"] == (27, 76)
    assert wsis["C11"] == (19, 32)
    assert wsis["C8"] == wsis["C9"] == wsis["C10"] == (None, None)
    sdg9 = models.SdgContribution.objects.get(plan=plan, sdg__number=9)
    assert (sdg9.outputs, sdg9.activities) == (41, 117)
    custodian = set(plan.custodian_indicators.values_list("code", flat=True))
    assert custodian == {"4.4.1", "5.b.1", "9.c.1", "17.6.2", "17.8.1"}


def test_plan_goals_link_sdg_targets(plan):
    growth = models.Goal.objects.get(plan=plan, number=1)
    codes = list(growth.sdg_targets.values_list("code", flat=True))
    assert codes[0] == "1.4"
    assert "9.c" in codes and "17.6" in codes
    assert all(code == code.lower() for code in codes)


def test_plan_enablers_support_objectives(plan):
    bdt = models.Enabler.objects.get(plan=plan, code="BDT-1")
    assert sorted(bdt.objectives.values_list("code", flat=True)) == ["D.1", "D.2", "D.3", "D.4"]
    management = models.Enabler.objects.get(plan=plan, code="GS-1")
    assert management.supports_all_objectives
    assert models.Enabler.objects.filter(plan=plan, provider="GS").count() == 18


def _translated_rows():
    for model in translator.get_registered_models():
        if model.__module__.startswith(("frameworks", "risks")):
            fields = translator.get_options_for_model(model).get_field_names()
            yield model, fields


def test_plan_every_text_in_chinese_and_english_without_leftovers(plan):
    optional = {"note", "sources", "values_intro", "contact"}
    for model, fields in _translated_rows():
        for row in model.objects.values(
            "pk", *[f"{f}_en" for f in fields], *[f"{f}_zh_hans" for f in fields]
        ):
            for field in fields:
                english, chinese = row[f"{field}_en"] or "", row[f"{field}_zh_hans"] or ""
                where = f"{model.__name__} {row['pk']} {field}"
                if field in optional and not english and not chinese:
                    continue
                assert english.strip(), f"{where}: no English"
                assert chinese.strip(), f"{where}: no Chinese"
                assert not CJK.search(english), f"{where}: Chinese in the English text"
                assert not LEFTOVERS.search(chinese), f"{where}: conversion leftover"


def test_plan_chinese_is_the_seeds_text(plan):
    assert plan.vision_zh_hans.startswith("“将一个由互连世界赋能的信息社会")
    target = models.Target.objects.get(plan=plan, code="1.2")
    assert target.text_zh_hans == "全球65%的人口将于2023年用上互联网"
    assert models.Target.objects.get(plan=plan, code="2.1").text_en == (
        "By 2023, in the developing world, 60% of households should have access to the Internet"
    )
    # square brackets around text under negotiation are content
    goal3 = models.Goal.objects.get(plan=plan, number=3)
    assert "[的安全性]" in goal3.description_zh_hans


def test_plan_footnotes_become_notes(plan):
    goal2 = models.Goal.objects.get(plan=plan, number=2)
    assert "A/RES/70/1" in goal2.note_zh_hans
    assert "A/RES/70/1" in goal2.note_en


def test_plan_records_its_edition(plan):
    assert "草案" in plan.edition_zh_hans
    assert "draft" in plan.edition_en.lower()


def test_make_data_twice_changes_nothing(plan, capsys):
    from tests.conftest import load_everything

    counts = _history_counts()
    load_everything()
    assert _history_counts() == counts
    call_command("load_plan", "fixtures/plans/2020-2023.json")
    assert "nothing to change" in capsys.readouterr().out


def _history_counts():
    from indicators.models import Observation

    return {
        model.__name__: model.history.count()
        for model in (models.Goal, models.Target, models.Outcome, models.Enabler, Risk, Observation)
    }


def test_load_plan_keeps_staff_edits(plan):
    target = models.Target.objects.get(plan=plan, code="1.1")
    target.text_en = "Edited by staff"
    target.save()
    call_command("load_plan", "fixtures/plans/2020-2023.json", verbosity=0)
    target.refresh_from_db()
    assert target.text_en == "Edited by staff"


@pytest.mark.parametrize("language", ["ar", "es", "fr", "ru"])
def test_plan_every_text_in_the_other_un_languages(plan, language):
    """Every text that exists in English has its translation, without Chinese left in it."""
    column = language.replace("-", "_")
    for model, fields in _translated_rows():
        values = [f"{f}_en" for f in fields] + [f"{f}_{column}" for f in fields]
        for row in model.objects.values("pk", *values):
            for field in fields:
                if not (row[f"{field}_en"] or "").strip():
                    continue
                where = f"{model.__name__} {row['pk']} {field} [{language}]"
                text = row[f"{field}_{column}"] or ""
                assert text.strip(), f"{where}: missing"
                assert not CJK.search(text), f"{where}: Chinese in the translation"


# --- corrections from a side-by-side reading of the Chinese and its translations ---------------

R1_SHORT_NAMES = {
    "zh_hans": "频谱规则",
    "en": "Spectrum rules",
    "fr": "Règles relatives au spectre",
    "es": "Normas sobre el espectro",
    "ru": "Правила использования спектра",
    "ar": "قواعد الطيف",
}
# the name of the treaty, which R.1's short name must not take
RADIO_REGULATIONS = {
    "en": "Radio Regulations",
    "fr": "Règlement des radiocommunications",
    "es": "Reglamento de Radiocomunicaciones",
    "ru": "Регламент радиосвязи",
    "ar": "لوائح الراديو",
}


def test_r1_short_name_is_spectrum_rules_not_the_treaty(plan):
    r1 = models.Objective.objects.get(plan=plan, code="R.1")
    assert {column: getattr(r1, f"short_name_{column}") for column in R1_SHORT_NAMES} == (
        R1_SHORT_NAMES
    )
    for column, treaty in RADIO_REGULATIONS.items():
        assert treaty.lower() not in getattr(r1, f"short_name_{column}").lower()


def test_target_3_3_counts_countries_in_every_language_as_the_chinese(plan):
    target = models.Target.objects.get(plan=plan, code="3.3")
    assert "国家的数量" in target.text_zh_hans
    assert target.text_en.startswith("By 2023, the number of countries with e-waste legislation")
    assert "el número de países" in target.text_es
    assert "le nombre de pays" in target.text_fr and "proportion" not in target.text_fr
    assert "число стран" in target.text_ru and "доля" not in target.text_ru
    assert "عدد البلدان" in target.text_ar and "نسبة" not in target.text_ar


def test_load_plan_overwrite_brings_the_corrections_to_an_existing_database(plan):
    r1 = models.Objective.objects.get(plan=plan, code="R.1")
    r1.short_name_en, r1.short_name_ar = "Radio regulations", "لوائح الراديو"
    r1.save()
    call_command("load_plan", "fixtures/plans/2020-2023.json", verbosity=0)
    r1.refresh_from_db()
    assert r1.short_name_en == "Radio regulations"  # kept: it may be a staff edit
    call_command("load_plan", "fixtures/plans/2020-2023.json", "--overwrite", verbosity=0)
    r1.refresh_from_db()
    assert (r1.short_name_en, r1.short_name_ar) == ("Spectrum rules", "قواعد الطيف")


@pytest.mark.parametrize(
    ("code", "chinese", "english"),
    [
        ("GS-7", "不定期年度决算审计", "irregular annual audit"),
        ("GS-15", "促进管理服务", "promotion management services"),
    ],
)
def test_enablers_whose_translation_repairs_the_chinese_say_so(plan, code, chinese, english):
    """As R.1-f and T.1-1 do: the translations do not repair the seed's text silently."""
    enabler = models.Enabler.objects.get(plan=plan, code=code)
    assert chinese in enabler.note_zh_hans
    assert english in enabler.note_en
    for language in ("fr", "es", "ru", "ar"):
        assert getattr(enabler, f"note_{language}"), language


def test_load_plan_on_an_empty_database_reports_each_element_once_as_created(plan, capsys):
    # the plan's own rows go (its figures with them); what other plans share stays
    plan.delete()
    call_command("load_plan", "fixtures/plans/2020-2023.json")
    out = capsys.readouterr().out
    assert "created 26 targets" in out
    assert "created 70 outputs" in out
    assert "created 6 strategic risks" in out
    # the language files and the links fill rows made moments before: not "updated"
    assert "updated" not in out.replace("data sources", "")
