"""Accounts' credentials (frameworks/accounts.py): which passwords are refused, and a password
change revoking the user's API tokens however the password was changed."""

import pytest
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from knox.models import AuthToken

from frameworks.accounts import GuessabilityValidator
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

GUESSABLE = "This password is too easy to guess."


@pytest.fixture
def jane(django_user_model):
    return django_user_model.objects.create_user(
        "jsmith", "jane.smith@itu.int", PASSWORD, first_name="Jane", last_name="Smith"
    )


def refusals(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    "password",
    [
        "correcthorse",  # 12 characters, not common enough for Django's list
        "itu-rbm-2020",  # the portal's name and a plan's first year
        "password1234",
        "Strategic-Plan-2024",
        "itu-portal-2023!",
    ],
)
def test_guessable_passwords_are_refused(password, plan):
    assert any(message.startswith(GUESSABLE) for message in refusals(password))


@pytest.mark.parametrize("password", ["JaneSmith2024!", "jane.smith.2023", "Jsmith-2022-2023"])
def test_a_users_own_name_and_a_year_are_refused(password, jane, plan):
    assert any(message.startswith(GUESSABLE) for message in refusals(password, jane))


def test_the_plans_years_are_the_loaded_plans(plan):
    """The 2020-2023 plan is loaded: its years are words anyone would try."""
    words = GuessabilityValidator().words()
    assert {"2020", "2021", "2022", "2023", "itu", "rbm", "portal"} <= set(words)


@pytest.mark.parametrize(
    "password", ["amber-kettle-orbit-sailing", "planet orange river cloud", PASSWORD]
)
def test_a_passphrase_is_accepted(password, jane, plan):
    assert refusals(password, jane) == []


def test_short_and_common_passwords_are_refused_with_their_own_messages():
    messages = refusals("12345678")
    assert "This password is too short. It must contain at least 12 characters." in messages
    assert "This password is too common." in messages
    assert "This password is entirely numeric." in messages


# --- a password change revokes the user's tokens --------------------------------------------------


def test_set_password_and_save_revokes_every_token_of_the_user(jane, django_user_model):
    other = django_user_model.objects.create_user("other", "o@example.org", PASSWORD)
    AuthToken.objects.create(user=jane)
    AuthToken.objects.create(user=jane)
    kept, _key = AuthToken.objects.create(user=other)
    jane.set_password("a-new-long-passphrase-for-jane")
    assert AuthToken.objects.filter(user=jane).count() == 2  # nothing before the save
    jane.save()
    assert not AuthToken.objects.filter(user=jane).exists()
    assert list(AuthToken.objects.all()) == [kept]


@pytest.mark.parametrize(
    "form_class, data",
    [
        (SetPasswordForm, {}),  # a reset, or an administrator setting it
        (PasswordChangeForm, {"old_password": PASSWORD}),  # the user's own change
    ],
)
def test_password_forms_revoke_the_tokens(form_class, data, jane):
    AuthToken.objects.create(user=jane)
    new = "a-new-long-passphrase-for-jane"
    form = form_class(jane, {**data, "new_password1": new, "new_password2": new})
    assert form.is_valid(), form.errors
    form.save()
    assert not AuthToken.objects.filter(user=jane).exists()


def test_an_unusable_password_revokes_the_tokens(jane):
    AuthToken.objects.create(user=jane)
    jane.set_unusable_password()
    jane.save()
    assert not AuthToken.objects.filter(user=jane).exists()


def test_saving_other_fields_keeps_the_tokens(jane):
    token, _key = AuthToken.objects.create(user=jane)
    jane.first_name = "Janet"
    jane.save()
    jane.save(update_fields=["last_login"])
    jane.set_password(PASSWORD)  # the same password, hashed again (another salt): a change
    jane.save(update_fields=["first_name"])  # …that this save does not write
    assert list(AuthToken.objects.filter(user=jane)) == [token]


# --- the move from DRF's plain tokens ------------------------------------------------------------


def test_the_old_plain_keys_are_dropped_by_the_migration():
    """A database that had DRF's authtoken loses its table of plain keys (none of them works any
    more), the app's migration records and its permissions."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    migration = importlib.import_module("frameworks.migrations.0005_drop_plain_api_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id int)")
        cursor.execute(
            "INSERT INTO authtoken_token VALUES ('0123456789abcdef0123456789abcdef01234567', 1)"
        )
    recorder = MigrationRecorder(connection)
    recorder.record_applied("authtoken", "0001_initial")
    old = ContentType.objects.create(app_label="authtoken", model="token")
    Permission.objects.create(content_type=old, codename="view_token", name="Can view token")
    editor = SimpleNamespace(
        connection=connection,
        execute=lambda sql: connection.cursor().execute(sql),
        quote_name=connection.ops.quote_name,
    )
    migration.drop_plain_tokens(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert not recorder.migration_qs.filter(app="authtoken").exists()
    assert not Permission.objects.filter(content_type__app_label="authtoken").exists()
    migration.drop_plain_tokens(apps, editor)  # a database that never had them: nothing to do
