"""The hub's languages as data: one table that settings, API, feeds and admin read.

German (`de`) is the source of all content; the others are translations of it.
Leichte Sprache is `de-x-ls`: BCP 47 private use (`x-`), well-formed and valid, with
German as its primary language, so browsers and screen readers treat it as German.
`de-simple` is not valid (no such registered variant); `de-si` and `de-ls` are valid
but wrong (a two-letter subtag after the language is a region: Slovenia, Lesotho).
The reasoning in full: docs/languages.md, "The Leichte Sprache tag".

Tags are canonical in lowercase (`de-x-ls`, like Django's language codes); lookups
accept any case (`de-X-LS`). Pure data: imports nothing from the project or Django.
"""

import re
from dataclasses import dataclass
from typing import Literal

Direction = Literal["ltr", "rtl"]

# RFC 5646 `langtag`, restricted to what the hub may ever need:
# language[-script][-region][-variant]*[-x-private]. The language is 2-3 letters (the
# 5-8 letter form is reserved for registration and never used, so `deutsch` is
# rejected); extlang, extensions and grandfathered tags are not accepted.
_WELL_FORMED = re.compile(
    r"""
    [a-z]{2,3}                              # language (ISO 639)
    (?:-[a-z]{4})?                          # script (ISO 15924): Latn, Hant
    (?:-(?:[a-z]{2}|[0-9]{3}))?             # region (ISO 3166-1 or UN M.49)
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*  # variants
    (?:-x(?:-[a-z0-9]{1,8})+)?              # private use
    """,
    re.IGNORECASE | re.VERBOSE,
)


class UnknownLanguage(LookupError):
    """A tag that is not one of the hub's languages."""

    def __init__(self, tag: str) -> None:
        super().__init__(f"Unknown language tag: {tag!r}")
        self.tag = tag


@dataclass(frozen=True, slots=True)
class Language:
    """One language of the hub and how each surface names it."""

    tag: str  # BCP 47, canonical lowercase
    native_name: str  # in its own script, for readers (language switcher, API)
    german_name: str  # for editors in the admin
    direction: Direction
    deepl_target: str | None  # DeepL `target_lang`; None: no machine translation
    is_source: bool = False

    @property
    def feed_tag(self) -> str:
        """The tag of RSS `<language>`, JSON Feed `language` and iCal `LANGUAGE`."""
        return self.tag


DEFAULT_LANGUAGES: tuple[Language, ...] = (
    Language("de", "Deutsch", "Deutsch", "ltr", None, is_source=True),
    # DeepL has no Leichte Sprache: its texts are written by people.
    Language("de-x-ls", "Leichte Sprache", "Leichte Sprache", "ltr", None),
    Language("en", "English", "Englisch", "ltr", "EN-GB"),
    Language("ar", "العربية", "Arabisch", "rtl", "AR"),
    Language("uk", "Українська", "Ukrainisch", "ltr", "UK"),
    Language("tr", "Türkçe", "Türkisch", "ltr", "TR"),
    Language("fa", "فارسی", "Persisch", "rtl", "FA"),
    Language("ru", "Русский", "Russisch", "ltr", "RU"),
)

_BY_TAG: dict[str, Language] = {
    language.tag: language for language in DEFAULT_LANGUAGES
}


def is_well_formed(tag: str) -> bool:
    """Whether `tag` has the shape of a BCP 47 tag (known to the hub or not)."""
    return _WELL_FORMED.fullmatch(tag) is not None


def by_tag(tag: str) -> Language:
    """The language of `tag` in any case (`de-X-LS`); UnknownLanguage otherwise."""
    try:
        return _BY_TAG[tag.lower()]
    except KeyError:
        raise UnknownLanguage(tag) from None


def canonical(tag: str) -> str:
    """The canonical (lowercase) tag of a known language: `de-X-LS` -> `de-x-ls`."""
    return by_tag(tag).tag


def source() -> Language:
    """The language all content is written in first: German."""
    return next(language for language in DEFAULT_LANGUAGES if language.is_source)


def django_languages() -> list[tuple[str, str]]:
    """Django's `LANGUAGES`: (tag, native name), German first."""
    return [(language.tag, language.native_name) for language in DEFAULT_LANGUAGES]


def content_languages() -> list[tuple[str, str]]:
    """Wagtail's `WAGTAIL_CONTENT_LANGUAGES`: (tag, German name) for the admin."""
    return [(language.tag, language.german_name) for language in DEFAULT_LANGUAGES]
