"""Partner endpoints that hear about changed items, and the log of what they were sent."""

import base64
import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from hub import languages, outbound
from pages import sections
from pages.sync_events import ItemEvent

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, no secret  # nosec B105
SECRET_BYTES = 24
SECRET_OVERLAP = dt.timedelta(hours=24)
"""How long the previous secret still signs deliveries after a rotation."""


def generate_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and base64 of 24 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def generate_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class EventKind(models.TextChoices):
    """What an endpoint subscribes to; each `ItemEvent` is of exactly one kind."""

    PUBLISHED = "published", "Veröffentlicht"
    UPDATED = "updated", "Geändert"
    DELETED = "deleted", "Zurückgezogen, gelöscht oder zugriffsbeschränkt"
    SCHEDULED = "scheduled", "Geplante Veröffentlichung erreicht"
    EXPIRED = "expired", "Ablaufdatum erreicht"

    @classmethod
    def of(cls, event: ItemEvent) -> "EventKind":
        if event.type == "item.published":
            return cls.SCHEDULED if event.reason == "schedule" else cls.PUBLISHED
        if event.type == "item.deleted":
            return cls.EXPIRED if event.reason == "expiry" else cls.DELETED
        return cls.UPDATED


def all_event_kinds() -> list[str]:
    return list(EventKind.values)


def section_choices() -> list[tuple[str, str]]:
    return [(section.name, section.title) for section in sections.SECTIONS]


def source_language_only() -> list[str]:
    """What an endpoint receives unless told otherwise: German, as before languages."""
    return [languages.source().tag]


def language_label(tag: str) -> str:
    """A language as editors read it: „Arabisch“; the tag of one the hub no longer
    knows."""
    try:
        return languages.by_tag(tag).german_name
    except languages.UnknownLanguage:
        return tag


def validate_languages(tags: Any) -> None:
    """At least one language, each a canonical tag of the hub's table."""
    if not isinstance(tags, list) or not tags:
        raise ValidationError(
            "Bitte wählen Sie mindestens eine Sprache.", code="no_language"
        )
    for tag in tags:
        try:
            known = isinstance(tag, str) and languages.canonical(tag) == tag
        except languages.UnknownLanguage:
            known = False
        if not known:
            raise ValidationError(
                "„%(tag)s“ ist keine Sprache des Hubs.",
                code="unknown_language",
                params={"tag": tag},
            )


def validate_target_url(url: str) -> None:
    """https (http only with `HUB_WEBHOOKS_ALLOW_HTTP`), no credentials, and a host
    that resolves to public addresses only (unless `HUB_OUTBOUND_ALLOW_PRIVATE`)."""
    parts = urlsplit(url)
    allow_http = getattr(settings, "HUB_WEBHOOKS_ALLOW_HTTP", False)
    if parts.scheme != "https" and not (allow_http and parts.scheme == "http"):
        raise ValidationError(
            "Bitte eine https-Adresse angeben, z. B. „https://www.witten.de/hub-webhook“.",
            code="scheme",
        )
    if parts.username or parts.password:
        raise ValidationError(
            "Bitte keine Zugangsdaten in die Adresse schreiben; die Zustellungen sind "
            "mit dem Geheimnis signiert.",
            code="credentials",
        )
    try:
        outbound.check_url(url)
    except outbound.BlockedDestination as error:
        raise ValidationError(str(error), code="destination") from error


class Endpoint(models.Model):
    """A partner's URL that receives signed deliveries of item events."""

    name = models.CharField(
        "Name",
        max_length=120,
        help_text="Wofür der Webhook ist, z. B. „Stadt Witten – Veranstaltungskalender“.",
    )
    url = models.URLField(
        "Ziel-Adresse",
        max_length=500,
        validators=[validate_target_url],
        help_text="Die https-Adresse der Partnerseite, an die Änderungen gesendet werden.",
    )
    events = models.JSONField(
        "Ereignisse",
        default=all_event_kinds,
        help_text="Bei welchen Änderungen eine Nachricht gesendet wird.",
    )
    languages = models.JSONField(
        "Sprachen",
        default=source_language_only,
        validators=[validate_languages],
        help_text="In welchen Sprachen die Partnerseite Nachrichten erhält: je Änderung "
        "eine Nachricht pro Sprache, mit der API-Adresse in dieser Sprache.",
    )
    sections = models.JSONField(
        "Bereiche",
        default=list,
        blank=True,
        help_text="Nichts angekreuzt: alle Bereiche.",
    )
    cities = models.ManyToManyField(
        "pages.City",
        verbose_name="Städte",
        blank=True,
        related_name="webhook_endpoints",
        help_text="Nichts ausgewählt: alle Städte. Sonst nur Inhalte, die einer dieser "
        "Städte zugeordnet sind oder es vor der Änderung waren.",
    )
    active = models.BooleanField(
        "Aktiv",
        default=True,
        help_text="Nur aktive Webhooks erhalten Nachrichten. Ein automatisch "
        "deaktivierter Webhook wird durch erneutes Ankreuzen wieder eingeschaltet.",
    )
    secret = models.CharField("Geheimnis", max_length=80, default=generate_secret)
    previous_secret = models.CharField(
        "Vorheriges Geheimnis", max_length=80, blank=True, default=""
    )
    previous_secret_expires_at = models.DateTimeField(
        "Vorheriges Geheimnis gültig bis", null=True, blank=True
    )
    consecutive_failures = models.PositiveIntegerField(
        "Fehlgeschlagene Nachrichten in Folge", default=0
    )
    disabled_at = models.DateTimeField("Deaktiviert am", null=True, blank=True)
    disabled_reason = models.TextField("Grund der Deaktivierung", blank=True)
    created_at = models.DateTimeField("Angelegt am", auto_now_add=True)

    class Meta:
        verbose_name = "Webhook"
        verbose_name_plural = "Webhooks"
        ordering = ["name", "pk"]
        default_permissions = ()
        permissions = [("manage_webhooks", "Webhooks verwalten")]

    def __str__(self) -> str:
        return self.name

    def signing_secrets(self, now: dt.datetime | None = None) -> list[str]:
        """The current secret, then the previous one while its overlap lasts."""
        now = now or timezone.now()
        found = [self.secret]
        if (
            self.previous_secret
            and self.previous_secret_expires_at
            and self.previous_secret_expires_at > now
        ):
            found.append(self.previous_secret)
        return found

    def rotate_secret(self) -> str:
        """A new secret; the current one stays valid for `SECRET_OVERLAP` (an older
        previous one ends at once). Saves and returns the new secret."""
        self.previous_secret = self.secret
        self.previous_secret_expires_at = timezone.now() + SECRET_OVERLAP
        self.secret = generate_secret()
        self.save(
            update_fields=["secret", "previous_secret", "previous_secret_expires_at"]
        )
        return self.secret

    def wants(self, event: ItemEvent, city_slugs: frozenset[str]) -> bool:
        """Whether this endpoint subscribed to `event` (kind, section and city filter;
        a city the item had before the change counts too)."""
        if EventKind.of(event) not in self.events:
            return False
        if self.sections and event.section not in self.sections:
            return False
        if city_slugs:
            had = {
                *event.filters.get("city", ()),
                *event.previous_filters.get("city", ()),
            }
            return not city_slugs.isdisjoint(had)
        return True

    def languages_offered(self, offered: Iterable[str]) -> list[str]:
        """The endpoint's languages that the hub offers now, in the order of
        `offered` (a language switched off since has no API to read). When none of
        them is offered any more, German (always offered): a partner is never cut
        off from changes without notice."""
        offered = list(offered)
        chosen = [tag for tag in offered if tag in self.languages]
        return chosen or [settings.LANGUAGE_CODE]

    def clean(self) -> None:
        """Switching a disabled endpoint back on starts its failure count afresh."""
        super().clean()
        if self.active and self.disabled_at:
            self.disabled_at = None
            self.disabled_reason = ""
            self.consecutive_failures = 0


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Wartet"
    SUCCEEDED = "succeeded", "Zugestellt"
    FAILED = "failed", "Fehlgeschlagen, neuer Versuch geplant"
    GAVE_UP = "gave_up", "Aufgegeben"


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def open(self) -> "DeliveryQuerySet":
        """Deliveries that may still be attempted."""
        return self.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])


class Delivery(models.Model):
    """One message to one endpoint and the outcome of its attempts."""

    endpoint = models.ForeignKey(
        Endpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name="Webhook",
    )
    message_id = models.CharField(
        "Nachrichten-ID", max_length=40, unique=True, default=generate_message_id
    )
    event_seq = models.BigIntegerField(
        "Position im Änderungsprotokoll", null=True, blank=True
    )
    event_type = models.CharField("Ereignis", max_length=40)
    language = models.CharField(
        "Sprache",
        max_length=20,
        blank=True,
        help_text="Die Sprache der Nachricht; leer bei einer Testnachricht.",
    )
    payload = models.JSONField("Inhalt")
    status = models.CharField(
        "Status",
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField("Versuche", default=0)
    response_status = models.PositiveSmallIntegerField(
        "Antwortcode", null=True, blank=True
    )
    last_error = models.TextField("Letzter Fehler", blank=True)
    created_at = models.DateTimeField("Angelegt", default=timezone.now)
    last_attempt_at = models.DateTimeField("Letzter Versuch", null=True, blank=True)
    next_attempt_at = models.DateTimeField("Nächster Versuch", null=True, blank=True)
    finished_at = models.DateTimeField("Abgeschlossen", null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "Zustellung"
        verbose_name_plural = "Zustellungen"
        ordering = ["-created_at", "-pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_seq", "language"],
                condition=models.Q(event_seq__isnull=False),
                name="webhooks_delivery_once_per_event_and_language",
            )
        ]
        indexes = [models.Index(fields=["endpoint", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint} ({self.message_id})"

    @property
    def subject(self) -> str:
        """What the message is about, for editors ("Veröffentlicht: Veranstaltung 42")."""
        data: dict[str, Any] = self.payload.get("data", {}) if self.payload else {}
        action = EVENT_LABELS.get(self.event_type, self.event_type)
        if "type" in data and "id" in data:
            kind = ITEM_TYPE_LABELS.get(data["type"], data["type"])
            return f"{action}: {kind} {data['id']}"
        return action

    @property
    def language_label(self) -> str:
        """The message's language for editors; for a test message, the languages the
        endpoint had then."""
        if self.language:
            return language_label(self.language)
        data: dict[str, Any] = self.payload.get("data", {}) if self.payload else {}
        return ", ".join(language_label(tag) for tag in data.get("languages", ()))


EVENT_LABELS = {
    "item.published": "Veröffentlicht",
    "item.updated": "Geändert",
    "item.deleted": "Nicht mehr öffentlich",
    "webhook.test": "Testnachricht",
}
ITEM_TYPE_LABELS = {
    "event": "Veranstaltung",
    "press": "Pressemitteilung",
    "programme": "Programm",
    "newsletter": "Newsletter-Ausgabe",
}
