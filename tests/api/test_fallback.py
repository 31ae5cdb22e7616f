"""The API says when a text fell back to another language: `Content-Language` names every
language the answer's texts are in, each element names its own fallbacks, the plan's tree counts
them; at no extra query."""

import pytest

from frameworks.models import Goal, Target

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/plans/2020-2023"


def untranslate(target: Target, language: str = "fr") -> str:
    """Empty the target's text in `language`; returns its English text."""
    setattr(target, f"text_{language.replace('-', '_')}", "")
    target.save()
    return target.text_en


def test_a_fully_translated_answer_says_only_its_language(api, plan):
    target = Target.objects.get(plan=plan, code="1.2")
    response = api.get(f"{PLAN}/targets/1.2/", {"lang": "fr"})
    assert response["Content-Language"] == "fr"
    body = response.json()
    assert body["text"] == target.text_fr and body["text"] != target.text_en
    assert body["fallbacks"] == {}


def test_a_text_empty_in_french_comes_in_english_and_the_answer_says_so(api, plan):
    english = untranslate(Target.objects.get(plan=plan, code="1.2"))
    response = api.get(f"{PLAN}/targets/1.2/", {"lang": "fr"})
    assert response["Content-Language"] == "fr, en"
    body = response.json()
    assert body["text"] == english
    assert body["fallbacks"] == {"text": "en"}

    listed = api.get(f"{PLAN}/targets/", {"lang": "fr", "goal": 1})
    assert listed["Content-Language"] == "fr, en"
    rows = {row["code"]: row for row in listed.json()["results"]}
    assert rows["1.2"]["fallbacks"] == {"text": "en"}
    assert rows["1.1"]["fallbacks"] == {}

    # other languages are not affected
    spanish = api.get(f"{PLAN}/targets/1.2/", {"lang": "es"})
    assert spanish["Content-Language"] == "es" and spanish.json()["fallbacks"] == {}


def test_a_cached_answer_keeps_its_fallback_languages(api, plan):
    untranslate(Target.objects.get(plan=plan, code="1.2"))
    first = api.get(f"{PLAN}/targets/1.2/", {"lang": "fr"})
    again = api.get(f"{PLAN}/targets/1.2/", {"lang": "fr"})
    assert first["Content-Language"] == again["Content-Language"] == "fr, en"
    not_modified = api.get(f"{PLAN}/targets/1.2/", {"lang": "fr"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified["Content-Language"] == "fr, en"


def test_english_falls_back_to_chinese(api, plan):
    goal = Goal.objects.get(plan=plan, number=1)
    goal.short_name_en = ""
    goal.save()
    response = api.get(f"{PLAN}/goals/1/", {"lang": "en"})
    assert response["Content-Language"] == "en, zh-hans"
    assert response.json()["short_name"] == goal.short_name_zh_hans
    assert response.json()["fallbacks"] == {"short_name": "zh-hans"}


def test_the_tree_counts_its_fallbacks(api, plan):
    before = api.get(f"{PLAN}/tree/", {"lang": "fr"})
    counted = before.json()["fallbacks"]
    expected_header = ", ".join(["fr", *(["en"] if counted.get("en") else [])])
    assert before["Content-Language"] == expected_header

    english = untranslate(Target.objects.get(plan=plan, code="1.2"))
    after = api.get(f"{PLAN}/tree/", {"lang": "fr"})
    document = after.json()
    assert document["fallbacks"] == {**counted, "en": counted.get("en", 0) + 1}
    assert after["Content-Language"] == "fr, en"
    goal = next(goal for goal in document["goals"] if goal["number"] == 1)
    assert next(t for t in goal["targets"] if t["code"] == "1.2")["text"] == english
    # the language columns read for the count stay out of the document
    assert set(goal["targets"][0]) == {"code", "proposed", "text", "note", "data_sources"}


def test_a_fully_translated_tree_says_only_its_language(api, plan):
    body = api.get(f"{PLAN}/tree/", {"lang": "zh-hans"})
    # the Chinese is the plan's own text: nothing falls back
    assert body.json()["fallbacks"] == {}
    assert body["Content-Language"] == "zh-hans"


@pytest.mark.parametrize(
    ("url", "most"),
    [
        (f"{PLAN}/targets/", 5),
        (f"{PLAN}/targets/1.2/", 4),
        (f"{PLAN}/goals/", 5),
        (f"{PLAN}/tree/", 20),
        ("/api/v1/geographies/", 3),
    ],
)
def test_saying_so_costs_no_query(api, plan, django_assert_max_num_queries, url, most):
    untranslate(Target.objects.get(plan=plan, code="1.2"))
    with django_assert_max_num_queries(most):
        response = api.get(url, {"lang": "fr"})
    assert response.status_code == 200


def test_the_schema_documents_the_signal(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    target = schema["components"]["schemas"]["Target"]["properties"]["fallbacks"]
    assert "language asked for" in target["description"]
    lang = next(
        parameter
        for parameter in schema["paths"]["/api/v1/plans/{plan}/targets/"]["get"]["parameters"]
        if parameter["name"] == "lang"
    )
    assert "Content-Language" in lang["description"] and '"fr, en"' in lang["description"]


def test_progress_rows_say_which_texts_fell_back(api, plan):
    english = untranslate(Target.objects.get(plan=plan, code="1.2"))
    response = api.get(f"{PLAN}/progress/", {"lang": "fr"})
    assert response["Content-Language"] == "fr, en"
    rows = {row["target"]: row for row in response.json()["results"]}
    assert rows["1.2"]["text"] == english and rows["1.2"]["fallbacks"] == {"text": "en"}
    assert rows["1.1"]["fallbacks"] == {}
    assert api.get(f"{PLAN}/progress/", {"lang": "es"})["Content-Language"] == "es"
