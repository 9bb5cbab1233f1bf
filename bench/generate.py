"""Deterministic benchmark content, written in bulk (100,000 events in a few minutes).

`Page.add_child` costs several queries and a revision per page, far too slow for 100k
pages. Instead this computes treebeard's `path`/`depth`/`numchild` and Wagtail's
`url_path` itself, inserts the `wagtailcore_page` rows with `bulk_create`, then the
content rows, occurrences, contacts, attachments and many-to-many links. Pages are
published consistently (live, first/last publication times); no revisions are written,
which no public surface reads. The Wagtail search index is not filled (`q` is not
benchmarked). The seed's demo content is loaded first, so the taxonomies, contacts and
venues are the real ones.
"""

import datetime as dt
import random
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from wagtail.models import Locale, Page

from pages.demo.loader import DemoContentLoader
from pages.enums import EventStatus
from pages.models import (
    EventAttachment,
    EventContact,
    EventIndexPage,
    EventOccurrence,
    EventPage,
    ItemState,
    NewsletterIndexPage,
    NewsletterIssuePage,
    PressIndexPage,
    PressReleasePage,
    ProgrammeContact,
    ProgrammeIndexPage,
    ProgrammePage,
)
from pages.snippets import City, ContactPerson, TargetGroup, Topic, Venue

BERLIN = ZoneInfo("Europe/Berlin")
# Events spread over fixed years, so the data never depends on the day it was built and
# "upcoming" keeps matching a good share of it for years.
FIRST_DAY = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2030, 12, 31)
BATCH = 500
SIZES = (1_000, 10_000, 100_000)

KINDS = [
    "Workshop",
    "Fachtag",
    "Infoabend",
    "Schulung",
    "Sprachcafé",
    "Elterncafé",
    "Vortrag",
    "Austauschtreffen",
    "Beratungstag",
    "Fortbildung",
]
SUBJECTS = [
    "Interkulturelle Kompetenz",
    "Sprachmittlung im Alltag",
    "Anerkennung ausländischer Abschlüsse",
    "Ausbildung und Beruf",
    "Trauma und Flucht",
    "Rassismuskritische Bildungsarbeit",
    "Mehrsprachigkeit in der Kita",
    "Ehrenamt in der Integrationsarbeit",
    "Aufenthaltsrecht kompakt",
    "Gesundheit und Vorsorge",
    "Digitale Teilhabe",
    "Lernen zu Hause",
]
STATUS_WEIGHTS = {
    EventStatus.SCHEDULED: 40,
    EventStatus.CONFIRMED: 35,
    EventStatus.TENTATIVE: 6,
    EventStatus.POSTPONED: 5,
    EventStatus.RESCHEDULED: 5,
    EventStatus.CANCELLED: 5,
    EventStatus.MOVED_ONLINE: 4,
}
SENTENCES = [
    "Die Veranstaltung richtet sich an Fachkräfte und Ehrenamtliche im Kreis.",
    "Die Teilnahme ist kostenlos, die Plätze sind begrenzt.",
    "Eine Kinderbetreuung wird nach vorheriger Absprache angeboten.",
    "Dolmetscherinnen und Dolmetscher für Arabisch und Farsi sind vor Ort.",
    "Bitte bringen Sie eigene Fragen und Fallbeispiele mit.",
    "Im Anschluss ist Zeit für Austausch und Vernetzung.",
]


class Progress:
    """A one-line progress bar on stderr (no dependency, fine for a terminal or a log)."""

    def __init__(self, label: str, total: int, width: int = 30):
        self.label, self.total, self.width = label, max(total, 1), width
        self.done, self.started = 0, time.monotonic()
        self._draw()

    def advance(self, amount: int) -> None:
        self.done += amount
        self._draw()

    def close(self) -> None:
        self._draw()
        sys.stderr.write("\n")

    def _draw(self) -> None:
        share = min(self.done / self.total, 1)
        bar = "#" * int(share * self.width)
        sys.stderr.write(
            f"\r  {self.label:<16} [{bar:<{self.width}}] {share:4.0%} "
            f"{self.done:>7}/{self.total} {time.monotonic() - self.started:5.1f}s"
        )
        sys.stderr.flush()


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class BenchDataGenerator:
    """Adds `events` events (and proportional programmes, press, newsletters) to a migrated DB."""

    def __init__(self, events: int, seed: int = 2020):
        self.events = events
        self.rng = random.Random(seed)
        self.locale = Locale.get_default()

    @transaction.atomic
    def run(self) -> dict[str, int]:
        DemoContentLoader(log=lambda message: None).run()
        self.cities = list(City.objects.order_by("pk"))
        self.target_groups = list(TargetGroup.objects.order_by("pk"))
        self.topics = list(Topic.objects.order_by("pk"))
        self.contacts = list(ContactPerson.objects.order_by("pk")) + self._contacts(40)
        self.venues = list(Venue.objects.order_by("pk")) + self._venues(8)
        counts = {
            "programmes": max(5, self.events // 100),
            "events": self.events,
            "press": self.events // 10,
            "newsletters": max(4, self.events // 250),
        }
        self._programmes(counts["programmes"])
        self._events(counts["events"])
        self._press(counts["press"])
        self._newsletters(counts["newsletters"])
        return counts

    # --- directory entries -------------------------------------------------------------

    def _contacts(self, count: int) -> list[ContactPerson]:
        first = [
            "Aylin",
            "Jonas",
            "Mariam",
            "Lukas",
            "Svetlana",
            "Omar",
            "Katrin",
            "Eren",
        ]
        last = [
            "Yılmaz",
            "Becker",
            "Haddad",
            "Schulz",
            "Nowak",
            "Rahimi",
            "Klein",
            "Öztürk",
        ]
        people = [
            ContactPerson(
                name=f"{self.rng.choice(first)} {self.rng.choice(last)}",
                role="Koordination",
                phone=f"02336 93-{3000 + i}",
                email=f"kontakt{i}@example.org",
            )
            for i in range(count)
        ]
        return ContactPerson.objects.bulk_create(people)

    def _venues(self, per_city: int) -> list[Venue]:
        places = [
            "Rathaus",
            "Stadtbücherei",
            "Volkshochschule",
            "Bürgerzentrum",
            "Kulturhaus",
        ]
        german = Locale.get_default()  # bulk_create skips TranslatableMixin's default
        venues = [
            Venue(
                name=f"{self.rng.choice(places)} {city.name} {i + 1}",
                street=f"Hauptstraße {self.rng.randint(1, 120)}",
                postcode=f"58{self.rng.randint(100, 999)}",
                town=city.name,
                room=f"Raum {self.rng.randint(1, 30)}",
                city=city,
                locale=german,
            )
            for city in self.cities
            if city.slug != "kreisweit"
            for i in range(per_city)
        ]
        return Venue.objects.bulk_create(venues)

    # --- pages -------------------------------------------------------------------------

    def _published(self, before: dt.date) -> tuple[dt.datetime, dt.datetime]:
        first = dt.datetime.combine(
            before - dt.timedelta(days=self.rng.randint(14, 120)),
            dt.time(self.rng.randint(8, 17), self.rng.choice((0, 15, 30, 45))),
            BERLIN,
        )
        last = first + dt.timedelta(hours=self.rng.choice((0, 0, 2, 30, 200)))
        return first, last

    def _body(self) -> list[tuple[str, object]]:
        paragraphs = self.rng.sample(SENTENCES, 3)
        return [
            ("heading", {"text": "Worum es geht", "level": "h2"}),
            ("paragraph", "<p>" + " ".join(paragraphs) + "</p>"),
        ]

    def _add_pages(
        self, label: str, parent: Page, model: type[Page], rows: list[dict]
    ) -> list[int]:
        """Insert `rows` (page + content field values) as published children of `parent`."""
        parent = Page.objects.get(pk=parent.pk)
        last_child = (
            Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        step = Page._str2int(last_child[-Page.steplen :]) if last_child else 0
        content_type = ContentType.objects.get_for_model(model)
        page_fields = {f.attname for f in Page._meta.concrete_fields}
        local_fields = model._meta.local_concrete_fields
        ids: list[int] = []
        progress = Progress(label, len(rows))
        for chunk in batched(rows, BATCH):
            base_rows = []
            for row in chunk:
                step += 1
                base = {k: v for k, v in row.items() if k in page_fields}
                base_rows.append(
                    Page(
                        **base,
                        draft_title=base["title"],
                        content_type=content_type,
                        path=Page._get_path(parent.path, parent.depth + 1, step),
                        depth=parent.depth + 1,
                        numchild=0,
                        url_path=f"{parent.url_path}{base['slug']}/",
                        live=True,
                        has_unpublished_changes=False,
                        latest_revision_created_at=base["last_published_at"],
                        locale=self.locale,
                        translation_key=uuid.UUID(int=self.rng.getrandbits(128)),
                    )
                )
            Page.objects.bulk_create(base_rows)
            content_rows = [
                model(
                    page_ptr_id=page.pk,
                    **{k: v for k, v in row.items() if k not in page_fields},
                )
                for page, row in zip(base_rows, chunk, strict=True)
            ]
            model._base_manager._insert(content_rows, fields=local_fields)
            ItemState.objects.bulk_create(
                ItemState(page_id=page.pk, modified_at=page.last_published_at)
                for page in base_rows
            )
            ids.extend(page.pk for page in base_rows)
            progress.advance(len(chunk))
        progress.close()
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(rows))
        return ids

    def _link_terms(self, model: type[Page], name: str, links: dict[int, list]) -> None:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source = field.m2m_field_name() + "_id"
        target = field.m2m_reverse_field_name() + "_id"
        through.objects.bulk_create(
            (
                through(**{source: page_id, target: term.pk})
                for page_id, terms in links.items()
                for term in terms
            ),
            batch_size=2000,
        )

    def _terms(self, model: type[Page], ids: list[int], *, cities: bool) -> None:
        names = ["target_groups", "topics"] + (["cities"] if cities else [])
        pools = {
            "target_groups": self.target_groups,
            "topics": self.topics,
            "cities": self.cities,
        }
        for name in names:
            links = {
                page_id: self.rng.sample(pools[name], self.rng.randint(1, 3))
                for page_id in ids
            }
            self._link_terms(model, name, links)

    def _slug(self, title: str, number: int) -> str:
        return (
            f"{slugify(title.translate(str.maketrans('äöüß', 'aous')))[:60]}-{number}"
        )

    def _title(self) -> str:
        return f"{self.rng.choice(KINDS)}: {self.rng.choice(SUBJECTS)}"

    def _programmes(self, count: int) -> None:
        rows = []
        for number in range(1, count + 1):
            title = f"Programm {self.rng.choice(SUBJECTS)}"
            starts = FIRST_DAY + dt.timedelta(days=self.rng.randint(0, 3000))
            first, last = self._published(starts)
            rows.append(
                {
                    "title": title,
                    "slug": self._slug(title, number),
                    "first_published_at": first,
                    "last_published_at": last,
                    "teaser": self.rng.choice(SENTENCES),
                    "body": self._body(),
                    "starts_on": starts,
                    "ends_on": starts + dt.timedelta(days=self.rng.randint(180, 1000)),
                }
            )
        ids = self._add_pages(
            "programmes",
            ProgrammeIndexPage.objects.get(locale__language_code="de"),
            ProgrammePage,
            rows,
        )
        self._terms(ProgrammePage, ids, cities=True)
        ProgrammeContact.objects.bulk_create(
            ProgrammeContact(
                page_id=page_id, contact=self.rng.choice(self.contacts), sort_order=0
            )
            for page_id in ids
        )

    def _occurrences(self, page_id: int) -> tuple[list[EventOccurrence], dt.date]:
        count = self.rng.choices((1, 2, 3, 4, 5), weights=(50, 20, 15, 10, 5))[0]
        day = FIRST_DAY + dt.timedelta(
            days=self.rng.randint(0, (LAST_DAY - FIRST_DAY).days)
        )
        shape = self.rng.choices(("timed", "all_day", "range"), weights=(70, 20, 10))[0]
        occurrences = []
        for position in range(count):
            occurrence = EventOccurrence(
                page_id=page_id, start_date=day, sort_order=position
            )
            if shape == "timed":
                hour = self.rng.randint(9, 18)
                occurrence.start_time = dt.time(hour, self.rng.choice((0, 30)))
                if self.rng.random() < 0.9:
                    occurrence.end_time = dt.time(
                        min(hour + self.rng.randint(1, 4), 23), 0
                    )
            elif shape == "range":
                occurrence.end_date = day + dt.timedelta(days=self.rng.randint(1, 9))
            occurrence.starts_at, occurrence.ends_at = occurrence.compute_bounds()
            occurrences.append(occurrence)
            day = occurrence.last_date + dt.timedelta(days=self.rng.randint(1, 21))
        return occurrences, occurrences[0].start_date

    def _events(self, count: int) -> None:
        statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
        first_ids = EventPage.objects.count()
        rows, occurrence_rows = [], []
        for number in range(1, count + 1):
            occurrences, first_day = self._occurrences(page_id=0)
            occurrence_rows.append(occurrences)
            status = self.rng.choices(statuses, weights)[0]
            city = self.rng.choice(self.cities)
            venues = [v for v in self.venues if v.city_id == city.pk] or self.venues
            title = self._title()
            first, last = self._published(first_day)
            registration = self.rng.random() < 0.5
            rows.append(
                {
                    "title": title,
                    "slug": self._slug(title, first_ids + number),
                    "first_published_at": first,
                    "last_published_at": last,
                    "subtitle": f"{city.name}, {first_day:%d.%m.%Y}",
                    "series": self.rng.choice(
                        ("", "", "Lass mal reden…", "Woche der Vielfalt")
                    ),
                    "teaser": " ".join(self.rng.sample(SENTENCES, 2)),
                    "body": self._body(),
                    "status": status,
                    "postponed_note": "auf später"
                    if status == EventStatus.POSTPONED
                    else "",
                    "previous_start_date": (
                        first_day - dt.timedelta(days=30)
                        if status == EventStatus.RESCHEDULED
                        else None
                    ),
                    "online_url": (
                        f"https://meet.example.org/{number}"
                        if status == EventStatus.MOVED_ONLINE
                        else ""
                    ),
                    "venue": self.rng.choice(venues),
                    "city": city,
                    "audience": "Fachkräfte, Ehrenamtliche und Interessierte",
                    "registration_required": registration,
                    "registration_email": "anmeldung@example.org"
                    if registration
                    else "",
                    "registration_deadline": (
                        first_day - dt.timedelta(days=7) if registration else None
                    ),
                }
            )
        ids = self._add_pages(
            "events",
            EventIndexPage.objects.get(locale__language_code="de"),
            EventPage,
            rows,
        )
        progress = Progress("occurrences etc.", len(ids))
        for chunk in batched(zip(ids, occurrence_rows, strict=True), 2000):
            occurrences, contacts, attachments = [], [], []
            for page_id, page_occurrences in chunk:
                for occurrence in page_occurrences:
                    occurrence.page_id = page_id
                occurrences.extend(page_occurrences)
                for position, contact in enumerate(
                    self.rng.sample(self.contacts, self.rng.randint(1, 2))
                ):
                    contacts.append(
                        EventContact(
                            page_id=page_id, contact=contact, sort_order=position
                        )
                    )
                if self.rng.random() < 0.1:
                    attachments.append(
                        EventAttachment(
                            page_id=page_id,
                            title="Programmheft",
                            url=f"https://example.org/programm/{page_id}.pdf",
                            role="programme",
                            sort_order=0,
                        )
                    )
            EventOccurrence.objects.bulk_create(occurrences, batch_size=BATCH)
            EventContact.objects.bulk_create(contacts, batch_size=BATCH)
            EventAttachment.objects.bulk_create(attachments, batch_size=BATCH)
            progress.advance(len(chunk))
        progress.close()
        self._terms(EventPage, ids, cities=False)

    def _press(self, count: int) -> None:
        rows = []
        for number in range(1, count + 1):
            title = f"Pressemitteilung: {self.rng.choice(SUBJECTS)}"
            date = FIRST_DAY + dt.timedelta(days=self.rng.randint(0, 2900))
            published = dt.datetime.combine(date, dt.time(10, 0), BERLIN)
            rows.append(
                {
                    "title": title,
                    "slug": self._slug(title, number),
                    "first_published_at": published,
                    "last_published_at": published,
                    "teaser": " ".join(self.rng.sample(SENTENCES, 2)),
                    "body": self._body(),
                    "date": date,
                }
            )
        ids = self._add_pages(
            "press",
            PressIndexPage.objects.get(locale__language_code="de"),
            PressReleasePage,
            rows,
        )
        self._terms(PressReleasePage, ids, cities=True)

    def _newsletters(self, count: int) -> None:
        rows = []
        for number in range(1, count + 1):
            date = FIRST_DAY + dt.timedelta(days=30 * number % 4000)
            published = dt.datetime.combine(date, dt.time(9, 0), BERLIN)
            rows.append(
                {
                    "title": f"Newsletter {number}/{date.year}",
                    "slug": f"newsletter-{number}",
                    "first_published_at": published,
                    "last_published_at": published,
                    "issue": f"{number}/{date.year}",
                    "date": date,
                    "teaser": self.rng.choice(SENTENCES),
                    "body": [],
                }
            )
        ids = self._add_pages(
            "newsletters",
            NewsletterIndexPage.objects.get(locale__language_code="de"),
            NewsletterIssuePage,
            rows,
        )
        self._terms(NewsletterIssuePage, ids, cities=True)
