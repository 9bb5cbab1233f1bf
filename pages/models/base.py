"""What every syndicated item shares: teaser, image, body, visibility and taxonomies."""

from django import forms
from django.db import models

from modelcluster.fields import ParentalManyToManyField
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


class ContentPage(Page):
    """Fields every syndicated item shares."""

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
