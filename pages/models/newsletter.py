"""Newsletter issues, with their PDF."""

from django.db import models

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Page
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField

from .base import (
    ITEM_TRANSLATABLE_FIELDS,
    ClassifiedByCity,
    ContentPage,
    taxonomy_panels,
)


class NewsletterIssuePage(ContentPage, ClassifiedByCity):
    parent_page_types = ["pages.NewsletterIndexPage"]
    subpage_types: list[str] = []

    issue = models.CharField("Ausgabe", max_length=60, help_text="z. B. „1/2021“")
    date = models.DateField("Erscheinungsdatum", db_index=True)
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="PDF",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("issue"), FieldPanel("date")]),
        FieldPanel("pdf"),
        FieldPanel("teaser", heading="Zusammenfassung"),
        FieldPanel("body"),
        *taxonomy_panels(),
    ]
    translatable_fields = [
        *ITEM_TRANSLATABLE_FIELDS,
        SynchronizedField("cities"),
        # The issue number ("1/2021") is a fact, not text.
        SynchronizedField("issue"),
        SynchronizedField("date"),
        SynchronizedField("pdf"),
    ]

    search_fields = [*ContentPage.search_fields, index.SearchField("issue")]

    class Meta:
        verbose_name = "Newsletter-Ausgabe"
        verbose_name_plural = "Newsletter-Ausgaben"

    @property
    def summary(self) -> str:
        return self.teaser
