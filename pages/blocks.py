"""The body's blocks. Image and document blocks give the search index nothing: their
texts show only while their media are public (`pages.media`), and a collection can
become private without any page being indexed again, so searching them would tell
what a private image's caption or a private document's link says."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class StrictChoiceBlock(blocks.ChoiceBlock):
    """A choice checked on the way out too: a stored value outside the choices (written
    by an import, raw SQL or an older version of the block) reads as the default, so
    templates, the API and the feeds only ever see an allowed value."""

    def to_python(self, value):
        choice = super().to_python(value)
        return choice if self.field.valid_value(choice) else self.get_default()


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Text", max_length=200)
    level = StrictChoiceBlock(
        label="Ebene",
        choices=[("h2", "Überschrift 2"), ("h3", "Überschrift 3")],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = "Überschrift"
        template = "blocks/heading.html"


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

    def get_searchable_content(self, value) -> list[str]:
        return []


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Dokument")
    title = blocks.CharBlock(label="Linktext", required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = "Dokument"
        template = "blocks/document_link.html"

    def get_searchable_content(self, value) -> list[str]:
        return []


class BodyBlock(blocks.StreamBlock):
    """The rich body shared by programmes, events and press releases."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label="Absatz", features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    document = DocumentLinkBlock()
    quote = blocks.BlockQuoteBlock(label="Zitat")

    class Meta:
        template = "blocks/body.html"
