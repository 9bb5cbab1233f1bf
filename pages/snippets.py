"""Reusable records editors pick from: taxonomies, contact people and venues.

Cities, target groups, topics and venues are translatable (docs/languages.md,
"Directory entries"): each German entry may have one row per language with the same
`translation_key`. Pages link to the German rows only, so lists and filters ask for
`german()` entries; the names readers see in another language come from
`localized_names` and `localized_venue_texts`, one query per list.
"""

import re
from collections.abc import Iterable
from typing import Any, Protocol, Self, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import OuterRef, ProtectedError, Subquery
from django.utils.text import slugify

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Locale, TranslatableMixin
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField, TranslatableField

from .enums import EventStatus

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Nur Kleinbuchstaben ohne Umlaute, Ziffern und einzelne Bindestriche (z. B. "
    "„wetter-ruhr“).",
)
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 /()\-]{3,30}$",
    "Bitte eine Telefonnummer aus Ziffern, Leerzeichen, „/“ und „-“ angeben "
    "(z. B. „02336 93-2080“).",
)
postcode_validator = RegexValidator(r"^[0-9]{5}$", "Die Postleitzahl hat fünf Ziffern.")

_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def ascii_slug(text: str) -> str:
    """Lowercase ASCII slug with German transliteration ("Sprockhövel" → "sprockhoevel")."""
    return slugify(text.translate(_UMLAUTS))


def phone_uri(phone: str) -> str:
    """`tel:` URI in international form ("02336 93-2080" → "tel:+49233693208")."""
    if not phone:
        return ""
    digits = re.sub(r"[^0-9+]", "", phone)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+49" + digits[1:]
    return "tel:" + digits


class Address(Protocol):
    """A venue's address as a model row or a loaded list row (`pages.items.Venue`)."""

    @property
    def name(self) -> str: ...
    @property
    def room(self) -> str: ...
    @property
    def street(self) -> str: ...
    @property
    def postcode(self) -> str: ...
    @property
    def town(self) -> str: ...


def address_lines(venue: Address) -> list[str]:
    """Name, room, street and "postcode town": the lines of a venue's address."""
    locality = " ".join(part for part in (venue.postcode, venue.town) if part)
    return [line for line in (venue.name, venue.room, venue.street, locality) if line]


def source_language() -> str:
    """The language every entry is first written in, and the one pages link to."""
    return settings.LANGUAGE_CODE


_Entry = TypeVar("_Entry", bound=models.Model)


class DirectoryQuerySet(models.QuerySet[_Entry]):
    def german(self) -> Self:
        """The German entries: what pages link to, lists show and filters match."""
        return self.filter(locale__language_code=source_language())


class TaxonomyQuerySet(DirectoryQuerySet["Taxonomy"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        for term in self:
            term.refuse_deletion_if_used()
        return super().delete()


DUPLICATE_NAME = (
    "„{value}“ gibt es in dieser Sprache schon. Bitte wählen Sie einen anderen Namen."
)
DUPLICATE_SLUG = (
    "Das Kürzel „{value}“ ist in dieser Sprache schon vergeben. Bitte wählen Sie ein "
    "anderes."
)


class Taxonomy(TranslatableMixin, index.Indexed, models.Model):
    """A named term with a stable ASCII slug that partners filter by.

    The name is translated; the slug is the same in every language (`?city=witten`).
    """

    name = models.CharField("Name", max_length=120)
    slug = models.SlugField(
        "Kürzel",
        max_length=80,
        blank=True,
        validators=[slug_validator],
        help_text="Wird in Filtern der Partnerseiten verwendet, z. B. ?city=witten. "
        "Leer lassen, um es aus dem Namen zu bilden. Nach Veröffentlichung nicht mehr ändern.",
    )
    sort_order = models.PositiveSmallIntegerField("Reihenfolge", default=0)

    objects = TaxonomyQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug", overridable=False),
        SynchronizedField("sort_order", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "locale"], name="%(class)s_unique_name_per_locale"
            ),
            models.UniqueConstraint(
                fields=["slug", "locale"], name="%(class)s_unique_slug_per_locale"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = ascii_slug(self.name)
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude: Iterable[str] | None = None) -> None:
        """A name or slug is unique within one language; the error names the field.

        The admin's form has no `locale` field, so Django would skip these constraints
        and the database would refuse the row instead.
        """
        excluded = set(exclude or ())
        super().validate_constraints(exclude=excluded | {"name", "slug"})
        errors: dict[str, str] = {}
        locale_id = self.locale_id or Locale.get_default().pk
        others = type(self)._default_manager.filter(locale_id=locale_id)
        if not self._state.adding and self.pk is not None:
            others = others.exclude(pk=self.pk)
        if (
            "name" not in excluded
            and self.name
            and others.filter(name=self.name).exists()
        ):
            errors["name"] = DUPLICATE_NAME.format(value=self.name)
        slug = self.slug or ascii_slug(self.name or "")
        if "slug" not in excluded and slug and others.filter(slug=slug).exists():
            errors["slug"] = DUPLICATE_SLUG.format(value=slug)
        if errors:
            raise ValidationError(errors)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.refuse_deletion_if_used()
        return super().delete(*args, **kwargs)

    def refuse_deletion_if_used(self) -> None:
        """Terms are linked many-to-many, so Django would silently unlink them from content."""
        if self.usage_count():
            raise ProtectedError(
                f"„{self}“ wird noch von Inhalten verwendet und kann nicht gelöscht werden.",
                set(),
            )

    def usage_count(self) -> int:
        """Pages that use this term; a term in use cannot be deleted."""
        return sum(
            getattr(self, accessor).count()
            for rel in self._meta.related_objects
            if (rel.many_to_many or rel.one_to_many)
            # None only for a symmetrical many-to-many to itself, which terms have not.
            and (accessor := rel.get_accessor_name()) is not None
        )


class City(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "Stadt"
        verbose_name_plural = "Städte"


class TargetGroup(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "Zielgruppe"
        verbose_name_plural = "Zielgruppen"


class Topic(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "Thema"
        verbose_name_plural = "Themen"


class ContactPerson(index.Indexed, models.Model):
    name = models.CharField("Name", max_length=150)
    role = models.CharField(
        "Funktion", max_length=150, blank=True, help_text="z. B. „Koordination KIM“"
    )
    phone = models.CharField(
        "Telefon", max_length=40, blank=True, validators=[phone_validator]
    )
    email = models.EmailField("E-Mail", blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "Ansprechperson"
        verbose_name_plural = "Ansprechpersonen"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "phone"], name="unique_contact_person"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_uri(self) -> str:
        return phone_uri(self.phone)


class Venue(TranslatableMixin, index.Indexed, models.Model):
    """A place events happen at. Name and address are German in every language (what
    people find on the door); the room and the accessibility notes are translated."""

    name = models.CharField("Name", max_length=150)
    street = models.CharField("Straße und Hausnummer", max_length=150, blank=True)
    postcode = models.CharField(
        "PLZ", max_length=5, blank=True, validators=[postcode_validator]
    )
    town = models.CharField("Ort", max_length=100)
    room = models.CharField("Raum", max_length=100, blank=True)
    city = models.ForeignKey(
        City,
        verbose_name="Stadt im Kreis",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="venues",
        help_text="Leer lassen, wenn der Ort außerhalb des Kreises liegt.",
    )
    accessibility = models.TextField(
        "Barrierefreiheit",
        blank=True,
        help_text="z. B. „Zugang stufenlos, Aufzug vorhanden, barrierefreies WC“",
    )
    latitude = models.DecimalField(
        "Breitengrad",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "Längengrad",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("street"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("town")]),
                FieldPanel("room"),
                FieldPanel("city"),
            ],
            heading="Adresse",
        ),
        FieldPanel("accessibility"),
        FieldRowPanel(
            [FieldPanel("latitude"), FieldPanel("longitude")], heading="Koordinaten"
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("town"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]
    translatable_fields = [
        SynchronizedField("name", overridable=False),
        SynchronizedField("street", overridable=False),
        SynchronizedField("postcode", overridable=False),
        SynchronizedField("town", overridable=False),
        TranslatableField("room"),
        # Entries link to German entries, like pages: a synchronised city stays German.
        SynchronizedField("city", overridable=False),
        TranslatableField("accessibility"),
        SynchronizedField("latitude", overridable=False),
        SynchronizedField("longitude", overridable=False),
    ]

    objects = DirectoryQuerySet.as_manager()

    class Meta(TranslatableMixin.Meta):
        verbose_name = "Veranstaltungsort"
        verbose_name_plural = "Veranstaltungsorte"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.town}" if self.town not in self.name else self.name

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": "Bitte Breiten- und Längengrad gemeinsam angeben."}
            )

    @property
    def address_lines(self) -> list[str]:
        return address_lines(self)


class StatusWording(TranslatableMixin, models.Model):
    """How readers see an event status, in German and each translation.

    The statuses themselves are code (`EventStatus`, the public contract); one German
    row per status holds the wording editors may change and translate.
    """

    status = models.CharField("Status", max_length=20, choices=EventStatus.choices)
    wording = models.CharField(
        "Bezeichnung",
        max_length=80,
        help_text="So lesen Besucherinnen und Besucher den Status auf Seiten, in Feeds "
        "und Kalendern, z. B. „abgesagt“.",
    )

    objects = DirectoryQuerySet.as_manager()

    panels = [FieldPanel("status", read_only=True), FieldPanel("wording")]
    translatable_fields = [
        SynchronizedField("status", overridable=False),
        TranslatableField("wording"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "Statusbezeichnung"
        verbose_name_plural = "Statusbezeichnungen"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status", "locale"], name="statuswording_unique_per_locale"
            )
        ]

    def __str__(self) -> str:
        return self.wording

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        forget_status_wordings()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        forget_status_wordings()
        return result


STATUS_WORDINGS_KEY = "hub:status-wordings"
STATUS_WORDINGS_TIMEOUT = 3600


def status_wordings(lang: str) -> dict[str, str]:
    """Every status's wording in `lang`, German where it has none: for a whole list.

    All languages' wordings sit in the shared cache under one key, read from the
    database in one query when missing and dropped when a wording is saved.
    """
    wordings: dict[str, dict[str, str]] | None = cache.get(STATUS_WORDINGS_KEY)
    if wordings is None:
        wordings = {}
        for status, wording, language in StatusWording.objects.values_list(
            "status", "wording", "locale__language_code"
        ):
            wordings.setdefault(language, {})[status] = wording
        cache.set(STATUS_WORDINGS_KEY, wordings, STATUS_WORDINGS_TIMEOUT)
    german = {status.value: str(status.label) for status in EventStatus}
    german.update(wordings.get(source_language(), {}))
    if lang == source_language():
        return german
    return german | wordings.get(lang, {})


def status_label(status: str, lang: str) -> str:
    """The wording of one status in `lang` (German where it has none)."""
    return status_wordings(lang)[status]


def forget_status_wordings() -> None:
    """Drop the cached wordings now and once the saving transaction commits (a reader
    in between may have cached the old ones)."""
    cache.delete(STATUS_WORDINGS_KEY)
    transaction.on_commit(lambda: cache.delete(STATUS_WORDINGS_KEY))


def localized_names(
    model: type[Taxonomy], ids: Iterable[int], lang: str
) -> dict[int, str]:
    """German entry id → its name in `lang` (the German name where none), one query."""
    ids = list(ids)
    if not ids:
        return {}
    entries = model._default_manager.filter(pk__in=ids)
    if lang == source_language():
        return dict(entries.values_list("pk", "name"))
    translated = _translations(model, lang)
    rows = entries.annotate(translated=Subquery(translated.values("name")[:1]))
    return {
        pk: translated or name
        for pk, name, translated in rows.values_list("pk", "name", "translated")
    }


VENUE_TEXTS = ("accessibility", "room")


def localized_venue_texts(ids: Iterable[int], lang: str) -> dict[int, dict[str, str]]:
    """German venue id → its texts (`accessibility`, `room`) in `lang`, German where the
    venue has no translation, one query."""
    ids = list(ids)
    if not ids:
        return {}
    venues = Venue.objects.filter(pk__in=ids)
    if lang == source_language():
        return {
            row["pk"]: {field: row[field] for field in VENUE_TEXTS}
            for row in venues.values("pk", *VENUE_TEXTS)
        }
    translated = _translations(Venue, lang)
    rows = venues.annotate(
        **{
            f"translated_{field}": Subquery(translated.values(field)[:1])
            for field in VENUE_TEXTS
        }
    ).values("pk", *VENUE_TEXTS, *(f"translated_{field}" for field in VENUE_TEXTS))
    # A text the translation lacks (added in German since) shows in German.
    return {
        row["pk"]: {
            field: row[f"translated_{field}"] or row[field] for field in VENUE_TEXTS
        }
        for row in rows
    }


def _translations(model: type[models.Model], lang: str) -> models.QuerySet:
    """The `lang` row of the entry in the outer query."""
    return model._default_manager.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=lang
    )
