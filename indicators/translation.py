from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from . import models


@register(models.Geography)
class GeographyTranslation(TranslationOptions):
    fields = ("name", "formal_name")


@register(models.Series)
class SeriesTranslation(TranslationOptions):
    fields = ("name", "definition")


@register(models.Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "definition", "note", "computation_method", "disaggregation", "comparability")


@register(models.OutputDelivery)
class OutputDeliveryTranslation(TranslationOptions):
    fields = ("narrative",)


# History is registered here, after the translation fields exist, so that each historical
# record keeps every language (a HistoricalRecords() field on the model would be built first,
# without them).
for model in (
    models.Indicator,
    models.Observation,
    models.OutputDelivery,
):
    track_history(model)
