"""Stored rich text as the public sees it, for every surface (pages, API, feeds, embeds).

Rich text stores references (`<a linktype="document" id="…">`, `<a linktype="page" …>`,
`<embed embedtype="image" id="…">`). The handlers here replace Wagtail's own (registered
in `wagtail_hooks`), so every expansion, `expand_db_html` included, links a document only
when `pages.media` says the public may see it and a page only when it is visible; any
other link keeps its words and loses its `<a>`. An embedded image shows only when it is
public; otherwise the embed becomes nothing (no alt text, no rendition made).
`public_html` then sanitizes with the shared allowlist, which also drops the link's now
unmatched `</a>`.
"""

from collections import defaultdict
from collections.abc import Iterable
from contextvars import ContextVar

from django.conf import settings
from django.utils import translation
from django.utils.html import escape

from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.images.formats import get_image_format
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.pages import PageLinkHandler
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from . import media
from .queries import all_pages
from .sanitize import clean_html

NOT_SHOWN = ""
"""What a link's opening tag becomes when its target is not public: nothing."""

ResolvedLinks = dict[str, dict[str, str]]
"""Link type → target id → opening tag (`NOT_SHOWN` when hidden)."""

_resolved: ContextVar[ResolvedLinks | None] = ContextVar("hub_links", default=None)


def _ids(values: Iterable) -> set[str]:
    """Ids as stored in rich text; anything not a number links nothing."""
    return {str(value) for value in values if str(value).isdigit()}


class PublicDocumentLinkHandler(DocumentLinkHandler):
    """Links a document only if the public may see it."""

    @classmethod
    def opening_tags(cls, ids: set[str]) -> dict[str, str]:
        documents = media.public_documents().filter(pk__in=ids)
        return {str(doc.pk): f'<a href="{escape(doc.url)}">' for doc in documents}

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return _expand(cls, attrs_list)


class PublicPageLinkHandler(PageLinkHandler):
    """Links a page only if it is visible (published, unrestricted, of this site)."""

    @classmethod
    def opening_tags(cls, ids: set[str]) -> dict[str, str]:
        """Visible pages, each in the active language where it is published in it
        (text on `/ar/…` links to the Arabic page): one query, two in another language.
        """
        pages = list(
            all_pages().visible().filter(pk__in=ids).defer_streamfields().specific()
        )
        language = translation.get_language()
        if pages and language and language != settings.LANGUAGE_CODE:
            translated = {
                page.translation_key: page
                for page in all_pages()
                .visible()
                .filter(
                    translation_key__in=[page.translation_key for page in pages],
                    locale__language_code=language,
                )
                .defer_streamfields()
                .specific()
            }
            urls = {
                page.pk: translated.get(page.translation_key, page).url
                for page in pages
            }
        else:
            urls = {page.pk: page.url for page in pages}
        return {str(pk): f'<a href="{escape(url)}">' for pk, url in urls.items()}

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return _expand(cls, attrs_list)


class PublicImageEmbedHandler(ImageEmbedHandler):
    """Embeds an image only if the public may see it (one query for a text's images)."""

    FALLBACK_FORMAT = "fullwidth"
    """Wagtail's default format, for embeds stored without a known `format`."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        ids = [str(attrs.get("id", "")) for attrs in attrs_list]
        images = {
            str(image.pk): image
            for image in media.public_images().filter(pk__in=_ids(ids))
        }
        return [
            cls.image_tag(images[pk], attrs) if pk in images else NOT_SHOWN
            for pk, attrs in zip(ids, attrs_list, strict=True)
        ]

    @classmethod
    def image_tag(cls, image, attrs: dict) -> str:
        try:
            image_format = get_image_format(attrs.get("format"))
        except KeyError:
            image_format = get_image_format(cls.FALLBACK_FORMAT)
        return str(image_format.image_to_html(image, attrs.get("alt", "")))


EMBED_HANDLERS = {PublicImageEmbedHandler.identifier: PublicImageEmbedHandler}

LINK_HANDLERS = {
    handler.identifier: handler
    for handler in (PublicDocumentLinkHandler, PublicPageLinkHandler)
}


def _resolve(handler, ids: set[str]) -> dict[str, str]:
    found = handler.opening_tags(ids) if ids else {}
    return {pk: found.get(pk, NOT_SHOWN) for pk in ids}


def _expand(handler, attrs_list: list[dict]) -> list[str]:
    """Opening tags for one text's links of one type: one query, or none if resolved."""
    ids = [str(attrs.get("id", "")) for attrs in attrs_list]
    known = (_resolved.get() or {}).get(handler.identifier, {})
    tags = {**_resolve(handler, _ids(ids) - known.keys()), **known}
    return [tags.get(pk, NOT_SHOWN) for pk in ids]


def resolve_links(sources: Iterable[str]) -> ResolvedLinks:
    """The link targets of many texts, one query per link type for all of them.

    A feed resolves its entries' links once and hands the result to `public_html`.
    """
    ids: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        for attr_string in FIND_A_TAG.findall(source or ""):
            attrs = extract_attrs(attr_string)
            if attrs.get("linktype") in LINK_HANDLERS:
                ids[attrs["linktype"]].add(attrs.get("id", ""))
    return {
        linktype: _resolve(LINK_HANDLERS[linktype], _ids(found))
        for linktype, found in ids.items()
    }


def public_html(source: str, links: ResolvedLinks | None = None) -> str:
    """Rich text as sanitized HTML for the public; `links` from `resolve_links`."""
    return clean_html(expanded_html(source, links))


def expanded_html(source: str, links: ResolvedLinks | None = None) -> str:
    """Rich text with its links and embeds resolved for the public, NOT yet sanitized.

    Only for a caller that sanitizes the whole document it builds (a feed entry's
    content): sanitizing each paragraph too would cost as much again.
    """
    token = _resolved.set(links)
    try:
        return str(expand_db_html(source or ""))
    finally:
        _resolved.reset(token)
