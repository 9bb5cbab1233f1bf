"""The reader catalogues (locale/): complete, compiled, found by Django, German intact."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

import polib
import pytest

from hub import languages

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [language.tag for language in languages.DEFAULT_LANGUAGES[1:]]


def po_path(tag: str) -> Path:
    return LOCALE / translation.to_locale(tag) / "LC_MESSAGES" / "django.po"


def messages(catalogue) -> dict:
    """msgid (and plural) -> translations, the same for a .po and a .mo."""
    result = {}
    for entry in catalogue:
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            forms = tuple(
                entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)
            )
            result[(entry.msgid, entry.msgid_plural)] = forms
        else:
            result[entry.msgid] = entry.msgstr
    return result


def test_every_language_but_german_has_a_catalogue():
    assert sorted(
        path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/*.po")
    ) == sorted(translation.to_locale(tag) for tag in TRANSLATED)
    assert po_path("de-x-ls") == LOCALE / "de_X-ls" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("tag", TRANSLATED)
def test_the_catalogue_is_complete(tag):
    catalogue = polib.pofile(str(po_path(tag)))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert catalogue.percent_translated() == 100
    plurals = int(catalogue.metadata["Plural-Forms"].split(";")[0].split("=")[1])
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == plurals, entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("tag", TRANSLATED)
def test_every_catalogue_has_the_same_messages(tag):
    english = set(messages(polib.pofile(str(po_path("en")))))
    assert set(messages(polib.pofile(str(po_path(tag))))) == english


@pytest.mark.parametrize("tag", TRANSLATED)
def test_the_compiled_catalogue_matches_its_source(tag):
    # Run `python locale/translations.py` (or compilemessages) after editing a .po.
    source = polib.pofile(str(po_path(tag)))
    compiled = polib.mofile(str(po_path(tag).with_suffix(".mo")))
    assert messages(compiled) == messages(source)


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("tag", TRANSLATED)
def test_translations_keep_the_placeholders(tag):
    # A form for exactly one or two („نتيجتان“) may leave out the number.
    for entry in polib.pofile(str(po_path(tag))):
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            for text in entry.msgstr_plural.values():
                assert set(PLACEHOLDER.findall(text)) <= wanted, text
                assert "%" not in PLACEHOLDER.sub("", text), text
        else:
            assert set(PLACEHOLDER.findall(entry.msgstr)) == wanted, entry.msgstr


@pytest.mark.parametrize(
    ("tag", "text"),
    [
        ("de", "Termine"),
        ("de-x-ls", "Termine"),
        ("en", "Dates"),
        ("ar", "المواعيد"),
        ("uk", "Дати"),
        ("tr", "Tarihler"),
        ("fa", "تاریخ‌ها"),
        ("ru", "Даты"),
    ],
)
def test_django_finds_each_catalogue_and_german_stays_the_msgid(tag, text):
    with translation.override(tag):
        assert translation.gettext("Termine") == text


def test_leichte_sprache_has_its_own_words_and_falls_back_to_german():
    with translation.override("de-x-ls"):
        assert translation.gettext("Keine Einträge") == "Nichts gefunden"
        # Django's own German catalogue still applies behind ours.
        assert translation.gettext("January") == "Januar"


def test_counts_take_each_languages_plural_forms():
    cases = {
        "en": {1: "1 result", 5: "5 results"},
        "uk": {1: "1 запис", 3: "3 записи", 5: "5 записів", 21: "21 запис"},
        "ru": {2: "2 записи", 11: "11 записей"},
        "ar": {1: "نتيجة واحدة", 2: "نتيجتان", 4: "4 نتائج", 11: "11 نتيجة"},
    }
    for tag, counts in cases.items():
        with translation.override(tag):
            for number, text in counts.items():
                wording = translation.ngettext(
                    "%(counter)s Eintrag", "%(counter)s Einträge", number
                )
                assert wording % {"counter": number} == text
