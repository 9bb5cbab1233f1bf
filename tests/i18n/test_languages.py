"""The languages table (hub/languages.py): what settings, API, feeds and admin read."""

import pytest

from hub import languages
from hub.languages import DEFAULT_LANGUAGES, UnknownLanguage

TAGS = ["de", "de-x-ls", "en", "ar", "uk", "tr", "fa", "ru"]


def test_the_default_languages_are_german_and_its_translations_in_order():
    assert [language.tag for language in DEFAULT_LANGUAGES] == TAGS
    assert languages.source().tag == "de"
    assert [language.tag for language in DEFAULT_LANGUAGES if language.is_source] == [
        "de"
    ]


@pytest.mark.parametrize("language", DEFAULT_LANGUAGES, ids=TAGS)
def test_every_language_has_names_a_direction_and_a_lowercase_tag(language):
    assert language.native_name.strip()
    assert language.german_name.strip()
    assert language.direction in {"ltr", "rtl"}
    assert language.tag == language.tag.lower()
    assert languages.is_well_formed(language.tag)
    assert language.feed_tag == language.tag


def test_arabic_and_persian_are_written_right_to_left_the_others_left_to_right():
    rtl = {
        language.tag for language in DEFAULT_LANGUAGES if language.direction == "rtl"
    }
    assert rtl == {"ar", "fa"}


def test_readers_see_native_names_and_editors_german_names():
    assert languages.django_languages() == [
        ("de", "Deutsch"),
        ("de-x-ls", "Leichte Sprache"),
        ("en", "English"),
        ("ar", "العربية"),
        ("uk", "Українська"),
        ("tr", "Türkçe"),
        ("fa", "فارسی"),
        ("ru", "Русский"),
    ]
    assert languages.content_languages() == [
        ("de", "Deutsch"),
        ("de-x-ls", "Leichte Sprache"),
        ("en", "Englisch"),
        ("ar", "Arabisch"),
        ("uk", "Ukrainisch"),
        ("tr", "Türkisch"),
        ("fa", "Persisch"),
        ("ru", "Russisch"),
    ]


def test_deepl_target_codes():
    targets = {language.tag: language.deepl_target for language in DEFAULT_LANGUAGES}
    assert targets == {
        "de": None,  # the source
        "de-x-ls": None,  # DeepL cannot write Leichte Sprache
        "en": "EN-GB",
        "ar": "AR",
        "uk": "UK",
        "tr": "TR",
        "fa": "FA",
        "ru": "RU",
    }


@pytest.mark.parametrize("tag", ["de-x-ls", "de-X-LS", "DE-x-Ls", "De-X-lS"])
def test_leichte_sprache_is_found_in_any_case_and_answered_in_lowercase(tag):
    assert languages.by_tag(tag).native_name == "Leichte Sprache"
    assert languages.canonical(tag) == "de-x-ls"


def test_lookup_of_plain_tags_ignores_case():
    assert languages.by_tag("AR").direction == "rtl"
    assert languages.canonical("En") == "en"


@pytest.mark.parametrize(
    "tag", ["fr", "de-simple", "de-ls", "de_x_ls", "", "x", "de-at", " de", "deutsch"]
)
def test_unknown_tags_raise_unknown_language_naming_the_tag(tag):
    with pytest.raises(UnknownLanguage) as raised:
        languages.by_tag(tag)
    assert isinstance(raised.value, LookupError)
    assert repr(tag) in str(raised.value)
    assert raised.value.tag == tag
    with pytest.raises(UnknownLanguage):
        languages.canonical(tag)


@pytest.mark.parametrize(
    "tag",
    ["de", "de-x-ls", "en-GB", "zh-Hant-TW", "sr-Latn", "de-DE-1901", "es-419", "fa"],
)
def test_well_formed_tags(tag):
    assert languages.is_well_formed(tag)


@pytest.mark.parametrize(
    "tag",
    ["de_x_ls", "", "deutsch", "de--ls", "x", "de-", "-de", "de-x", "de-x-", "de ls"],
)
def test_malformed_tags(tag):
    assert not languages.is_well_formed(tag)
