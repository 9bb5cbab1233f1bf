"""Press releases."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Page
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField

from pages import structured_data

from .base import (
    ITEM_TRANSLATABLE_FIELDS,
    ClassifiedByCity,
    ContentPage,
    taxonomy_panels,
)
from .fields import PublicURLField


class PressReleasePage(ContentPage, ClassifiedByCity):
    parent_page_types = ["pages.PressIndexPage"]
    subpage_types: list[str] = []

    date = models.DateField("Datum", db_index=True)
    source = models.CharField(
        "Quelle", max_length=200, default="Pressestelle des Ennepe-Ruhr-Kreises"
    )
    original_url = PublicURLField("Originalmeldung", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("source")]),
        FieldPanel("original_url"),
        FieldPanel("teaser"),
        FieldPanel("image"),
        FieldPanel("body"),
        *taxonomy_panels(),
    ]
    translatable_fields = [
        *ITEM_TRANSLATABLE_FIELDS,
        SynchronizedField("cities"),
        SynchronizedField("date"),
        # The issuing office is a name, kept as it is.
        SynchronizedField("source"),
        SynchronizedField("original_url"),
    ]

    search_fields = [*ContentPage.search_fields, index.FilterField("date")]

    class Meta:
        verbose_name = "Pressemitteilung"
        verbose_name_plural = "Pressemitteilungen"

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["json_ld"] = structured_data.news_article(self)
        return context
