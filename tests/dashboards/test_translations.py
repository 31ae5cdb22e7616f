"""Every interface string is translated in the five other languages, and the committed .mo files
are compiled from the .po files as they are (run `makemessages`, translate, `compilemessages`)."""

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ("ar", "es", "fr", "ru", "zh_Hans")


def entries(path: Path) -> list[dict]:
    """The .po file's entries: msgid, msgid_plural, msgstr / msgstr[n], and flags."""
    result = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"flags": ""}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = line
            elif match := re.match(
                r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line
            ):
                key = match.group(1)
                entry[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
        if entry.get("msgid"):
            result.append(entry)
    return result


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_translated(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    untranslated = [
        entry["msgid"]
        for entry in entries(po)
        if "fuzzy" in entry["flags"]
        or not all(value for key, value in entry.items() if key.startswith("msgstr"))
    ]
    assert not untranslated, f"{len(untranslated)} strings to translate: {untranslated[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_messages_match_the_translations(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries(folder / "django.po"):
        if "msgid_plural" in entry or "msgctxt" in entry:
            continue
        assert compiled.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]
