"""ASCII page slugs the German way: "Sprachcafé für Groß" → "sprachcafe-fuer-gross".

Wagtail's own transliteration (Django's `slugify`, the admin's `urlify`) drops the
umlaut's dots (ä → a); German readers expect ä → ae, ö → oe, ü → ue, ß → ss.
"""

from django.utils.text import slugify

from wagtail.admin.widgets import SlugInput

GERMAN_LETTERS = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "Ä": "Ae",
    "Ö": "Oe",
    "Ü": "Ue",
    "ß": "ss",
    "ẞ": "SS",
}
_TABLE = str.maketrans(GERMAN_LETTERS)


def ascii_slug(text: str) -> str:
    """Lowercase ASCII slug; German letters spelled out, other accents dropped (é → e)."""
    return slugify(text.translate(_TABLE), allow_unicode=False)


def is_ascii_slug(slug: str) -> bool:
    return slug.isascii()


class GermanSlugInput(SlugInput):
    """The admin's slug field, filling it from the title with ä → ae (Wagtail's
    `w-slug` formatters run before its own transliteration)."""

    def __init__(self, attrs: dict | None = None, **kwargs: object) -> None:
        kwargs.setdefault("formatters", list(GERMAN_LETTERS.items()))
        super().__init__(attrs, **kwargs)
