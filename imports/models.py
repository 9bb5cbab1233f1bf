"""Subscriptions to partners' iCal feeds, their runs, and the events they created."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from hub import outbound


def validate_feed_url(url: str) -> None:
    """http(s), no credentials, and a host with public addresses only (unless
    `HUB_OUTBOUND_ALLOW_PRIVATE`)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValidationError(
            "Bitte eine http- oder https-Adresse angeben, z. B. "
            "„https://www.witten.de/veranstaltungen/?ical=1“.",
            code="scheme",
        )
    if parts.username or parts.password:
        raise ValidationError(
            "Bitte keine Zugangsdaten in die Adresse schreiben.", code="credentials"
        )
    try:
        outbound.check_url(url)
    except outbound.BlockedDestination as error:
        raise ValidationError(str(error), code="destination") from error


EXTEND_AFTER = dt.timedelta(days=7)
"""Open-ended series get newer dates once their stored ones end this much before the
import window's end: at most one new revision a week for days passing."""


class CalendarSubscription(models.Model):
    """A partner's iCal feed whose events the hub takes over as drafts."""

    name = models.CharField(
        "Name",
        max_length=120,
        help_text="Wessen Kalender es ist, z. B. „Stadt Witten – Veranstaltungen“.",
    )
    url = models.URLField(
        "Adresse des Kalenders",
        max_length=500,
        validators=[validate_feed_url],
        help_text="Die Adresse des iCal-Exports (.ics), z. B. "
        "„https://www.witten.de/veranstaltungen/?ical=1“.",
    )
    city = models.ForeignKey(
        "pages.City",
        verbose_name="Stadt",
        on_delete=models.PROTECT,
        related_name="calendar_subscriptions",
        help_text="Die Stadt, der die importierten Veranstaltungen zugeordnet werden.",
    )
    target_groups = models.ManyToManyField(
        "pages.TargetGroup",
        verbose_name="Zielgruppen",
        blank=True,
        related_name="calendar_subscriptions",
        help_text="Werden jeder importierten Veranstaltung zugeordnet.",
    )
    needs_review = models.BooleanField(
        "Zur Freigabe einreichen",
        default=True,
        help_text="Angekreuzt: neue und geänderte Veranstaltungen werden zur Freigabe "
        "durch die Redaktion eingereicht. Sonst bleiben sie Entwürfe, bis jemand sie "
        "veröffentlicht. Veröffentlicht wird nie automatisch.",
    )
    interval_hours = models.PositiveSmallIntegerField(
        "Abruf alle … Stunden",
        default=6,
        help_text="Wie oft der Kalender abgerufen wird (1 bis 168 Stunden).",
    )
    active = models.BooleanField(
        "Aktiv", default=True, help_text="Nur aktive Kalender werden abgerufen."
    )
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    calendar_body = models.BinaryField(default=b"", blank=True, editable=False)
    """The calendar as last imported in full: a 304 still lets the dates of open-ended
    series move on with time (`importer.run`), without downloading it again."""
    expanded_until = models.DateField(null=True, blank=True, editable=False)
    """The last day the stored dates reach (the end of the last full expansion)."""
    next_fetch_at = models.DateTimeField(
        "Nächster Abruf", default=timezone.now, editable=False
    )
    created_at = models.DateTimeField("Angelegt am", auto_now_add=True)

    class Meta:
        verbose_name = "Kalender-Abonnement"
        verbose_name_plural = "Kalender-Abonnements"
        ordering = ["name", "pk"]
        default_permissions = ()
        permissions = [("manage_calendar_imports", "Kalender-Importe verwalten")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not 1 <= self.interval_hours <= 168:
            raise ValidationError(
                {
                    "interval_hours": "Bitte einen Wert zwischen 1 und 168 Stunden angeben."
                }
            )

    def schedule_next(self, now: dt.datetime | None = None) -> None:
        self.next_fetch_at = (now or timezone.now()) + dt.timedelta(
            hours=self.interval_hours
        )

    def extension_due(self, window_end: dt.date) -> bool:
        """Whether series should get their dates up to `window_end`: the stored ones
        end more than `EXTEND_AFTER` before it (or were never expanded)."""
        return (
            self.expanded_until is None
            or window_end > self.expanded_until + EXTEND_AFTER
        )

    def forget_validators(self) -> None:
        """The next fetch downloads the whole calendar (not `If-None-Match`)."""
        self.etag = ""
        self.last_modified = ""


class RunStatus(models.TextChoices):
    RUNNING = "running", "Läuft"
    SUCCEEDED = "succeeded", "Erfolgreich"
    NOT_MODIFIED = "not_modified", "Unverändert (304)"
    PARTIAL = "partial", "Mit Fehlern"
    FAILED = "failed", "Fehlgeschlagen"


class ImportRun(models.Model):
    """One fetch of a subscription: what it created, updated or left, and why it failed."""

    subscription = models.ForeignKey(
        CalendarSubscription,
        on_delete=models.CASCADE,
        related_name="runs",
        verbose_name="Kalender",
    )
    started_at = models.DateTimeField("Beginn", default=timezone.now)
    finished_at = models.DateTimeField("Ende", null=True, blank=True)
    status = models.CharField(
        "Ergebnis",
        max_length=15,
        choices=RunStatus.choices,
        default=RunStatus.RUNNING,
    )
    created = models.PositiveIntegerField("Neu", default=0)
    updated = models.PositiveIntegerField("Aktualisiert", default=0)
    unchanged = models.PositiveIntegerField("Unverändert", default=0)
    conflicts = models.PositiveIntegerField("Konflikte", default=0)
    skipped = models.PositiveIntegerField("Übersprungen", default=0)
    errors = models.JSONField("Fehler", default=list, blank=True)

    class Meta:
        verbose_name = "Abruf"
        verbose_name_plural = "Abrufe"
        ordering = ["-started_at", "-pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.subscription} ({self.started_at:%d.%m.%Y %H:%M})"

    @property
    def summary(self) -> str:
        """What the run did, for editors: „2 neu, 1 aktualisiert, 1 Konflikt“."""
        parts = [
            f"{self.created} neu",
            f"{self.updated} aktualisiert",
            f"{self.unchanged} unverändert",
        ]
        if self.conflicts:
            parts.append(
                f"{self.conflicts} Konflikt" + ("e" if self.conflicts != 1 else "")
            )
        if self.skipped:
            parts.append(f"{self.skipped} übersprungen")
        return ", ".join(parts)


class ImportedEventQuerySet(models.QuerySet["ImportedEvent"]):
    def in_conflict(self) -> "ImportedEventQuerySet":
        """Events whose source changed after an editor changed the event in the hub."""
        return self.filter(conflict_since__isnull=False)


class ImportedEvent(models.Model):
    """The event page a source VEVENT (by UID) became, and what was imported last.

    `page_fingerprint` is the fingerprint of the imported fields as the import left
    them in the page's latest revision: a different one later means an editor changed
    them, and the import then records a conflict instead of overwriting."""

    subscription = models.ForeignKey(
        CalendarSubscription,
        on_delete=models.CASCADE,
        related_name="imported_events",
        verbose_name="Kalender",
    )
    uid = models.CharField("UID in der Quelle", max_length=500)
    page = models.ForeignKey(
        "pages.EventPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Veranstaltung",
        help_text="Leer, wenn die Veranstaltung im Hub gelöscht wurde: Sie wird dann "
        "nicht wieder importiert.",
    )
    source = models.JSONField("Stand der Quelle", default=dict)
    source_hash = models.CharField(max_length=64)
    page_fingerprint = models.CharField(max_length=64)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Vom Import angelegte Version",
    )
    conflict_since = models.DateTimeField("Konflikt seit", null=True, blank=True)
    imported_at = models.DateTimeField("Zuletzt importiert", default=timezone.now)
    seen_at = models.DateTimeField("Zuletzt in der Quelle", default=timezone.now)

    objects = ImportedEventQuerySet.as_manager()

    class Meta:
        verbose_name = "Importierte Veranstaltung"
        verbose_name_plural = "Importierte Veranstaltungen"
        ordering = ["subscription", "uid"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "uid"], name="imports_event_once_per_uid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.uid} → {self.page_id}"

    @property
    def title(self) -> str:
        return str(self.source.get("title", ""))


MAX_BYTES_DEFAULT = 5 * 1024 * 1024


def max_bytes() -> int:
    """The largest calendar fetched (`HUB_IMPORT_MAX_BYTES`); a larger one fails."""
    return int(getattr(settings, "HUB_IMPORT_MAX_BYTES", MAX_BYTES_DEFAULT))
