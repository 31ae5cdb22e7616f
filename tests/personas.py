"""The named people every test package acts as. A visitor needs no account; the others are staff
with a role (a Django group) in sectors: every loaded indicator belongs to ITU-D, so ITU-D's
people can act on figures and ITU-R's cannot; plan-wide content is intersectoral."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from frameworks.models import Sector, SectorAssignment
from frameworks.roles import Role

PASSWORD = "a-long-test-password-41"

PERSONAS = {
    "reporter_d": (Role.REPORTER, ["ITU-D"]),
    "reporter_d2": (Role.REPORTER, ["ITU-D"]),
    "reporter_r": (Role.REPORTER, ["ITU-R"]),
    "editor_d": (Role.EDITOR, ["ITU-D"]),
    "editor_r": (Role.EDITOR, ["ITU-R"]),
    "editor_i": (Role.EDITOR, ["intersectoral"]),
    "reviewer_d": (Role.REVIEWER, ["ITU-D"]),
    "reviewer_r": (Role.REVIEWER, ["ITU-R"]),
    "administrator": (Role.ADMINISTRATOR, []),
    "no_role": (None, ["ITU-D"]),  # staff, but without a role
    "nobody": (None, []),  # signed up, nothing more
}


def make_user(username: str, role: str | None = None, sectors=(), *, is_staff: bool = True):
    """A staff user with `role` (a Role, or a group's name) in `sectors` (their codes)."""
    from tests.conftest import ensure_roles

    ensure_roles()
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=is_staff
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    for code in sectors:
        SectorAssignment.objects.create(user=user, sector=Sector.objects.get(code=code))
    return user


def make_persona(name: str):
    role, sectors = PERSONAS[name]
    return make_user(name, role, sectors, is_staff=name != "nobody")
