"""The languages a text falls back to: the same chain modeltranslation applies to the models
(settings.MODELTRANSLATION_FALLBACK_LANGUAGES), for code that needs to name the language a
text is shown in (the pages' fallback notes, the comparison of two plans)."""

from django.conf import settings
from django.utils import translation


def fallback_languages(language: str | None = None) -> list[str]:
    """`language` (the active one by default), then its fallbacks, each once."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    chain = [language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"]]
    return list(dict.fromkeys(lang for lang in chain if lang in dict(settings.LANGUAGES)))
