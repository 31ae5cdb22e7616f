"""Pages meant to be embedded in other sites (a chart in a partner's report).

Every other answer forbids framing twice: CSP `frame-ancestors 'none'` (settings
CONTENT_SECURITY_POLICY) and `X-Frame-Options: DENY` (for browsers without CSP level 2).
A view decorated with `@embeddable` may be framed by any site: it gets `frame-ancestors *`
and no X-Frame-Options. Use it only on read-only pages with nothing to click that changes
anything (clickjacking needs an action to trick the visitor into).
"""

from collections.abc import Callable

from csp.decorators import csp_replace
from django.views.decorators.clickjacking import xframe_options_exempt

EMBEDDABLE_POLICY = {"frame-ancestors": ["*"]}


def embeddable(view: Callable) -> Callable:
    # csp_replace, not csp_update: update would add "*" beside 'none', which browsers read
    # as 'none' alone.
    return xframe_options_exempt(csp_replace(EMBEDDABLE_POLICY)(view))
