"""frameworks.roles, the one module that decides who may do what: the roles' groups hold exactly
the permissions defined in code, and each model, not its name, says which sector owns it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from frameworks import roles
from frameworks.models import (
    Enabler,
    Goal,
    Objective,
    ObjectiveGoalLink,
    Outcome,
    Output,
    Sector,
    StrategicPlan,
    Target,
)
from indicators.models import Indicator, Observation
from risks.models import Risk

pytestmark = pytest.mark.django_db

PEOPLE = {
    "reporter_d": (roles.Role.REPORTER, ["ITU-D"]),
    "reporter_d2": (roles.Role.REPORTER, ["ITU-D"]),
    "editor_r": (roles.Role.EDITOR, ["ITU-R"]),
    "editor_i": (roles.Role.EDITOR, [roles.INTERSECTORAL]),
    "administrator": (roles.Role.ADMINISTRATOR, []),
}


@pytest.fixture
def people(django_user_model):
    from frameworks.models import SectorAssignment
    from tests.conftest import ensure_roles

    ensure_roles()
    made = {}
    for name, (role, sectors) in PEOPLE.items():
        user = django_user_model.objects.create_user(name, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        for code in sectors:
            SectorAssignment.objects.create(user=user, sector=Sector.objects.get(code=code))
        made[name] = user
    return made


@pytest.fixture
def submitted(plan, people):
    """A figure reported by reporter_d, waiting for review."""
    from indicators import services

    figure = {
        "indicator": "1.2-internet-use",
        "geography": "WLD",
        "year": "2024",
        "value": "68.5",
        "publisher": "ITU",
        "publication": "Facts and Figures 2025",
        "source": "ITU Facts and Figures 2025",
        "edition": "Facts and Figures 2025",
    }
    return services.observation_report(plan=plan, raw=figure, user=people["reporter_d"])


def test_role_groups_in_the_database_are_those_defined_in_code():
    """Kept by the post_migrate receiver (frameworks.apps), whatever migration 0002 gave."""
    assert roles.role_group_permissions() == roles.ROLE_PERMISSIONS


def test_sync_role_groups_takes_away_and_gives_back_permissions():
    administrator = Group.objects.get(name="Administrator")
    administrator.permissions.add(Permission.objects.get(codename="change_group"))
    administrator.permissions.remove(Permission.objects.get(codename="change_objective"))
    Group.objects.filter(name="Reviewer").delete()
    roles.sync_role_groups()
    assert roles.role_group_permissions() == roles.ROLE_PERMISSIONS


def test_no_role_may_change_users_permissions_or_groups():
    """Permissions to edit groups, or permissions themselves, would let a role grant itself
    anything; superuser status is not a permission and no role can set it (frameworks.admin)."""
    granted = set().union(*roles.ROLE_PERMISSIONS.values())
    forbidden = {
        f"auth.{action}_{model}"
        for action in ("add", "change", "delete")
        for model in ("group", "permission")
    }
    assert not granted & forbidden
    # a token is issued and revoked, never edited (its user changed would hand over its key)
    assert not {"knox.change_authtoken", "authtoken.change_tokenproxy"} & granted


def test_every_role_permission_exists():
    roles.sync_role_groups()  # raises LookupError naming any permission that does not exist


# --- which sector owns what ------------------------------------------------------------------


def test_sector_of_each_kind_of_element(plan):
    objective = Objective.objects.get(plan=plan, code="D.1")
    indicator = Indicator.objects.filter(plan=plan, sector__code="ITU-D").first()
    observation = Observation.objects.filter(indicator=indicator).first()
    assert roles.sector_code_of(objective) == "ITU-D"
    assert roles.sector_code_of(Outcome.objects.filter(objective=objective).first()) == "ITU-D"
    assert roles.sector_code_of(Output.objects.filter(objective=objective).first()) == "ITU-D"
    assert roles.sector_code_of(ObjectiveGoalLink(objective=objective)) == "ITU-D"
    assert roles.sector_code_of(indicator) == "ITU-D"
    assert roles.sector_code_of(observation) == "ITU-D"
    assert roles.sector_code_of(Sector.objects.get(code="ITU-R")) == "ITU-R"
    for plan_wide in (plan, Goal.objects.filter(plan=plan)[0], Target.objects.filter(plan=plan)[0]):
        assert roles.sector_code_of(plan_wide) == roles.INTERSECTORAL
    assert roles.sector_code_of(Risk.objects.filter(plan=plan)[0]) == roles.INTERSECTORAL


@pytest.mark.parametrize(
    ("provider", "sector"),
    [("BR", "ITU-R"), ("TSB", "ITU-T"), ("BDT", "ITU-D"), ("GS", roles.INTERSECTORAL)],
)
def test_an_enabler_belongs_to_its_providers_sector(plan, provider, sector):
    enabler = Enabler(plan=plan, provider=provider)
    assert roles.sector_code_of(enabler) == sector


def test_models_say_whether_they_are_owned_by_one_sector():
    owned = [Sector, Objective, ObjectiveGoalLink, Outcome, Output, Enabler, Indicator, Observation]
    assert all(roles.is_sector_owned(model) for model in owned)
    assert not any(roles.is_sector_owned(model) for model in (StrategicPlan, Goal, Target, Risk))


def test_scope_filter_follows_the_models_path(people):
    reporter_d, editor_i = people["reporter_d"], people["editor_i"]
    assert roles.scope_filter(reporter_d, Observation) == Q(indicator__sector__code__in=["ITU-D"])
    assert roles.scope_filter(reporter_d, Enabler) == Q(provider__in=["BDT"])
    assert roles.scope_filter(editor_i, Enabler) == Q(provider__in=["GS"])
    assert roles.scope_filter(editor_i, Target) == Q()
    assert roles.scope_filter(reporter_d, Target) == Q(pk__in=[])
    assert roles.scope_filter(people["administrator"], Target) is None


def test_choices_of_an_enablers_provider_follow_the_users_sectors(people):
    assert roles.allowed_sector_values(people["editor_r"], Enabler) == ["BR"]
    assert roles.allowed_sector_values(people["administrator"], Enabler) is None
    assert roles.has_scope_for(people["editor_r"], Enabler)
    assert not roles.has_scope_for(people["editor_r"], Target)
    assert roles.has_scope_for(people["editor_i"], Target)


# --- figures: who may change one, and why not ------------------------------------------------


def test_revise_refusal_names_the_reason(people, submitted):
    reporter, other, administrator = (
        people["reporter_d"],
        people["reporter_d2"],
        people["administrator"],
    )
    assert roles.revise_refusal(reporter, submitted) is None
    assert roles.revise_refusal(administrator, submitted) is None
    mine_only = "You may only change figures you reported."
    assert roles.revise_refusal(other, submitted) == mine_only
    # through the API, a reporter's tool, only the figure's reporter changes it
    assert roles.revise_refusal(administrator, submitted, reporter_only=True) == mine_only
    submitted.status = Observation.Status.APPROVED
    assert roles.revise_refusal(reporter, submitted).startswith("An approved figure cannot")
    assert not roles.can_revise(administrator, submitted)


def test_a_figure_without_reporter_is_nobodys(people, submitted):
    from django.contrib.auth.models import AnonymousUser

    submitted.reported_by = None
    assert not roles.can_revise(AnonymousUser(), submitted)
    assert not roles.can_revise(people["reporter_d"], submitted)
