"""Who may do what: roles (Django groups) scoped to the sectors a user is assigned to.

- Reporter: submits observations for the indicators of their sectors.
- Editor: edits plan content of their sectors.
- Reviewer: approves or returns submitted observations of their sectors.
- Administrator: everything, in every sector.

Plan-wide content (the plan, its levels, values, goals, targets and risks) belongs to the
intersectoral scope: editors assigned to "intersectoral" edit it. The General Secretariat's
enablers are intersectoral too; each bureau's enablers belong to its sector.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

INTERSECTORAL = "intersectoral"
PROVIDER_SECTORS = {"BR": "ITU-R", "TSB": "ITU-T", "BDT": "ITU-D", "GS": INTERSECTORAL}


class Role(models.TextChoices):
    REPORTER = "Reporter", _("Reporter")
    EDITOR = "Editor", _("Editor")
    REVIEWER = "Reviewer", _("Reviewer")
    ADMINISTRATOR = "Administrator", _("Administrator")


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


def sector_code_of(element) -> str:
    """The sector that owns a plan element or an indicator/observation."""
    name = element._meta.model_name
    if name == "observation":
        return element.indicator.sector.code
    if name == "indicator":
        return element.sector.code
    if name == "objective":
        return element.sector.code
    if name in {"outcome", "output", "objectivegoallink"}:
        return element.objective.sector.code
    if name == "enabler":
        return PROVIDER_SECTORS[element.provider]
    return INTERSECTORAL


# How each sector-owned model reaches its sector's code, for filtering querysets; the enablers
# go through their provider, everything else of a plan is intersectoral.
SECTOR_PATHS = {
    "objective": "sector__code",
    "outcome": "objective__sector__code",
    "output": "objective__sector__code",
    "objectivegoallink": "objective__sector__code",
    "indicator": "sector__code",
    "observation": "indicator__sector__code",
}


def scope_filter(user, model) -> Q | None:
    """The rows of `model` within the user's sectors, as a filter (None: every row, for
    administrators). The queryset form of `in_scope`."""
    if is_administrator(user):
        return None
    sectors = sector_codes_of(user)
    name = model._meta.model_name
    if name in SECTOR_PATHS:
        return Q(**{f"{SECTOR_PATHS[name]}__in": sorted(sectors)})
    if name == "enabler":
        providers = [code for code, sector in PROVIDER_SECTORS.items() if sector in sectors]
        return Q(provider__in=providers)
    return Q() if INTERSECTORAL in sectors else Q(pk__in=[])


def in_scope(user, element) -> bool:
    return is_administrator(user) or sector_code_of(element) in sector_codes_of(user)


def can_edit(user, element) -> bool:
    return is_administrator(user) or (Role.EDITOR in roles_of(user) and in_scope(user, element))


def can_report(user, indicator) -> bool:
    return is_administrator(user) or (Role.REPORTER in roles_of(user) and in_scope(user, indicator))


def can_review(user, observation) -> bool:
    return is_administrator(user) or (
        Role.REVIEWER in roles_of(user) and in_scope(user, observation)
    )


def can_revise(user, observation) -> bool:
    """Change a figure's values: its reporter (still in the sector) until it is approved, or an
    administrator. An approved figure is never changed: a correction is a new edition."""
    if observation.status == "approved":
        return False
    if is_administrator(user):
        return True
    return observation.reported_by_id == user.pk and can_report(user, observation.indicator)
