"""History: every change recorded (who, when, old and new value per language), read as a diff in
the admin and across the plan, reverted by who may edit; and no edit lost when two people save
the same element in turn."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from frameworks.models import Objective, Target
from indicators import services

from .conftest import form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def history_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def edit(client, obj, **changes):
    data = form_data(client.get(change_url(obj)))
    data.update(changes)
    return client.post(change_url(obj), data)


@pytest.fixture
def target(plan):
    return Target.objects.get(plan=plan, code="1.2")


def test_history_records_who_and_the_old_and_new_value_in_each_language(client_of, people, target):
    old_en, old_fr = target.text_en, target.text_fr
    response = edit(
        client_of("editor_i"), target, text_fr="D'ici à 2023, 65% en ligne", text_en="Changed"
    )
    assert response.status_code == 302
    new, old = target.history.all()[:2]
    assert new.history_user == people["editor_i"] and new.history_type == "~"
    assert (old.text_fr, new.text_fr) == (old_fr, "D'ici à 2023, 65% en ligne")
    assert (old.text_en, new.text_en) == (old_en, "Changed")
    assert new.version == old.version + 1
    assert new.text_zh_hans == old.text_zh_hans == "全球65%的人口将于2023年用上互联网"


def test_history_page_shows_a_diff_per_field_and_language(
    client_of, target, django_assert_max_num_queries
):
    client = client_of("editor_i")
    old_fr = target.text_fr
    edit(client, target, text_fr="Nouveau texte", note_en="A note")
    with django_assert_max_num_queries(25):
        page = client.get(history_url(target))
    assert page.status_code == 200
    [latest] = [r for r in page.context["page_obj"] if getattr(r, "history_delta_changes", None)][
        :1
    ]
    changes = {c["field"]: (c["old"], c["new"]) for c in latest.history_delta_changes}
    assert changes == {
        "Text [fr]": (escape(old_fr), "Nouveau texte"),
        "Note [en]": ("None", "A note"),
    }
    content = page.content.decode()
    assert "<ins>Nouveau texte</ins>" in content and "editor_i" in content


def test_history_revert_by_an_editor_restores_the_earlier_version(client_of, people, target):
    client = client_of("editor_i")
    original = target.history.first()
    edit(client, target, text_en="A wrong edit")
    target.refresh_from_db()
    version = target.version
    url = reverse("admin:frameworks_target_simple_history", args=[target.pk, original.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'value="Revert"' in page.content.decode()
    data = form_data(page)
    assert data["based_on_version"] == str(version)  # the revert applies to what is stored now
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.text_en == original.text_en
    assert target.version == version + 1
    assert target.history.first().history_user == people["editor_i"]


@pytest.mark.parametrize("persona", ["editor_d", "reviewer_d"])
def test_history_revert_refused_outside_the_users_scope(persona, client_of, target):
    original = target.history.first()
    url = reverse("admin:frameworks_target_simple_history", args=[target.pk, original.pk])
    client = client_of(persona)
    assert client.get(url).status_code == 403
    assert client.post(url, {"text_en": "x"}).status_code == 403
    target.refresh_from_db()
    assert target.text_en != "x"


def test_history_revert_view_only_for_editors_of_another_sector(client_of, plan):
    """An ITU-D editor may read R.1's history? No: out of scope is out of sight."""
    objective = Objective.objects.get(plan=plan, code="R.1")
    assert client_of("editor_d").get(history_url(objective)).status_code == 403


def test_history_of_a_figure_is_read_but_never_reverted(client_of, people, submitted):
    services.observation_approve(observation=submitted, user=people["reviewer_d"])
    client = client_of("administrator")
    page = client.get(history_url(submitted))
    content = page.content.decode()
    assert "approved" in content and "reported" in content and "reviewer_d" in content
    first = submitted.history.last()
    url = reverse("admin:indicators_observation_simple_history", args=[submitted.pk, first.pk])
    assert 'value="Revert"' not in client.get(url).content.decode()
    assert client.post(url, {"value": "1"}).status_code == 403


def test_recent_changes_page_lists_who_what_and_which_fields(
    client_of, people, plan, target, submitted, django_assert_max_num_queries
):
    edit(client_of("editor_i"), target, text_fr="Texte révisé")
    edit(client_of("editor_d"), Objective.objects.get(plan=plan, code="D.1"), short_name_en="Net")
    services.observation_approve(observation=submitted, user=people["reviewer_d"])
    client = client_of("reviewer_d")
    with django_assert_max_num_queries(30):
        page = client.get(reverse("workspace:history"))
    changes = page.context["changes"]
    assert [(c.kind, c.element, c.record.history_user.username) for c in changes[:3]] == [
        ("observation", "1.2-internet-use · WLD · 2024 · Facts and Figures 2025", "reviewer_d"),
        ("sector objective", "D.1", "editor_d"),
        ("target", "1.2", "editor_i"),
    ]
    assert changes[1].fields == ["short name [en]"]
    assert changes[2].fields == ["text [fr]"]
    assert set(changes[0].fields) >= {"review status", "reviewed at", "reviewed by"}
    content = page.content.decode()
    assert reverse("admin:frameworks_target_history", args=[target.pk]) in content


def test_recent_changes_page_filters_by_kind(client_of, target):
    edit(client_of("editor_i"), target, text_fr="Texte")
    page = client_of("editor_i").get(reverse("workspace:history"), {"kind": "target"})
    assert {change.kind for change in page.context["changes"]} == {"target"}
    unknown = client_of("editor_i").get(reverse("workspace:history"), {"kind": "nope"})
    assert unknown.status_code == 200 and unknown.context["kind"] is None


# --- no lost edits --------------------------------------------------------------------------------


def test_concurrent_edit_second_save_is_refused_and_keeps_its_input(client_of, plan):
    objective = Objective.objects.get(plan=plan, code="D.1")
    first, second = client_of("editor_d"), client_of("administrator")
    first_form = form_data(first.get(change_url(objective)))
    second_form = form_data(second.get(change_url(objective)))

    first_form["short_name_en"] = "Their short name"
    assert first.post(change_url(objective), first_form).status_code == 302

    second_form["text_en"] = "My new text"
    refused = second.post(change_url(objective), second_form)
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert "Someone else saved this element while you were editing it" in str(
        form.non_field_errors()
    )
    conflicts = {c.field: (c.theirs, c.yours) for c in form.conflicts}
    original_short_name = second_form["short_name_en"]
    assert conflicts == {"short_name_en": ("Their short name", original_short_name)}
    content = refused.content.decode()
    assert "Their short name" in content and "My new text" in content  # nothing lost
    objective.refresh_from_db()
    assert (objective.short_name_en, objective.text_en) == ("Their short name", objective.text_en)
    assert objective.text_en != "My new text"

    # Saving the form shown again is a deliberate choice, based on what is stored now.
    again = form_data(refused)
    again["short_name_en"] = "Their short name"  # the user keeps their colleague's change
    assert second.post(change_url(objective), again).status_code == 302
    objective.refresh_from_db()
    assert (objective.short_name_en, objective.text_en) == ("Their short name", "My new text")


def test_concurrent_edit_refused_without_a_version(client_of, plan):
    objective = Objective.objects.get(plan=plan, code="D.1")
    client = client_of("editor_d")
    data = form_data(client.get(change_url(objective)))
    del data["based_on_version"]
    response = client.post(change_url(objective), data)
    assert "reload the page" in str(response.context["adminform"].form.non_field_errors())


def test_concurrent_edit_of_a_figure_in_the_admin(client_of, people, submitted):
    from .conftest import FIGURE

    client = client_of("reporter_d")
    stale = {
        **FIGURE,
        "indicator": submitted.indicator_id,
        "geography": submitted.geography_id,
        "value": "71",
        "based_on_version": 1,
    }
    services.observation_return(observation=submitted, user=people["reviewer_d"], comment="Why?")
    refused = client.post(change_url(submitted), stale)
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert {c.field for c in form.conflicts} == set()  # the review changed no value of the form
    assert "Someone else saved this element" in str(form.non_field_errors())
    submitted.refresh_from_db()
    assert submitted.status == "returned" and str(submitted.value.normalize()) == "68.5"
