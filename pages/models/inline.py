"""Inline children shared by several pages: attachments and contact links."""

from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from pages.enums import DocumentRole
from pages.snippets import ContactPerson

from .fields import PublicURLField


class Attachment(Orderable):
    """A document or external link attached to a page, with its role."""

    title = models.CharField("Titel", max_length=200, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="Dokument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    url = PublicURLField("Externer Link", blank=True)
    role = models.CharField(
        "Art", max_length=20, choices=DocumentRole.choices, default=DocumentRole.OTHER
    )

    panels = [
        FieldRowPanel([FieldPanel("role"), FieldPanel("title")]),
        FieldRowPanel([FieldPanel("document"), FieldPanel("url")]),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    def clean(self) -> None:
        if bool(self.document_id) == bool(self.url):
            raise ValidationError(
                {
                    "url": "Bitte entweder ein Dokument auswählen oder einen Link angeben."
                }
            )
        if self.url and not self.title:
            raise ValidationError({"title": "Bitte einen Titel für den Link angeben."})

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return self.document.title if self.document is not None else self.url


class ContactLink(Orderable):
    contact = models.ForeignKey(
        ContactPerson,
        verbose_name="Ansprechperson",
        on_delete=models.PROTECT,
        related_name="+",
    )

    panels = [FieldPanel("contact")]

    class Meta(Orderable.Meta):
        abstract = True
