"""The one answer to "may the public see this document, image or rendition?".

A document or image is public when neither its collection nor any ancestor collection
has a view restriction. Wagtail's own document view asks for the password or login, but
titles, file names, sizes, links and renditions of such media must not appear on any
public surface either: API, feeds, JSON-LD, templates, rich text, sitemap and embeds all
ask here, as querysets (lists, one query for all) or per object.
"""

from typing import TypeVar

from django.db.models import CharField, Exists, F, Model, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Length, Substr

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction

RENDITIONS = {
    "thumbnail": "fill-480x320",
    "medium": "max-960x960",
    "large": "max-1920x1920",
}
"""Rendition name → Wagtail filter spec, offered for every public image."""


def restricted_collection(collection: str = "collection") -> Exists:
    """True when the row's collection, or an ancestor collection, has a view restriction.

    `collection` is the path from the queried model to its collection (e.g.
    "image__collection" on a page), so it works as a filter or an annotation.
    """
    return Exists(
        CollectionViewRestriction.objects.annotate(
            outer_prefix=Substr(
                OuterRef(f"{collection}__path"), 1, Length("collection__path")
            )
        )
        .filter(collection__path=F("outer_prefix"))
        .values("pk")
    )


def in_public_collections(
    queryset: QuerySet, collection: str = "collection"
) -> QuerySet:
    """Documents or images whose collection and every ancestor collection is unrestricted."""
    return queryset.exclude(restricted_collection(collection))


def public_documents() -> QuerySet:
    """Documents the public may see."""
    return in_public_collections(get_document_model().objects.all())


def public_images() -> QuerySet:
    """Images the public may see (and have renditions made of)."""
    return in_public_collections(get_image_model().objects.all())


def public_attachments(attachments: QuerySet) -> QuerySet:
    """Attachment rows that are external links or link a public document."""
    return attachments.filter(
        Q(document__isnull=True) | Q(document__in=public_documents().values("pk"))
    )


def is_public(media: Model | None) -> bool:
    """Whether a document or image instance may be shown publicly (one query)."""
    if media is None or media.pk is None:
        return False
    return in_public_collections(type(media).objects.filter(pk=media.pk)).exists()


M = TypeVar("M", bound=Model)


def public_or_none(media: M | None) -> M | None:
    """`media` if the public may see it, else None."""
    return media if is_public(media) else None


MEDIA_BLOCKS = {"image": "image", "document": "document"}
"""Body block type → the name of its media value."""


def public_blocks(stream) -> list:
    """A body's blocks without the image and document blocks that show private media.

    One query for all media of the body, however many media blocks it has.
    """
    media = [
        child.value[MEDIA_BLOCKS[child.block_type]]
        for child in stream
        if child.block_type in MEDIA_BLOCKS
    ]
    public = _public_keys(m for m in media if m is not None and m.pk is not None)
    return [
        child
        for child in stream
        if child.block_type not in MEDIA_BLOCKS
        or _key(child.value[MEDIA_BLOCKS[child.block_type]]) in public
    ]


def _key(media: Model | None) -> tuple[str, int | None] | None:
    return (media._meta.label, media.pk) if media is not None else None


def _public_keys(media) -> set[tuple[str, int]]:
    """(model label, pk) of those of `media` (images, documents) the public may see."""
    ids: dict[type[Model], set[int]] = {}
    for item in media:
        ids.setdefault(type(item), set()).add(item.pk)
    if not ids:
        return set()
    parts = [
        in_public_collections(model.objects.filter(pk__in=pks)).values_list(
            "pk", Value(model._meta.label, output_field=CharField())
        )
        for model, pks in ids.items()
    ]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return {(label, pk) for pk, label in rows}
