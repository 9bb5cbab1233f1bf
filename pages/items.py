"""Listing items as plain rows: what the API lists, the feeds, the embeds and the public
index pages read.

A list of pages loaded as model instances costs more Python than the queries that fetch
it: every `Page` carries some forty columns, modelcluster wraps every relation, and each
related row becomes an instance too (see `python -m bench.profile`). Here a page is one
`values()` row and each relation is one more `values()` query for all pages of the list,
so a list costs the same few queries at any length and a fraction of the time.

Rows quack like the models where shared code reads them (`status_label`, `all_day`,
`address_lines`, `phone_uri` come from the same mixins and functions), relations are
plain lists. Detail views and the public detail pages keep using model instances: they
show one whole page, with its StreamField, inline panels and Wagtail's page serving.
"""

import datetime as dt
import functools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Count,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse

from wagtail.blocks import StreamValue
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page, Site
from wagtail.models.sites import SiteRootPath

from hub import languages

from . import keyset
from . import series as series_rules
from .dates import OccurrenceDays
from .enums import EventStatus, status_label
from .links import absolute, api_url_in
from .media import RENDITIONS, public_documents, restricted_collection
from .models.event import EventCancellation, EventOccurrence, EventRecurrence
from .models.translations import TranslationState
from .queries import all_pages
from .sections import (
    EVENTS,
    NEWSLETTERS,
    PRESS,
    PROGRAMMES,
    SECTIONS,
    Ordering,
    Section,
)
from .snippets import VENUE_TEXTS, City, address_lines, phone_uri, status_wordings
from .snippets import Venue as VenueEntry

PAGE_COLUMNS = (
    "id",
    "title",
    "url_path",
    "first_published_at",
    "last_published_at",
    "teaser",
    "image_id",
    "translation_key",
)
TRANSLATED_PAGE_COLUMNS = ("title", "teaser")
"""Text a translation replaces on every item; facts always come from the German page."""
TRANSLATED_COLUMNS: dict[Section, tuple[str, ...]] = {
    EVENTS: (
        "subtitle",
        "series",
        "postponed_note",
        "audience",
        "participation_note",
        "registration_note",
    ),
    PRESS: (),
    PROGRAMMES: ("period_note",),
    NEWSLETTERS: (),
}
"""Each section's own text columns a translation replaces (its `translatable_fields`)."""
COLUMNS: dict[Section, tuple[str, ...]] = {
    EVENTS: (
        "subtitle",
        "series",
        "status",
        "postponed_note",
        "previous_start_date",
        "online_url",
        "audience",
        "participation_note",
        "registration_required",
        "registration_url",
        "registration_email",
        "registration_deadline",
        "registration_note",
        "schedule_sequence",
        "city_id",
        "city__slug",
        "city__name",
        "venue_id",
        "venue__name",
        "venue__room",
        "venue__street",
        "venue__postcode",
        "venue__town",
        "venue__accessibility",
        "venue__latitude",
        "venue__longitude",
        "venue__city__slug",
        "venue__city__name",
    ),
    PRESS: ("date", "source", "original_url"),
    PROGRAMMES: ("starts_on", "ends_on", "period_note"),
    NEWSLETTERS: ("issue", "date", "pdf_id"),
}

EVERYTHING = frozenset().union(*(section.relations for section in SECTIONS))
"""Every relation any section loads (see `Section.relations`)."""
TAXONOMIES = ("cities", "target_groups", "topics")


@dataclass(slots=True)
class Term:
    slug: str
    name: str


@dataclass(slots=True)
class Occurrence(OccurrenceDays):
    pk: int
    start_date: dt.date
    end_date: dt.date | None
    start_time: dt.time | None
    end_time: dt.time | None
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    series_date: dt.date | None = None
    """The series date this occurrence stands for (None: a date of its own)."""
    moved: bool = False
    """A series date moved to another day or time."""


@dataclass(slots=True)
class Cancellation:
    date: dt.date
    note: str


@dataclass(slots=True)
class Series:
    """A series rule (`EventRecurrence`'s columns) with its cancelled dates."""

    start_date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    frequency: str
    interval: int
    weekday_ordinal: int | None
    until: dt.date | None
    count: int | None
    cancellations: list[Cancellation] = field(default_factory=list)

    @property
    def cancelled_dates(self) -> list[dt.date]:
        return [cancellation.date for cancellation in self.cancellations]


@dataclass(slots=True)
class Contact:
    name: str
    role: str
    phone: str
    email: str

    @property
    def phone_uri(self) -> str:
        return phone_uri(self.phone)


@dataclass(slots=True)
class Venue:
    name: str
    room: str
    street: str
    postcode: str
    town: str
    accessibility: str
    latitude: Decimal | None
    longitude: Decimal | None
    city: Term | None

    @property
    def address_lines(self) -> list[str]:
        return address_lines(self)


@dataclass(slots=True)
class Attachment:
    """An attached document (a `Document` instance, public) or an external link."""

    title: str
    url: str
    role: str
    document: AbstractDocument | None

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return self.document.title if self.document is not None else self.url


@dataclass(eq=False, kw_only=True)
class Item:
    """One listing item: the page's columns as attributes, its relations as lists.

    Each section's own columns are typed fields of its subclass (`EventItem`, …).
    """

    section: Section
    id: int
    title: str
    url: str
    api_url: str
    first_published_at: dt.datetime | None
    last_published_at: dt.datetime | None
    modified_at: dt.datetime | None
    """When anything shown with the item last changed (`pages.changes`)."""
    image_id: int | None
    teaser: str = ""
    path: str = ""
    """The public page's path below its site root (`url` without the host): what
    Wagtail's `pageurl` gives on the hub's own pages."""
    image: AbstractImage | None = None
    body: StreamValue | None = None
    cities: list[Term] = field(default_factory=list)
    target_groups: list[Term] = field(default_factory=list)
    topics: list[Term] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    shown_occurrence: Occurrence | None = None
    """The occurrence a list shows for an event (see `pages.listing`)."""
    translation_key: uuid.UUID | None = None
    language: str = languages.source().tag
    """The language of the text shown: the one asked for, or German (`fallback`)."""
    fallback: bool = False
    """True when another language was asked for and no published translation exists."""
    translation_outdated: bool = False
    """The translation shown has not seen the German page's latest change."""
    translations: dict[str, str] = field(default_factory=dict)
    """Tag -> public path of every published language of the item, German first (only
    when loaded with `translations=True`)."""

    @property
    def pk(self) -> int:
        return self.id

    @property
    def item_type(self) -> str:
        return self.section.item_type


@dataclass(eq=False, kw_only=True)
class EventItem(Item):
    subtitle: str
    series: str
    status: str
    postponed_note: str
    previous_start_date: dt.date | None
    online_url: str
    audience: str
    participation_note: str
    registration_required: bool
    registration_url: str
    registration_email: str
    registration_deadline: dt.date | None
    registration_note: str
    schedule_sequence: int
    city_id: int | None
    venue_id: int | None
    city: Term | None = None
    venue: Venue | None = None
    recurrence: Series | None = None
    """The series rule, for events with a series (with or without dates left)."""
    status_wording: str = ""
    """The status as readers see it in the item's language (`StatusWording`, set by the
    loader); empty: the contract's German label."""

    @property
    def status_enum(self) -> EventStatus:
        return EventStatus(self.status)

    @property
    def status_label(self) -> str:
        return status_label(
            self.status, self.postponed_note, label=self.status_wording or None
        )


@dataclass(eq=False, kw_only=True)
class PressItem(Item):
    date: dt.date
    source: str
    original_url: str


@dataclass(eq=False, kw_only=True)
class ProgrammeItem(Item):
    starts_on: dt.date | None
    ends_on: dt.date | None
    period_note: str


@dataclass(eq=False, kw_only=True)
class NewsletterItem(Item):
    issue: str
    date: dt.date
    pdf_id: int | None
    pdf: AbstractDocument | None = None


ROWS: dict[Section, type[Item]] = {
    EVENTS: EventItem,
    PRESS: PressItem,
    PROGRAMMES: ProgrammeItem,
    NEWSLETTERS: NewsletterItem,
}
"""Each section's row type; its fields are the section's own columns."""


ITEM_MODIFIED_AT = Coalesce("item_state__modified_at", "last_published_at")
"""An item's `modified_at` (`pages.models.ItemState`), its last publication for a page
the bookkeeping has not seen (rows inserted around the ORM)."""

SORT_START = "sort_start"
"""The annotation events are listed by (`ContentQuery.queryset`)."""


@dataclass(frozen=True)
class Slice:
    """One page of a list: its ids, and the count of the whole list."""

    ids: list[tuple[int, int]]  # (page id, content type id), in list order
    count: int
    sort_starts: dict[int, dt.datetime | None] = field(default_factory=dict)
    """Events' `SORT_START` by page id: the start of the first occurrence matching the
    list's filters (what an event list sorts by and shows)."""
    start: int = 0
    """How many entries of the whole list come before this page."""
    keys: list[keyset.Key] = field(default_factory=list)
    """Each entry's sort key (`pages.keyset`), in list order; only from `seek`."""

    @property
    def has_previous(self) -> bool:
        return self.start > 0

    @property
    def has_next(self) -> bool:
        return self.start + len(self.ids) < self.count


def slice_of(queryset: QuerySet, offset: int, limit: int) -> Slice:
    """The ids of `queryset[offset:offset + limit]` and the count, in one query.

    The count comes from a window aggregate over the whole filtered list, so a page
    costs one narrow sorted query instead of a count plus a sort of wide rows; only a
    page past the end needs the plain count. An event list's sort key (`SORT_START`)
    comes along when the queryset has it.
    """
    sort_start = (SORT_START,) if SORT_START in queryset.query.annotations else ()
    rows = list(
        queryset.annotate(list_count=Window(Count("pk"))).values_list(
            "pk", "content_type_id", "list_count", *sort_start
        )[offset : offset + limit]
    )
    if rows:
        return Slice(
            [(row[0], row[1]) for row in rows],
            rows[0][2],
            {row[0]: row[3] for row in rows} if sort_start else {},
            start=offset,
        )
    return Slice([], queryset.order_by().count(), start=offset)


def seek(
    queryset: QuerySet,
    ordering: Ordering,
    key: keyset.Key | None,
    limit: int,
    *,
    backwards: bool = False,
) -> Slice:
    """The `limit` entries after `key` in `ordering` (before it: `backwards`), with the
    count of the whole list and their place in it, in one query like `slice_of`.

    `queryset` is filtered, not yet ordered by `ordering`; `key` None is the start of
    the list (its end: `backwards`). Entries that left the list since `key` was read
    shift nothing: the page starts right beyond `key`, wherever that is now.
    """
    *sort_fields, last = (name.lstrip("-") for name in ordering)
    if last != "pk":
        raise ValueError(f"an ordering ending in pk, not {ordering}")
    # Each sort field as an alias of its comparable form (`keyset.comparable`).
    aliases = [f"list_key_{n}" for n in range(len(sort_fields))]
    keys = (
        *(
            f"-{alias}" if name.startswith("-") else alias
            for name, alias in zip(ordering, aliases, strict=False)
        ),
        ordering[-1],
    )
    columns = ("pk", "content_type_id", "list_count", "list_position", *aliases)
    if SORT_START in queryset.query.annotations and SORT_START not in sort_fields:
        columns += (SORT_START,)
    listed = queryset.annotate(
        **{
            alias: keyset.comparable(queryset, name)
            for alias, name in zip(aliases, sort_fields, strict=True)
        }
    ).annotate(
        list_count=Window(Count("pk")),
        list_position=Window(RowNumber(), order_by=keyset.order_by(keys)),
    )
    if key is not None:
        seek_in = keyset.reverse(keys) if backwards else keys
        # Compared with the window's value, the condition is applied to the whole
        # list's rows (Django's QUALIFY): count and positions stay the whole list's.
        listed = listed.filter(keyset.beyond(seek_in, key) | Q(list_count__lt=0))
    order = keyset.reverse(keys) if backwards else keys
    rows = list(listed.order_by(*keyset.order_by(order)).values_list(*columns)[:limit])
    if backwards:
        rows.reverse()
    if not rows:
        count = queryset.order_by().count()
        return Slice([], count, start=0 if backwards else count)
    starts = (
        4 + sort_fields.index(SORT_START)
        if SORT_START in sort_fields
        else columns.index(SORT_START)
        if SORT_START in columns
        else None
    )
    return Slice(
        [(row[0], row[1]) for row in rows],
        rows[0][2],
        {row[0]: row[starts] for row in rows} if starts is not None else {},
        start=rows[0][3] - 1,
        keys=[(*row[4 : 4 + len(sort_fields)], row[0]) for row in rows],
    )


def load(
    queryset: QuerySet,
    relations: Iterable[str] = EVERYTHING,
    *,
    body: bool = False,
    language: str | None = None,
    translations: bool = False,
) -> list[Item]:
    """The rows of `queryset` (filtered, ordered, sliced) with the asked-for relations."""
    return load_ids(
        list(queryset.values_list("pk", "content_type_id")),
        relations,
        body=body,
        language=language,
        translations=translations,
    )


def load_ids(
    ids: Sequence[tuple[int, int]],
    relations: Iterable[str] = EVERYTHING,
    *,
    body: bool = False,
    language: str | None = None,
    translations: bool = False,
) -> list[Item]:
    """Items by (page id, content type id), in that order, with the asked-for relations.

    `ids` are German pages, the items every list filters, orders and pages through, so
    a list is the same in every language. With another `language` (a canonical tag of
    `hub.languages`) each item's text comes from its published translation, or stays
    German with `fallback` set; its facts (status, dates, places, terms) stay the German
    page's. `translations` fills each item's published languages.

    Relations a section does not have are skipped; one query per section on the page,
    plus one per relation, plus one per section for another language's text and one
    for `translations`, whatever the length of the list.
    """
    wanted = frozenset(relations)
    order = {pk: position for position, (pk, _) in enumerate(ids)}
    present = {content_type for _, content_type in ids}
    roots = Site.get_site_root_paths()
    source = languages.source().tag
    language = language or source
    items: list[Item] = []
    for section in SECTIONS:
        model = section.page_model
        if ContentType.objects.get_for_model(model).pk in present:
            matching = model.objects.filter(pk__in=order)
            loaded = _load_section(
                section, matching, wanted, body=body, roots=roots, language=language
            )
            if language != source:
                _translate(section, loaded, language, roots, body=body)
            if section is EVENTS:
                _word_statuses(loaded, language)
            items += loaded
    if translations:
        attach_translations(items, roots)
    return sorted(items, key=lambda item: order[item.id])


def _translate(
    section: Section,
    items: list[Item],
    language: str,
    roots: list[SiteRootPath],
    *,
    body: bool,
) -> None:
    """Replace the text of `items` by their published translations into `language`,
    in one query; items without one keep German and are marked `fallback`."""
    by_key = {item.translation_key: item for item in items}
    columns = (
        TRANSLATED_PAGE_COLUMNS
        + TRANSLATED_COLUMNS[section]
        + (("body",) if body else ())
    )
    rows = (
        section.page_model.objects.filter(
            translation_key__in=by_key, locale__language_code=language
        )
        .visible()
        .values(
            "translation_key",
            "url_path",
            *columns,
            modified_at=ITEM_MODIFIED_AT,
            outdated=Exists(
                TranslationState.objects.filter(
                    page__translation_key=OuterRef("translation_key"),
                    locale_id=OuterRef("locale_id"),
                    outdated=True,
                )
            ),
        )
    )
    translated = set()
    for row in rows:
        item = by_key[row.pop("translation_key")]
        item.path = page_path(row.pop("url_path"), roots, language)
        item.url = absolute(item.path)
        item.translation_outdated = row.pop("outdated")
        modified_at = row.pop("modified_at")
        if modified_at and (item.modified_at is None or modified_at > item.modified_at):
            item.modified_at = modified_at
        for name, value in row.items():
            setattr(item, name, value)
        item.language = language
        translated.add(item.id)
    for item in items:
        item.api_url = api_url_in(item.api_url, language)
        item.fallback = item.id not in translated


def _word_statuses(items: list[Item], language: str) -> None:
    """Each event's status as the office words it, in the language of the item's text
    (German for a fallback): one read of the shared cache for the whole list."""
    german = status_wordings(languages.source().tag)
    local = status_wordings(language)
    for item in items:
        if isinstance(item, EventItem):
            item.status_wording = (german if item.fallback else local)[item.status]


def attach_translations(items: list[Item], roots: list[SiteRootPath]) -> None:
    """Every published language of each item (German included) with its public path,
    in one query over all sections."""
    by_key = {item.translation_key: item for item in items if item.translation_key}
    if not by_key:
        return
    rows = (
        all_pages()
        .filter(translation_key__in=by_key)
        .visible()
        .values_list("translation_key", "locale__language_code", "url_path")
    )
    found: dict[uuid.UUID, dict[str, str]] = {}
    for key, language, url_path in rows:
        found.setdefault(key, {})[language] = page_path(url_path, roots, language)
    position = {
        language.tag: n for n, language in enumerate(languages.DEFAULT_LANGUAGES)
    }
    for key, item in by_key.items():
        paths = found.get(key, {})
        item.translations = {
            tag: paths[tag]
            for tag in sorted(paths, key=lambda tag: (position.get(tag, 99), tag))
        }


def _load_section(
    section: Section,
    queryset: QuerySet,
    relations: frozenset[str],
    *,
    body: bool,
    roots: list[SiteRootPath],
    language: str,
) -> list[Item]:
    columns = PAGE_COLUMNS + COLUMNS[section] + (("body",) if body else ())
    extra: dict[str, Any] = {}
    if section is EVENTS and "occurrences" in relations:
        extra["has_series"] = Exists(
            EventRecurrence.objects.filter(page=OuterRef("pk"))
        )
    if section is EVENTS and language != languages.source().tag:
        extra |= _event_entries_in(language)
    rows = list(queryset.values(*columns, modified_at=ITEM_MODIFIED_AT, **extra))
    for row in rows:
        for alias, (_, relation, column) in EVENT_ENTRY_TEXTS.items():
            if translated := row.pop(alias, None):
                row[f"{relation}__{column}"] = translated
    series_ids = {row["id"] for row in rows if row.pop("has_series", False)}
    items = [_item(section, row, roots) for row in rows]
    if not items:
        return items
    ids = [item.id for item in items]
    relations = relations & section.relations
    by_id = {item.id: item for item in items}
    if taxonomies := [n for n in TAXONOMIES if n in relations]:
        for page_id, name, term in _terms(
            section.page_model, taxonomies, ids, language
        ):
            getattr(by_id[page_id], name).append(term)
    if section is EVENTS:
        for item in items:
            if isinstance(item, EventItem):
                item.cities = [item.city] if item.city else []
        if "occurrences" in relations:
            for page_id, occurrence in _occurrences(ids):
                by_id[page_id].occurrences.append(occurrence)
            _attach_series(items, series_ids)
    if "contacts" in relations:
        for page_id, contact in _contacts(_inline_model(section, "contacts"), ids):
            by_id[page_id].contacts.append(contact)
    if "attachments" in relations:
        for page_id, attachment in _attachments(
            _inline_model(section, "attachments"), ids
        ):
            by_id[page_id].attachments.append(attachment)
    if "pdf" in relations:
        _attach_pdfs(items)
    if "image" in relations:
        _attach_images(items)
    return items


def _inline_model(section: Section, relation: str):
    """The model of a page's inline children (`contacts`, `attachments`)."""
    return getattr(section.page_model, relation).rel.related_model


def _item(section: Section, row: dict[str, Any], roots: list[SiteRootPath]) -> Item:
    pk = row.pop("id")
    path = page_path(row.pop("url_path"), roots, languages.source().tag)
    related: dict[str, Any] = (
        {"city": _term(row, "city"), "venue": _venue(row)} if section is EVENTS else {}
    )
    return ROWS[section](
        section=section,
        id=pk,
        title=row.pop("title"),
        url=absolute(path),
        api_url=api_url(section, pk),
        path=path,
        first_published_at=row.pop("first_published_at"),
        last_published_at=row.pop("last_published_at"),
        modified_at=row.pop("modified_at"),
        teaser=row.pop("teaser"),
        body=row.pop("body", None),
        **related,
        **row,
    )


def _term(row: dict, prefix: str) -> Term | None:
    slug = row.pop(f"{prefix}__slug")
    name = row.pop(f"{prefix}__name")
    return Term(slug, name) if slug is not None else None


def _venue(row: dict) -> Venue | None:
    values = {
        name: row.pop(f"venue__{name}")
        for name in (
            "name",
            "room",
            "street",
            "postcode",
            "town",
            "accessibility",
            "latitude",
            "longitude",
        )
    }
    city = _term(row, "venue__city")
    if row["venue_id"] is None:
        return None
    return Venue(**values, city=city)


def _in_language(model: type[Model], key: str, column: str, language: str) -> Subquery:
    """`column` of the `language` translation of the entry whose translation key is
    the outer row's `key`: a subquery in the list's own query, no query of its own."""
    return Subquery(
        model._default_manager.filter(
            translation_key=OuterRef(key), locale__language_code=language
        ).values(column)[:1]
    )


EVENT_ENTRY_TEXTS = {
    "l10n_city_name": (City, "city", "name"),
    "l10n_venue_city_name": (City, "venue__city", "name"),
    **{f"l10n_venue_{column}": (VenueEntry, "venue", column) for column in VENUE_TEXTS},
}
"""Alias → (model, relation, column): the texts of an event's city and venue that a
translation replaces (a venue's name and address stay German: they are what people
find on the door)."""


def _event_entries_in(language: str) -> dict[str, Subquery]:
    return {
        alias: _in_language(model, f"{relation}__translation_key", column, language)
        for alias, (model, relation, column) in EVENT_ENTRY_TEXTS.items()
    }


def _terms(
    model: type[Page], names: list[str], ids: list[int], language: str
) -> list[tuple[int, str, Term]]:
    """Terms of every taxonomy in `names`, in one query (a UNION of the link tables),
    named in `language` where the term is translated."""
    parts = []
    source = language == languages.source().tag
    for position, name in enumerate(names):
        relation = model._meta.get_field(name)
        page_column = relation.m2m_column_name()
        term = relation.m2m_reverse_field_name()
        links = relation.remote_field.through.objects.filter(
            **{f"{page_column}__in": ids}
        ).annotate(
            translated_name=Value(None, output_field=CharField())
            if source
            else _in_language(
                relation.remote_field.model,
                f"{term}__translation_key",
                "name",
                language,
            )
        )
        parts.append(
            links.values_list(
                page_column,
                f"{term}__sort_order",
                f"{term}__name",
                f"{term}__slug",
                Value(position),
                "translated_name",
            )
        )
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    # Each taxonomy in its editors' order (sort order, then the German name).
    return [
        (page_id, names[position], Term(slug, translated or name))
        for page_id, _, name, slug, position, translated in sorted(
            rows, key=lambda row: (row[4], row[1], row[2])
        )
    ]


def _occurrences(ids: list[int]) -> list[tuple[int, Occurrence]]:
    rows = (
        EventOccurrence.objects.filter(page_id__in=ids)
        .order_by("starts_at", "pk")
        .values_list(
            "page_id",
            "pk",
            "start_date",
            "end_date",
            "start_time",
            "end_time",
            "label",
            "starts_at",
            "ends_at",
            "series_date",
        )
    )
    return [(row[0], Occurrence(*row[1:])) for row in rows]


def _attach_series(items: Sequence[Item], ids: set[int]) -> None:
    """Series rules and cancellations of the events `ids` that have a series (also
    when every date of it is cancelled): two queries, none for a list without series."""
    if not ids:
        return
    by_id = {item.id: item for item in items if isinstance(item, EventItem)}
    rules = EventRecurrence.objects.filter(page_id__in=ids).values(
        "page_id",
        "start_date",
        "start_time",
        "end_time",
        "frequency",
        "interval",
        "weekday_ordinal",
        "until",
        "count",
    )
    for row in rules:
        by_id[row["page_id"]].recurrence = Series(
            start_date=row["start_date"],
            start_time=row["start_time"],
            end_time=row["end_time"],
            frequency=row["frequency"],
            interval=row["interval"],
            weekday_ordinal=row["weekday_ordinal"],
            until=row["until"],
            count=row["count"],
        )
    cancellations = (
        EventCancellation.objects.filter(page_id__in=ids)
        .order_by("date", "pk")
        .values_list("page_id", "date", "note")
    )
    for page_id, day, note in cancellations:
        if (rule := by_id[page_id].recurrence) is not None:
            rule.cancellations.append(Cancellation(day, note))
    for item in by_id.values():
        for occurrence in item.occurrences:
            occurrence.moved = series_rules.is_moved(occurrence, item.recurrence)


def _contacts(model, ids: list[int]) -> list[tuple[int, Contact]]:
    rows = (
        model.objects.filter(page_id__in=ids)
        .order_by("sort_order", "pk")
        .values_list(
            "page_id",
            "contact__name",
            "contact__role",
            "contact__phone",
            "contact__email",
        )
    )
    return [(row[0], Contact(*row[1:])) for row in rows]


def _attachments(model, ids: list[int]) -> list[tuple[int, Attachment]]:
    """External links and documents outside private collections, in editor order."""
    rows = (
        model.objects.filter(page_id__in=ids)
        .annotate(private=restricted_collection("document__collection"))
        .order_by("sort_order", "pk")
        .values_list(
            "page_id",
            "title",
            "url",
            "role",
            "document_id",
            "private",
            "document__title",
            "document__file",
            "document__file_size",
            "document__collection_id",
        )
    )
    document_model = get_document_model()
    attachments = []
    for page_id, title, url, role, document_id, private, *document in rows:
        if document_id is None:
            attachments.append((page_id, Attachment(title, url, role, None)))
        elif not private:
            document_title, file, file_size, collection_id = document
            instance = document_model(
                id=document_id,
                title=document_title,
                file=file,
                file_size=file_size,
                collection_id=collection_id,
            )
            attachments.append((page_id, Attachment(title, url, role, instance)))
    return attachments


def _attach_pdfs(items: Sequence[Item]) -> None:
    issues = [item for item in items if isinstance(item, NewsletterItem)]
    ids = {item.pdf_id for item in issues if item.pdf_id}
    if not ids:
        return
    documents = {
        document.pk: document for document in public_documents().filter(pk__in=ids)
    }
    for item in issues:
        item.pdf = documents.get(item.pdf_id)


def _attach_images(items: Sequence[Item]) -> None:
    """Images outside private collections, with the API's renditions prefetched."""
    ids = {item.image_id for item in items if item.image_id}
    if not ids:
        return
    images = (
        get_image_model()
        .objects.filter(pk__in=ids)
        .exclude(restricted_collection())
        .prefetch_related(_renditions(RENDITIONS.values()))
    )
    by_id = {image.pk: image for image in images}
    for item in items:
        item.image = by_id.get(item.image_id)


def _renditions(specs: Iterable[str]) -> Prefetch:
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch(
        "renditions",
        queryset=rendition_model.objects.filter(filter_spec__in=list(specs)),
    )


# --- URLs without a model instance ----------------------------------------------------


def page_url(url_path: str, roots: list[SiteRootPath], language: str) -> str:
    """`links.public_url` for a row: the path below its site's root, made absolute."""
    return absolute(page_path(url_path, roots, language))


def page_path(url_path: str, roots: list[SiteRootPath], language: str) -> str:
    """The public path of a page in `language` (its locale), from its `url_path`.

    `roots` are the sites' root pages in every language, most specific first
    (`Site.get_site_root_paths`); a language's tree may share the German root's slug,
    so the root is the one of the page's language. Pages in another language than
    German are served under the language's tag (`/ar/…`, hub/urls.py).
    """
    prefix = "" if language == languages.source().tag else f"/{language}"
    for root in roots:
        if root.language_code == language and url_path.startswith(root.root_path):
            return f"{prefix}/{url_path[len(root.root_path) :]}"
    return url_path


_PLACEHOLDER = "987654321"


@functools.cache
def _api_path(section: Section) -> tuple[str, str]:
    before, _, after = reverse(section.api_detail_route, args=[_PLACEHOLDER]).partition(
        _PLACEHOLDER
    )
    return before, after


def api_url(section: Section, pk: int) -> str:
    """This item's API detail URL (the route is resolved once per section, not per item)."""
    before, after = _api_path(section)
    return absolute(f"{before}{pk}{after}")
