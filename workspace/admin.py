"""The plans' admin with what spans the data apps: starting the next cycle copies a plan with its
risks and indicators (workspace.services.plan_copy)."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from frameworks.admin import StrategicPlanAdmin
from frameworks.models import StrategicPlan

from . import services

admin.site.unregister(StrategicPlan)


@admin.register(StrategicPlan)
class PlanCycleAdmin(StrategicPlanAdmin):
    actions = ["copy_into_next_cycle"]

    @admin.action(
        description=_("Start the next cycle: copy the selected plans as drafts"),
        permissions=["add"],
    )
    def copy_into_next_cycle(self, request, queryset):
        for source in queryset:
            code = services.next_code(source)
            try:
                copy = services.plan_copy(source=source, code=code, user=request.user)
            except services.PlanCopyError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            counts = services.plan_contents(copy)
            self.message_user(
                request,
                gettext(
                    "%(source)s was copied into the draft %(copy)s: %(goals)s goals, "
                    "%(targets)s targets, %(objectives)s objectives, %(indicators)s indicators, "
                    "no figures. The public will not see it until it is published."
                )
                % {
                    "source": source.code,
                    "copy": copy.code,
                    "goals": counts["goals"],
                    "targets": counts["targets"],
                    "objectives": counts["objectives"],
                    "indicators": counts["indicators"],
                },
                messages.SUCCESS,
            )
