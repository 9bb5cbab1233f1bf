"""A body as the API shows it: typed blocks (a union tagged by `type`) and sanitized HTML.

Blocks that would show private media are left out of both, entirely (an image block's
caption and alt text too); all media of a body cost one query, their renditions one more.
"""

from typing import Annotated, Literal, Union

from django.db.models import prefetch_related_objects

from wagtail.blocks import StreamValue

from msgspec import Meta

from pages.api.media import File, Image, Schema
from pages.media import public_blocks
from pages.rich_text import public_html
from pages.sanitize import clean_html

Html = Annotated[str, Meta(description="Sanitized HTML; links and sources absolute.")]


class HeadingValue(Schema):
    text: str
    level: Literal["h2", "h3"]


class ImageValue(Schema):
    image: Image
    caption: str
    alt: Annotated[str, Meta(description="Alternative text; the image title if unset.")]


class HeadingBlock(Schema, tag_field="type", tag="heading"):
    id: str
    value: HeadingValue


class ParagraphBlock(Schema, tag_field="type", tag="paragraph"):
    id: str
    value: Html


class ImageBlock(Schema, tag_field="type", tag="image"):
    id: str
    value: ImageValue


class DocumentBlock(Schema, tag_field="type", tag="document"):
    id: str
    value: File


class QuoteBlock(Schema, tag_field="type", tag="quote"):
    id: str
    value: str


Block = Union[HeadingBlock, ParagraphBlock, ImageBlock, DocumentBlock, QuoteBlock]  # noqa: UP007
"""One block of a body; `type` says which."""


def _block(child) -> Block:
    value = child.value
    match child.block_type:
        case "heading":
            return HeadingBlock(
                id=child.id,
                value=HeadingValue(text=value["text"], level=value["level"]),
            )
        case "paragraph":
            return ParagraphBlock(id=child.id, value=public_html(value.source))
        case "image":
            image = value["image"]
            return ImageBlock(
                id=child.id,
                value=ImageValue(
                    image=Image.of(image),
                    caption=value["caption"],
                    alt=value["alt_text"] or image.title,
                ),
            )
        case "document":
            return DocumentBlock(
                id=child.id, value=File.of(value["document"], value["title"])
            )
        case "quote":
            return QuoteBlock(id=child.id, value=str(value))
    raise ValueError(f"no API shape for block {child.block_type!r}")


def body_of(stream: StreamValue | None) -> tuple[str, list[Block]]:
    """A body as sanitized HTML and as typed blocks, without blocks of private media."""
    if stream is None:
        return "", []
    shown = public_blocks(stream)
    images = [child.value["image"] for child in shown if child.block_type == "image"]
    # Every rendition, not only the API's: the blocks' templates ask for their own, and
    # a prefetched image takes a rendition missing from the prefetch for a new one.
    prefetch_related_objects(images, "renditions")
    html = clean_html("".join(str(child.render()) for child in shown))
    return html, [_block(child) for child in shown]
