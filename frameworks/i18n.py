"""The plan's languages: which there are, the column of a text in each, and the chain a text
falls back along (settings.MODELTRANSLATION_FALLBACK_LANGUAGES, as modeltranslation applies it to
the models), for code that reads language columns itself or names the language a text is shown
in (the pages' fallback notes, the comparison of two plans, the loaders)."""

from collections.abc import Iterable, Mapping
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def text_columns(name: str) -> list[str]:
    """The columns of a translated field, one per language: text -> text_ar, text_en, …"""
    return [build_localized_fieldname(name, language) for language in LANGUAGES]


def fallback_languages(language: str | None = None) -> list[str]:
    """`language` (the active one by default), then its fallbacks, each once."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    chain = [language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"]]
    return list(dict.fromkeys(lang for lang in chain if lang in LANGUAGES))


@lru_cache
def _fallback_columns(name: str, language: str) -> tuple[tuple[str, str], ...]:
    # read for every text of a page, hence kept
    return tuple(
        (build_localized_fieldname(name, code), code) for code in fallback_languages(language)
    )


def first_text(source, name: str, languages: Iterable[str] | None = None) -> tuple[str, str | None]:
    """(text, its language): the first of `languages` (the active one and its fallbacks by
    default) in which `source` — a model instance or a `.values()` row — has a text of field
    `name`; ("", None) if none has."""
    if languages is None:
        columns = _fallback_columns(name, translation.get_language() or settings.LANGUAGE_CODE)
    else:
        columns = [(build_localized_fieldname(name, code), code) for code in languages]
    read = (
        source.get if isinstance(source, Mapping) else lambda column: getattr(source, column, None)
    )
    for column, language in columns:
        text = read(column)
        if text:
            return text, language
    return "", None
