from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from . import models


@register(models.StrategicPlan)
class StrategicPlanTranslation(TranslationOptions):
    fields = ("title", "resolution", "edition", "vision", "mission", "values_intro", "sources")


@register(models.FrameworkLevel)
class FrameworkLevelTranslation(TranslationOptions):
    fields = ("name", "definition")


@register(models.Value)
class ValueTranslation(TranslationOptions):
    fields = ("name", "description")


@register(models.DataSource)
class DataSourceTranslation(TranslationOptions):
    fields = ("name", "contact")


@register(models.Goal)
class GoalTranslation(TranslationOptions):
    fields = ("short_name", "name", "description", "note")


@register(models.Target)
class TargetTranslation(TranslationOptions):
    fields = ("text", "note")


@register(models.Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)


@register(models.Objective)
class ObjectiveTranslation(TranslationOptions):
    fields = ("short_name", "text", "note")


@register(models.Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("text", "note")


@register(models.Output)
class OutputTranslation(TranslationOptions):
    fields = ("text", "note")


@register(models.Enabler)
class EnablerTranslation(TranslationOptions):
    fields = ("activity", "contribution", "results", "note")


@register(models.WsisActionLine)
class WsisActionLineTranslation(TranslationOptions):
    fields = ("name",)


@register(models.Sdg)
class SdgTranslation(TranslationOptions):
    fields = ("name",)


# History is registered here, after the translation fields exist, so that each historical
# record keeps every language (a HistoricalRecords() field on the model would be built first,
# without them).
for model in (
    models.StrategicPlan,
    models.FrameworkLevel,
    models.Value,
    models.Goal,
    models.Target,
    models.Objective,
    models.ObjectiveGoalLink,
    models.Outcome,
    models.Output,
    models.Enabler,
):
    track_history(model)
