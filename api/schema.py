"""How the OpenAPI description names the API's credentials."""

from django.conf import settings
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class PortalTokenScheme(KnoxTokenScheme):
    """The portal's tokens (django-rest-knox) under the scheme's name the API always had
    ("tokenAuth", as with DRF's tokens before), saying where a token comes from."""

    name = "tokenAuth"
    priority = 1  # before drf-spectacular's own knox scheme

    def get_security_definition(self, auto_schema):
        return {
            **super().get_security_definition(auto_schema),
            "description": (
                "`Authorization: Token <key>`. Tokens are issued by staff in the admin (API "
                "tokens), shown once, and expire "
                f"({settings.API_TOKEN_TTL_DAYS} days unless chosen otherwise); revoking a token "
                "or changing the user's password ends it."
            ),
        }
