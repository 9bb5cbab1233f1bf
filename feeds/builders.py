"""Feed builders: a list of loaded items in, the bytes of one feed format out.

`FeedBuilder` holds what every format shares, one small method per field in the manner of
`django.contrib.syndication.Feed`'s `item_*` hooks; each subclass only arranges those
fields in its format. Every value comes from the data, never from the clock, so the same
content always gives the same bytes.
"""

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from functools import cached_property
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext, ngettext

import icalendar
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from pages.items import EventItem, Item, NewsletterItem, Occurrence, PressItem
from pages.links import absolute
from pages.media import public_documents
from pages.models.event import SHOWN_SERIES_DATES
from pages.rich_text import ResolvedLinks, expanded_html, resolve_links
from pages.sanitize import clean_html
from pages.sections import Section

from . import websub
from .content import ITEM_LIMIT
from .text import (
    coming,
    dates_line,
    event_title,
    occurrence_text,
    place_text,
    series_line,
    series_summary,
    series_text,
    xml_safe,
)

BERLIN = ZoneInfo("Europe/Berlin")
EMPTY_FEED_DATE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
"""`updated` of a feed without items: fixed, so an empty feed keeps its bytes too."""

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

UNTITLED = "(ohne Titel)"
"""Shown when a title consists only of characters XML cannot carry."""

FORMAT_NAMES = {
    "rss": "RSS",
    "atom": "Atom",
    "json": "JSON Feed",
    "ics": "iCalendar",
}


def tag_uri(specific: str) -> str:
    """A permanent id (RFC 4151) that depends on neither host nor slug."""
    return f"tag:{settings.FEED_ID_AUTHORITY}:{specific}"


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int
    mime_type: str
    title: str

    @property
    def format_name(self) -> str:
        return self.mime_type.rsplit("/", 1)[-1].upper()


class FeedBuilder:
    """The fields every format shares; subclasses implement `render()`."""

    format = ""
    content_type = ""

    def __init__(
        self,
        section: Section,
        items: Sequence[Item],
        query_string: str = "",
        *,
        language: str = settings.LANGUAGE_CODE,
    ):
        self.language = language
        """The feed's language (`lang`); an item not translated into it is German
        (`Item.language`) and says so where the format can."""
        self.section = section
        self.items = list(items)
        self.query_string = query_string
        self.body_documents = self._load_body_documents()
        self._attachments: dict[tuple[str, int], list[Enclosure]] = {}
        self._dates: dict[int, str] = {}
        self.now = timezone.now()

    def render(self) -> bytes:
        raise NotImplementedError

    # --- the feed ---------------------------------------------------------------------

    def feed_title(self) -> str:
        return f"{gettext(self.section.title)} – {settings.WAGTAIL_SITE_NAME}"

    def feed_description(self) -> str:
        text = (
            gettext(
                "%(section)s (gefiltert) des Kommunalen Integrationszentrums "
                "Ennepe-Ruhr-Kreis; höchstens %(limit)s Einträge."
            )
            if self.query_string
            else gettext(
                "%(section)s des Kommunalen Integrationszentrums Ennepe-Ruhr-Kreis; "
                "höchstens %(limit)s Einträge."
            )
        )
        return text % {"section": gettext(self.section.title), "limit": ITEM_LIMIT}

    def feed_id(self) -> str:
        query = f"?{self.query_string}" if self.query_string else ""
        return tag_uri(f"feed/{self.section.feed_path_name}{query}")

    def feed_url(self, format: str | None = None) -> str:
        return websub.feed_url(self.section, format or self.format, self.query_string)

    def hub_url(self) -> str:
        """The WebSub hub this feed names ("" for none: `feeds.websub`)."""
        return websub.advertised_hub(self.format, self.query_string)

    def home_url(self) -> str:
        return absolute(self.section.path)

    def feed_author(self) -> dict[str, str]:
        return {"name": settings.WAGTAIL_SITE_NAME, "uri": absolute("/")}

    def feed_updated(self) -> dt.datetime:
        return max(map(self.item_updated, self.items), default=EMPTY_FEED_DATE)

    def stylesheet_url(self) -> str:
        return absolute(static("feeds/feed.xsl"))

    # --- one item ---------------------------------------------------------------------

    def item_id(self, item: Item) -> str:
        return tag_uri(f"{item.item_type}/{item.id}")

    def item_title(self, item: Item) -> str:
        if isinstance(item, EventItem):
            title = event_title(item, self.dates_line(item))
        elif isinstance(item, NewsletterItem) and item.issue not in item.title:
            title = f"{item.title} ({item.issue})"
        else:
            title = item.title
        return xml_safe(title) or UNTITLED

    def item_link(self, item: Item) -> str:
        return item.url

    def dates_line(self, event: EventItem) -> str:
        """An event's dates in one line for its title: all of them, or for a series
        its rule from the next date on."""
        if event.id not in self._dates:
            if event.recurrence is not None:
                line = series_line(event.recurrence, event.occurrences, self.now)
            else:
                line = dates_line(event.occurrences)
            self._dates[event.id] = line
        return self._dates[event.id]

    def dates_summary(self, event: EventItem) -> str:
        """An event's dates for its summary: all of them, or a series' rule, times and
        next date."""
        if event.recurrence is not None:
            return series_summary(event.recurrence, event.occurrences, self.now)
        return self.dates_line(event)

    def item_summary(self, item: Item) -> str:
        """Plain text a reader shows in a list: for events dates, place and status first."""
        parts = []
        if isinstance(item, EventItem):
            parts.append(
                gettext("Termine: %(dates)s.") % {"dates": self.dates_summary(item)}
            )
            if place := place_text(item):
                parts.append(gettext("Ort: %(place)s.") % {"place": place})
            parts.append(gettext("Status: %(status)s.") % {"status": item.status_label})
        if item.teaser:
            parts.append(item.teaser)
        return xml_safe(" ".join(parts))

    def item_content_html(self, item: Item) -> str:
        parts = []
        if isinstance(item, EventItem):
            parts.append(self._event_details_html(item))
        if item.teaser:
            parts.append(f"<p>{escape(item.teaser)}</p>")
        parts.append(self._body_html(item))
        if attachments := self.item_attachments(item):
            # Plain `html.escape` and f-strings: Django's safe-string machinery costs
            # more than the rest of an entry, and the whole result is sanitized below.
            links = "".join(
                f'<li><a href="{escape(a.url)}">{escape(a.title)}</a> '
                f"({escape(a.format_name)}, {max(1, a.length // 1024)} KB)</li>"
                for a in attachments
            )
            parts.append(f"<ul>{links}</ul>")
        return xml_safe(clean_html("".join(parts)))

    def item_published(self, item: Item) -> dt.datetime:
        if isinstance(item, PressItem | NewsletterItem):
            return dt.datetime.combine(item.date, dt.time.min, BERLIN)
        return item.first_published_at or self.item_updated(item)

    def item_updated(self, item: Item) -> dt.datetime:
        return (
            item.modified_at
            or item.last_published_at
            or item.first_published_at
            or EMPTY_FEED_DATE
        )

    def item_author_name(self, item: Item) -> str:
        source = item.source if isinstance(item, PressItem) else ""
        return xml_safe(source or settings.WAGTAIL_SITE_NAME)

    def item_categories(self, item: Item) -> list[str]:
        names = [topic.name for topic in item.topics]
        if isinstance(item, EventItem) and item.city is not None:
            names.append(item.city.name)
        return [xml_safe(name) for name in names]

    def item_attachments(self, item: Item) -> list[Enclosure]:
        """Public documents of the item, with their real size and type."""
        key = (item.item_type, item.id)
        if key not in self._attachments:
            self._attachments[key] = self._public_attachments(item)
        return self._attachments[key]

    def _public_attachments(self, item: Item) -> list[Enclosure]:
        """The item's documents; `pages.items` loads public ones only."""
        if isinstance(item, NewsletterItem) and item.pdf is not None:
            return [self._enclosure(item.pdf, item.pdf.title)]
        return [
            self._enclosure(a.document, a.display_title)
            for a in item.attachments
            if a.document is not None
        ]

    def item_enclosure(self, item: Item) -> Enclosure | None:
        """The first PDF: RSS allows one enclosure per item."""
        return next(
            (
                a
                for a in self.item_attachments(item)
                if a.mime_type == "application/pdf"
            ),
            None,
        )

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    def _enclosure(document, title: str) -> Enclosure:
        size = document.file_size or document.get_file_size() or 0
        return Enclosure(
            url=absolute(document.url),
            length=size,
            mime_type=document.content_type or "application/octet-stream",
            title=xml_safe(title),
        )

    def _event_details_html(self, event: EventItem) -> str:
        rows = [(gettext("Status"), event.status_label)]
        if place := place_text(event):
            rows.append((gettext("Ort"), place))
        shown = event.occurrences
        rule, more = "", ""
        if event.recurrence is not None:
            # As on the public page: the rhythm, the next dates and how many follow.
            ahead = coming(event.occurrences, self.now)
            shown = ahead[:SHOWN_SERIES_DATES]
            text = series_text(event.recurrence)
            rule = f"<p>{escape(text[:1].upper() + text[1:])}"
            rule += f"; {gettext('die nächsten Termine:')}</p>" if shown else "</p>"
            if len(ahead) > len(shown):
                rest = len(ahead) - len(shown)
                more = "<p>{}</p>".format(
                    ngettext(
                        "und %(counter)s weiterer Termin",
                        "und %(counter)s weitere Termine",
                        rest,
                    )
                    % {"counter": rest}
                )
        dates = "".join(f"<li>{escape(occurrence_text(o))}</li>" for o in shown)
        details = "".join(
            f"<p><strong>{label}:</strong> {escape(value)}</p>" for label, value in rows
        )
        listed = f"<ul>{dates}</ul>" if dates or not rule else ""
        return f"{rule}{listed}{more}{details}"

    def _load_body_documents(self) -> dict:
        """Documents linked from bodies, in one query for the whole feed."""
        ids = {
            block["value"].get("document")
            for item in self.items
            for block in _blocks(item)
            if block["type"] == "document"
        }
        ids.discard(None)
        if not ids:
            return {}
        documents = public_documents().filter(pk__in=ids)
        return {document.pk: document for document in documents}

    @cached_property
    def body_links(self) -> ResolvedLinks:
        """Documents and pages linked from paragraphs, resolved for the whole feed."""
        return resolve_links(
            block["value"]
            for item in self.items
            for block in _blocks(item)
            if block["type"] == "paragraph"
        )

    def _body_html(self, item: Item) -> str:
        parts = []
        for block in _blocks(item):
            kind, value = block["type"], block["value"]
            if kind == "heading":
                level = (
                    value.get("level") if value.get("level") in {"h2", "h3"} else "h2"
                )
                parts.append(f"<{level}>{escape(value.get('text', ''))}</{level}>")
            elif kind == "paragraph":
                # Sanitized with the whole entry (`item_content_html`).
                parts.append(expanded_html(value, self.body_links))
            elif kind == "quote":
                parts.append(f"<blockquote>{escape(value)}</blockquote>")
            elif kind == "document" and (
                document := self.body_documents.get(value.get("document"))
            ):
                url = escape(absolute(document.url))
                title = escape(value.get("title") or document.title)
                parts.append(f'<p><a href="{url}">{title}</a></p>')
        return "".join(parts)


def _blocks(item: Item) -> list[dict[str, Any]]:
    """The item's body blocks as stored (feeds load every item with its body)."""
    return item.body.raw_data if item.body is not None else []


# --- RSS and Atom (feedgen) -----------------------------------------------------------


class HubFeedEntry(FeedEntry):
    """feedgen's entry with two of its 1.0.0 defects repaired.

    Atom entry links keep rel/type/length (feedgen keeps only href: issues #135, #143),
    and the RSS pubDate is formatted here: feedgen's formatter calls `locale.setlocale`,
    which is process-wide and not thread-safe.
    """

    rss_published: dt.datetime | None = None
    xml_lang = ""
    """The entry's own language where it differs from the feed's (a German fallback)."""

    def atom_entry(self, extensions=True):
        entry = super().atom_entry(extensions)
        if self.xml_lang:
            entry.set(XML_LANG, self.xml_lang)
        for element, link in zip(entry.findall("link"), self.link() or [], strict=True):
            for name in ("rel", "type", "hreflang", "title", "length"):
                if link.get(name):
                    element.set(name, str(link[name]))
        return entry

    def rss_entry(self, extensions=True):
        item = super().rss_entry(extensions)
        if self.rss_published is not None:
            etree.SubElement(item, "pubDate").text = format_datetime(
                self.rss_published.astimezone(dt.UTC)
            )
        return item


class HubFeedGenerator(FeedGenerator):
    """Writes lastBuildDate itself, for the thread-safety reason of `HubFeedEntry`, and
    keeps a WebSub hub link in RSS (feedgen writes only the `self` link there)."""

    websub_hub = ""

    def _create_rss(self, extensions=True):
        # feedgen keeps the date name-mangled and formats it with `locale.setlocale`.
        built = self._FeedGenerator__rss_lastBuildDate  # type: ignore[has-type]
        self._FeedGenerator__rss_lastBuildDate = None
        try:
            feed, doc = super()._create_rss(extensions)
        finally:
            self._FeedGenerator__rss_lastBuildDate = built
        channel = feed.find("channel")
        etree.SubElement(channel, "lastBuildDate").text = format_datetime(
            built.astimezone(dt.UTC)
        )
        if self.websub_hub:
            self_link = channel.find(f"{{{ATOM_NS}}}link")
            self_link.addnext(
                etree.Element(f"{{{ATOM_NS}}}link", href=self.websub_hub, rel="hub")
            )
        return feed, doc


class XmlFeedBuilder(FeedBuilder):
    """Shared feedgen set-up of RSS and Atom."""

    def generator(self) -> HubFeedGenerator:
        fg = HubFeedGenerator()
        fg.load_extension("dc")
        fg.id(self.feed_id())
        fg.title(xml_safe(self.feed_title()))
        fg.description(xml_safe(self.feed_description()))
        fg.language(self.language)
        fg.generator(settings.WAGTAIL_SITE_NAME, uri=absolute("/"))
        fg.author(self.feed_author())
        # RSS takes its channel <link> from the *last* link: the HTML page goes last.
        fg.link(href=self.feed_url(), rel="self", type=self.content_type_only())
        if hub := self.hub_url():
            fg.link(href=hub, rel="hub")
            fg.websub_hub = hub
        fg.link(href=self.home_url(), rel="alternate", type="text/html")
        fg.updated(self.feed_updated())
        for item in self.items:
            self.add_entry(fg.add_entry(HubFeedEntry(), order="append"), item)
        return fg

    def content_type_only(self) -> str:
        return self.content_type.split(";")[0]

    def add_entry(self, entry: HubFeedEntry, item: Item) -> None:
        raise NotImplementedError

    def serialize(self, root) -> bytes:
        """The document with an XSL stylesheet, so a browser shows a readable page."""
        root.addprevious(
            etree.ProcessingInstruction(
                "xml-stylesheet", f'type="text/xsl" href="{self.stylesheet_url()}"'
            )
        )
        return etree.tostring(
            root.getroottree(), xml_declaration=True, encoding="UTF-8"
        )


class RssBuilder(XmlFeedBuilder):
    format = "rss"
    content_type = "application/rss+xml; charset=utf-8"

    def add_entry(self, entry: HubFeedEntry, item: Item) -> None:
        entry.guid(self.item_id(item), permalink=False)
        entry.title(self.item_title(item))
        entry.link(href=self.item_link(item))
        entry.description(escape(self.item_summary(item)))
        entry.content(self.item_content_html(item))
        entry.rss_published = self.item_published(item)
        entry.dc.dc_creator(self.item_author_name(item))
        for name in self.item_categories(item):
            entry.category(term=name)
        if enclosure := self.item_enclosure(item):
            entry.enclosure(enclosure.url, str(enclosure.length), enclosure.mime_type)

    def render(self) -> bytes:
        root, _ = self.generator()._create_rss()
        return self.serialize(root)


class AtomBuilder(XmlFeedBuilder):
    format = "atom"
    content_type = "application/atom+xml; charset=utf-8"

    def add_entry(self, entry: HubFeedEntry, item: Item) -> None:
        if item.language != self.language:
            entry.xml_lang = item.language
        entry.id(self.item_id(item))
        entry.title(self.item_title(item))
        entry.link(href=self.item_link(item), rel="alternate", type="text/html")
        for attachment in self.item_attachments(item):
            entry.link(
                href=attachment.url,
                rel="enclosure",
                type=attachment.mime_type,
                length=str(attachment.length),
                title=attachment.title,
            )
        entry.summary(self.item_summary(item))
        entry.content(self.item_content_html(item), type="html")
        entry.published(self.item_published(item))
        entry.updated(self.item_updated(item))
        entry.author({"name": self.item_author_name(item)})
        for name in self.item_categories(item):
            entry.category(term=name, label=name)

    def render(self) -> bytes:
        root, _ = self.generator()._create_atom()
        return self.serialize(root)


# --- JSON Feed 1.1 --------------------------------------------------------------------


class JsonFeedBuilder(FeedBuilder):
    format = "json"
    content_type = "application/feed+json; charset=utf-8"

    def render(self) -> bytes:
        author = self.feed_author()
        feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.feed_title(),
            "home_page_url": self.home_url(),
            "feed_url": self.feed_url(),
            "description": self.feed_description(),
            "language": self.language,
            "authors": [{"name": author["name"], "url": author["uri"]}],
        }
        if hub := self.hub_url():
            feed["hubs"] = [{"type": "WebSub", "url": hub}]
        feed["items"] = [self.item(item) for item in self.items]
        return json.dumps(feed, ensure_ascii=False, indent=1).encode()

    def item(self, item: Item) -> dict:
        data = {
            "id": self.item_id(item),
            "url": self.item_link(item),
            "title": self.item_title(item),
            "content_html": self.item_content_html(item),
            "summary": self.item_summary(item),
            "date_published": self.item_published(item).isoformat(),
            "date_modified": self.item_updated(item).isoformat(),
            "authors": [{"name": self.item_author_name(item)}],
            "language": item.language,
        }
        if tags := self.item_categories(item):
            data["tags"] = tags
        if attachments := self.item_attachments(item):
            data["attachments"] = [
                {
                    "url": a.url,
                    "mime_type": a.mime_type,
                    "title": a.title,
                    "size_in_bytes": a.length,
                }
                for a in attachments
            ]
        return data


# --- iCalendar ------------------------------------------------------------------------


EU_RULE_SINCE = 1996
"""Since 1996 Europe/Berlin changes on the last Sundays of March and October."""


def _last_sunday(year: int, month: int) -> dt.date:
    last = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


def berlin_timezone(first_year: int) -> icalendar.Timezone:
    """Europe/Berlin as a yearly rule from `first_year`, as Outlook and Google write it.

    Readers that ignore RDATE lists (vobject, dateutil's `tzical`) take a zone written
    as explicit transitions for winter time all year; the rule they all read.
    """
    timezone = icalendar.Timezone()
    timezone.add("tzid", "Europe/Berlin")
    for observance, month, hour, offsets, name in (
        (icalendar.TimezoneDaylight, 3, 2, (1, 2), "CEST"),
        (icalendar.TimezoneStandard, 10, 3, (2, 1), "CET"),
    ):
        component = observance()
        start = dt.datetime.combine(_last_sunday(first_year, month), dt.time(hour))
        component.add("dtstart", start)
        component.add("tzoffsetfrom", dt.timedelta(hours=offsets[0]))
        component.add("tzoffsetto", dt.timedelta(hours=offsets[1]))
        component.add("tzname", name)
        component.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        timezone.add_component(component)
    return timezone


class ICalBuilder(FeedBuilder):
    """One VEVENT per occurrence; the items must be events.

    A series is written date by date too (docs/calendar-series.md): each series date
    keeps one UID whatever happens to it, moved dates included, and a cancelled one is
    written with STATUS:CANCELLED under that UID, so calendars that took the date
    learn it is off.
    """

    format = "ics"
    content_type = "text/calendar; charset=utf-8"

    def render(self) -> bytes:
        calendar = icalendar.Calendar()
        calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//Veranstaltungen//DE")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", self.feed_title())
        calendar.add("x-wr-caldesc", self.feed_description())
        calendar.add("x-wr-timezone", "Europe/Berlin")
        dates = []
        for event in self.items:
            if not isinstance(event, EventItem):
                continue  # only events have occurrences
            for occurrence in event.occurrences:
                calendar.add_component(self.vevent(event, occurrence))
                dates += [occurrence.start_date, occurrence.last_date]
            for occurrence in self.cancelled_occurrences(event):
                calendar.add_component(self.cancelled_vevent(event, occurrence))
                dates.append(occurrence.start_date)
        if dates and min(dates).year > EU_RULE_SINCE:
            calendar.add_component(berlin_timezone(min(dates).year - 1))
        elif dates:
            # Only the transitions of the years used, not the zone's whole history.
            calendar.add_missing_timezones(
                first_date=dt.date(min(dates).year, 1, 1),
                last_date=dt.date(max(dates).year + 1, 1, 1),
            )
        ical: bytes = calendar.to_ical()
        return ical

    def occurrence_uid(self, event: EventItem, occurrence: Occurrence) -> str:
        """Globally unique and permanent: primary keys at the id authority's domain;
        a series date by its date in the rule, which a move or a re-expansion keeps."""
        domain = settings.FEED_ID_AUTHORITY.split(",")[0]
        if occurrence.series_date is not None:
            return f"event-{event.id}-series-{occurrence.series_date:%Y%m%d}@{domain}"
        return f"event-{event.id}-occurrence-{occurrence.pk}@{domain}"

    def cancelled_occurrences(self, event: EventItem) -> list[Occurrence]:
        """The cancelled dates of the event's series, as the rule would have had them."""
        rule = event.recurrence
        if rule is None:
            return []
        cancelled = []
        for day in rule.cancelled_dates:
            start_time = rule.start_time or dt.time.min
            start = dt.datetime.combine(day, start_time, BERLIN)
            if rule.start_time is None:
                end = start + dt.timedelta(days=1)
            else:
                end = dt.datetime.combine(day, rule.end_time or start_time, BERLIN)
            occurrence = Occurrence(
                pk=0,
                start_date=day,
                end_date=None,
                start_time=rule.start_time,
                end_time=rule.end_time,
                label="",
                starts_at=start,
                ends_at=max(start, end),
                series_date=day,
            )
            cancelled.append(occurrence)
        return cancelled

    def cancelled_vevent(
        self, event: EventItem, occurrence: Occurrence
    ) -> icalendar.Event:
        vevent = self.vevent(event, occurrence)
        for name in ("summary", "status"):
            vevent.pop(name)
        vevent.add(
            "summary",
            xml_safe(gettext("%(title)s (fällt aus)") % {"title": event.title}),
            parameters=self.text_language(event),
        )
        vevent.add("status", "CANCELLED")
        return vevent

    def occurrence_summary(self, event: EventItem) -> str:
        return xml_safe(f"{event.title} ({event.status_label})")

    def text_language(self, event: EventItem) -> dict[str, str]:
        """iCal `LANGUAGE` of an event's texts in a feed of another language than
        German (a German feed stays as calendars have always read it)."""
        if self.language == settings.LANGUAGE_CODE:
            return {}
        return {"LANGUAGE": event.language}

    def occurrence_description(self, event: EventItem) -> str:
        parts = [gettext("Status: %(status)s") % {"status": event.status_label}]
        if event.teaser:
            parts.append(event.teaser)
        parts.append(self.item_link(event))
        return xml_safe("\n\n".join(parts))

    def vevent(self, event: EventItem, occurrence: Occurrence) -> icalendar.Event:
        vevent = icalendar.Event()
        vevent.add("uid", self.occurrence_uid(event, occurrence))
        vevent.add("dtstamp", self.item_updated(event).astimezone(dt.UTC))
        if occurrence.all_day:
            vevent.add("dtstart", occurrence.start_date)
            vevent.add("dtend", occurrence.last_date + dt.timedelta(days=1))
        else:
            start = occurrence.starts_at.astimezone(BERLIN)
            end = occurrence.ends_at.astimezone(BERLIN)
            vevent.add("dtstart", start)
            if end > start:
                vevent.add("dtend", end)
        language = self.text_language(event)
        vevent.add("summary", self.occurrence_summary(event), parameters=language)
        vevent.add(
            "description", self.occurrence_description(event), parameters=language
        )
        if place := place_text(event):
            vevent.add("location", xml_safe(place), parameters=language)
        venue = event.venue
        # `Venue.clean` sets both coordinates or neither.
        if venue and venue.latitude is not None and venue.longitude is not None:
            vevent.add("geo", (float(venue.latitude), float(venue.longitude)))
        vevent.add("url", self.item_link(event))
        vevent.add("status", event.status_enum.ical)
        vevent.add("sequence", event.schedule_sequence)
        vevent.add("last-modified", self.item_updated(event).astimezone(dt.UTC))
        if event.first_published_at:
            vevent.add("created", event.first_published_at.astimezone(dt.UTC))
        if categories := self.item_categories(event):
            vevent.add("categories", categories)
        return vevent


BUILDERS: dict[str, type[FeedBuilder]] = {
    builder.format: builder
    for builder in (RssBuilder, AtomBuilder, JsonFeedBuilder, ICalBuilder)
}
