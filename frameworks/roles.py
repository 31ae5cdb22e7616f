"""Who may do what: roles (Django groups) scoped to the sectors a user is assigned to. The admin,
the workspace and the API ask this module; none of them works a rule out again.

- Reporter: submits observations for the indicators of their sectors, and delivery records
  for their outputs.
- Editor: edits plan content of their sectors.
- Reviewer: approves or returns submitted observations and delivery records of their sectors.
- Administrator: everything, in every sector, except what would make them more than an
  administrator (superuser status, permissions of their own, a superuser's account).

Each model says how it reaches the sector that owns it, by two class attributes:

- `sector_path`: the lookup from the model to its sector's code (`"indicator__sector__code"`).
  A model without one is plan-wide content (the plan, its levels, values, goals, targets and
  risks): it belongs to the intersectoral scope, and editors assigned to "intersectoral" edit it.
- `sector_of_value` (optional): when the path ends at a value that stands for a sector rather
  than at the sector's code, the sector of each value (an enabler's provider: each bureau's
  enablers belong to its sector, the General Secretariat's are intersectoral).

What each role may do in the admin is a set of Django model permissions, ROLE_PERMISSIONS, kept
in the roles' groups by `sync_role_groups()` after every migrate.
"""

from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

INTERSECTORAL = "intersectoral"


class Role(models.TextChoices):
    REPORTER = "Reporter", _("Reporter")
    EDITOR = "Editor", _("Editor")
    REVIEWER = "Reviewer", _("Reviewer")
    ADMINISTRATOR = "Administrator", _("Administrator")


# --- the user's roles and sectors ---------------------------------------------------------------


def roles_of(user) -> set[str]:
    """The user's role names, read once per request-bound user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if not hasattr(user, "_rbm_roles"):
        # an unsaved user (pk None) belongs to no group yet
        groups = user.groups.values_list("name", flat=True) if user.pk is not None else ()
        user._rbm_roles = set(groups) & set(Role.values)
        if user.is_superuser:
            user._rbm_roles.add(Role.ADMINISTRATOR)
    return user._rbm_roles


def sector_codes_of(user) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    if not hasattr(user, "_rbm_sectors"):
        user._rbm_sectors = (
            set(user.sector_assignments.values_list("sector__code", flat=True))
            if user.pk is not None
            else set()
        )
    return user._rbm_sectors


def forget(user) -> None:
    """Drop the roles and sectors remembered on this user object (after they were changed)."""
    for name in ("_rbm_roles", "_rbm_sectors"):
        user.__dict__.pop(name, None)


def is_administrator(user) -> bool:
    return Role.ADMINISTRATOR in roles_of(user)


def has_role(user, role: Role) -> bool:
    return is_administrator(user) or role in roles_of(user)


def is_privileged(user) -> bool:
    """Any role: sees draft plans and figures not yet approved."""
    return bool(roles_of(user))


def has_any_role(user, wanted: Iterable[Role] = ()) -> bool:
    """One of the `wanted` roles, or any role if none is named (a staff page's door)."""
    wanted = tuple(wanted)
    return any(has_role(user, role) for role in wanted) if wanted else is_privileged(user)


# --- sectors: which one owns an element ---------------------------------------------------------


def is_sector_owned(model) -> bool:
    """Whether each element of `model` belongs to one sector (else: plan-wide, intersectoral)."""
    return getattr(model, "sector_path", None) is not None


def sector_code_of(element) -> str:
    """The code of the sector that owns `element`, as its model says (see the module's
    docstring). Follows the path: select_related it when asking for many elements."""
    if not is_sector_owned(type(element)):
        return INTERSECTORAL
    value = element
    for name in element.sector_path.split("__"):
        value = getattr(value, name)
    mapping = getattr(element, "sector_of_value", None)
    return mapping[value] if mapping else value


def _path_values(model, sectors: set[str]) -> list[str]:
    """The values at the end of the model's sector path that stand for one of `sectors`."""
    mapping = getattr(model, "sector_of_value", None)
    if mapping:
        return sorted(value for value, sector in mapping.items() if sector in sectors)
    return sorted(sectors)


def scope_filter(user, model) -> Q | None:
    """The rows of `model` within the user's sectors, as a filter (None: every row, for
    administrators). The queryset form of `in_scope`."""
    if is_administrator(user):
        return None
    sectors = sector_codes_of(user)
    if is_sector_owned(model):
        return Q(**{f"{model.sector_path}__in": _path_values(model, sectors)})
    return Q() if INTERSECTORAL in sectors else Q(pk__in=[])


def allowed_sector_values(user, model) -> list[str] | None:
    """The values of the field at the end of the model's sector path the user may choose (an
    enabler's providers), or None for every value."""
    if is_administrator(user) or not is_sector_owned(model):
        return None
    return _path_values(model, sector_codes_of(user))


def has_scope_for(user, model) -> bool:
    """Whether any element of `model` could belong to the user's sectors (else there is nothing
    of it they could add)."""
    if is_administrator(user):
        return True
    sectors = sector_codes_of(user)
    if not is_sector_owned(model):
        return INTERSECTORAL in sectors
    return bool(_path_values(model, sectors))


def in_scope(user, element) -> bool:
    return is_administrator(user) or sector_code_of(element) in sector_codes_of(user)


# --- actions on plan content and figures --------------------------------------------------------


def can_edit(user, element) -> bool:
    return is_administrator(user) or (Role.EDITOR in roles_of(user) and in_scope(user, element))


def can_report(user, indicator) -> bool:
    return is_administrator(user) or (Role.REPORTER in roles_of(user) and in_scope(user, indicator))


def can_review(user, observation) -> bool:
    return is_administrator(user) or (
        Role.REVIEWER in roles_of(user) and in_scope(user, observation)
    )


def revise_refusal(user, observation, *, reporter_only: bool = False) -> str | None:
    """Why the user may not change a figure's values, or None if they may. A figure is changed
    by its reporter (still reporting for its sector) until it is approved, or by an
    administrator; with `reporter_only` (the API, a reporter's tool), by its reporter alone. An
    approved figure is never changed: a correction is a new edition."""
    # an imported figure has no reporter: nobody (and no anonymous user) owns it
    mine = getattr(user, "pk", None) is not None and observation.reported_by_id == user.pk
    if not (mine or (is_administrator(user) and not reporter_only)):
        return gettext("You may only change figures you reported.")
    if observation.status == "approved":
        return gettext("An approved figure cannot be changed; report it in a new edition.")
    if mine and not can_report(user, observation.indicator):
        return gettext("You may only change figures you reported, until approved.")
    return None


def can_revise(user, observation) -> bool:
    return revise_refusal(user, observation) is None


def can_discuss(user, item) -> bool:
    """Whether the user reads a reported item's evidence and discussion (indicators.evidence)
    and adds comments: its reporter, while still reporting for its sector, and the reviewers of
    its sector (administrators included). Nobody else, not even another reporter of the sector.
    `item` is a Reviewable with its path to the sector select_related."""
    if can_review(user, item):
        return True
    mine = getattr(user, "pk", None) is not None and item.reported_by_id == user.pk
    return mine and can_report(user, item.reported_element)


def can_attach(user, item) -> bool:
    """Whether the user adds evidence to the item: as can_discuss, until it is approved (the
    evidence of an approved item is what its reviewer approved)."""
    return item.status != "approved" and can_discuss(user, item)


# --- users: administrators manage accounts, without becoming more than administrators -----------


def can_manage_user(actor, user) -> bool:
    """Whether `actor` may change or delete `user`'s account (its password and tokens included):
    a superuser may change anyone; anybody else only accounts that hold no more than they hold
    themselves, so a superuser's account (and its password) stays out of reach."""
    if actor.is_superuser:
        return True
    if user.is_superuser:
        return False
    return user.pk == actor.pk or user.get_all_permissions() <= actor.get_all_permissions()


def can_grant_group(actor, group) -> bool:
    """Whether `actor` may put users in `group`: only groups that give no more than the actor
    has (an administrator assigns roles; they cannot grant beyond their own permissions)."""
    if actor.is_superuser:
        return True
    granted = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    return granted <= actor.get_all_permissions()


# --- the roles' permissions, defined here and kept in the groups ---------------------------------

PLAN_CONTENT = {
    "frameworks": [
        "strategicplan",
        "frameworklevel",
        "value",
        "goal",
        "target",
        "objective",
        "objectivegoallink",
        "outcome",
        "output",
        "enabler",
    ],
    "risks": ["risk", "mitigation"],
    "indicators": ["indicator"],
}
REFERENCE_DATA = {
    "indicators": ["observation", "outputdelivery", "geography"],
    "frameworks": [
        "sectorassignment",
        "datasource",
        "sector",
        "wsisactionline",
        "sdg",
        "sdgtarget",
        "sdgindicator",
        "wsiscontribution",
        "sdgcontribution",
    ],
}
EVERY_ACTION = ("view", "add", "change", "delete")


def _permissions(models_by_app: dict[str, list[str]], actions: Iterable[str]) -> set[str]:
    return {
        f"{app_label}.{action}_{model}"
        for app_label, model_names in models_by_app.items()
        for model in model_names
        for action in actions
    }


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.REPORTER: frozenset(
        _permissions({"indicators": ["observation", "outputdelivery"]}, ("view", "add", "change"))
        | _permissions({"indicators": ["indicator", "geography"]}, ("view",))
    ),
    Role.EDITOR: frozenset(
        _permissions(PLAN_CONTENT, EVERY_ACTION)
        | _permissions({"indicators": ["observation", "geography"]}, ("view",))
        | _permissions({"risks": ["riskassessment"]}, ("view",))
    ),
    Role.REVIEWER: frozenset(
        _permissions({"indicators": ["observation", "outputdelivery"]}, ("view", "change"))
        | _permissions({"indicators": ["indicator", "geography"]}, ("view",))
    ),
    Role.ADMINISTRATOR: frozenset(
        _permissions(PLAN_CONTENT, EVERY_ACTION)
        | _permissions(REFERENCE_DATA, EVERY_ACTION)
        # Users, within can_manage_user. Groups are read only: they are the roles, defined
        # here; changing one would let an administrator grant themselves any permission.
        | _permissions({"auth": ["user"]}, EVERY_ACTION)
        | {"auth.view_group"}
        # Tokens are issued and revoked, never edited (changing a token's user would hand an
        # existing key to another account); their keys are shown once, when issued.
        | _permissions({"knox": ["authtoken"]}, ("view", "add", "delete"))
        # Published statistics are loaded from their files (load_statistics), never typed in:
        # administrators name the series and choose each series' leading release.
        | _permissions({"indicators": ["series", "release"]}, ("view", "change"))
        | _permissions({"indicators": ["statistic", "population"]}, ("view",))
        # the yearly review of the risk register (the plan's risk management)
        | _permissions({"risks": ["riskassessment"]}, EVERY_ACTION)
    ),
}
"""Each role's Django model permissions ("app_label.codename"): what its admin screens offer,
before the sector scope above narrows them to the user's sectors."""


def sync_role_groups(*, using: str = "default") -> None:
    """Make the roles' groups hold exactly ROLE_PERMISSIONS (created if missing; permissions
    given or taken away). Run after every migrate (frameworks.apps); tests call it too."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # Django creates permissions app by app after migrate, frameworks' before those of some apps
    # the roles hold, and a flushed test database has none: create them all (existing ones are
    # skipped)
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)

    wanted = set().union(*ROLE_PERMISSIONS.values())
    found = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.using(using).select_related("content_type")
        if f"{permission.content_type.app_label}.{permission.codename}" in wanted
    }
    missing = wanted - set(found)
    if missing:
        raise LookupError(f"ROLE_PERMISSIONS names unknown permissions: {sorted(missing)}")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([found[codename] for codename in codenames])


def role_group_permissions(*, using: str = "default") -> dict[str, frozenset[str]]:
    """The roles' groups as stored: role -> its permissions ("app_label.codename")."""
    from django.contrib.auth.models import Group

    stored: dict[str, set[str]] = {role: set() for role in ROLE_PERMISSIONS}
    rows = (
        Group.objects.using(using)
        .filter(name__in=list(ROLE_PERMISSIONS))
        .values_list("name", "permissions__content_type__app_label", "permissions__codename")
    )
    for name, app_label, codename in rows:
        if codename is not None:
            stored[name].add(f"{app_label}.{codename}")
    return {role: frozenset(codenames) for role, codenames in stored.items()}
