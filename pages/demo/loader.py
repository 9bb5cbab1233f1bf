"""Loads the integration centre's original content (content.yaml) as published pages."""

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Site

import yaml
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from pages import series as series_rules
from pages.enums import EventStatus
from pages.models import (
    EventAttachment,
    EventCancellation,
    EventContact,
    EventIndexAttachment,
    EventIndexPage,
    EventOccurrence,
    EventPage,
    EventRecurrence,
    HomePage,
    NewsletterIndexPage,
    NewsletterIssuePage,
    PressIndexPage,
    PressReleasePage,
    ProgrammeAttachment,
    ProgrammeContact,
    ProgrammeIndexPage,
    ProgrammePage,
)
from pages.snippets import City, ContactPerson, TargetGroup, Topic, Venue
from pages.translation_signals import record_minor_change
from pages.translations import ensure_language_trees

CONTENT_FILE = Path(__file__).with_name("content.yaml")
DEMO_SERIES_SLUG = "sprachcafe-witten"
BERLIN = ZoneInfo("Europe/Berlin")
DATES_SEED = "seed"
DATES_UPCOMING = "upcoming"
DATE_MODES = (DATES_UPCOMING, DATES_SEED)
INDEXES = [
    (ProgrammeIndexPage, "programme", "Programme und Projekte"),
    (EventIndexPage, "veranstaltungen", "Veranstaltungen"),
    (PressIndexPage, "presse", "Presse"),
    (NewsletterIndexPage, "newsletter", "Newsletter"),
]
TRANSLATED_SECTIONS: list[tuple[str, type[Page]]] = [
    ("events", EventPage),
    ("press_releases", PressReleasePage),
]
"""The parts of content.yaml whose items may carry `translations` (tag → fields)."""


def placeholder_pdf(title: str) -> bytes:
    """A small valid PDF naming the original document, which the seed page did not include."""
    text = f"{title} - Platzhalter: Das Originaldokument ist nicht Teil der Demodaten."
    text = text.encode("latin-1", "replace").decode("latin-1")
    text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 56 780 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _moved(value: dt.date | None, shift: dt.timedelta) -> dt.date | None:
    return value + shift if value else None


SEED_YEAR = re.compile(r"\b(19|20)\d\d\b")


def dated_text(text: str, shift: dt.timedelta) -> str:
    """A date's wording from the seed ("Sommerferien 2020", "auf 2021"), left out when
    the calendar is moved: the dates then speak for themselves."""
    return "" if shift and SEED_YEAR.search(text) else text


def body_stream(blocks: list[dict]) -> list[tuple[str, object]]:
    stream: list[tuple[str, object]] = []
    for block in blocks:
        if block["type"] == "heading":
            stream.append(("heading", {"text": block["text"], "level": "h2"}))
        else:
            stream.append(("paragraph", block["html"]))
    return stream


def translated_strings(german: Page, fields: dict) -> dict[tuple[str, str], str]:
    """The translation of each of `german`'s strings, keyed by (segment path, German
    text): `fields` (field name → text; `body` as blocks like the German `body`) is put
    on a copy of the page and split into segments the way wagtail-localize splits the
    German page, then paired with its segments field by field and in order."""
    copy = german.specific_class.objects.get(pk=german.pk)
    for name, value in fields.items():
        if name == "body":
            blocks = body_stream(value)
            if len(blocks) != len(german.body) or any(
                kind != block.block_type
                for (kind, _), block in zip(blocks, german.body, strict=False)
            ):
                raise ValueError(
                    f"{german.title}: die übersetzten Blöcke passen nicht zum Inhalt."
                )
            copy.body = [
                {"type": kind, "value": raw, "id": block.id}
                for (kind, raw), block in zip(blocks, german.body, strict=True)
            ]
        elif hasattr(copy, name):
            setattr(copy, name, value)
        else:
            raise ValueError(f"{german.title}: unbekanntes Feld „{name}“.")

    def strings(page: Page) -> dict[str, list[str]]:
        by_path: dict[str, list[str]] = {}
        for segment in extract_segments(page):
            if isinstance(segment, StringSegmentValue):
                by_path.setdefault(segment.path, []).append(segment.string.data)
        return by_path

    source, target = strings(german), strings(copy)
    untranslated = sorted({path.split(".")[0] for path in source} - set(fields))
    if untranslated:
        raise ValueError(
            f"{german.title}: ohne Übersetzung bleiben {', '.join(untranslated)}."
        )
    if set(source) != set(target) or any(
        len(source[path]) != len(target[path]) for path in source
    ):
        missing = sorted(set(source) - set(target) | set(target) - set(source))
        raise ValueError(
            f"{german.title}: die Übersetzung deckt nicht genau die deutschen Texte ab "
            f"({', '.join(missing) or 'Absätze'})."
        )
    return {
        (path, german_text): translated
        for path in source
        for german_text, translated in zip(source[path], target[path], strict=True)
    }


def parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def parse_time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def calendar_shift(
    mode: str, seed_today: dt.date, today: dt.date | None = None
) -> dt.timedelta:
    """How far the demo moves the seed's calendar: nothing for `seed`; for `upcoming`
    the whole weeks that bring the seed's own "today" (`demo_calendar.seed_today` in
    content.yaml) into this week, so weekdays, spacing and times stay as published and
    what was coming then is coming now."""
    if mode == DATES_SEED:
        return dt.timedelta(0)
    if mode != DATES_UPCOMING:
        raise ValueError(
            f"HUB_DEMO_DATES={mode!r} ist unbekannt; erlaubt sind "
            + " und ".join(f"„{m}“" for m in DATE_MODES)
            + "."
        )
    today = today or dt.datetime.now(BERLIN).date()
    weeks = -(-(today - seed_today).days // 7)  # rounded up: never before today
    return dt.timedelta(weeks=weeks)


class DemoContentLoader:
    """Creates what is missing and leaves everything that exists untouched (idempotent)."""

    def __init__(
        self,
        path: Path = CONTENT_FILE,
        log: Callable[[str], None] = print,
        *,
        dates: str | None = None,
        today: dt.date | None = None,
        translations: bool = True,
    ):
        self.data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.log = log
        self.created: Counter[str] = Counter()
        self.unchanged: Counter[str] = Counter()
        self.redated = 0
        self.dates = dates or settings.HUB_DEMO_DATES
        seed_today = dt.date.fromisoformat(self.data["demo_calendar"]["seed_today"])
        self.shift = calendar_shift(self.dates, seed_today, today)
        self.today = today or dt.datetime.now(BERLIN).date()
        self.translations = translations

    @transaction.atomic
    def run(self) -> Counter:
        self.load_terms()
        home = self.ensure_home()
        indexes = {
            slug: self.ensure_index(home, model, slug, title)
            for model, slug, title in INDEXES
        }
        for item in self.data["programmes"]:
            self.ensure_programme(indexes["programme"], item)
        for item in self.data["events"]:
            self.ensure_event(indexes["veranstaltungen"], item)
        self.ensure_demo_series(indexes["veranstaltungen"])
        for item in self.data["press_releases"]:
            self.ensure_press_release(indexes["presse"], item)
        for item in self.data["newsletter"]["issues"]:
            self.ensure_newsletter_issue(indexes["newsletter"], item)
        ensure_language_trees()
        if self.translations:
            self.ensure_translations()
        return self.created

    # --- snippets ---------------------------------------------------------------------

    def _term(self, model, slug: str, name: str, position: int):
        obj, created = model.objects.german().get_or_create(
            slug=slug, defaults={"name": name, "sort_order": position}
        )
        self._count(model._meta.verbose_name_plural, created)
        return obj

    def load_terms(self) -> None:
        self.cities = {
            c["slug"]: self._term(City, c["slug"], c["name"], i)
            for i, c in enumerate(self.data["cities"])
        }
        self.target_groups = {
            t["slug"]: self._term(TargetGroup, t["slug"], t["name"], i)
            for i, t in enumerate(self.data["target_groups"])
        }
        self.topics = {
            t["slug"]: self._term(Topic, t["slug"], t["name"], i)
            for i, t in enumerate(self.data["topics"])
        }
        self.contacts = {}
        for c in self.data["contacts"]:
            obj, created = ContactPerson.objects.get_or_create(
                name=c["name"],
                phone=c.get("phone", ""),
                defaults={"email": c.get("email", ""), "role": c.get("role", "")},
            )
            self.contacts[c["key"]] = obj
            self._count("Ansprechpersonen", created)
        self.venues = {}
        for v in self.data["venues"]:
            obj, created = Venue.objects.german().get_or_create(
                name=v["name"],
                town=v["town"],
                defaults={
                    "street": v.get("street", ""),
                    "postcode": v.get("postcode", ""),
                    "room": v.get("room", ""),
                    "accessibility": v.get("accessibility", ""),
                    "city": self.cities.get(v.get("city")),
                },
            )
            self.venues[v["key"]] = obj
            self._count("Veranstaltungsorte", created)

    def document(self, title: str):
        Document = get_document_model()
        doc = Document.objects.filter(title=title).first()
        if doc is None:
            doc = Document(title=title)
            doc.file.save(
                f"{title[:60]}.pdf", ContentFile(placeholder_pdf(title)), save=False
            )
            doc.save()
            self._count("Dokumente", True)
        return doc

    # --- page tree --------------------------------------------------------------------

    def ensure_home(self) -> HomePage:
        site = Site.objects.filter(is_default_site=True).first()
        home: HomePage | None = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = HomePage(
                title="Kommunales Integrationszentrum Ennepe-Ruhr-Kreis",
                slug="startseite",
                intro=self.data["home"]["intro"],
            )
            root.add_child(instance=home)
            home.save_revision().publish()
            self._count("Seiten", True)
        base = urlsplit(settings.SITE_BASE_URL)
        hostname = base.hostname or "localhost"
        port = base.port or (443 if base.scheme == "https" else 80)
        if site is None:
            site = Site(is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME)
        if site.root_page_id != home.pk or (site.hostname, site.port) != (
            hostname,
            port,
        ):
            welcome = site.root_page if site.pk else None
            site.root_page = home
            site.hostname, site.port = hostname, port
            site.site_name = settings.WAGTAIL_SITE_NAME
            site.save()
            if (
                welcome
                and welcome.specific_class is Page
                and not welcome.get_children().exists()
            ):
                welcome.delete()
        return home

    def ensure_index(self, home: HomePage, model, slug: str, title: str):
        page = model.objects.child_of(home).first()
        if page:
            self._count("Seiten", False)
            return page
        extra = {
            "programme": {},
            "veranstaltungen": {"intro": self.data["events_index"]["intro"]},
            "presse": {"intro": self.data["press_index"]["intro"]},
            "newsletter": {
                "intro": self.data["newsletter"]["intro"],
                "subscribe_phone": self.data["newsletter"]["subscribe_phone"],
                "subscribe_email": self.data["newsletter"]["subscribe_email"],
            },
        }[slug]
        page = model(title=title, slug=slug, **extra)
        if slug == "veranstaltungen":
            page.attachments = [
                EventIndexAttachment(
                    document=self.document(d["title"]), title=d["title"], role=d["role"]
                )
                for d in self.data["events_index"]["documents"]
            ]
        home.add_child(instance=page)
        page.save_revision().publish()
        self._count("Seiten", True)
        return page

    def _publish(
        self, parent, page, label: str, first_published: dt.datetime | None = None
    ):
        if first_published:
            page.first_published_at = first_published
        parent.add_child(instance=page)
        page.save_revision().publish()
        self._count(label, True)
        self.log(f"  + {page._meta.verbose_name}: {page.title}")

    def _exists(self, model, parent, slug: str, label: str) -> bool:
        if model.objects.child_of(parent).filter(slug=slug).exists():
            self._count(label, False)
            return True
        return False

    def ensure_programme(self, parent, item: dict) -> None:
        if self._exists(ProgrammePage, parent, item["slug"], "Programme"):
            return
        page = ProgrammePage(
            title=item["title"],
            slug=item["slug"],
            teaser=item["teaser"],
            body=body_stream(item["body"]),
            starts_on=parse_date(item.get("starts_on")),
            ends_on=parse_date(item.get("ends_on")),
            period_note=item.get("period_note", ""),
        )
        self._set_terms(page, item)
        page.contacts.set(
            [ProgrammeContact(contact=self.contacts[k]) for k in item["contacts"]]
        )
        page.attachments.set(
            [
                ProgrammeAttachment(
                    title=link["title"], url=link["url"], role="information"
                )
                for link in item.get("links", [])
            ]
            + [
                ProgrammeAttachment(
                    document=self.document(d["title"]), title=d["title"], role=d["role"]
                )
                for d in item.get("documents", [])
            ]
        )
        self._publish(parent, page, "Programme")

    def occurrences(self, item: dict, shift: dt.timedelta) -> list[EventOccurrence]:
        return [
            EventOccurrence(
                start_date=dt.date.fromisoformat(o["start_date"]) + shift,
                end_date=_moved(parse_date(o.get("end_date")), shift),
                start_time=parse_time(o.get("start_time")),
                end_time=parse_time(o.get("end_time")),
                label=dated_text(o.get("label", ""), shift),
            )
            for o in item["occurrences"]
        ]

    def ensure_event(self, parent, item: dict) -> None:
        existing = EventPage.objects.child_of(parent).filter(slug=item["slug"]).first()
        if existing is not None:
            self.redate_event(existing, item)
            return
        registration = item.get("registration") or {}
        page = EventPage(
            title=item["title"],
            slug=item["slug"],
            subtitle=item.get("subtitle", ""),
            series=item.get("series", ""),
            teaser=item.get("teaser", ""),
            body=body_stream(item.get("body", [])),
            status=item["status"],
            postponed_note=dated_text(item.get("postponed_note", ""), self.shift),
            venue=self.venues.get(item.get("venue")),
            city=self.cities[item["city"]],
            audience=item.get("audience", ""),
            participation_note=item.get("participation_note", ""),
            registration_required=registration.get("required", False),
            registration_url=registration.get("url", ""),
            registration_email=registration.get("email", ""),
            registration_deadline=_moved(
                parse_date(registration.get("deadline")), self.shift
            ),
            registration_note=registration.get("note", ""),
        )
        page.target_groups = [self.target_groups[s] for s in item["target_groups"]]
        page.topics = [self.topics[s] for s in item["topics"]]
        page.occurrences.set(self.occurrences(item, self.shift))
        page.contacts.set(
            [EventContact(contact=self.contacts[k]) for k in item["contacts"]]
        )
        page.attachments.set(
            [
                EventAttachment(
                    document=self.document(d["title"]), title=d["title"], role=d["role"]
                )
                for d in item.get("documents", [])
            ]
        )
        self._publish(parent, page, "Veranstaltungen")

    def redate_event(self, page: EventPage, item: dict) -> None:
        """Move a demo event nobody has touched to the calendar asked for now.

        Only an event that is live without a newer draft, last saved by this loader (a
        revision without a user) and whose dates are exactly the seed's moved by whole
        weeks (as an earlier run left them) is moved, in a new published revision: a later `make run` keeps the demo calendar current, and
        `HUB_DEMO_DATES=seed` brings back the seed's dates. Anything an editor changed
        stays as it is.
        """
        current = list(page.occurrences.order_by("sort_order", "pk"))
        moved_by = self._demo_offset(current, item)
        if (
            moved_by is None
            or moved_by == self.shift
            or not page.live
            or page.has_unpublished_changes
            or (page.latest_revision and page.latest_revision.user_id is not None)
        ):
            self._count("Veranstaltungen", False)
            return
        self._count("Veranstaltungen", False)
        delta = self.shift - moved_by
        for occurrence, seed in zip(
            current, self.occurrences(item, self.shift), strict=True
        ):
            occurrence.start_date += delta
            occurrence.end_date = _moved(occurrence.end_date, delta)
            occurrence.label = seed.label
        page.occurrences.set(current)
        if page.postponed_note in {"", item.get("postponed_note", "")}:
            page.postponed_note = dated_text(item.get("postponed_note", ""), self.shift)
        page.registration_deadline = _moved(page.registration_deadline, delta)
        revision = page.save_revision(log_action=True)
        # Dates are facts read from the German page: its translations stay current.
        record_minor_change(revision)
        revision.publish()
        self.redated += 1
        self.log(f"  ~ neu datiert: {page.title}")

    def _demo_offset(
        self, current: list[EventOccurrence], item: dict
    ) -> dt.timedelta | None:
        """The whole weeks the seed's dates of `item` were moved by to give `current`,
        or None when the dates are not the seed's (an editor changed them)."""
        seed = self.occurrences(item, dt.timedelta(0))
        if len(current) != len(seed) or not seed:
            return None
        offset = current[0].start_date - seed[0].start_date
        if offset.days % 7:
            return None
        for now, then in zip(current, seed, strict=True):
            if (
                now.start_date - then.start_date != offset
                or now.end_date != _moved(then.end_date, offset)
                or (now.start_time, now.end_time, now.label)
                != (then.start_time, then.end_time, dated_text(then.label, offset))
            ):
                return None
        return offset

    def ensure_demo_series(self, parent) -> None:
        """A weekly Sprachcafé in Witten, an example series the seed does not have
        (only on the moved calendar): open-ended, so it always has coming dates, with
        its third date cancelled and its fifth moved to the Friday.

        On the seed's own calendar (`seed`) an untouched demo series is taken offline
        again, so the site is the office's as published; back on `upcoming` it returns.
        """
        existing = (
            EventPage.objects.child_of(parent).filter(slug=DEMO_SERIES_SLUG).first()
        )
        if existing is not None:
            self._count("Veranstaltungen", False)
            # Last saved by this loader; a live page without a newer draft (taking it
            # offline leaves "unpublished changes" behind, that is no editor's work).
            untouched = (
                existing.latest_revision is None
                or existing.latest_revision.user_id is None
            ) and not (existing.live and existing.has_unpublished_changes)
            if untouched and existing.live and self.dates == DATES_SEED:
                existing.unpublish(log_action=True)
                self.log(
                    f"  - offline (nur im verschobenen Kalender): {existing.title}"
                )
            elif untouched and not existing.live and self.dates == DATES_UPCOMING:
                existing.get_latest_revision().publish()
                self.log(f"  + wieder online: {existing.title}")
            return
        if self.dates != DATES_UPCOMING:
            return
        first = self.today + dt.timedelta(days=(3 - self.today.weekday()) % 7 or 7)
        page = EventPage(
            title="Sprachcafé Witten",
            slug=DEMO_SERIES_SLUG,
            subtitle="Beispiel einer Terminserie (nur in der Demo)",
            series="Sprachcafé",
            teaser="Deutsch sprechen in entspannter Runde, jeden Donnerstag – "
            "für alle, die die Sprache üben möchten.",
            status=EventStatus.CONFIRMED,
            city=self.cities["witten"],
            participation_note="Ohne Anmeldung, kostenlos.",
        )
        page.target_groups = [
            self.target_groups[s] for s in ("neuzugewanderte", "gefluechtete")
        ]
        page.topics = [self.topics["sprache"]]
        page.recurrences.set(
            [
                EventRecurrence(
                    start_date=first,
                    start_time=dt.time(16),
                    end_time=dt.time(18),
                    frequency=series_rules.WEEKLY,
                    interval=1,
                )
            ]
        )
        page.cancellations.set(
            [
                EventCancellation(
                    date=first + dt.timedelta(weeks=2), note="Team-Fortbildung"
                )
            ]
        )
        series_rules.reconcile(page, self.today)
        moved = first + dt.timedelta(weeks=4)
        for row in page.occurrences.all():
            if row.series_date == moved:
                row.start_date = moved + dt.timedelta(days=1)  # to the Friday
        page.contacts.set([EventContact(contact=self.contacts["ki"])])
        self._publish(parent, page, "Veranstaltungen")

    def ensure_press_release(self, parent, item: dict) -> None:
        if self._exists(PressReleasePage, parent, item["slug"], "Pressemitteilungen"):
            return
        date = dt.date.fromisoformat(item["date"])
        page = PressReleasePage(
            title=item["title"],
            slug=item["slug"],
            date=date,
            teaser=item["teaser"],
            body=body_stream(item["body"]),
            source=item.get("source") or "Pressestelle des Ennepe-Ruhr-Kreises",
            original_url=item.get("original_url", ""),
        )
        self._set_terms(page, item)
        published = dt.datetime.combine(date, dt.time(10, 0), BERLIN)
        self._publish(parent, page, "Pressemitteilungen", first_published=published)

    def ensure_newsletter_issue(self, parent, item: dict) -> None:
        if self._exists(
            NewsletterIssuePage, parent, item["slug"], "Newsletter-Ausgaben"
        ):
            return
        date = dt.date.fromisoformat(item["date"])
        page = NewsletterIssuePage(
            title=item["title"],
            slug=item["slug"],
            issue=item["issue"],
            date=date,
            teaser=item.get("summary", ""),
            pdf=self.document(item["pdf"]) if item.get("pdf") else None,
        )
        self._set_terms(page, item)
        self._publish(parent, page, "Newsletter-Ausgaben")

    # --- translations -----------------------------------------------------------------

    def ensure_translations(self) -> None:
        """The translations written for a few items (`translations` in content.yaml),
        made the way wagtail-localize's editor makes them and published on commit; an
        existing translation is left as it is. Every other item stays untranslated."""
        german_locale = Locale.get_default()
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        for key, model in TRANSLATED_SECTIONS:
            for item in self.data[key]:
                wanted = item.get("translations") or {}
                if not wanted:
                    continue
                german = model.objects.get(locale=german_locale, slug=item["slug"])
                for tag, fields in wanted.items():
                    if tag not in locales:
                        self.log(f"  ! Sprache {tag} fehlt, nicht übersetzt: {german}")
                        continue
                    self.ensure_translation(german, locales[tag], fields)

    def ensure_translation(self, german: Page, locale: Locale, fields: dict) -> None:
        if german.get_translation_or_none(locale) is not None:
            self._count("Übersetzungen", False)
            return
        texts = translated_strings(german, fields)
        source, created = TranslationSource.get_or_create_from_instance(german)
        if not created:
            source.update_from_db()
        translation, _ = Translation.objects.get_or_create(
            source=source, target_locale=locale
        )
        segments = StringSegment.objects.filter(source=source).select_related(
            "string", "context"
        )
        for segment in segments:
            data = texts.get((segment.context.path, segment.string.data))
            if data is None:
                raise ValueError(
                    f"{german.title}: für „{segment.string.data}“ "
                    f"({segment.context.path}) fehlt die Übersetzung ({locale})."
                )
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": data},
            )
        translation.save_target(publish=True)
        self._count("Übersetzungen", True)
        self.log(f"  + Übersetzung ({locale.get_display_name()}): {fields['title']}")

    def _set_terms(self, page, item: dict) -> None:
        page.cities = [self.cities[s] for s in item.get("cities", [])]
        page.target_groups = [
            self.target_groups[s] for s in item.get("target_groups", [])
        ]
        page.topics = [self.topics[s] for s in item.get("topics", [])]

    def _count(self, label: str, created: bool) -> None:
        (self.created if created else self.unchanged)[label] += 1
