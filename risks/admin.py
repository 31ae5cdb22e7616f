from django.contrib import admin
from modeltranslation.admin import TranslationTabularInline

from frameworks.admin import LanguageDirection, PlanContentAdmin, ScopedInline

from .models import Mitigation, Risk


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
