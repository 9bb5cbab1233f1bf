"""What every syndicated item shares: teaser, image, body, visibility and taxonomies."""

from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponse

from modelcluster.fields import ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from pages.blocks import BodyBlock
from pages.queries import HubPageManager
from pages.snippets import City, TargetGroup, Topic


def taxonomy_panels(*, with_cities: bool = True) -> list:
    """The "Einordnung" panel: cities (unless an event's own city field), groups, topics."""
    fields = ["cities"] if with_cities else []
    fields += ["target_groups", "topics"]
    return [
        MultiFieldPanel(
            [FieldPanel(name, widget=forms.CheckboxSelectMultiple) for name in fields],
            heading="Einordnung",
        )
    ]


PREVIEW_MODE_HOOK = "hub_item_preview"
"""Wagtail hook that renders a preview mode other than the page (the embed entry, the
feed entry: `hub.preview_modes`): the content model names no presentation module."""


class ContentPage(Page):
    """Fields every syndicated item shares."""

    preview_modes = [
        ("", "Seite"),
        ("embed", "Eintrag in der Einbettung"),
        ("feed", "Feed-Eintrag"),
    ]

    teaser = models.TextField(
        "Kurzbeschreibung",
        max_length=600,
        blank=True,
        help_text="Ein bis zwei Sätze für Listen, Feeds und Partnerseiten.",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Bild",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name="Inhalt", blank=True)

    objects = HubPageManager()

    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.FilterField("live"),
    ]

    class Meta:
        abstract = True

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        """The page, or the draft as a partner's embed or a feed would show it."""
        if mode_name:
            for render in hooks.get_hooks(PREVIEW_MODE_HOOK):
                response: HttpResponse | None = render(self, request, mode_name)
                if response is not None:
                    return response
        preview: HttpResponse = super().serve_preview(request, mode_name)
        return preview


class Classified(models.Model):
    """Target groups and topics: the taxonomy relations of every item."""

    target_groups = ParentalManyToManyField(
        TargetGroup,
        verbose_name="Zielgruppen",
        blank=True,
        related_name="%(class)s_set",
    )
    topics = ParentalManyToManyField(
        Topic, verbose_name="Themen", blank=True, related_name="%(class)s_set"
    )

    class Meta:
        abstract = True


class ClassifiedByCity(Classified):
    """Items that concern several cities (events have one city of their own instead)."""

    cities = ParentalManyToManyField(
        City, verbose_name="Städte", blank=True, related_name="%(class)s_set"
    )

    class Meta:
        abstract = True
