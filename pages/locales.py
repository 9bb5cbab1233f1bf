"""The languages the office has switched on: Wagtail locales that `hub.languages` knows.

The table in `hub.languages` says what each language is called and how it is written;
the office chooses which of them the hub offers by adding or removing locales in the
admin (Einstellungen → Sprachen). Every surface asks here which languages a reader may
choose and resolves the `lang` parameter here.
"""

from django.core.cache import cache

from wagtail.models import Locale

from hub import languages
from hub.languages import Language, UnknownLanguage

CACHE_KEY = "hub:available-languages"
CACHE_TIMEOUT = 300


def available() -> tuple[Language, ...]:
    """The offered languages in the table's order, German first; cached per process
    for at most `CACHE_TIMEOUT` seconds and cleared when a locale changes."""
    tags: tuple[str, ...] | None = cache.get(CACHE_KEY)
    if tags is None:
        codes = set(Locale.objects.values_list("language_code", flat=True))
        tags = tuple(
            language.tag
            for language in languages.DEFAULT_LANGUAGES
            if language.tag in codes or language.is_source
        )
        cache.set(CACHE_KEY, tags, CACHE_TIMEOUT)
    return tuple(languages.by_tag(tag) for tag in tags)


def forget() -> None:
    cache.delete(CACHE_KEY)


def resolve(tag: str) -> Language:
    """The offered language of `tag` in any case (`de-X-LS`); UnknownLanguage if the
    hub does not offer it."""
    language = languages.by_tag(tag)
    if language not in available():
        raise UnknownLanguage(tag)
    return language


def unknown_message(tag: str) -> str:
    """What a client is told about a `lang` the hub does not offer."""
    offered = ", ".join(language.tag for language in available())
    return (
        f"Unknown language {tag[:40]!r}; available: {offered} (see /api/v1/languages/)."
    )
