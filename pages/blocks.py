from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Text", max_length=200)
    level = blocks.ChoiceBlock(
        label="Ebene",
        choices=[("h2", "Überschrift 2"), ("h3", "Überschrift 3")],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = "Überschrift"
        template = "blocks/heading.html"

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "level": value["level"]}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="Bild")
    caption = blocks.CharBlock(label="Bildunterschrift", required=False, max_length=250)
    alt_text = blocks.CharBlock(
        label="Alternativtext",
        required=False,
        max_length=250,
        help_text="Beschreibt das Bild für Menschen, die es nicht sehen. Leer = Bildtitel.",
    )

    class Meta:
        icon = "image"
        label = "Bild"
        template = "blocks/image.html"

    def get_api_representation(self, value, context=None):
        from pages.api.representations import ImageSerializer
        from pages.media import public_or_none as public_media

        image = public_media(value["image"])
        return {
            "image": ImageSerializer(image).data if image else None,
            "caption": value["caption"],
            "alt": value["alt_text"] or (image.title if image else ""),
        }


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Dokument")
    title = blocks.CharBlock(label="Linktext", required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = "Dokument"
        template = "blocks/document_link.html"

    def get_api_representation(self, value, context=None):
        from pages.api.representations import FileSerializer
        from pages.media import public_or_none as public_media

        document = public_media(value["document"])
        if document is None:
            return None
        return {
            **FileSerializer(document).data,
            "title": value["title"] or document.title,
        }


class BodyBlock(blocks.StreamBlock):
    """The rich body shared by programmes, events and press releases."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label="Absatz", features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    document = DocumentLinkBlock()
    quote = blocks.BlockQuoteBlock(label="Zitat")

    class Meta:
        template = "blocks/body.html"

    def get_api_representation(self, value, context=None):
        """Paragraphs as sanitized absolute HTML; blocks showing private media are left out."""
        from pages.api.representations import rich_text_html

        representation = []
        for child in value:
            if child.block_type == "paragraph":
                shown = rich_text_html(child.value.source)
            else:
                shown = child.block.get_api_representation(child.value, context)
            if shown is not None:
                representation.append(
                    {"type": child.block_type, "value": shown, "id": child.id}
                )
        return representation
