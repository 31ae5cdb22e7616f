"""Personas of the secretariat's workspace: each role in a sector (ITU-D, whose indicators all
are; ITU-R; intersectoral for plan-wide content), an administrator, and staff without a role."""

import pytest
from django.contrib.auth.models import Group
from django.forms import CheckboxInput, MultiWidget
from django.test import Client

from frameworks.models import Sector, SectorAssignment
from frameworks.roles import Role
from indicators import services
from indicators.models import Observation
from tests.conftest import ensure_roles

PASSWORD = "a-long-test-password-41"

PERSONAS = {
    "reporter_d": (Role.REPORTER, ["ITU-D"]),
    "reporter_d2": (Role.REPORTER, ["ITU-D"]),
    "editor_d": (Role.EDITOR, ["ITU-D"]),
    "editor_r": (Role.EDITOR, ["ITU-R"]),
    "editor_i": (Role.EDITOR, ["intersectoral"]),
    "reviewer_d": (Role.REVIEWER, ["ITU-D"]),
    "reviewer_r": (Role.REVIEWER, ["ITU-R"]),
    "administrator": (Role.ADMINISTRATOR, []),
    "no_role": (None, ["ITU-D"]),
}

FIGURE = {
    "indicator": "1.2-internet-use",
    "geography": "WLD",
    "year": "2024",
    "value": "68.5",
    "source": "ITU Facts and Figures 2024",
    "source_url": "https://www.itu.int/itu-d/reports/statistics/facts-figures-2024/",
    "edition": "Facts and Figures 2024",
    "note": "",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Nine personas per test: a fast hasher (the production one is slow on purpose)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(django_user_model, username, role, sectors):
    ensure_roles()
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=True
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    for code in sectors:
        SectorAssignment.objects.create(user=user, sector=Sector.objects.get(code=code))
    return user


@pytest.fixture
def people(db, django_user_model):
    """Every persona, by name."""
    return {
        name: make_user(django_user_model, name, role, sectors)
        for name, (role, sectors) in PERSONAS.items()
    }


@pytest.fixture
def client_of(people):
    """A signed-in browser for a persona: client_of("editor_d")."""

    def make(name):
        client = Client()
        client.force_login(people[name])
        return client

    return make


@pytest.fixture
def submitted(people, plan):
    """A figure for 2024, reported by reporter_d and waiting for review."""
    return services.observation_report(plan=plan, raw=FIGURE, user=people["reporter_d"])


def report(plan, user, **changes) -> Observation:
    return services.observation_report(plan=plan, raw={**FIGURE, **changes}, user=user)


def form_data(response) -> dict:
    """What a browser would send back from an admin change (or add) page: every field of the
    form and of its inlines, with the values shown."""
    context = response.context
    data = {}

    def add(form):
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            value = form[name].value()
            if isinstance(field.widget, MultiWidget):  # e.g. a date and a time
                parts = field.widget.decompress(value) if value else []
                for index, _widget in enumerate(field.widget.widgets):
                    part = parts[index] if index < len(parts) else None
                    data[f"{key}_{index}"] = "" if part is None else str(part)
            elif isinstance(field.widget, CheckboxInput):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            elif isinstance(value, (list, tuple)):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)

    add(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            add(form)
    return data
