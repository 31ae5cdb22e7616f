"""Translated columns in `.values()` queries, with the same fallback as the models.

modeltranslation resolves fallbacks on model instances; exports that read thousands of rows use
`.values()` rows, so the fallback (current language → English → Chinese) is taken here, from the
language columns read.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from itu_rbm.prepared import plan_rows


def fallback_languages(language: str | None = None) -> list[str]:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    chain = [language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"]]
    return list(dict.fromkeys(lang for lang in chain if lang in dict(settings.LANGUAGES)))


def language_columns(*fields: str) -> list[str]:
    """The column of each of `fields` in every language (for `.only()` and `.defer()`)."""
    languages = [code for code, _name in settings.LANGUAGES]
    return [build_localized_fieldname(field, lang) for field in fields for lang in languages]


@dataclass(frozen=True)
class TranslatedColumns:
    """What to read for `.values()`-style rows with translated texts: the plain columns, then
    each translated field in every language of the fallback chain; and how to turn such rows
    into dicts, taking for each field the first language that has a text."""

    aliases: tuple[str, ...]  # keys of the plain columns
    keys: tuple[str, ...]  # keys of the translated fields
    languages: tuple[str, ...]  # the fallback chain, read for every translated field
    columns: tuple[str, ...]

    def as_dicts(self, rows) -> list[dict]:
        first_text, width = len(self.aliases), len(self.languages)
        result = []
        for row in rows:
            item = dict(zip(self.aliases, row[:first_text], strict=True))
            for index, key in enumerate(self.keys):
                start = first_text + index * width
                item[key] = next((text for text in row[start : start + width] if text), "")
            result.append(item)
        return result

    def as_records(self, rows) -> list[SimpleNamespace]:
        """Rows as objects that read like model instances in templates: each key, and each
        translated key's language columns (`text_fr`, …) for the fallback notes of the pages."""
        first_text = len(self.aliases)
        names = [
            build_localized_fieldname(key, language)
            for key in self.keys
            for language in self.languages
        ]
        return [
            SimpleNamespace(**item, **dict(zip(names, row[first_text:], strict=True)))
            for item, row in zip(self.as_dicts(rows), rows, strict=True)
        ]


def translated_columns(texts: dict[str, str], plain: dict[str, str]) -> TranslatedColumns:
    """Columns for `texts` ({key: field or related path such as `sdg__name`}) in the active
    language and its fallbacks, after the `plain` columns ({key: column}).

    The fallback is taken in Python from the language columns rather than by COALESCE in SQL,
    and the rows are read past modeltranslation's query rewriting (the columns are named
    already): the plan's tree took 57 ms to build this way instead of 70 (in process,
    PostgreSQL)."""
    languages = tuple(fallback_languages())
    localized = [
        build_localized_fieldname(field, lang) for field in texts.values() for lang in languages
    ]
    return TranslatedColumns(
        aliases=tuple(plain),
        keys=tuple(texts),
        languages=languages,
        columns=(*plain.values(), *localized),
    )


def translated_plan_rows(
    model, texts: dict[str, str], plain: dict[str, str], *, records: bool = False, **where
) -> list:
    """One table's rows in a plan (itu_rbm.prepared.plan_rows: `plan_id`, `plan`, `order_by`,
    constant filters) as dicts, or as records: `texts` translated, `plain` under their keys."""
    read = translated_columns(texts, plain)
    rows = plan_rows(model, read.columns, **where)
    return read.as_records(rows) if records else read.as_dicts(rows)
