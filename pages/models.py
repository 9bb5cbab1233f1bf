"""The integration centre's content: a home page, four section indexes and their items."""

import contextlib
import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import RICH_TEXT_FEATURES, BodyBlock
from .dates import OccurrenceDays
from .enums import DocumentRole, EventStatus, status_label
from .queries import HubPageManager
from .snippets import City, ContactPerson, TargetGroup, Topic, Venue

BERLIN = ZoneInfo("Europe/Berlin")


def taxonomy_panels(*, with_cities: bool = True) -> list:
    fields = ["cities"] if with_cities else []
    fields += ["target_groups", "topics"]
    return [
        MultiFieldPanel(
            [FieldPanel(name, widget=forms_checkbox()) for name in fields],
            heading="Einordnung",
        )
    ]


def forms_checkbox():
    from django import forms

    return forms.CheckboxSelectMultiple


# --- Page tree ------------------------------------------------------------------------


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


class SectionIndexPage(Page):
    """A singleton index under the home page that lists one content type."""

    parent_page_types = ["pages.HomePage"]
    max_count = 1

    intro = RichTextField("Einleitung", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        abstract = True

    section = ""
    page_size = 20

    def get_context(self, request, *args, **kwargs):
        """The section's visible items, filtered like the API (city, target group, …)."""
        from .filters import InvalidParameters
        from .listing import german_errors, list_entries, parse_listing
        from .snippets import City, TargetGroup, Topic

        context = super().get_context(request, *args, **kwargs)
        context.update(
            items=[],
            filter_errors=[],
            cities=City.objects.all(),
            target_groups=TargetGroup.objects.all(),
            topics=Topic.objects.all(),
            is_events=self.section == "events",
        )
        try:
            query = parse_listing(self.section, request.GET, lenient=True)
        except InvalidParameters as error:
            context["filter_errors"] = german_errors(error)
            return context
        total = query.queryset().count() if not query.is_empty_page else 0
        offset, limit = query.offset, self.page_size
        params = request.GET.copy()
        params.pop("limit", None)

        def page_link(new_offset: int) -> str:
            params["offset"] = str(new_offset)
            return "?" + params.urlencode()

        context.update(
            query=query,
            items=list_entries(query, offset=offset, limit=limit),
            total=total,
            is_filtered=bool(
                query.cities
                or query.target_groups
                or query.topics
                or query.upcoming is not None
            ),
            previous_link=page_link(max(0, offset - limit)) if offset else "",
            next_link=page_link(offset + limit) if offset + limit < total else "",
            range_start=offset + 1,
            range_end=min(offset + limit, total),
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if getattr(response, "context_data", None) and response.context_data.get(
            "filter_errors"
        ):
            response.status_code = 400
        return response


class ProgrammeIndexPage(SectionIndexPage):
    subpage_types = ["pages.ProgrammePage"]
    template = "pages/section_index_page.html"
    section = "programmes"

    class Meta:
        verbose_name = "Programm-Übersicht"
        verbose_name_plural = "Programm-Übersichten"

    @staticmethod
    def item_model():
        return ProgrammePage


class EventIndexPage(SectionIndexPage):
    subpage_types = ["pages.EventPage"]
    template = "pages/section_index_page.html"
    section = "events"

    content_panels = [
        *SectionIndexPage.content_panels,
        InlinePanel("attachments", heading="Dokumente", label="Dokument"),
    ]

    class Meta:
        verbose_name = "Veranstaltungs-Übersicht"
        verbose_name_plural = "Veranstaltungs-Übersichten"

    @staticmethod
    def item_model():
        return EventPage


class PressIndexPage(SectionIndexPage):
    subpage_types = ["pages.PressReleasePage"]
    template = "pages/section_index_page.html"
    section = "press"

    class Meta:
        verbose_name = "Presse-Übersicht"
        verbose_name_plural = "Presse-Übersichten"

    @staticmethod
    def item_model():
        return PressReleasePage


class NewsletterIndexPage(SectionIndexPage):
    subpage_types = ["pages.NewsletterIssuePage"]
    template = "pages/section_index_page.html"
    section = "newsletters"

    subscribe_phone = models.CharField(
        "Telefon für die Anmeldung", max_length=40, blank=True
    )
    subscribe_email = models.EmailField("E-Mail für die Anmeldung", blank=True)

    content_panels = [
        *SectionIndexPage.content_panels,
        FieldRowPanel(
            [FieldPanel("subscribe_phone"), FieldPanel("subscribe_email")],
            heading="Newsletter abonnieren",
        ),
    ]

    class Meta:
        verbose_name = "Newsletter-Übersicht"
        verbose_name_plural = "Newsletter-Übersichten"

    @staticmethod
    def item_model():
        return NewsletterIssuePage


# --- Inline children ------------------------------------------------------------------


class Attachment(Orderable):
    """A document or external link attached to a page, with its role."""

    title = models.CharField("Titel", max_length=200, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="Dokument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    url = models.URLField("Externer Link", blank=True)
    role = models.CharField(
        "Art", max_length=20, choices=DocumentRole.choices, default=DocumentRole.OTHER
    )

    panels = [
        FieldRowPanel([FieldPanel("role"), FieldPanel("title")]),
        FieldRowPanel([FieldPanel("document"), FieldPanel("url")]),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    def clean(self):
        if bool(self.document_id) == bool(self.url):
            raise ValidationError(
                {
                    "url": "Bitte entweder ein Dokument auswählen oder einen Link angeben."
                }
            )
        if self.url and not self.title:
            raise ValidationError({"title": "Bitte einen Titel für den Link angeben."})

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return self.document.title if self.document_id else self.url


class ContactLink(Orderable):
    contact = models.ForeignKey(
        ContactPerson,
        verbose_name="Ansprechperson",
        on_delete=models.PROTECT,
        related_name="+",
    )

    panels = [FieldPanel("contact")]

    class Meta(Orderable.Meta):
        abstract = True


class EventIndexAttachment(Attachment):
    page = ParentalKey(
        EventIndexPage, on_delete=models.CASCADE, related_name="attachments"
    )


# --- Content items --------------------------------------------------------------------


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


class ProgrammePage(ContentPage):
    parent_page_types = ["pages.ProgrammeIndexPage"]
    subpage_types: list[str] = []

    starts_on = models.DateField("Laufzeit von", null=True, blank=True)
    ends_on = models.DateField("Laufzeit bis", null=True, blank=True)
    period_note = models.CharField(
        "Hinweis zur Laufzeit",
        max_length=200,
        blank=True,
        help_text="z. B. „Start 2020, voraussichtlich bis 31.12.2022“",
    )
    cities = ParentalManyToManyField(
        City, verbose_name="Städte", blank=True, related_name="programmes"
    )
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name="Zielgruppen", blank=True, related_name="programmes"
    )
    topics = ParentalManyToManyField(
        Topic, verbose_name="Themen", blank=True, related_name="programmes"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                FieldPanel("period_note"),
            ],
            heading="Laufzeit",
        ),
        *taxonomy_panels(),
        InlinePanel("contacts", heading="Ansprechpersonen", label="Ansprechperson"),
        InlinePanel(
            "attachments", heading="Dokumente und Links", label="Dokument oder Link"
        ),
    ]
    search_fields = [*ContentPage.search_fields, index.SearchField("period_note")]

    class Meta:
        verbose_name = "Programm"
        verbose_name_plural = "Programme"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": "Das Ende der Laufzeit liegt vor ihrem Beginn."}
            )


class ProgrammeContact(ContactLink):
    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="contacts")


class ProgrammeAttachment(Attachment):
    page = ParentalKey(
        ProgrammePage, on_delete=models.CASCADE, related_name="attachments"
    )


class EventPage(ContentPage):
    parent_page_types = ["pages.EventIndexPage"]
    subpage_types: list[str] = []

    subtitle = models.CharField("Untertitel", max_length=250, blank=True)
    series = models.CharField(
        "Reihe",
        max_length=120,
        blank=True,
        help_text="z. B. „Healing Classrooms“, „Lass mal reden…“, „Woche der Vielfalt“",
    )
    status = models.CharField(
        "Status",
        max_length=20,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        db_index=True,
    )
    postponed_note = models.CharField(
        "Verschoben auf",
        max_length=120,
        blank=True,
        help_text="Nur beim Status „wird verschoben“, z. B. „auf 2021“. Die Termine bleiben "
        "als ursprünglich geplante Termine stehen.",
    )
    previous_start_date = models.DateField(
        "Ursprünglicher Termin",
        null=True,
        blank=True,
        help_text="Nur beim Status „verschoben auf neuen Termin“: das alte Datum.",
    )
    online_url = models.URLField(
        "Link zur Online-Veranstaltung",
        blank=True,
        help_text="Für den Status „findet online statt“.",
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name="Veranstaltungsort",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    city = models.ForeignKey(
        City,
        verbose_name="Stadt",
        null=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="Die Stadt, in der die Veranstaltung stattfindet, oder „Kreisweit“.",
    )
    audience = models.CharField(
        "Zielgruppe (Wortlaut)",
        max_length=300,
        blank=True,
        help_text="Wie die Zielgruppe im Text genannt wird, "
        "z. B. „Lehrkräfte und pädagogische Fachkräfte aller Schulformen“.",
    )
    participation_note = models.CharField(
        "Hinweis zur Teilnahme", max_length=300, blank=True
    )
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name="Zielgruppen", blank=True, related_name="events"
    )
    topics = ParentalManyToManyField(
        Topic, verbose_name="Themen", blank=True, related_name="events"
    )
    registration_required = models.BooleanField("Anmeldung erforderlich", default=False)
    registration_url = models.URLField("Anmeldung über Link", blank=True)
    registration_email = models.EmailField("Anmeldung per E-Mail", blank=True)
    registration_deadline = models.DateField("Anmeldeschluss", null=True, blank=True)
    registration_note = models.CharField(
        "Hinweis zur Anmeldung", max_length=300, blank=True
    )
    # iCalendar SEQUENCE: calendars only take an update when it rises.
    schedule_sequence = models.PositiveIntegerField(
        "Änderungszähler (Kalender)", default=0, editable=False
    )
    schedule_signature = models.CharField(max_length=64, blank=True, editable=False)
    # Bounds of the occurrences (null without any), for filtering and sorting lists
    # without reading every event's occurrences: MIN(starts_at), MIN(ends_at) and
    # MAX(ends_at). Database triggers keep them right whatever writes the occurrences or
    # the page (migration 0004); the values on a loaded instance may be stale.
    first_starts_at = models.DateTimeField(null=True, editable=False)
    first_ends_at = models.DateTimeField(null=True, editable=False)
    last_ends_at = models.DateTimeField(null=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        FieldPanel("series"),
        FieldPanel("teaser"),
        InlinePanel(
            "occurrences",
            heading="Termine",
            label="Termin",
            min_num=1,
            help_text="Ein Eintrag je Termin; mehrtägige Veranstaltungen mit Enddatum.",
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("postponed_note"),
                FieldPanel("previous_start_date"),
                FieldPanel("online_url"),
            ],
            heading="Status",
        ),
        MultiFieldPanel([FieldPanel("venue"), FieldPanel("city")], heading="Ort"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    audience_panels = [
        FieldPanel("audience"),
        FieldPanel("participation_note"),
        FieldPanel("target_groups", widget=forms_checkbox()),
        FieldPanel("topics", widget=forms_checkbox()),
        InlinePanel("contacts", heading="Ansprechpersonen", label="Ansprechperson"),
        MultiFieldPanel(
            [
                FieldPanel("registration_required"),
                FieldRowPanel(
                    [FieldPanel("registration_url"), FieldPanel("registration_email")]
                ),
                FieldPanel("registration_deadline"),
                FieldPanel("registration_note"),
            ],
            heading="Anmeldung",
        ),
        InlinePanel("attachments", heading="Dokumente", label="Dokument"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Inhalt"),
            ObjectList(audience_panels, heading="Zielgruppe & Anmeldung"),
            ObjectList(Page.promote_panels, heading="Veröffentlichung"),
            ObjectList(Page.settings_panels, heading="Einstellungen"),
        ]
    )
    search_fields = [
        *ContentPage.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("series"),
        index.SearchField("audience"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = "Veranstaltung"
        verbose_name_plural = "Veranstaltungen"
        indexes = [
            # Upcoming (or past) events of a city, with their sort key (`start`), from
            # the index alone.
            models.Index(
                fields=[
                    "city",
                    "last_ends_at",
                    "page_ptr",
                    "first_ends_at",
                    "first_starts_at",
                ],
                name="pages_event_city_ends_idx",
            ),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if self.postponed_note and self.status != EventStatus.POSTPONED:
            errors["postponed_note"] = (
                "Ein Hinweis „Verschoben auf“ ist nur beim Status „wird verschoben“ möglich."
            )
        if self.previous_start_date and self.status != EventStatus.RESCHEDULED:
            errors["previous_start_date"] = (
                "Ein ursprünglicher Termin ist nur beim Status "
                "„verschoben auf neuen Termin“ möglich."
            )
        if self.registration_deadline and not self.registration_required:
            errors["registration_deadline"] = (
                "Ein Anmeldeschluss setzt „Anmeldung erforderlich“ voraus."
            )
        if errors:
            raise ValidationError(errors)

    def with_content_json(self, content):
        """Keep the calendar sequence of the database; a revision's copy may be stale."""
        obj = super().with_content_json(content)
        obj.schedule_sequence = self.schedule_sequence
        obj.schedule_signature = self.schedule_signature
        obj.first_starts_at = self.first_starts_at
        obj.first_ends_at = self.first_ends_at
        obj.last_ends_at = self.last_ends_at
        return obj

    def current_schedule_signature(self) -> str:
        """Hash of what calendars must be told about: dates, times, place and status."""
        occurrences = sorted(
            (o.start_date, o.end_date, o.start_time, o.end_time)
            for o in EventOccurrence.objects.filter(page=self)
        )
        state = repr((occurrences, self.venue_id, self.city_id, self.status))
        return hashlib.sha256(state.encode()).hexdigest()

    def record_schedule_change(self) -> None:
        """Raise `schedule_sequence` if the live time, place or status changed."""
        signature = self.current_schedule_signature()
        if signature == self.schedule_signature:
            return
        if self.schedule_signature:
            self.schedule_sequence += 1
        self.schedule_signature = signature
        EventPage.objects.filter(pk=self.pk).update(
            schedule_sequence=self.schedule_sequence,
            schedule_signature=signature,
        )

    @property
    def status_enum(self) -> EventStatus:
        return EventStatus(self.status)

    def dated_occurrences(self) -> list["EventOccurrence"]:
        """Occurrences by start, with bounds computed even for unsaved preview rows."""
        occurrences = list(self.occurrences.all())
        for occurrence in occurrences:
            if occurrence.starts_at is None or occurrence.ends_at is None:
                occurrence.starts_at, occurrence.ends_at = occurrence.compute_bounds()
        return sorted(occurrences, key=lambda occurrence: occurrence.starts_at)

    def get_context(self, request, *args, **kwargs):
        from .structured_data import event

        context = super().get_context(request, *args, **kwargs)
        context["occurrences"] = self.dated_occurrences()
        context["json_ld"] = event(self, context["occurrences"])
        return context

    @property
    def status_label(self) -> str:
        return status_label(self.status, self.postponed_note)


class EventOccurrence(OccurrenceDays, Orderable):
    """One date of an event: a day, a day with times, or a multi-day range."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="occurrences")
    start_date = models.DateField("Datum")
    end_date = models.DateField(
        "bis Datum",
        null=True,
        blank=True,
        help_text="Nur bei mehrtägigen Veranstaltungen.",
    )
    start_time = models.TimeField("Beginn", null=True, blank=True)
    end_time = models.TimeField("Ende", null=True, blank=True)
    label = models.CharField(
        "Anzeigetext",
        max_length=100,
        blank=True,
        help_text="Ersetzt die Datumsanzeige, z. B. „Sommerferien 2020“.",
    )
    # Denormalised, timezone-aware bounds for overlap filtering and ordering.
    starts_at = models.DateTimeField(editable=False, db_index=True)
    ends_at = models.DateTimeField(editable=False, db_index=True)

    panels = [
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("label"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "Termin"
        verbose_name_plural = "Termine"
        indexes = [
            # An event's first (matching) start, read from the index in order; without
            # it, a planner lacking statistics walks the whole `starts_at` index per event.
            models.Index(
                fields=["page", "starts_at", "ends_at"],
                name="pages_occurrence_start_idx",
            ),
            # An event's first and last end, for the triggers of `EventPage.last_ends_at`.
            models.Index(fields=["page", "ends_at"], name="pages_occurrence_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%d.%m.%Y}"

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "Das Enddatum liegt vor dem Beginn."
        if self.end_time and not self.start_time:
            errors["start_time"] = "Bitte auch eine Anfangszeit angeben."
        if (
            self.start_time
            and self.end_time
            and (not self.end_date or self.end_date == self.start_date)
            and self.end_time < self.start_time
        ):
            errors["end_time"] = "Die Veranstaltung endet, bevor sie beginnt."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.starts_at, self.ends_at = self.compute_bounds()
        super().save(*args, **kwargs)

    def compute_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware start and (exclusive for all-day) end in Europe/Berlin."""
        if self.all_day:
            start = dt.datetime.combine(self.start_date, dt.time.min, BERLIN)
            end = dt.datetime.combine(
                self.last_date + dt.timedelta(days=1), dt.time.min, BERLIN
            )
            return start, end
        start = dt.datetime.combine(self.start_date, self.start_time, BERLIN)
        end_time = self.end_time or self.start_time
        end = dt.datetime.combine(self.last_date, end_time, BERLIN)
        return start, max(start, end)


class EventContact(ContactLink):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="contacts")


class EventAttachment(Attachment):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="attachments")


class PressReleasePage(ContentPage):
    parent_page_types = ["pages.PressIndexPage"]
    subpage_types: list[str] = []

    date = models.DateField("Datum", db_index=True)
    source = models.CharField(
        "Quelle", max_length=200, default="Pressestelle des Ennepe-Ruhr-Kreises"
    )
    original_url = models.URLField("Originalmeldung", blank=True)
    cities = ParentalManyToManyField(
        City, verbose_name="Städte", blank=True, related_name="press_releases"
    )
    target_groups = ParentalManyToManyField(
        TargetGroup,
        verbose_name="Zielgruppen",
        blank=True,
        related_name="press_releases",
    )
    topics = ParentalManyToManyField(
        Topic, verbose_name="Themen", blank=True, related_name="press_releases"
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("source")]),
        FieldPanel("original_url"),
        FieldPanel("teaser"),
        FieldPanel("image"),
        FieldPanel("body"),
        *taxonomy_panels(),
    ]
    search_fields = [*ContentPage.search_fields, index.FilterField("date")]

    class Meta:
        verbose_name = "Pressemitteilung"
        verbose_name_plural = "Pressemitteilungen"

    def get_context(self, request, *args, **kwargs):
        from .structured_data import news_article

        context = super().get_context(request, *args, **kwargs)
        context["json_ld"] = news_article(self)
        return context


class NewsletterIssuePage(ContentPage):
    parent_page_types = ["pages.NewsletterIndexPage"]
    subpage_types: list[str] = []

    issue = models.CharField("Ausgabe", max_length=60, help_text="z. B. „1/2021“")
    date = models.DateField("Erscheinungsdatum", db_index=True)
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="PDF",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cities = ParentalManyToManyField(
        City, verbose_name="Städte", blank=True, related_name="newsletters"
    )
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name="Zielgruppen", blank=True, related_name="newsletters"
    )
    topics = ParentalManyToManyField(
        Topic, verbose_name="Themen", blank=True, related_name="newsletters"
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("issue"), FieldPanel("date")]),
        FieldPanel("pdf"),
        FieldPanel("teaser", heading="Zusammenfassung"),
        FieldPanel("body"),
        *taxonomy_panels(),
    ]
    search_fields = [*ContentPage.search_fields, index.SearchField("issue")]

    class Meta:
        verbose_name = "Newsletter-Ausgabe"
        verbose_name_plural = "Newsletter-Ausgaben"

    @property
    def summary(self) -> str:
        return self.teaser


# --- Settings editors manage ----------------------------------------------------------

ORIGIN_RE = re.compile(r"^https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?$")


def parse_origins(text: str) -> list[str]:
    """One origin per line (scheme://host[:port]); raise ValidationError naming bad lines."""
    origins, bad = [], []
    for line in text.splitlines():
        candidate = line.strip().lower().removesuffix("/")
        if not candidate:
            continue
        port = candidate.rpartition(":")[2]
        if not ORIGIN_RE.match(candidate) or (
            candidate.count(":") == 2 and not 0 < int(port) < 65536
        ):
            bad.append(line.strip())
        elif candidate not in origins:
            origins.append(candidate)
    if bad:
        raise ValidationError(
            "Keine gültige Adresse: %(lines)s. Bitte je Zeile nur Schema, Host und "
            "gegebenenfalls Port angeben, z. B. „https://www.witten.de“ – ohne Pfad.",
            params={"lines": ", ".join(f"„{line[:80]}“" for line in bad)},
        )
    return origins


def validate_origins(text: str) -> None:
    parse_origins(text)


@register_setting(icon="code")
class EmbedSettings(BaseGenericSetting):
    """Which partner websites may show the hub's embeds (framing and fetching)."""

    allowed_origins = models.TextField(
        "Erlaubte Partner-Websites",
        blank=True,
        validators=[validate_origins],
        help_text="Eine Adresse je Zeile, z. B. „https://www.witten.de“. Nur diese "
        "Websites dürfen die Listen des Integrationszentrums einbetten (iframe) oder "
        "per Skript laden.",
    )

    panels = [
        HelpPanel(
            "Die Einbettungs-Codes erstellen Sie unter „Einbettung für Partner“. "
            "Änderungen gelten nach spätestens einer Minute."
        ),
        FieldPanel("allowed_origins"),
    ]

    class Meta:
        verbose_name = "Einbettung auf Partnerseiten"
        verbose_name_plural = "Einbettung auf Partnerseiten"

    def clean(self):
        super().clean()
        with contextlib.suppress(ValidationError):  # the field's validator reports it
            self.allowed_origins = "\n".join(parse_origins(self.allowed_origins))

    @property
    def origins(self) -> list[str]:
        return parse_origins(self.allowed_origins)
