"""The secretariat's workspace, plan side: its home, the recent changes across the plan, and the
comparison of two plans. Every page is for users with a role (frameworks.roles); the figures'
pages (report, review) are in workspace/views.py."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from frameworks import roles
from frameworks.i18n import text_columns
from frameworks.models import StrategicPlan

from . import desk, services

HISTORY_LIMIT = 50


def role_required(*wanted: roles.Role):
    """Signed-in users with one of `wanted` roles (any role if none is named); others are sent
    to sign in, or told that the page is not for them (403)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not roles.has_any_role(user, wanted):
                return render(
                    request,
                    "workspace/forbidden.html",
                    {"wanted": [role.label for role in wanted]},
                    status=403,
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@require_safe
@role_required()
def home(request):
    """The user's desk (workspace/desk.py): what waits for them, by role; the recent changes;
    the choice of two plans to compare."""
    plans = list(
        StrategicPlan.objects.visible_to(request.user)
        .only("code", "status", "period_start", "period_end", *text_columns("title"))
        .order_by("-period_start")
    )
    first, second = request.GET.get("a"), request.GET.get("b")
    codes = {plan.code for plan in plans}
    if first in codes and second in codes:
        return redirect("workspace:compare", plan_a=first, plan_b=second)
    user = request.user
    context = {
        "roles": sorted(roles.roles_of(user)),
        "sectors": sorted(roles.sector_codes_of(user)),
        "can_report": roles.has_role(user, roles.Role.REPORTER),
        "can_review": roles.has_role(user, roles.Role.REVIEWER),
        "can_edit": roles.has_role(user, roles.Role.EDITOR),
        "desk": desk.desk_for(user, plans),
        "now": timezone.now(),
        "plans": plans,
        "section": "home",
    }
    return render(request, "workspace/home.html", context)


KINDS = [
    (label.split(".")[1], label)
    for label in services.TRACKED  # e.g. ("target", "frameworks.target")
]


@require_safe
@role_required()
def history(request):
    """The latest changes across the plan and its figures (bounded: a fixed number of queries)."""
    from django.apps import apps

    kind = request.GET.get("kind") or None
    names = {name: apps.get_model(label)._meta.verbose_name for name, label in KINDS}
    if kind is not None and kind not in names:
        kind = None
    changes = services.recent_changes(limit=HISTORY_LIMIT, kinds=[kind] if kind else None)
    context = {
        "changes": changes,
        "kinds": sorted(names.items(), key=lambda item: str(item[1])),
        "kind": kind,
        "limit": HISTORY_LIMIT,
        "section": "history",
    }
    return render(request, "workspace/history.html", context)


CHANGE_LABELS = {
    "added": gettext_lazy("added"),
    "removed": gettext_lazy("removed"),
    "reworded": gettext_lazy("reworded"),
    "changed": gettext_lazy("changed"),
}


@require_safe
@role_required()
def compare(request, plan_a, plan_b):
    """What differs between two plans: added, removed, reworded elements, in the active
    language."""
    plans = StrategicPlan.objects.visible_to(request.user).in_bulk(
        [plan_a, plan_b], field_name="code"
    )
    if plan_a not in plans or plan_b not in plans:
        raise Http404(_("No such plan."))
    old, new = plans[plan_a], plans[plan_b]
    differences = services.plan_compare(old, new)
    groups: dict[str, list] = {}
    for difference in differences:
        groups.setdefault(difference.kind, []).append(
            (difference, CHANGE_LABELS[difference.change])
        )
    totals = {change: 0 for change in CHANGE_LABELS}
    for difference in differences:
        totals[difference.change] += 1
    context = {
        "old": old,
        "new": new,
        "groups": groups,
        "totals": [(CHANGE_LABELS[change], count) for change, count in totals.items()],
        "section": "compare",
    }
    return render(request, "workspace/compare.html", context)
