"""The home page's four section indexes: singletons that list one section each."""

from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField, TranslatableField

from pages import sections
from pages.blocks import RICH_TEXT_FEATURES

from .base import PAGE_TRANSLATABLE_FIELDS
from .editors import CityPagePermissionTester
from .inline import Attachment

INDEX_CONTEXT_HOOK = "hub_section_index_context"
"""Wagtail hook that fills an index page's context with its list (`pages.listing`,
registered in `pages.wagtail_hooks`): the content model names no presentation module."""


class SectionIndexPage(Page):
    """A singleton index under the home page that lists one section."""

    parent_page_types = ["pages.HomePage"]
    max_count = 1

    intro = RichTextField("Einleitung", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    translatable_fields = [*PAGE_TRANSLATABLE_FIELDS, TranslatableField("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        abstract = True

    page_size = 20

    @property
    def section(self) -> sections.Section:
        return sections.of_index_model(type(self))

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        """The section's visible items, filtered like the API (city, target group, …)."""
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        for fill in hooks.get_hooks(INDEX_CONTEXT_HOOK):
            context.update(fill(self.section, request, self.page_size))
        return context

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().serve(request, *args, **kwargs)
        context = getattr(response, "context_data", None)
        if context and context.get("filter_errors"):
            response.status_code = 400
        return response


class ProgrammeIndexPage(SectionIndexPage):
    subpage_types = ["pages.ProgrammePage"]
    template = "pages/section_index_page.html"

    class Meta:
        verbose_name = "Programm-Übersicht"
        verbose_name_plural = "Programm-Übersichten"


class EventIndexPage(SectionIndexPage):
    subpage_types = ["pages.EventPage"]
    template = "pages/section_index_page.html"

    content_panels = [
        *SectionIndexPage.content_panels,
        InlinePanel("attachments", heading="Dokumente", label="Dokument"),
    ]
    translatable_fields = [
        *SectionIndexPage.translatable_fields,
        SynchronizedField("attachments"),
    ]

    def permissions_for_user(self, user: Any) -> CityPagePermissionTester:
        return CityPagePermissionTester(user, self)

    class Meta:
        verbose_name = "Veranstaltungs-Übersicht"
        verbose_name_plural = "Veranstaltungs-Übersichten"


class PressIndexPage(SectionIndexPage):
    subpage_types = ["pages.PressReleasePage"]
    template = "pages/section_index_page.html"

    class Meta:
        verbose_name = "Presse-Übersicht"
        verbose_name_plural = "Presse-Übersichten"


class NewsletterIndexPage(SectionIndexPage):
    subpage_types = ["pages.NewsletterIssuePage"]
    template = "pages/section_index_page.html"

    subscribe_phone = models.CharField(
        "Telefon für die Anmeldung", max_length=40, blank=True
    )
    subscribe_email = models.EmailField("E-Mail für die Anmeldung", blank=True)

    content_panels = [
        *SectionIndexPage.content_panels,
        FieldRowPanel(
            [FieldPanel("subscribe_phone"), FieldPanel("subscribe_email")],
            heading="Newsletter abonnieren",
        ),
    ]
    translatable_fields = [
        *SectionIndexPage.translatable_fields,
        SynchronizedField("subscribe_phone"),
        SynchronizedField("subscribe_email"),
    ]

    class Meta:
        verbose_name = "Newsletter-Übersicht"
        verbose_name_plural = "Newsletter-Übersichten"


class EventIndexAttachment(Attachment):
    page = ParentalKey(
        EventIndexPage, on_delete=models.CASCADE, related_name="attachments"
    )
