"""What every syndicated item shares: teaser, image, body, visibility and taxonomies."""

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse

from modelcluster.fields import ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField, TranslatableField

from pages.blocks import BodyBlock
from pages.queries import HubPageManager
from pages.slugs import ascii_slug, is_ascii_slug
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


PAGE_TRANSLATABLE_FIELDS = [
    TranslatableField("title"),
    # Translated pages keep the German slug: wagtail-localize would slugify a
    # translated one (an Arabic slug becomes empty, docs/languages.md).
    SynchronizedField("slug"),
    SynchronizedField("show_in_menus"),
    TranslatableField("seo_title"),
    TranslatableField("search_description"),
]
"""What every page type translates (text) and keeps from German (everything else).

Every page type declares `translatable_fields` explicitly; wagtail-localize's
autogeneration would translate the slug and any CharField."""

ITEM_TRANSLATABLE_FIELDS = [
    *PAGE_TRANSLATABLE_FIELDS,
    TranslatableField("teaser"),
    SynchronizedField("image"),
    TranslatableField("body"),
    SynchronizedField("target_groups"),
    SynchronizedField("topics"),
]
"""The fields every syndicated item shares; taxonomies stay the German terms."""

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

    translatable_fields = ITEM_TRANSLATABLE_FIELDS

    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.FilterField("live"),
    ]

    class Meta:
        abstract = True

    @classmethod
    def fact_columns(cls) -> tuple[str, ...]:
        """The page's own columns that are facts (its `SynchronizedField`s other than
        relations and Wagtail's page settings): a translation shows the German page's.
        Relations (terms, contacts, documents, dates) are read from `facts` in the
        templates."""
        columns = []
        for declared in cls.translatable_fields:
            if not isinstance(declared, SynchronizedField):
                continue
            field = cls._meta.get_field(declared.field_name)
            if field.concrete and not field.many_to_many and field.model is not Page:
                # A link's id: the linked row loads only if the template shows it.
                columns.append(field.attname)
        return tuple(columns)

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        """`facts`: the German page (`german_page`); a translation's fact columns are
        set from it, so its template shows its own text with the German facts."""
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        facts = self.german_page()
        if facts is not self:
            for name in self.fact_columns():
                setattr(self, name, getattr(facts, name))
        context["facts"] = facts
        return context

    def german_page(self) -> "Any":
        """The German page this page translates (itself when German or when none).

        Facts (status, dates, places, registration, contacts, documents, terms) are
        read from it on every surface: a translation holds copies of them only as of
        its last translation, and must never show a cancelled event as taking place.
        """
        if (
            self.locale_id is None
            or self.locale.language_code == settings.LANGUAGE_CODE
        ):
            return self
        german = (
            type(self)
            .objects.filter(
                translation_key=self.translation_key,
                locale__language_code=settings.LANGUAGE_CODE,
            )
            .first()
        )
        return german or self

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        """New or changed slugs are ASCII (ä → ae); an existing slug is left as it is."""
        parent_is_known = bool(self.path or getattr(self, "_cached_parent_obj", None))
        slug: str = getattr(self, "slug", "") or ""
        if not slug and self.title and parent_is_known:
            slug = self._get_autogenerated_slug(self._ascii_slug_of(self.title))
        if slug and not is_ascii_slug(slug) and self._slug_changed(slug):
            slug = self._ascii_slug_of(slug)
        self.slug = slug
        super().full_clean(*args, **kwargs)

    def _ascii_slug_of(self, text: str) -> str:
        """A title in another script (Arabic, Ukrainian …) falls back to the page type."""
        return ascii_slug(text) or ascii_slug(str(self._meta.verbose_name))

    def _slug_changed(self, slug: str) -> bool:
        if self.pk is None:
            return True
        stored = Page.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        return bool(stored != slug)

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
