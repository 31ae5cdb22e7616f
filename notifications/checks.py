"""A system check: in production, notifications need a mail server (EMAIL_URL)."""

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register

CONSOLE = "django.core.mail.backends.console.EmailBackend"


@register()
def check_mail_server(app_configs, **kwargs) -> list[CheckWarning]:
    if settings.DEBUG or settings.EMAIL_BACKEND != CONSOLE:
        return []
    return [
        CheckWarning(
            "EMAIL_URL is not set: notifications are printed on the console, not sent.",
            hint="Set EMAIL_URL, e.g. smtp://user:password@mail.example.org:587/?tls=true, "
            "and PORTAL_URL, the portal's address used in the e-mails' links.",
            id="notifications.W001",
        )
    ]
