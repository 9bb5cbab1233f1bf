"""Template helpers for public pages: dates in the reader's language, file sizes,
JSON-LD, what is public, and the page's language with its published translations.

Dates follow the active language, which `hub.middleware.PathLanguageMiddleware` takes
from the URL (German without a prefix) and the embeds from their `lang` parameter."""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from hub.languages import Language
from pages import media, rich_text, translations
from pages import series as series_rules
from pages.dates import date_text, german_date, occurrence_short, occurrence_text
from pages.snippets import (
    localized_names,
    localized_venue_texts,
    source_language,
    status_label,
)

register = template.Library()

# JSON inside <script> must not be able to close the element or open a comment.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.filter
def occurrence(value) -> str:
    return occurrence_text(value, get_language())


@register.filter
def occurrence_compact(value) -> str:
    return occurrence_short(value, get_language())


@register.filter
def series_text(value) -> str:
    """A series' rhythm and times in the active language: „jeden Donnerstag,
    18:00–20:00 Uhr“ (a loaded
    `pages.items.Series`, with its cancelled dates)."""
    return series_rules.describe(
        value, times=True, cancelled=len(value.cancelled_dates), lang=get_language()
    )


@register.filter
def reader_date(value: dt.date | None) -> str:
    """ "Montag, 24. August 2020" in the active language."""
    return date_text(value, lang=get_language()) if value else ""


@register.filter
def reader_date_short(value: dt.date | None) -> str:
    """ "24. August 2020" (no weekday) in the active language."""
    return date_text(value, weekday=False, lang=get_language()) if value else ""


@register.filter
def date_de(value: dt.date | None) -> str:
    """German whatever the active language (editors' labels, `lang="de"` passages)."""
    return german_date(value) if value else ""


@register.filter
def date_de_short(value: dt.date | None) -> str:
    return german_date(value, weekday=False) if value else ""


DOTTED_I_LANGUAGES = frozenset({"tr", "az"})
"""Languages whose capital of „i“ is „İ“."""


@register.filter
def status_text(event) -> str:
    """How readers see an event's status in the active language, as a heading starts:
    the office's wording (`StatusWording`, German where it has none; a list item
    carries it already) with a capital first letter as the language writes it
    (Turkish „iptal“ → „İptal“)."""
    language = get_language() or source_language()
    wording = getattr(event, "status_wording", "") or status_label(
        event.status, language
    )
    if not wording:
        return wording
    first = wording[0]
    if (
        first == "i"
        and language in DOTTED_I_LANGUAGES
        and not getattr(event, "fallback", False)
    ):
        first = "İ"
    return first.upper() + wording[1:]


@register.filter
def reader_terms(terms) -> list:
    """Directory entries (a queryset of German cities, groups, topics) with their names
    in the active language, German where an entry has none; one query."""
    entries = list(terms)
    language = get_language() or source_language()
    if not entries or language == source_language():
        return entries
    names = localized_names(type(entries[0]), [entry.pk for entry in entries], language)
    for entry in entries:
        entry.name = names.get(entry.pk, entry.name)
    return entries


@register.filter
def reader_name(entry) -> str:
    """One directory entry's name in the active language (German where it has none)."""
    if entry is None:
        return ""
    return str(reader_terms([entry])[0].name)


@register.filter
def reader_venue(venue):
    """The venue with its accessibility note and room in the active language."""
    language = get_language() or source_language()
    if venue is None or language == source_language():
        return venue
    for name, text in localized_venue_texts([venue.pk], language)[venue.pk].items():
        setattr(venue, name, text)
    return venue


@register.simple_tag
def json_ld(data: dict | list | None) -> SafeString:
    """A `<script type="application/ld+json">` element whose content cannot break out."""
    if not data:
        return SafeString("")
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return mark_safe(  # noqa: S308 - the JSON text is escaped above  # nosec
        f'<script type="application/ld+json">{text}</script>'
    )


@register.filter
def public_media(document_or_image):
    """`value.image|public_media`: the document or image if the public may see it, else
    None; ask before `{% image %}` so no rendition of a private image is made."""
    return media.public_or_none(document_or_image)


@register.filter
def public_blocks(stream) -> list:
    """`value|public_blocks`: a body without blocks showing private media (one query)."""
    return media.public_blocks(stream)


@register.filter
def public_attachments(attachments):
    """`page.attachments.all|public_attachments`: links, and documents that are public."""
    return media.public_attachments(attachments)


@register.filter
def sanitized_richtext(value) -> str:
    """Rich text through the shared allowlist: stored HTML may come from an import or a
    paste, and Wagtail's `richtext` filter would pass a `<script>` or `onerror=` through."""
    source = getattr(value, "source", value) or ""
    # Safe: the allowlist sanitizer (nh3) produced this markup.
    return mark_safe(rich_text.public_html(str(source)))  # noqa: S308  # nosec


@register.filter
def document_size(document) -> str:
    """Human file size ("1,2 MB"); read from storage when the row never recorded it."""
    size = document.file_size
    if size is None:
        try:
            size = document.file.size
        except (OSError, ValueError):
            return gettext("Größe unbekannt")
    return filesizeformat(size)


@dataclass(frozen=True, slots=True)
class LanguageVersions:
    """The language of the page shown and its published versions (German first)."""

    language: Language
    members: list[translations.PageLanguage]


@register.simple_tag(takes_context=True)
def language_versions(context: dict[str, Any]) -> LanguageVersions:
    """`<html lang dir>`, the alternates and the language switcher of the page in
    `context`; German and no versions for anything that is not a page."""
    page = context.get("page")
    if page is None or not getattr(page, "translation_key", None):
        return LanguageVersions(translations.language_of(None), [])
    return LanguageVersions(
        translations.language_of(page),
        translations.page_languages(page, context.get("request")),
    )
