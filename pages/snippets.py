"""Reusable records editors pick from: taxonomies, contact people and venues."""

import re
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import ProtectedError
from django.utils.text import slugify

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

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


class TaxonomyQuerySet(models.QuerySet["Taxonomy"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        for term in self:
            term.refuse_deletion_if_used()
        return super().delete()


class Taxonomy(index.Indexed, models.Model):
    """A named term with a stable ASCII slug that partners filter by."""

    name = models.CharField("Name", max_length=120, unique=True)
    slug = models.SlugField(
        "Kürzel",
        max_length=80,
        unique=True,
        blank=True,
        validators=[slug_validator],
        help_text="Wird in Filtern der Partnerseiten verwendet, z. B. ?city=witten. "
        "Leer lassen, um es aus dem Namen zu bilden. Nach Veröffentlichung nicht mehr ändern.",
    )
    sort_order = models.PositiveSmallIntegerField("Reihenfolge", default=0)

    objects = TaxonomyQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = ascii_slug(self.name)
        super().save(*args, **kwargs)

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


class Venue(index.Indexed, models.Model):
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
    ]

    class Meta:
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
