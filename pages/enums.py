from django.db import models
from django.utils.translation import gettext_lazy


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


def status_label(
    status: str, postponed_note: str = "", *, label: str | None = None
) -> str:
    """Status as readers see it: "wird verschoben auf 2021" for a postponed event.

    `label` is the status's wording in another language; German by default.
    """
    label = label or EventStatus(status).label
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
    """What an attached document is for; readers see the label in their language
    (German is the msgid, the reader catalogues translate it)."""

    PROGRAMME = "programme", gettext_lazy("Programmheft")
    DOCUMENTATION = "documentation", gettext_lazy("Dokumentation")
    REGISTRATION = "registration", gettext_lazy("Anmeldung")
    INFORMATION = "information", gettext_lazy("Informationen")
    REPORT = "report", gettext_lazy("Bericht")
    OTHER = "other", gettext_lazy("Dokument")


# What each status means for readers and partner websites, for the editors' help text.
STATUS_HELP = {
    EventStatus.SCHEDULED: "Die Veranstaltung ist geplant und wird mit ihren Terminen "
    "angezeigt. Kalender erhalten sie als bestätigt.",
    EventStatus.CONFIRMED: "Wie „angekündigt“, ausdrücklich bestätigt (z. B. genug "
    "Anmeldungen). Leser sehen „findet statt“.",
    EventStatus.TENTATIVE: "Termin noch nicht sicher. Leser sehen „vorläufig geplant“, "
    "Kalender erhalten den Termin als vorläufig.",
    EventStatus.POSTPONED: "Die Veranstaltung findet nicht zum genannten Termin statt, "
    "ein neuer steht noch nicht fest. Die Termine bleiben als ursprünglich geplante "
    "stehen; tragen Sie unter „Verschoben auf“ z. B. „auf 2021“ ein.",
    EventStatus.RESCHEDULED: "Die Veranstaltung hat einen neuen Termin. Tragen Sie den "
    "neuen Termin ein und unter „Ursprünglicher Termin“ das alte Datum.",
    EventStatus.CANCELLED: "Die Veranstaltung fällt aus. Sie bleibt sichtbar und wird "
    "überall als „abgesagt“ gekennzeichnet; Kalender streichen den Termin.",
    EventStatus.MOVED_ONLINE: "Die Veranstaltung findet online statt. Tragen Sie den "
    "Link zur Online-Veranstaltung ein.",
}
