"""Translated columns in `.values()` queries, with the same fallback as the models.

modeltranslation resolves fallbacks on model instances; pages and exports that read thousands of
rows use `.values()`, so the fallback (current language → English → Chinese) is done in SQL.
"""

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname


def fallback_languages(language: str | None = None) -> list[str]:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    chain = [language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"]]
    return list(dict.fromkeys(lang for lang in chain if lang in dict(settings.LANGUAGES)))


def translated(field: str, language: str | None = None, prefix: str = ""):
    """SQL expression: `field` in `language`, else in the fallback languages, else ''."""
    text = TextField()
    columns = [
        NullIf(F(prefix + build_localized_fieldname(field, lang)), Value(""), output_field=text)
        for lang in fallback_languages(language)
    ]
    return Coalesce(*columns, Value(""), output_field=text)


def translated_values(queryset, *fields: str, **plain: str):
    """`queryset.values()` rows as dicts: each of `fields` translated (a related path such as
    `sdg__name` gives the key `name`), plus the `plain` columns under their alias."""
    keys = {field: field.rsplit("__", 1)[-1] for field in fields}
    annotations = {f"t_{key}": translated(field) for field, key in keys.items()}
    rows = queryset.annotate(**annotations).values(*plain.values(), *annotations)
    for row in rows:
        yield {
            **{alias: row[column] for alias, column in plain.items()},
            **{key: row[f"t_{key}"] for key in keys.values()},
        }
