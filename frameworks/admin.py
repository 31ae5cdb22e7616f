"""The secretariat's editing screens: every element of the plan, every language in tabs,
with history (who changed what) on each change page."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from . import models


class PlanContentAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    """The one base for plan content: translation tabs, history, filtered by plan."""

    list_filter = ["plan"]
    list_select_related = ["plan"]
    readonly_fields = ["version", "updated_at"]


class TranslatedAdmin(TabbedTranslationAdmin):
    """Shared reference data (sectors, SDGs…): translated, not tied to a plan."""


class TargetInline(TranslationTabularInline):
    model = models.Target
    fields = ["code", "order", "text", "proposed"]
    extra = 0
    show_change_link = True


class OutcomeInline(TranslationTabularInline):
    model = models.Outcome
    fields = ["code", "order", "text"]
    extra = 0


class OutputInline(TranslationTabularInline):
    model = models.Output
    fields = ["code", "order", "text"]
    extra = 0


class GoalLinkInline(admin.TabularInline):
    model = models.ObjectiveGoalLink
    extra = 0
    autocomplete_fields = ["goal"]


@admin.register(models.StrategicPlan)
class StrategicPlanAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["code", "title", "period_start", "period_end", "status", "progress_method"]
    list_filter = ["status"]
    search_fields = ["code", "title"]
    readonly_fields = ["version", "updated_at"]
    filter_horizontal = ["custodian_indicators"]


@admin.register(models.FrameworkLevel)
class FrameworkLevelAdmin(PlanContentAdmin):
    list_display = ["plan", "order", "name"]
    ordering = ["plan", "order"]


@admin.register(models.Value)
class ValueAdmin(PlanContentAdmin):
    list_display = ["plan", "order", "name"]
    search_fields = ["name", "description"]
    ordering = ["plan", "order"]


@admin.register(models.Goal)
class GoalAdmin(PlanContentAdmin):
    list_display = ["plan", "number", "short_name", "name"]
    search_fields = ["short_name", "name", "description"]
    ordering = ["plan", "number"]
    inlines = [TargetInline]
    filter_horizontal = ["sdg_targets"]


@admin.register(models.Target)
class TargetAdmin(PlanContentAdmin):
    list_display = ["code", "plan", "goal", "text", "proposed"]
    list_filter = ["plan", "goal__number", "proposed", "data_sources"]
    list_select_related = ["plan", "goal"]
    search_fields = ["code", "text"]
    ordering = ["plan", "goal__number", "order"]
    filter_horizontal = ["data_sources"]


@admin.register(models.Objective)
class ObjectiveAdmin(PlanContentAdmin):
    list_display = ["code", "plan", "sector", "short_name"]
    list_filter = ["plan", "sector"]
    list_select_related = ["plan", "sector"]
    search_fields = ["code", "short_name", "text"]
    ordering = ["plan", "sector__order", "order"]
    inlines = [GoalLinkInline, OutcomeInline, OutputInline]


@admin.register(models.Outcome, models.Output)
class OutcomeOutputAdmin(PlanContentAdmin):
    list_display = ["code", "plan", "objective", "text"]
    list_filter = ["plan", "objective__sector", "objective"]
    list_select_related = ["plan", "objective"]
    search_fields = ["code", "text"]
    ordering = ["plan", "objective__sector__order", "objective__order", "order"]


@admin.register(models.Enabler)
class EnablerAdmin(PlanContentAdmin):
    list_display = ["code", "plan", "provider", "activity", "supports_all_objectives"]
    list_filter = ["plan", "provider", "objectives__sector"]
    search_fields = ["code", "activity", "contribution", "results"]
    ordering = ["plan", "order"]
    filter_horizontal = ["objectives"]


@admin.register(models.ObjectiveGoalLink)
class ObjectiveGoalLinkAdmin(SimpleHistoryAdmin):
    list_display = ["objective", "goal", "kind"]
    list_filter = ["objective__plan", "kind", "goal__number", "objective__sector"]
    list_select_related = ["objective", "goal"]
    autocomplete_fields = ["objective", "goal"]


@admin.register(models.DataSource)
class DataSourceAdmin(TranslatedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Sector)
class SectorAdmin(TranslatedAdmin):
    list_display = ["code", "prefix", "name", "order"]


@admin.register(models.WsisActionLine)
class WsisActionLineAdmin(TranslatedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Sdg)
class SdgAdmin(TranslatedAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]


@admin.register(models.SdgTarget)
class SdgTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "sdg"]
    list_filter = ["sdg"]
    search_fields = ["code"]


@admin.register(models.SdgIndicator)
class SdgIndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "target"]
    search_fields = ["code"]


@admin.register(models.WsisContribution, models.SdgContribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "outputs", "activities"]
    list_filter = ["plan"]
    list_select_related = True
