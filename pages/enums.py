from django.db import models


class EventStatus(models.TextChoices):
    """Event status vocabulary of the public contract (CONTRACT.md)."""

    SCHEDULED = "scheduled", "angekündigt"
    CONFIRMED = "confirmed", "findet statt"
    TENTATIVE = "tentative", "vorläufig geplant"
    POSTPONED = "postponed", "wird verschoben"
    RESCHEDULED = "rescheduled", "verschoben auf neuen Termin"
    CANCELLED = "cancelled", "abgesagt"
    MOVED_ONLINE = "moved_online", "findet online statt"

    @property
    def schema_org(self) -> str:
        return "https://schema.org/" + SCHEMA_ORG_STATUS[self]

    @property
    def ical(self) -> str:
        return ICAL_STATUS[self]


SCHEMA_ORG_STATUS = {
    EventStatus.SCHEDULED: "EventScheduled",
    EventStatus.CONFIRMED: "EventScheduled",
    EventStatus.TENTATIVE: "EventScheduled",
    EventStatus.POSTPONED: "EventPostponed",
    EventStatus.RESCHEDULED: "EventRescheduled",
    EventStatus.CANCELLED: "EventCancelled",
    EventStatus.MOVED_ONLINE: "EventMovedOnline",
}


def status_label(status: str, postponed_note: str = "") -> str:
    """German status as readers see it: "wird verschoben auf 2021" for a postponed event."""
    label = EventStatus(status).label
    if status == EventStatus.POSTPONED and postponed_note:
        return f"{label} {postponed_note}"
    return label


ICAL_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.CONFIRMED: "CONFIRMED",
    EventStatus.TENTATIVE: "TENTATIVE",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.RESCHEDULED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
    EventStatus.MOVED_ONLINE: "CONFIRMED",
}


class DocumentRole(models.TextChoices):
    """What an attached document is for; shown to readers as its German label."""

    PROGRAMME = "programme", "Programmheft"
    DOCUMENTATION = "documentation", "Dokumentation"
    REGISTRATION = "registration", "Anmeldung"
    INFORMATION = "information", "Informationen"
    REPORT = "report", "Bericht"
    OTHER = "other", "Dokument"
