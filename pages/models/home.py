"""The home page: the root of the public site."""

from django.db import models  # noqa: F401

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from pages.blocks import RICH_TEXT_FEATURES


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

    class Meta:
        verbose_name = "Startseite"
        verbose_name_plural = "Startseiten"
