"""Staff edit every element of the plan in the admin: list and change pages, in every language."""

import pytest
from django.contrib import admin
from django.urls import reverse

from frameworks.models import Goal, Objective, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "boss", "boss@example.org", "a-long-password-9"
    )
    client.force_login(user)
    return client


def test_admin_lists_every_model(admin_client_logged, django_assert_max_num_queries):
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with django_assert_max_num_queries(30):
            response = admin_client_logged.get(url)
        assert response.status_code == 200, url


def test_admin_target_list_shows_codes_in_order(admin_client_logged, plan):
    response = admin_client_logged.get(
        reverse("admin:frameworks_target_changelist"), {"plan__id__exact": plan.pk}
    )
    content = response.content.decode()
    assert content.index(">1.1<") < content.index(">1.9<") < content.index(">2.1<")
    assert "26 targets" in content


def test_admin_search_finds_a_target(admin_client_logged, plan):
    response = admin_client_logged.get(reverse("admin:frameworks_target_changelist"), {"q": "1.2"})
    assert ">1.2<" in response.content.decode()


def test_admin_change_page_has_a_tab_per_language(admin_client_logged, plan):
    goal = Goal.objects.get(plan=plan, number=1)
    response = admin_client_logged.get(reverse("admin:frameworks_goal_change", args=[goal.pk]))
    content = response.content.decode()
    for language in ("ar", "en", "es", "fr", "ru", "zh_hans"):
        assert f'name="short_name_{language}"' in content
    assert "增长" in content and "Growth" in content
    assert 'name="targets-0-code"' in content  # goal -> targets inline
    assert "vendor/jquery-ui-1.13.3.min.js" in content  # served by the portal, not a CDN


def test_admin_objective_change_page_has_outcome_and_output_inlines(admin_client_logged, plan):
    objective = Objective.objects.get(plan=plan, code="R.1")
    content = admin_client_logged.get(
        reverse("admin:frameworks_objective_change", args=[objective.pk])
    ).content.decode()
    assert "R.1-a" in content and "R.1-5" in content


def test_admin_saves_an_edit_in_chinese(admin_client_logged, plan):
    target = Target.objects.get(plan=plan, code="1.2")
    url = reverse("admin:frameworks_target_change", args=[target.pk])
    form = admin_client_logged.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "plan": plan.pk,
            "goal": target.goal_id,
            "text_zh_hans": "修改后的文本",
            "data_sources": [s.pk for s in target.data_sources.all()],
        }
    )
    data = {
        key: ("on" if value is True else value) for key, value in data.items() if value is not False
    }
    response = admin_client_logged.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    target.refresh_from_db()
    assert target.text_zh_hans == "修改后的文本"
    assert target.history.first().history_user.username == "boss"


def _tag_of(content: str, name: str) -> str:
    """The opening tag of the form field called `name`."""
    at = content.index(f'name="{name}"')
    return content[content.rindex("<", 0, at) : content.index(">", at) + 1]


def test_admin_arabic_boxes_read_right_to_left_and_the_others_left_to_right(
    admin_client_logged, plan
):
    target = Target.objects.get(plan=plan, code="1.2")
    content = admin_client_logged.get(
        reverse("admin:frameworks_target_change", args=[target.pk])
    ).content.decode()
    arabic = _tag_of(content, "text_ar")
    assert 'dir="rtl"' in arabic and 'lang="ar"' in arabic
    for language in ("en", "fr", "zh_hans"):
        tag = _tag_of(content, f"text_{language}")
        assert 'dir="ltr"' in tag, tag
    assert 'lang="zh-hans"' in _tag_of(content, "text_zh_hans")
    # the menu that switches every tab at once follows the tab that is open
    assert "js/admin-translations.js" in content


def test_admin_inline_boxes_carry_their_direction_too(admin_client_logged, plan):
    goal = Goal.objects.get(plan=plan, number=1)
    content = admin_client_logged.get(
        reverse("admin:frameworks_goal_change", args=[goal.pk])
    ).content.decode()
    assert 'dir="rtl"' in _tag_of(content, "targets-0-text_ar")
    assert 'dir="ltr"' in _tag_of(content, "targets-0-text_en")
