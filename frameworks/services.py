"""Operations on the plan's content and its history: what changed under an edit (the admin's
no-lost-edits check) and the field-by-field difference between two historical records.

Texts are compared column by column (`text_en`, `text_fr`…), never through the untranslated
field, which modeltranslation resolves to the active language.
"""

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from modeltranslation.manager import get_translatable_fields_for_model

from itu_rbm.formats import plain_number


def translated_fields(model) -> list[str]:
    return list(get_translatable_fields_for_model(model) or [])


def shown_value(value) -> str:
    """A stored value as a person reads it: 65.000000 as 65, True as "yes"."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


# --- no lost edits ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A field that someone else changed while you were editing: their value, stored now, and
    yours, in the change that was refused."""

    field: str
    label: str
    theirs: str
    yours: str


def edit_conflicts(current, *, based_on: int, yours: dict) -> list[Conflict]:
    """The fields of `yours` that changed in `current` (as stored now) since version
    `based_on`, from the element's history (one query). Without a history record of that
    version, every field where the stored value differs from yours is listed."""
    seen = (
        current.history.filter(version=based_on).order_by("-history_date", "-history_id").first()
        if hasattr(current, "history")
        else None
    )
    conflicts = []
    for name, value in yours.items():
        model_field = current._meta.get_field(name)
        if model_field.many_to_many:
            continue  # no history of links
        attname = model_field.attname
        theirs = current.__dict__.get(attname)
        if seen is not None:
            changed = _normal(getattr(seen, attname, None)) != _normal(theirs)
        else:
            changed = _normal(theirs) != _normal(getattr(value, "pk", value))
        if changed:
            shown = getattr(current, name) if model_field.is_relation else theirs
            conflicts.append(
                Conflict(
                    name,
                    str(getattr(model_field, "verbose_name", name)),
                    shown_value(shown),
                    shown_value(value),
                )
            )
    return conflicts


def _normal(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return value.normalize()
    return value


# --- history ----------------------------------------------------------------------------------


def history_noise(model) -> set[str]:
    """Fields left out of a diff: the untranslated copies of translated fields (each language
    has its own column, diffed on its own)."""
    return set(translated_fields(model))


def history_delta(new, old):
    """The changes from historical record `old` to `new`, field by field, leaving out the
    untranslated copies of texts and a text that went from missing (None) to empty: both mean
    "no text in this language", and a form saves every missing language as empty."""
    delta = new.diff_against(old, excluded_fields=history_noise(type(new).instance_type))
    changes = [
        change
        for change in delta.changes
        if not (change.old in (None, "") and change.new in (None, ""))
    ]
    return dataclasses.replace(
        delta, changes=changes, changed_fields=[change.field for change in changes]
    )
