"""The home page: the root of the public site."""

from typing import Any

from django.db import models  # noqa: F401
from django.http import HttpRequest

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from wagtail_localize.fields import TranslatableField

from pages.blocks import RICH_TEXT_FEATURES

from .base import PAGE_TRANSLATABLE_FIELDS

HOME_CONTEXT_HOOK = "hub_home_context"
"""Wagtail hook that fills the home page's context with its short lists (next events,
latest press releases, programmes, newsletters; `pages.listing.home_context`)."""


class HomePage(Page):
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "pages.ProgrammeIndexPage",
        "pages.EventIndexPage",
        "pages.PressIndexPage",
        "pages.NewsletterIndexPage",
    ]
    max_count = 1

    intro = RichTextField("Einleitung", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    translatable_fields = [*PAGE_TRANSLATABLE_FIELDS, TranslatableField("intro")]

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        for fill in hooks.get_hooks(HOME_CONTEXT_HOOK):
            context.update(fill())
        context["section_pages"] = {
            type(section).__name__: section
            for section in self.get_children().live().public().specific()
        }
        return context

    class Meta:
        verbose_name = "Startseite"
        verbose_name_plural = "Startseiten"
