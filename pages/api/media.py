"""The base of every API shape, and the shapes of public media (images, files) that
items and body blocks share.

Only media the public may see reach these constructors (`pages.media` decides).
"""

import mimetypes
from typing import Annotated, Any

from wagtail.images.models import Filter

import msgspec
from msgspec import Meta

from pages.links import absolute
from pages.media import RENDITIONS

URI = Annotated[str, Meta(extra_json_schema={"format": "uri"})]
"""An absolute URL."""
FILTERS = {name: Filter(spec) for name, spec in RENDITIONS.items()}
"""The renditions every public image offers, parsed once (not per image and request)."""


class Schema(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A JSON object of the API; unknown fields are an error when decoding (tests)."""


class Rendition(Schema):
    url: URI
    width: int
    height: int


class RenditionSet(Schema):
    thumbnail: Annotated[
        Rendition, Meta(description=f"Cropped to {RENDITIONS['thumbnail']}.")
    ]
    medium: Annotated[
        Rendition, Meta(description=f"Scaled into {RENDITIONS['medium']}.")
    ]
    large: Annotated[Rendition, Meta(description=f"Scaled into {RENDITIONS['large']}.")]


class Image(Schema):
    """A public image with its renditions."""

    title: str
    alt: Annotated[str, Meta(description="Alternative text.")]
    width: int
    height: int
    url: Annotated[URI, Meta(description="The original file.")]
    renditions: RenditionSet

    @classmethod
    def of(cls, image: Any) -> "Image":
        """`image` with its renditions (prefetched by the caller, or made once)."""
        made = image.get_renditions(*FILTERS.values())
        renditions = {}
        for name, spec in FILTERS.items():
            rendition = made[spec.spec]
            renditions[name] = Rendition(
                url=absolute(rendition.url),
                width=rendition.width,
                height=rendition.height,
            )
        return cls(
            title=image.title,
            alt=image.description or image.title,
            width=image.width,
            height=image.height,
            url=absolute(image.file.url),
            renditions=RenditionSet(**renditions),
        )


def image_or_none(image: Any | None) -> Image | None:
    return Image.of(image) if image is not None else None


def document_size(document: Any) -> int | None:
    """Size in bytes: the stored value, or the file's size if the upload did not record it."""
    stored: int | None = document.file_size
    if stored is not None:
        return stored
    try:
        size: int = document.file.size
        return size
    except (OSError, ValueError):
        return None


def document_mime_type(document: Any) -> str:
    return mimetypes.guess_type(document.file.name)[0] or "application/octet-stream"


class File(Schema):
    """A public document on its own (a newsletter's PDF, a document block)."""

    title: str
    url: Annotated[URI, Meta(description="Absolute download URL.")]
    size: Annotated[int | None, Meta(description="Size in bytes.")]
    mime_type: str

    @classmethod
    def of(cls, document: Any, title: str = "") -> "File":
        return cls(
            title=title or document.title,
            url=absolute(document.url),
            size=document_size(document),
            mime_type=document_mime_type(document),
        )
