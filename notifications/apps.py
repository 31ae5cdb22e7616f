from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """E-mail to the people a change concerns: a figure's reviewers when it is submitted, its
    reporter when it is returned or approved; at once or in a daily digest, as each prefers."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from indicators.signals import figures_transitioned

        from . import checks, receivers  # noqa: F401 - checks registers the system check

        figures_transitioned.connect(
            receivers.figures_transitioned, dispatch_uid="notifications.figures_transitioned"
        )
