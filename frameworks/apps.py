from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_migrate, pre_save


class FrameworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "frameworks"

    def ready(self):
        from itu_rbm import caching, checks  # noqa: F401 - checks registers the system check

        from . import accounts

        # The roles' groups follow frameworks.roles.ROLE_PERMISSIONS after every migrate (and
        # after a test database is flushed), whatever an older migration gave them.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
        # A write to the plan leaves the cached public answers behind (itu_rbm/caching.py).
        caching.connect_content_models(self)
        # A password change revokes the user's API tokens, however the password was changed.
        pre_save.connect(
            accounts.revoke_tokens_on_password_change,
            sender=get_user_model(),
            dispatch_uid="revoke_tokens_on_password_change",
        )


def sync_roles_after_migrate(sender, *, apps=None, using="default", **kwargs):
    from . import roles

    try:
        if apps is not None:  # the state migrate reached (None when a test database is flushed)
            apps.get_model("auth", "Group")
    except LookupError:  # migrated back to before the auth tables: no roles to keep
        return
    roles.sync_role_groups(using=using)
