"""The role × action matrix in the admin: every role, in and out of its sector, against every
write (add, change, delete) of an objective, a target and an observation, and what each list
shows. Sector scope is real: an ITU-R editor cannot change an ITU-D objective."""

import pytest
from django.urls import reverse

from frameworks.models import Objective, Sector, Target
from indicators.models import Indicator, Observation

from .conftest import FIGURE, form_data

pytestmark = pytest.mark.django_db

# --- objectives: sector content ------------------------------------------------------------------

# persona: (objective codes listed, may change D.1, may change R.1)
OBJECTIVE_MATRIX = {
    "editor_d": ({"D.1"}, True, False),
    "editor_r": ({"R.1"}, False, True),
    "editor_i": (set(), False, False),
    "administrator": ({"D.1", "R.1"}, True, True),
}
NO_OBJECTIVE_ACCESS = ["reporter_d", "reviewer_d", "no_role"]


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def delete_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])


@pytest.mark.parametrize("persona", list(OBJECTIVE_MATRIX))
def test_objective_list_shows_the_sectors_of_the_user(
    persona, client_of, plan, django_assert_max_num_queries
):
    listed, _d, _r = OBJECTIVE_MATRIX[persona]
    client = client_of(persona)
    with django_assert_max_num_queries(25):
        response = client.get(
            reverse("admin:frameworks_objective_changelist"), {"plan__id__exact": plan.pk}
        )
    assert response.status_code == 200
    shown = {o.code for o in response.context["cl"].result_list}
    assert {"D.1", "R.1"} & shown == listed
    if persona == "editor_i":
        assert shown == {code for code in shown if code.startswith("I.")} and shown


@pytest.mark.parametrize("persona", list(OBJECTIVE_MATRIX))
@pytest.mark.parametrize("code", ["D.1", "R.1"])
def test_objective_change_only_in_the_users_sectors(persona, code, client_of, plan):
    objective = Objective.objects.get(plan=plan, code=code)
    may_change = OBJECTIVE_MATRIX[persona][1 if code == "D.1" else 2]
    client = client_of(persona)
    page = client.get(change_url(objective))
    if not may_change:
        assert page.status_code == 403
        data = {"short_name_en": "Hijacked", "based_on_version": objective.version}
        assert client.post(change_url(objective), data).status_code == 403
        objective.refresh_from_db()
        assert objective.short_name_en != "Hijacked"
        return
    assert page.status_code == 200
    data = form_data(page)
    data["short_name_en"] = f"Edited by {persona}"
    before = objective.version
    response = client.post(change_url(objective), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    objective.refresh_from_db()
    assert objective.short_name_en == f"Edited by {persona}"
    assert objective.version == before + 1
    assert objective.history.first().history_user.username == persona


@pytest.mark.parametrize("persona", list(OBJECTIVE_MATRIX))
def test_objective_delete_only_in_the_users_sectors(persona, client_of, plan):
    objective = Objective.objects.get(plan=plan, code="D.1")
    response = client_of(persona).post(delete_url(objective), {"post": "yes"})
    may_delete = OBJECTIVE_MATRIX[persona][1]
    assert response.status_code == (302 if may_delete else 403)
    assert Objective.objects.filter(pk=objective.pk).exists() is not may_delete


@pytest.mark.parametrize(
    "persona, sector, allowed",
    [
        ("editor_d", "ITU-D", True),
        ("editor_d", "ITU-R", False),
        ("editor_r", "ITU-D", False),
        ("administrator", "ITU-R", True),
    ],
)
def test_objective_add_only_in_the_users_sectors(persona, sector, allowed, client_of, plan):
    client = client_of(persona)
    page = client.get(reverse("admin:frameworks_objective_add"))
    assert page.status_code == 200
    choices = {
        str(label) for _value, label in page.context["adminform"].form.fields["sector"].choices
    }
    assert (sector in choices) is allowed
    prefix = sector.split("-")[1]
    data = form_data(page)
    data.update(
        {
            "plan": plan.pk,
            "sector": Sector.objects.get(code=sector).pk,
            "code": f"{prefix}.9",
            "order": 9,
            "short_name_en": "New objective",
            "text_en": "A new objective.",
        }
    )
    response = client.post(reverse("admin:frameworks_objective_add"), data)
    created = Objective.objects.filter(plan=plan, code=f"{prefix}.9").first()
    if allowed:
        assert response.status_code == 302
        assert created.short_name_en == "New objective" and created.version == 1
    else:
        assert response.status_code == 200
        assert "sector" in response.context["adminform"].form.errors
        assert created is None


@pytest.mark.parametrize("persona", NO_OBJECTIVE_ACCESS)
def test_objective_screens_closed_to_roles_without_plan_editing(persona, client_of, plan):
    client = client_of(persona)
    objective = Objective.objects.get(plan=plan, code="D.1")
    assert client.get(reverse("admin:frameworks_objective_changelist")).status_code == 403
    assert client.get(change_url(objective)).status_code == 403
    assert client.get(reverse("admin:frameworks_objective_add")).status_code == 403
    assert client.post(delete_url(objective), {"post": "yes"}).status_code == 403
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_objective_inline_outcomes_follow_the_objective_scope(client_of, plan):
    """The outcomes inside D.1's page are written by who may edit D.1, and choices of
    objectives elsewhere are limited to the user's sectors."""
    page = client_of("editor_d").get(reverse("admin:frameworks_outcome_add"))
    objectives = page.context["adminform"].form.fields["objective"].queryset
    assert set(objectives.values_list("sector__code", flat=True)) == {"ITU-D"}
    objective = Objective.objects.get(plan=plan, code="D.1")
    client = client_of("editor_d")
    data = form_data(client.get(change_url(objective)))
    data["outcomes-0-text_en"] = "Changed outcome text"
    before = objective.outcomes.order_by("order").first().version
    assert client.post(change_url(objective), data).status_code == 302
    outcome = objective.outcomes.order_by("order").first()
    assert outcome.text_en == "Changed outcome text"
    assert outcome.version == before + 1  # a row saved through an inline is a new version too


# --- targets: plan-wide (intersectoral) content ---------------------------------------------


@pytest.mark.parametrize(
    "persona, allowed",
    [("editor_i", True), ("administrator", True), ("editor_d", False), ("editor_r", False)],
)
def test_target_change_needs_the_intersectoral_scope(persona, allowed, client_of, plan):
    target = Target.objects.get(plan=plan, code="1.2")
    client = client_of(persona)
    page = client.get(change_url(target))
    if not allowed:
        assert page.status_code == 403
        assert client.post(change_url(target), {"text_en": "x"}).status_code == 403
        listed = client.get(reverse("admin:frameworks_target_changelist")).context["cl"]
        assert listed.result_count == 0
        return
    data = form_data(page)
    data["text_fr"] = "D'ici à 2023, 65% de la population mondiale utilisera l'Internet"
    assert client.post(change_url(target), data).status_code == 302
    target.refresh_from_db()
    assert target.text_fr.startswith("D'ici à 2023")


def test_target_delete_refused_to_a_sector_editor(client_of, plan):
    target = Target.objects.get(plan=plan, code="1.2")
    assert client_of("editor_d").post(delete_url(target), {"post": "yes"}).status_code == 403
    assert Target.objects.filter(pk=target.pk).exists()


# --- observations: reporters, reviewers ----------------------------------------------------------


@pytest.mark.parametrize(
    "persona, listed, may_view, may_change",
    [
        ("reporter_d", True, True, True),  # reported it
        ("reporter_d2", True, True, False),  # same sector, somebody else's figure
        ("reviewer_d", True, True, False),  # reviews, does not edit
        ("editor_d", True, True, False),
        ("reviewer_r", False, False, False),
        ("editor_r", False, False, False),
        ("administrator", True, True, True),
    ],
)
def test_observation_matrix(
    persona, listed, may_view, may_change, submitted, client_of, django_assert_max_num_queries
):
    client = client_of(persona)
    with django_assert_max_num_queries(25):
        changelist = client.get(
            reverse("admin:indicators_observation_changelist"), {"status__exact": "submitted"}
        )
    assert changelist.status_code == 200
    assert (submitted in changelist.context["cl"].result_list) is listed
    page = client.get(change_url(submitted))
    assert page.status_code == (200 if may_view else 403)
    if may_view:
        assert ('name="_save"' in page.content.decode()) is may_change
    data = {
        **FIGURE,
        "indicator": submitted.indicator_id,
        "geography": submitted.geography_id,
        "value": "70.1",
        "based_on_version": submitted.version,
    }
    response = client.post(change_url(submitted), data)
    submitted.refresh_from_db()
    if may_change:
        assert response.status_code == 302
        assert str(submitted.value.normalize()) == "70.1"
        assert submitted.status == "submitted" and submitted.version == 2
    else:
        assert response.status_code == 403
        assert str(submitted.value.normalize()) == "68.5"
    deleted = client.post(delete_url(submitted), {"post": "yes"})
    assert deleted.status_code == (302 if persona == "administrator" else 403)


def test_observation_add_by_a_reporter_is_submitted_for_review(client_of, people):
    client = client_of("reporter_d")
    page = client.get(reverse("admin:indicators_observation_add"))
    indicators = page.context["adminform"].form.fields["indicator"].queryset
    assert indicators.count() == Indicator.objects.filter(sector__code="ITU-D").count()
    indicator = Indicator.objects.get(code="1.2-internet-use")
    data = {
        **FIGURE,
        "indicator": indicator.pk,
        "geography": indicator.headline_geography_id,
        "based_on_version": "",
    }
    assert client.post(reverse("admin:indicators_observation_add"), data).status_code == 302
    created = Observation.objects.get(indicator=indicator, year=2024, edition=FIGURE["edition"])
    assert created.status == "submitted" and created.reported_by == people["reporter_d"]
    assert created.submitted_at is not None


def test_observation_add_checks_the_figure_like_an_import(client_of):
    indicator = Indicator.objects.get(code="1.2-internet-use")
    data = {
        **FIGURE,
        "indicator": indicator.pk,
        "geography": indicator.headline_geography_id,
        "value": "140",
        "edition": "Facts and Figures 2023 (published Oct/Nov 2023)",
        "based_on_version": "",
    }
    response = client_of("reporter_d").post(reverse("admin:indicators_observation_add"), data)
    errors = response.context["adminform"].form.errors
    assert "140 is above the highest allowed value 100 for 1.2-internet-use" in errors["value"]
    assert not Observation.objects.filter(
        indicator=indicator, year=2024, edition=data["edition"]
    ).exists()


@pytest.mark.parametrize("persona", ["editor_d", "reviewer_d", "no_role"])
def test_observation_add_closed_to_other_roles(persona, client_of):
    assert client_of(persona).get(reverse("admin:indicators_observation_add")).status_code == 403


def test_approved_figure_is_read_only_even_for_its_reporter(submitted, client_of, people):
    submitted.status = "approved"
    submitted.save()
    page = client_of("reporter_d").get(change_url(submitted))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_admin_review_actions_approve_and_return_in_bulk(client_of, people, plan, submitted):
    from .conftest import report

    second = report(plan, people["reporter_d"], geography="LDC", value="40")
    client = client_of("reviewer_d")
    url = reverse("admin:indicators_observation_changelist")
    asked = client.post(
        url, {"action": "return_selected", "_selected_action": [submitted.pk, second.pk]}
    )
    assert asked.status_code == 200 and "Comment for the reporters" in asked.content.decode()
    no_comment = client.post(
        url,
        {"action": "return_selected", "_selected_action": [submitted.pk], "confirm": "yes"},
    )
    assert "a comment is required" in no_comment.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    client.post(
        url,
        {
            "action": "return_selected",
            "_selected_action": [submitted.pk],
            "confirm": "yes",
            "comment": "Source address is wrong",
        },
    )
    client.post(url, {"action": "approve_selected", "_selected_action": [second.pk]})
    submitted.refresh_from_db()
    second.refresh_from_db()
    assert (submitted.status, submitted.review_comment) == ("returned", "Source address is wrong")
    assert (second.status, second.reviewed_by) == ("approved", people["reviewer_d"])


def test_admin_review_action_hidden_from_reporters(client_of, submitted):
    page = client_of("reporter_d").get(reverse("admin:indicators_observation_changelist"))
    actions = dict(page.context["action_form"].fields["action"].choices)
    assert "approve_selected" not in actions and "submit_selected" in actions


# --- users: roles and sectors --------------------------------------------------------------------


def test_user_admin_assigning_a_role_grants_staff_status(client_of, django_user_model):
    from django.contrib.auth.models import Group

    newcomer = django_user_model.objects.create_user("newcomer", password="x-long-password-77")
    client = client_of("administrator")
    url = reverse("admin:auth_user_change", args=[newcomer.pk])
    page = client.get(url)
    assert page.status_code == 200 and "sector_assignments-TOTAL_FORMS" in page.content.decode()
    data = form_data(page)
    data["groups"] = [str(Group.objects.get(name="Reporter").pk)]
    data["sector_assignments-0-sector"] = str(Sector.objects.get(code="ITU-D").pk)
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.errors for f in response.context["inline_admin_formsets"][0].formset.forms],
    )
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert list(newcomer.sector_assignments.values_list("sector__code", flat=True)) == ["ITU-D"]


def test_user_list_shows_roles_and_sectors_in_bounded_queries(
    client_of, people, django_assert_max_num_queries
):
    client = client_of("administrator")
    with django_assert_max_num_queries(20):
        page = client.get(reverse("admin:auth_user_changelist"))
    content = page.content.decode()
    assert "Reviewer" in content and "ITU-R" in content


def test_user_admin_closed_to_editors(client_of):
    assert client_of("editor_d").get(reverse("admin:auth_user_changelist")).status_code == 403


# --- users: an administrator does not become more than an administrator ---------------------------
# Each test signs in as the Administrator persona (a member of the group, not a superuser), tries
# one way up, and checks that it is refused and that nothing was written.

SUPERUSER_PASSWORD = "the-superusers-own-password-5"


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        "root", "root@example.org", SUPERUSER_PASSWORD
    )


def user_url(user, view="change"):
    if view == "password":
        return reverse("admin:auth_user_password_change", args=[user.pk])
    return reverse(f"admin:auth_user_{view}", args=[user.pk])


def test_administrator_cannot_make_themselves_superuser_or_give_permissions(client_of, people):
    from django.contrib.auth.models import Permission

    me = people["administrator"]
    client = client_of("administrator")
    page = client.get(user_url(me))
    assert page.status_code == 200
    fields = page.context["adminform"].form.fields
    assert "is_superuser" not in fields and "user_permissions" not in fields
    assert 'name="is_superuser"' not in page.content.decode()
    change_group = Permission.objects.get(codename="change_group")
    data = form_data(page)
    data.update(
        {"is_superuser": "on", "user_permissions": [str(change_group.pk)], "email": "me@itu.int"}
    )
    response = client.post(user_url(me), data)
    assert response.status_code == 302  # the rest of the form is saved…
    me.refresh_from_db()
    assert me.email == "me@itu.int"
    assert not me.is_superuser  # …but not what only a superuser gives
    assert not me.user_permissions.exists()
    assert not me.has_perm("auth.change_group")


def test_administrator_cannot_change_a_superusers_account(client_of, superuser):
    client = client_of("administrator")
    page = client.get(user_url(superuser))  # shown, read only
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    data = {"username": "root", "email": "taken@example.org", "is_active": ""}
    assert client.post(user_url(superuser), data).status_code == 403
    superuser.refresh_from_db()
    assert (superuser.email, superuser.is_active) == ("root@example.org", True)


def test_administrator_cannot_set_a_superusers_password(client_of, superuser):
    client = client_of("administrator")
    url = user_url(superuser, "password")
    assert client.get(url).status_code == 403
    new = "chosen-by-the-administrator-8"
    data = {"password1": new, "password2": new, "usable_password": "true"}
    assert client.post(url, data).status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password(SUPERUSER_PASSWORD) and not superuser.check_password(new)


def test_administrator_cannot_delete_a_superuser(client_of, superuser):
    from django.contrib.auth.models import User

    client = client_of("administrator")
    assert client.post(user_url(superuser, "delete"), {"post": "yes"}).status_code == 403
    # nor through the list's bulk action, which asks for each selected account
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [superuser.pk], "post": "yes"},
    )
    assert User.objects.filter(pk=superuser.pk, is_superuser=True).exists()


def test_administrator_still_manages_other_accounts(client_of, people):
    """What the role is for: passwords of the staff below them are theirs to reset."""
    reporter = people["reporter_d"]
    new = "a-fresh-password-for-reporter-6"
    response = client_of("administrator").post(
        user_url(reporter, "password"),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.check_password(new)


def test_administrator_cannot_change_an_account_holding_more_than_they_do(
    client_of, django_user_model
):
    """An account given a permission outside the roles (by a superuser) is out of reach too:
    taking it over would be a way up."""
    from django.contrib.auth.models import Permission

    auditor = django_user_model.objects.create_user("auditor", "auditor@example.org", "x-pass-97")
    auditor.user_permissions.add(Permission.objects.get(codename="change_group"))
    client = client_of("administrator")
    assert 'name="_save"' not in client.get(user_url(auditor)).content.decode()
    assert client.post(user_url(auditor), {"username": "mine"}).status_code == 403
    assert client.get(user_url(auditor, "password")).status_code == 403
    auditor.refresh_from_db()
    assert auditor.username == "auditor"


def test_administrator_cannot_edit_the_roles_groups(client_of):
    from django.contrib.auth.models import Group, Permission

    from frameworks.roles import ROLE_PERMISSIONS, role_group_permissions

    group = Group.objects.get(name="Administrator")
    client = client_of("administrator")
    change = reverse("admin:auth_group_change", args=[group.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # read only
    every = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    assert client.post(change, {"name": "Administrator", "permissions": every}).status_code == 403
    add = reverse("admin:auth_group_add")
    assert client.post(add, {"name": "Root", "permissions": every}).status_code == 403
    delete = reverse("admin:auth_group_delete", args=[group.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert not Group.objects.filter(name="Root").exists()
    assert role_group_permissions() == ROLE_PERMISSIONS


def test_administrator_assigns_roles_but_no_group_beyond_their_own_permissions(client_of, people):
    from django.contrib.auth.models import Group, Permission

    wider = Group.objects.create(name="Auditors")  # made by a superuser, outside the roles
    wider.permissions.add(Permission.objects.get(codename="change_group"))
    me = people["administrator"]
    client = client_of("administrator")
    page = client.get(user_url(me))
    choices = {group.name for group in page.context["adminform"].form.fields["groups"].queryset}
    assert choices == {"Reporter", "Editor", "Reviewer", "Administrator"}
    data = form_data(page)
    data["groups"] = [str(Group.objects.get(name="Administrator").pk), str(wider.pk)]
    response = client.post(user_url(me), data)
    assert response.status_code == 200 and "groups" in response.context["adminform"].form.errors
    assert list(me.groups.values_list("name", flat=True)) == ["Administrator"]
    assert not me.has_perm("auth.change_group")


def issue(user, days=None):
    """A token for `user`, as knox makes it: (the stored row, the key its holder sends)."""
    from datetime import timedelta

    from knox.models import AuthToken

    if days is None:
        return AuthToken.objects.create(user=user)
    return AuthToken.objects.create(user=user, expiry=timedelta(days=days))


def token_url(token, view):
    return reverse(f"admin:knox_authtoken_{view}", args=[token.pk])


def test_token_list_shows_no_keys(client_of, people, superuser):
    issued = [issue(user) for user in (superuser, people["reporter_d"])]
    page = client_of("administrator").get(reverse("admin:knox_authtoken_changelist"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "reporter_d" in content and "root" in content  # who has a token is shown…
    for token, key in issued:
        assert key not in content and key[:9] not in content  # …never the key, beyond 8 characters
        assert f"{key[:8]}…" in content  # enough of it to tell tokens apart
        assert token_url(token, "change") not in content  # nor a link to the token's page


def test_administrator_issues_a_token_for_a_reporter_and_sees_it_once(client_of, people):
    from django.contrib.admin.models import LogEntry
    from knox.models import AuthToken

    client = client_of("administrator")
    reporter = people["reporter_d"]
    url = reverse("admin:knox_authtoken_add")
    form = client.get(url)
    assert form.context["adminform"].form.fields["valid_days"].initial == 90
    response = client.post(url, {"user": reporter.pk, "valid_days": 7}, follow=True)
    assert response.status_code == 200
    token = AuthToken.objects.get(user=reporter)
    (message,) = [str(m) for m in response.context["messages"]]
    key = message.split(" is ")[1].split(".")[0]
    assert message.startswith(f"The API token of reporter_d is {key}. Give it to them now")
    assert key.startswith(token.token_key) and len(key) == 64
    # its expiry is the one chosen: seven days from now
    assert abs((token.expiry - token.created).total_seconds() - 7 * 86400) < 5
    assert key not in client.get(reverse("admin:knox_authtoken_changelist")).content.decode()
    delete = token_url(token, "delete")
    confirm = client.get(delete)
    assert confirm.status_code == 200 and "API token of reporter_d" in confirm.content.decode()
    assert key not in confirm.content.decode()
    revoked = client.post(delete, {"post": "yes"}, follow=True)
    assert revoked.status_code == 200 and key not in revoked.content.decode()
    assert not AuthToken.objects.filter(user=reporter).exists()
    # the admin's log names the token's user, not its key (nor its digest)
    assert not LogEntry.objects.filter(object_repr__contains=key[:15]).exists()
    assert not LogEntry.objects.filter(object_repr__contains=token.digest).exists()
    assert LogEntry.objects.filter(object_repr="API token of reporter_d").count() == 2


def test_administrator_cannot_issue_or_revoke_a_superusers_token(client_of, superuser):
    from knox.models import AuthToken

    client = client_of("administrator")
    url = reverse("admin:knox_authtoken_add")
    response = client.post(url, {"user": superuser.pk, "valid_days": 90})
    assert response.status_code == 200 and "user" in response.context["adminform"].form.errors
    assert not AuthToken.objects.filter(user=superuser).exists()
    token, _key = issue(superuser)
    assert client.post(token_url(token, "delete"), {"post": "yes"}).status_code == 403
    assert AuthToken.objects.filter(pk=token.pk).exists()
    # a token's own page and its history are closed to them
    assert client.get(token_url(token, "change")).status_code == 403
    assert client.get(token_url(token, "history")).status_code == 403


@pytest.mark.parametrize("days", ["0", "-3", "seven", "100000", ""])
def test_a_tokens_lifetime_must_be_a_number_of_days(days, client_of, people):
    from knox.models import AuthToken

    response = client_of("administrator").post(
        reverse("admin:knox_authtoken_add"), {"user": people["reporter_d"].pk, "valid_days": days}
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["valid_days"]
    assert not AuthToken.objects.exists()


def test_no_token_key_is_readable_anywhere(client_of, people, superuser):
    """An administrator (and even a superuser) finds no key after it was issued: not in the list,
    a token's page, its history, a search, the admin's log, the API, or the database. (The
    administrator's token pages answer 403; the superuser's show the token without its key.)"""
    from django.db import connection

    reporter = people["reporter_d"]
    issued = [issue(user) for user in (superuser, reporter)]
    administrator, root = client_of("administrator"), client_of("administrator")
    root.force_login(superuser)
    pages = [
        administrator.get(reverse("admin:knox_authtoken_changelist")),
        administrator.get(reverse("admin:knox_authtoken_changelist"), {"q": "reporter_d"}),
        administrator.get(reverse("admin:index")),  # "recent actions", from the admin's log
        root.get(reverse("admin:knox_authtoken_changelist")),
        administrator.get("/api/v1/", HTTP_ACCEPT="application/json"),
    ]
    for token, _key in issued:
        for client in (administrator, root):
            pages.append(client.get(token_url(token, "change")))
            pages.append(client.get(token_url(token, "history")))
            pages.append(client.get(token_url(token, "delete")))
    content = "\n".join(page.content.decode() for page in pages)
    assert "API token of reporter_d" in content  # the pages were read
    for _token, key in issued:
        assert key[:9] not in content
    # stored only hashed: no column of the table holds the key, nor more of it than its first
    # characters (knox's lookup prefix)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        stored = repr(cursor.fetchall())
    for _token, key in issued:
        assert key not in stored and key[15:] not in stored


def test_nobody_edits_a_token(client_of, people, superuser):
    """A token is issued and revoked, never changed: changing its user would hand an existing key
    to another account."""
    token, _key = issue(people["reporter_d"])
    root = client_of("administrator")
    root.force_login(superuser)
    page = root.get(token_url(token, "change"))
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    root.post(token_url(token, "change"), {"user": superuser.pk})
    token.refresh_from_db()
    assert token.user == people["reporter_d"]
