"""The one answer to "may the public see this document, image or rendition?".

A document or image is public when neither its collection nor any ancestor collection
has a view restriction. Wagtail's own document view asks for the password or login, but
titles, file names, sizes, links and renditions of such media must not appear on any
public surface either: API, feeds, JSON-LD, templates, rich text, sitemap and embeds all
ask here, as querysets (lists, one query for all) or per object.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
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


def is_public_file(name: str) -> bool:
    """Whether the stored file `name` (relative to the media root) may be served as it is.

    Only public images' originals and their renditions. Documents never: Wagtail's
    document view (`WAGTAILDOCS_SERVE_METHOD = "serve_view"`) serves them after asking
    for their collection's password or login.
    """
    if not name or "\x00" in name:
        return False
    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    return (
        public_images().filter(file=name).exists()
        or in_public_collections(
            Rendition.objects.filter(file=name), "image__collection"
        ).exists()
    )


def public_ids(model: type[Model], ids: Iterable) -> set:
    """Which of `ids` are documents or images the public may see (one query for all)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return set()
    rows = in_public_collections(model._default_manager.filter(pk__in=wanted))
    return set(rows.values_list("pk", flat=True))


def public_attachments(attachments: QuerySet | Iterable) -> QuerySet | list:
    """Attachment rows that are external links or link a public document."""
    if isinstance(attachments, QuerySet):
        return attachments.filter(
            Q(document__isnull=True) | Q(document__in=public_documents().values("pk"))
        )
    attachments = list(attachments)
    remember_public(item.document for item in attachments if item.document_id)
    return [
        item for item in attachments if not item.document_id or is_public(item.document)
    ]


_ANSWER = "_hub_media_is_public"
"""Attribute on an instance holding the answer `remember_public` found for it."""


def remember_public(instances: Iterable[Model | None]) -> None:
    """Answer `is_public` for many instances at once (one query per model).

    A body or list asks once for all its media; templates that then ask `is_public`
    (or `public_or_none`) per block get the remembered answer without a query.
    """
    by_model: dict[type[Model], list[Model]] = {}
    for instance in instances:
        if instance is not None and instance.pk is not None:
            by_model.setdefault(type(instance), []).append(instance)
    for model, members in by_model.items():
        shown = public_ids(model, (instance.pk for instance in members))
        for instance in members:
            setattr(instance, _ANSWER, instance.pk in shown)


def is_public(media: Model | None) -> bool:
    """Whether a document or image instance may be shown publicly (one query at most)."""
    if media is None or media.pk is None:
        return False
    answer: bool | None = getattr(media, _ANSWER, None)
    if answer is None:
        return media.pk in public_ids(type(media), [media.pk])
    return answer


M = TypeVar("M", bound=Model)


def public_or_none(media: M | None) -> M | None:
    """`media` if the public may see it, else None."""
    return media if is_public(media) else None


MEDIA_BLOCKS = {"image": "image", "document": "document"}
"""Body block type → the name of its media value."""


def public_blocks(stream) -> list:
    """A body's blocks without the image and document blocks that show private media.

    A block whose media is private is left out entirely (caption, alt text and link text
    too); all of a body's media are asked about in one query per model.
    """
    children = list(stream or ())
    remember_public(
        child.value[MEDIA_BLOCKS[child.block_type]]
        for child in children
        if child.block_type in MEDIA_BLOCKS
    )
    return [
        child
        for child in children
        if child.block_type not in MEDIA_BLOCKS
        or is_public(child.value[MEDIA_BLOCKS[child.block_type]])
    ]
