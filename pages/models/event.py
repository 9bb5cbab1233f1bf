"""Events with their occurrences, place, status, audience and registration."""

import contextlib
import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.formsets import ORDERING_FIELD_NAME
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join

from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import Orderable, Page
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField, TranslatableField

from pages import series as series_rules
from pages import structured_data
from pages.dates import OccurrenceDays
from pages.enums import STATUS_HELP, EventStatus, status_label
from pages.panels import SeriesDateMarker
from pages.snippets import City, Venue

from .base import ITEM_TRANSLATABLE_FIELDS, Classified, ContentPage
from .editors import CityPagePermissionTester, editable_city_ids
from .fields import PublicURLField
from .inline import Attachment, ContactLink

BERLIN = ZoneInfo("Europe/Berlin")
SHOWN_SERIES_DATES = 10
"""How many next dates of a series its public page lists."""

STATUS_HELP_HTML = format_html_join(
    "",
    "<dt><strong>{}</strong></dt><dd>{}</dd>",
    ((status.label, STATUS_HELP[status]) for status in EventStatus),
)


class EventPageForm(WagtailAdminPageForm):
    """A city editor chooses only among their cities; any other is refused on save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keep_stored_series_dates()
        self._relax_dates_for_series()
        cities = editable_city_ids(self.for_user) if self.for_user else None
        if cities is None or "city" not in self.fields:
            return
        field = self.fields["city"]
        field.widget = forms.Select()
        field.widget.is_required = True
        field.empty_label = None
        field.queryset = City.objects.filter(pk__in=cities)
        field.error_messages["invalid_choice"] = (
            "Sie können Veranstaltungen nur für Ihre Stadt anlegen und bearbeiten."
        )

    def _keep_stored_series_dates(self) -> None:
        """A stored row posted without its hidden `series_date` (a page opened before
        the field existed) keeps the one it has."""
        occurrences = self.formsets.get("occurrences")
        if not self.is_bound or occurrences is None:
            return
        for form in occurrences.initial_forms:
            field = form.fields.get("series_date")
            if field is not None and form.add_prefix("series_date") not in self.data:
                field.disabled = True

    def _relax_dates_for_series(self) -> None:
        """With a series given, „Termine“ may stay empty: the series fills it on save."""
        occurrences = self.formsets.get("occurrences")
        recurrences = self.formsets.get("recurrences")
        if not self.is_bound or occurrences is None or recurrences is None:
            return
        prefix = recurrences.prefix
        try:
            total = int(self.data.get(f"{prefix}-TOTAL_FORMS") or 0)
        except ValueError:
            return
        total = min(total, recurrences.absolute_max)
        if not any(
            self.data.get(f"{prefix}-{i}-start_date")
            and not self.data.get(f"{prefix}-{i}-DELETE")
            for i in range(total)
        ):
            return
        occurrences.validate_min = False
        for form in occurrences.extra_forms:
            # A blank row's position alone is no entry: it is left out.
            order = form[ORDERING_FIELD_NAME]
            with contextlib.suppress(ValidationError):
                form.initial[ORDERING_FIELD_NAME] = order.field.to_python(order.data)
            form.empty_permitted = True

    def is_valid(self) -> bool:
        valid: bool = super().is_valid()
        occurrences = self.formsets.get("occurrences")
        if occurrences is not None and occurrences.can_order:
            # A blank row the series made optional is not cleaned at all; when another
            # field sends the form back, the panel sorts rows by their position, so the
            # row keeps the one it was sent with.
            for form in occurrences.extra_forms:
                cleaned = getattr(form, "cleaned_data", None)
                if cleaned is not None and ORDERING_FIELD_NAME not in cleaned:
                    cleaned[ORDERING_FIELD_NAME] = form.initial.get(ORDERING_FIELD_NAME)
        return valid

    def _post_clean(self) -> None:
        # The page's own validation sees the stored rows here, not the formsets' ones:
        # the series is expanded when the page is saved (`EventPage.clean`).
        self.instance.defer_series = True
        try:
            super()._post_clean()
        finally:
            self.instance.defer_series = False

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        recurrences = self.formsets.get("recurrences")
        cancellations = self.formsets.get("cancellations")
        if recurrences is None or cancellations is None:
            return cleaned
        rules = [
            form.instance
            for form in recurrences.forms
            if form.is_valid() and form.cleaned_data and not self._deleted(form)
        ]
        if not rules or series_rules.rule_errors(rules[0]):
            return cleaned
        for form in cancellations.forms:
            if not form.is_valid() or not form.cleaned_data or self._deleted(form):
                continue
            day = form.cleaned_data.get("date")
            if day and not series_rules.is_rule_date(rules[0], day):
                form.add_error(
                    "date",
                    f"Der {day:%d.%m.%Y} ist kein Termin der Serie. Bitte wählen Sie "
                    "ein Datum, das die Serie ergibt.",
                )
        return cleaned

    @staticmethod
    def _deleted(form: forms.Form) -> bool:
        return bool(form.cleaned_data.get("DELETE"))

    def save(self, commit: bool = True) -> Any:
        page = super().save(commit=False)
        recurrences = self.formsets.get("recurrences")
        occurrences = self.formsets.get("occurrences")
        if recurrences is not None:
            for form in recurrences.initial_forms:
                if form in recurrences.deleted_forms:
                    continue
                changed = {"start_time", "end_time"} & set(form.changed_data)
                if changed:
                    old = (form.initial.get("start_time"), form.initial.get("end_time"))
                    new = (form.instance.start_time, form.instance.end_time)
                    series_rules.retime(page, old, new)
        if occurrences is not None:
            # modelcluster drops unchanged rows without a primary key (a draft's
            # generated or moved series dates): keep them.
            unsaved = [
                form.instance
                for form in occurrences.initial_forms
                if form.instance.pk is None
                and form not in occurrences.deleted_forms
                and not form.has_changed()
            ]
            if unsaved:
                page.occurrences.add(*unsaved)
        if occurrences is not None and recurrences is not None:
            # Deleting a date of the series in the list of dates cancels it.
            cancelled = series_rules.cancelled_dates(page)
            added = []
            for form in occurrences.deleted_forms:
                day = form.instance.series_date
                if day and day not in cancelled:
                    cancelled.add(day)
                    added.append(EventCancellation(date=day))
            if added:
                page.cancellations = [*page.cancellations.all(), *added]
        # Drafts are saved without the page's own validation: expand here too, so a
        # draft's revision and its preview hold the series' dates.
        series_rules.reconcile(page, series_rules.today())
        if commit:
            page.save()
            self.save_m2m()
        return page


class EventPage(ContentPage, Classified):
    parent_page_types = ["pages.EventIndexPage"]
    subpage_types: list[str] = []
    preview_modes = [
        ("", "Seite"),
        ("embed", "Eintrag in der Einbettung"),
        ("feed", "Feed- und Kalendereintrag"),
    ]

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
    online_url = PublicURLField(
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
    registration_required = models.BooleanField("Anmeldung erforderlich", default=False)
    registration_url = PublicURLField("Anmeldung über Link", blank=True)
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
            help_text="Ein Eintrag je Termin; mehrtägige Veranstaltungen mit Enddatum. "
            "Die Termine einer Serie trägt das System beim Speichern selbst ein (die "
            "erste Zeile darf dafür leer bleiben): Sie können sie hier "
            "verschieben, und ein gelöschter Termin der Serie fällt aus.",
        ),
        InlinePanel(
            "recurrences",
            heading="Serie (wiederkehrender Termin)",
            label="Serie",
            max_num=1,
            help_text="Für regelmäßige Termine, z. B. jeden Donnerstag oder jeden "
            "2. Dienstag im Monat. Die Termine erscheinen nach dem Speichern unter "
            "„Termine“; Serien ohne Ende werden für "
            f"{series_rules.horizon_days()} Tage im Voraus eingetragen.",
        ),
        InlinePanel(
            "cancellations",
            heading="Ausfallende Termine der Serie",
            label="Ausfallender Termin",
            help_text="Ein Termin der Serie, der nicht stattfindet; Leser sehen "
            "„fällt aus“.",
        ),
        MultiFieldPanel(
            [
                FieldPanel(
                    "status",
                    help_text="Was Leser und Partnerseiten über die Veranstaltung "
                    "erfahren; die Bedeutung jedes Status steht darunter.",
                ),
                HelpPanel(
                    format_html("<dl>{}</dl>", STATUS_HELP_HTML),
                    heading="Die Status im Einzelnen",
                ),
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
        FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        InlinePanel("contacts", heading="Ansprechpersonen", label="Ansprechperson"),
        MultiFieldPanel(
            [
                FieldPanel(
                    "registration_required",
                    help_text="Ankreuzen, wenn Teilnehmende sich vorher anmelden "
                    "müssen. Leser sehen dann „Anmeldung erforderlich“ mit Link, "
                    "E-Mail-Adresse und Anmeldeschluss.",
                ),
                FieldRowPanel(
                    [
                        FieldPanel(
                            "registration_url",
                            help_text="Adresse eines Anmeldeformulars, "
                            "z. B. „https://www.example.org/anmeldung“.",
                        ),
                        FieldPanel(
                            "registration_email",
                            help_text="An diese Adresse schicken Interessierte "
                            "ihre Anmeldung.",
                        ),
                    ]
                ),
                FieldPanel(
                    "registration_deadline",
                    help_text="Letzter Tag, an dem Anmeldungen angenommen werden. "
                    "Nur mit „Anmeldung erforderlich“.",
                ),
                FieldPanel(
                    "registration_note",
                    help_text="Weitere Hinweise, z. B. „Teilnahme kostenlos, "
                    "begrenzte Plätze“.",
                ),
            ],
            heading="Anmeldung",
        ),
        InlinePanel("attachments", heading="Dokumente", label="Dokument"),
    ]
    # Text is translated; facts (status, dates, place, city, registration data) and
    # the occurrences, whose labels stay German, are kept from the German page.
    translatable_fields = [
        *ITEM_TRANSLATABLE_FIELDS,
        TranslatableField("subtitle"),
        TranslatableField("series"),
        SynchronizedField("status"),
        TranslatableField("postponed_note"),
        SynchronizedField("previous_start_date"),
        SynchronizedField("online_url"),
        SynchronizedField("venue"),
        SynchronizedField("city"),
        TranslatableField("audience"),
        TranslatableField("participation_note"),
        SynchronizedField("registration_required"),
        SynchronizedField("registration_url"),
        SynchronizedField("registration_email"),
        SynchronizedField("registration_deadline"),
        TranslatableField("registration_note"),
        SynchronizedField("occurrences"),
        SynchronizedField("recurrences"),
        SynchronizedField("cancellations"),
        SynchronizedField("contacts"),
        SynchronizedField("attachments"),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Inhalt"),
            ObjectList(audience_panels, heading="Zielgruppe & Anmeldung"),
            ObjectList(Page.promote_panels, heading="Veröffentlichung"),
            ObjectList(Page.settings_panels, heading="Einstellungen"),
        ],
        base_form_class=EventPageForm,
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

    def permissions_for_user(self, user: Any) -> CityPagePermissionTester:
        return CityPagePermissionTester(user, self)

    def clean(self) -> None:
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
        if not getattr(self, "defer_series", False):
            self.clean_series()

    def clean_series(self) -> None:
        """Refuse an unsound rule or a cancellation off the rule; expand the series."""
        rule = series_rules.recurrence_of(self)
        if rule is not None:
            if errors := series_rules.rule_errors(rule):
                raise ValidationError(
                    [f"Serie: {message}" for message in errors.values()]
                )
            cancelled = series_rules.cancelled_dates(self)
            if stray := sorted(
                day for day in cancelled if not series_rules.is_rule_date(rule, day)
            ):
                raise ValidationError(
                    "Ausfallende Termine, die die Serie nicht ergibt: "
                    + ", ".join(f"{day:%d.%m.%Y}" for day in stray)
                )
        series_rules.reconcile(self, series_rules.today())

    @property
    def recurrence(self) -> "EventRecurrence | None":
        rule: EventRecurrence | None = series_rules.recurrence_of(self)
        return rule

    def with_content_json(self, content: dict[str, Any]) -> "EventPage":
        """Keep the calendar sequence of the database; a revision's copy may be stale."""
        obj: EventPage = super().with_content_json(content)
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
    def cancelled_but_asks_for_registration(self) -> bool:
        """Readers of a cancelled event would still be asked to register."""
        return self.status == EventStatus.CANCELLED and bool(
            self.registration_required
            or self.registration_url
            or self.registration_email
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

    @classmethod
    def fact_columns(cls) -> tuple[str, ...]:
        # The calendar's SEQUENCE counts the German page's schedule changes.
        return (*super().fact_columns(), "schedule_sequence")

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        facts = context["facts"]  # the German page: its dates, series, relations
        occurrences = facts.dated_occurrences()
        context["occurrences"] = occurrences
        context["json_ld"] = structured_data.event(self, occurrences)
        context["shown_occurrences"] = occurrences
        rule = facts.recurrence
        if rule is not None:
            for occurrence in occurrences:
                occurrence.moved = series_rules.is_moved(occurrence, rule)
            # A series shows its rhythm, its next dates and which of them are off.
            now = timezone.now()
            upcoming = [o for o in occurrences if o.ends_at >= now]
            today = timezone.localdate()
            cancelled = series_rules.cancelled_dates(facts)
            context["series"] = {
                "text": series_rules.describe(
                    rule,
                    times=True,
                    cancelled=len(cancelled),
                    lang=translation.get_language() or settings.LANGUAGE_CODE,
                ),
                "cancelled": [
                    cancellation
                    for cancellation in sorted(
                        facts.cancellations.all(), key=lambda c: c.date
                    )
                    if cancellation.date >= today
                ][:SHOWN_SERIES_DATES],
                "more": max(len(upcoming) - SHOWN_SERIES_DATES, 0),
            }
            context["shown_occurrences"] = upcoming[:SHOWN_SERIES_DATES]
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
    series_date = models.DateField(
        "Datum in der Serie",
        null=True,
        blank=True,
        help_text="Der Termin der Serie, für den diese Zeile steht (leer: ein "
        "zusätzlicher Termin).",
    )
    # Denormalised, timezone-aware bounds for overlap filtering and ordering.
    starts_at = models.DateTimeField(editable=False, db_index=True)
    ends_at = models.DateTimeField(editable=False, db_index=True)

    panels = [
        SeriesDateMarker(),
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

    def clean(self) -> None:
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.starts_at, self.ends_at = self.compute_bounds()
        super().save(*args, **kwargs)

    def compute_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware start and (exclusive for all-day) end in Europe/Berlin."""
        start_time = self.start_time
        if start_time is None:  # all day
            start = dt.datetime.combine(self.start_date, dt.time.min, BERLIN)
            end = dt.datetime.combine(
                self.last_date + dt.timedelta(days=1), dt.time.min, BERLIN
            )
            return start, end
        start = in_berlin(dt.datetime.combine(self.start_date, start_time, BERLIN))
        end_time = self.end_time or start_time
        end = in_berlin(dt.datetime.combine(self.last_date, end_time, BERLIN))
        # Compared as instants: a time in the spring gap (02:30) is 03:30 summer time.
        return start, max(start, end, key=lambda moment: moment.astimezone(dt.UTC))


def in_berlin(moment: dt.datetime) -> dt.datetime:
    """The wall time a clock in Berlin shows at `moment` (02:30 in the gap is 03:30)."""
    return moment.astimezone(dt.UTC).astimezone(BERLIN)


class EventRecurrence(models.Model):
    """The rule of a series; its dates become `EventOccurrence` rows (`pages.series`)."""

    FREQUENCIES = [
        (series_rules.WEEKLY, "wöchentlich / alle n Wochen"),
        (series_rules.MONTHLY, "monatlich am n-ten Wochentag"),
    ]
    ORDINALS = [
        (1, "1."),
        (2, "2."),
        (3, "3."),
        (4, "4."),
        (series_rules.LAST, "letzter"),
    ]

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="recurrences")
    start_date = models.DateField(
        "Erster Termin",
        help_text="Der Wochentag dieses Datums ist der Wochentag der Serie.",
    )
    start_time = models.TimeField("Beginn", null=True, blank=True)
    end_time = models.TimeField(
        "Ende", null=True, blank=True, help_text="Ohne Uhrzeiten: ganztägig."
    )
    frequency = models.CharField(
        "Rhythmus", max_length=10, choices=FREQUENCIES, default=series_rules.WEEKLY
    )
    interval = models.PositiveSmallIntegerField(
        "Alle n Wochen bzw. Monate",
        default=1,
        help_text="1 = jede Woche bzw. jeden Monat, 2 = jede zweite usw.",
    )
    weekday_ordinal = models.SmallIntegerField(
        "Am n-ten Wochentag im Monat",
        choices=ORDINALS,
        null=True,
        blank=True,
        help_text="Nur bei monatlich, z. B. „2.“ für jeden 2. Dienstag; leer: wie "
        "beim ersten Termin.",
    )
    until = models.DateField(
        "Letzter Termin spätestens am",
        null=True,
        blank=True,
        help_text="Enddatum oder Anzahl angeben, nicht beides; ohne beides läuft "
        "die Serie weiter.",
    )
    count = models.PositiveSmallIntegerField(
        "Anzahl der Termine", null=True, blank=True
    )

    panels = [
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("frequency")]),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldRowPanel([FieldPanel("interval"), FieldPanel("weekday_ordinal")]),
        FieldRowPanel([FieldPanel("until"), FieldPanel("count")]),
    ]

    class Meta:
        verbose_name = "Serie"
        verbose_name_plural = "Serien"

    def __str__(self) -> str:
        return series_rules.describe(self, times=True)

    def clean(self) -> None:
        if errors := series_rules.rule_errors(self):
            raise ValidationError(errors)


class EventCancellation(models.Model):
    """A date of the series that does not take place."""

    page = ParentalKey(
        EventPage, on_delete=models.CASCADE, related_name="cancellations"
    )
    date = models.DateField("Datum")
    note = models.CharField(
        "Hinweis", max_length=120, blank=True, help_text="z. B. „Feiertag“"
    )

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("note")])]

    class Meta:
        verbose_name = "Ausfallender Termin"
        verbose_name_plural = "Ausfallende Termine"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}"


class EventContact(ContactLink):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="contacts")


class EventAttachment(Attachment):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="attachments")
