"""The visitor's address, for django-axes' lock-out by address.

Behind a reverse proxy every request comes from the proxy: without this, five failed sign-ins
from anyone would lock everybody out. With TRUSTED_PROXIES = n (settings), the address is the one
the outermost trusted proxy saw: the n-th entry of X-Forwarded-For counted from the right, since
entries further left are whatever the client chose to send.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [address.strip() for address in header.split(",") if address.strip()]
    if len(forwarded) < proxies:
        return remote  # did not come through the proxies we were told of
    return forwarded[-proxies]
