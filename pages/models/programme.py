"""Programmes and projects of the integration centre."""

from django.core.exceptions import ValidationError
from django.db import models

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.models import Page
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField, TranslatableField

from .base import (
    ITEM_TRANSLATABLE_FIELDS,
    ClassifiedByCity,
    ContentPage,
    taxonomy_panels,
)
from .inline import Attachment, ContactLink


class ProgrammePage(ContentPage, ClassifiedByCity):
    parent_page_types = ["pages.ProgrammeIndexPage"]
    subpage_types: list[str] = []

    starts_on = models.DateField("Laufzeit von", null=True, blank=True)
    ends_on = models.DateField("Laufzeit bis", null=True, blank=True)
    period_note = models.CharField(
        "Hinweis zur Laufzeit",
        max_length=200,
        blank=True,
        help_text="z. B. „Start 2020, voraussichtlich bis 31.12.2022“",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                FieldPanel("period_note"),
            ],
            heading="Laufzeit",
        ),
        *taxonomy_panels(),
        InlinePanel("contacts", heading="Ansprechpersonen", label="Ansprechperson"),
        InlinePanel(
            "attachments", heading="Dokumente und Links", label="Dokument oder Link"
        ),
    ]
    translatable_fields = [
        *ITEM_TRANSLATABLE_FIELDS,
        SynchronizedField("cities"),
        SynchronizedField("starts_on"),
        SynchronizedField("ends_on"),
        TranslatableField("period_note"),
        SynchronizedField("contacts"),
        SynchronizedField("attachments"),
    ]

    search_fields = [*ContentPage.search_fields, index.SearchField("period_note")]

    class Meta:
        verbose_name = "Programm"
        verbose_name_plural = "Programme"

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": "Das Ende der Laufzeit liegt vor ihrem Beginn."}
            )


class ProgrammeContact(ContactLink):
    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="contacts")


class ProgrammeAttachment(Attachment):
    page = ParentalKey(
        ProgrammePage, on_delete=models.CASCADE, related_name="attachments"
    )
