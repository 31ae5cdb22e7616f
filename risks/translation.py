from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from . import models


@register(models.Risk)
class RiskTranslation(TranslationOptions):
    fields = ("title", "description")


@register(models.Mitigation)
class MitigationTranslation(TranslationOptions):
    fields = ("text",)


@register(models.RiskAssessment)
class RiskAssessmentTranslation(TranslationOptions):
    fields = ("owner", "note")


# History is registered here, after the translation fields exist, so that each historical
# record keeps every language (a HistoricalRecords() field on the model would be built first,
# without them).
for model in (
    models.Risk,
    models.Mitigation,
    models.RiskAssessment,
):
    track_history(model)
