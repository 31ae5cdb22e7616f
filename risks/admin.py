from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from frameworks.admin import (
    HistoryAdmin,
    LanguageDirection,
    PlanContentAdmin,
    ScopedInline,
    SixLanguageAdmin,
)

from .models import Mitigation, Risk, RiskAssessment


class MitigationInline(ScopedInline, LanguageDirection, TranslationTabularInline):
    model = Mitigation
    fields = ["order", "strategy", "text"]
    extra = 0


@admin.register(Risk)
class RiskAdmin(PlanContentAdmin):
    list_display = ["plan", "number", "title"]
    search_fields = ["title", "description", "mitigations__text"]
    ordering = ["plan", "number"]
    inlines = [MitigationInline]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(HistoryAdmin, SixLanguageAdmin):
    """The yearly assessment of each strategic risk, by administrators (frameworks.roles)."""

    list_display = [
        "risk",
        "year",
        "likelihood",
        "impact",
        "severity_label",
        "trend",
        "mitigation_status",
        "assessed_by",
    ]
    list_filter = ["year", "risk__plan", "trend", "mitigation_status"]
    list_select_related = ["risk", "assessed_by"]
    search_fields = ["risk__title", "owner", "note"]
    readonly_fields = ["assessed_by", "updated_at"]

    @admin.display(description=_("severity"))
    def severity_label(self, assessment):
        return assessment.get_severity_display()

    def save_model(self, request, obj, form, change):
        obj.assessed_by = request.user
        super().save_model(request, obj, form, change)
