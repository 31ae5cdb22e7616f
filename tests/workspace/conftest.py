"""The workspace's tests act as the personas of tests/personas.py, signed in with a browser."""

import pytest
from django.forms import CheckboxInput, MultiWidget
from django.test import Client

from indicators import services
from indicators.models import Observation
from tests.personas import PASSWORD, PERSONAS, make_persona  # noqa: F401 - PASSWORD for tests

FIGURE = {
    "indicator": "1.2-internet-use",
    "geography": "WLD",
    "year": "2024",
    "value": "68.5",
    "publisher": "ITU",
    "publication": "Facts and Figures 2025",
    "source": "ITU Facts and Figures 2025",
    "source_url": "https://www.itu.int/itu-d/reports/statistics/facts-figures-2024/",
    "edition": "Facts and Figures 2025",
    "note": "",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Nine personas per test: a fast hasher (the production one is slow on purpose)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db, django_user_model):
    """Every persona, by name."""
    return {name: make_persona(name) for name in PERSONAS}


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
