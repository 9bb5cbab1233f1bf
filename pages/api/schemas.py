"""Every shape of /api/v1/, declared once: the same classes build the JSON and the OpenAPI
document (`pages.api.openapi`).

Each shape is a msgspec `Struct` built from the list loader's rows (`pages.items.Item`)
by `from_row`; detail views load their one item as a row too. Structs are not validated
when built (that is where the speed comes from): tests decode real responses strictly
with these classes and validate them against the document instead.
"""

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, Union
from zoneinfo import ZoneInfo

from django.conf import settings

import msgspec
from msgspec import Meta

from pages import items, sections
from pages import series as series_rules
from pages.api.blocks import Block, body_of
from pages.api.media import (
    URI,
    File,
    Image,
    Schema,
    document_mime_type,
    document_size,
    image_or_none,
)
from pages.enums import DocumentRole, EventStatus
from pages.links import absolute, api_url_in
from pages.sections import Section

Slug = Annotated[
    str,
    Meta(
        description="Stable lowercase ASCII slug used in filters.",
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    ),
]
DateTime = Annotated[
    dt.datetime, Meta(description="ISO 8601 with offset (Europe/Berlin).")
]
if TYPE_CHECKING:
    # Literals built from the registries at run time; a type checker sees their base.
    ItemType = str
    DocumentRoleValue = str
else:
    ItemType = Literal[tuple(section.item_type for section in sections.SECTIONS)]
    DocumentRoleValue = Annotated[
        Literal[tuple(DocumentRole.values)],
        Meta(
            description="What the document is for; German labels: "
            + ", ".join(f"`{role.value}` „{role.label}“" for role in DocumentRole)
            + "."
        ),
    ]


@functools.cache
def _site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local(value: dt.datetime) -> dt.datetime:
    """An aware datetime in the site's zone, so it is written with its local offset."""
    return value.astimezone(_site_zone())


def published(value: dt.datetime | None) -> dt.datetime:
    """A publication date of a visible item (set by its first publication), local."""
    if value is None:
        raise ValueError("a visible item has been published")
    return local(value)


Row = TypeVar("Row", bound=items.Item)


def _row(item: items.Item, kind: type[Row]) -> Row:
    """`item` as its section's row type: a section's shape reads only its own rows."""
    if not isinstance(item, kind):
        raise TypeError(f"{kind.__name__} expected, got {type(item).__name__}")
    return item


# --- Shared parts ---------------------------------------------------------------------


class Term(Schema):
    """A taxonomy term (city, target group or topic)."""

    slug: Slug
    name: Annotated[
        str,
        Meta(description="Display name in the asked-for `lang` (German by default)."),
    ]


def terms(rows: list[items.Term]) -> list[Term]:
    return [Term(slug=term.slug, name=term.name) for term in rows]


def term_or_none(term: items.Term | None) -> Term | None:
    return Term(slug=term.slug, name=term.name) if term is not None else None


class Document(Schema):
    """A document (or external link) attached to an item."""

    title: str
    url: Annotated[URI, Meta(description="Absolute download URL, or the link.")]
    role: DocumentRoleValue
    role_label: Annotated[str, Meta(description="German label of `role`.")]
    size: Annotated[
        int | None, Meta(description="Size in bytes; null for external links.")
    ]
    mime_type: Annotated[
        str | None, Meta(description="MIME type; null for external links.")
    ]

    @classmethod
    def of(cls, attachment: items.Attachment) -> "Document":
        document = attachment.document
        if document is None:
            return cls(
                title=attachment.display_title,
                url=attachment.url,
                role=attachment.role,
                role_label=str(DocumentRole(attachment.role).label),
                size=None,
                mime_type=None,
            )
        return cls(
            title=attachment.display_title,
            url=absolute(document.url),
            role=attachment.role,
            role_label=str(DocumentRole(attachment.role).label),
            size=document_size(document),
            mime_type=document_mime_type(document),
        )


class Contact(Schema):
    name: str
    role: Annotated[str, Meta(description="Function, e.g. „Koordination KIM“.")]
    phone: Annotated[str, Meta(description="As written, e.g. „02336 93-2080“.")]
    phone_uri: Annotated[str, Meta(description="`tel:` URI in international form.")]
    email: str

    @classmethod
    def of(cls, contact: items.Contact) -> "Contact":
        return cls(
            name=contact.name,
            role=contact.role,
            phone=contact.phone,
            phone_uri=contact.phone_uri,
            email=contact.email,
        )


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


class Venue(Schema):
    name: str
    room: str
    street: str
    postcode: str
    town: str
    city: Annotated[Term | None, Meta(description="Municipality of the district.")]
    accessibility: str
    latitude: float | None
    longitude: float | None

    @classmethod
    def of(cls, venue: items.Venue | None) -> "Venue | None":
        if venue is None:
            return None
        return cls(
            name=venue.name,
            room=venue.room,
            street=venue.street,
            postcode=venue.postcode,
            town=venue.town,
            city=term_or_none(venue.city),
            accessibility=venue.accessibility,
            latitude=_float(venue.latitude),
            longitude=_float(venue.longitude),
        )


class Occurrence(Schema):
    start: DateTime
    end: Annotated[
        dt.datetime,
        Meta(
            description="ISO 8601 with offset; for all-day occurrences the exclusive "
            "end (midnight after the last day)."
        ),
    ]
    all_day: bool
    start_date: Annotated[dt.date, Meta(description="First day (local date).")]
    end_date: Annotated[dt.date, Meta(description="Last day, inclusive (local date).")]
    label: Annotated[
        str,
        Meta(
            description="Replaces the date display when set, e.g. „Sommerferien 2020“."
        ),
    ]
    series_date: Annotated[
        dt.date | None,
        Meta(
            description="For a date of the event's series (`recurrence`): the rule's "
            "date it stands for, also when it was moved (the RECURRENCE-ID of "
            "RFC 5545). Null for a date entered on its own."
        ),
    ]
    moved: Annotated[
        bool,
        Meta(
            description="A series date moved to another day or time: `start` differs "
            "from what the rule gives for `series_date`."
        ),
    ]

    @classmethod
    def of(cls, occurrence: items.Occurrence) -> "Occurrence":
        return cls(
            start=local(occurrence.starts_at),
            end=local(occurrence.ends_at),
            all_day=occurrence.all_day,
            start_date=occurrence.start_date,
            end_date=occurrence.last_date,
            label=occurrence.label,
            series_date=occurrence.series_date,
            moved=occurrence.moved,
        )


class Recurrence(Schema):
    """The rule of a recurring series. Its dates are in `occurrences` already
    (cancelled ones left out), so a client needs not expand it."""

    rrule: Annotated[
        str,
        Meta(
            description="The rule as an RFC 5545 RRULE value for a DTSTART in "
            "local time (Europe/Berlin), e.g. "
            "`FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270630T215959Z` "
            "or `FREQ=MONTHLY;BYDAY=2TU;COUNT=10`; its first date is the first "
            "`series_date`. `UNTIL` is the end of the last day in UTC for a series "
            "with times, a date for an all-day series."
        ),
    ]
    text: Annotated[
        str,
        Meta(
            description="The rule in German, e.g. „alle zwei Wochen dienstags, bis "
            "30.06.2027“, „jeden 2. Dienstag im Monat“; with a number of dates it "
            "says how many of them are cancelled: „jeden Donnerstag, 8 Termine, "
            "davon fallen 2 aus“."
        ),
    ]
    cancelled_dates: Annotated[
        list[dt.date],
        Meta(description="Dates of the rule that do not take place, ascending."),
    ]
    horizon: Annotated[
        dt.date | None,
        Meta(
            description="For a series without end: the occurrences are listed up "
            "to this day (a year ahead, extended daily). Null for a series with an "
            "end date or a number of dates."
        ),
    ]

    @classmethod
    def of(cls, rule: items.Series | None) -> "Recurrence | None":
        if rule is None:
            return None
        horizon = series_rules.horizon(rule, series_rules.today())
        return cls(
            rrule=series_rules.rfc5545(rule),
            text=series_rules.describe(rule, cancelled=len(rule.cancelled_dates)),
            cancelled_dates=rule.cancelled_dates,
            horizon=horizon,
        )


class Registration(Schema):
    required: bool
    url: Annotated[str, Meta(description="Registration link, or empty.")]
    email: Annotated[str, Meta(description="Registration e-mail address, or empty.")]
    deadline: dt.date | None
    note: str


class Period(Schema):
    starts_on: dt.date | None
    ends_on: dt.date | None
    note: Annotated[str, Meta(description="e.g. „Start 2020, voraussichtlich bis …“")]


def _status_shape(status: EventStatus) -> type[msgspec.Struct]:
    """One shape per status value, told by `value`; its schema.org URL is fixed."""
    return msgspec.defstruct(
        "Status" + status.value.title().replace("_", ""),
        [
            (
                "label",
                Annotated[
                    str,
                    Meta(
                        description=f"„{status.label}“ in German (the contract's "
                        "label); in another `language`, the office's wording of it.",
                        examples=[status.label],
                    ),
                ],
            ),
            ("schema_org", Literal[status.schema_org]),
        ],
        bases=(Schema,),
        tag_field="value",
        tag=status.value,
    )


STATUS_SHAPES = {status.value: _status_shape(status) for status in EventStatus}
if TYPE_CHECKING:
    Status = msgspec.Struct
else:
    Status = Union[tuple(STATUS_SHAPES.values())]  # noqa: UP007 (a runtime tuple)
STATUSES = {
    value: shape(
        label=EventStatus(value).label, schema_org=EventStatus(value).schema_org
    )
    for value, shape in STATUS_SHAPES.items()
}
"""Status value → its (immutable) representation, built once."""


# --- Languages --------------------------------------------------------------------------

LanguageTag = Annotated[
    str,
    Meta(
        description="BCP 47 tag of a language the hub offers (`/api/v1/languages/`); "
        "Leichte Sprache is `de-x-ls`.",
        examples=["de", "de-x-ls", "ar"],
    ),
]


class Language(Schema):
    """A language the hub offers its content in."""

    code: LanguageTag
    name: Annotated[str, Meta(description="In the language itself: „العربية“.")]
    name_de: Annotated[str, Meta(description="In German: „Arabisch“.")]
    dir: Annotated[
        Literal["ltr", "rtl"], Meta(description="Text direction: `dir` in HTML.")
    ]
    is_source: Annotated[
        bool, Meta(description="German: the language every item is written in first.")
    ]


class LanguageList(Schema):
    count: int
    results: list[Language]


def translation_links(item: items.Item) -> dict[str, str]:
    """Tag -> this item in the API in that language, German first."""
    return {tag: api_url_in(item.api_url, tag) for tag in item.translations}


# --- Items ------------------------------------------------------------------------------


class Item(Schema):
    """What every item has, in lists and in detail."""

    id: int
    type: ItemType
    title: str
    url: Annotated[URI, Meta(description="Canonical public page.")]
    api_url: Annotated[URI, Meta(description="This item in the API.")]
    first_published_at: DateTime
    last_published_at: DateTime
    modified_at: Annotated[
        dt.datetime,
        Meta(
            description="When anything shown with the item last changed: its own "
            "publication, and edits of its venue, contacts, documents, images and "
            "taxonomy terms, its URL or its visibility. ISO 8601 with offset "
            "(Europe/Berlin); what `updated_since` and `ordering=updated` read."
        ),
    ]
    teaser: str
    language: Annotated[
        LanguageTag,
        Meta(
            description="The language of the item's text: the `lang` asked for, or "
            "`de` when `fallback` is true."
        ),
    ]
    fallback: Annotated[
        bool,
        Meta(
            description="True when `lang` asked for a language the item is not "
            "published in: its text is German (`language` says so)."
        ),
    ]
    translation_outdated: Annotated[
        bool,
        Meta(
            description="True when the German text changed after this translation "
            "was made; the translation is still the latest one."
        ),
    ]
    translations: Annotated[
        dict[str, URI],
        Meta(
            description="Every language the item is published in (tag, German "
            "first) → this item in the API in that language, whose `url` is the "
            "public page in it. Facts (dates, status, places, terms) are the same "
            "in every language.",
            examples=[
                {
                    "de": "https://hub.example/api/v1/events/42/",
                    "ar": "https://hub.example/api/v1/events/42/?lang=ar",
                }
            ],
        ),
    ]

    @classmethod
    def from_row(cls, item: items.Item) -> "Item":
        return cls(**cls.fields(item))

    @classmethod
    def fields(cls, item: items.Item) -> dict[str, Any]:
        return {
            "id": item.id,
            "type": item.section.item_type,
            "title": item.title,
            "url": item.url,
            "api_url": item.api_url,
            "first_published_at": published(item.first_published_at),
            "last_published_at": published(item.last_published_at),
            "modified_at": published(item.modified_at),
            "teaser": item.teaser,
            "language": item.language,
            "fallback": item.fallback,
            "translation_outdated": item.translation_outdated,
            "translations": translation_links(item),
        }


class Content(Item):
    """Fields shared by the four section endpoints."""

    image: Image | None
    cities: list[Term]
    target_groups: list[Term]
    topics: list[Term]

    @classmethod
    def fields(cls, item: items.Item) -> dict[str, Any]:
        return {
            **super().fields(item),
            "image": image_or_none(item.image),
            "cities": terms(item.cities),
            "target_groups": terms(item.target_groups),
            "topics": terms(item.topics),
        }


class Event(Content):
    """An event with every occurrence, as listed."""

    type: Literal["event"]
    subtitle: str
    series: str
    occurrences: list[Occurrence]
    recurrence: Annotated[
        Recurrence | None,
        Meta(description="The series rule, or null for dates entered one by one."),
    ]
    status: Status
    postponed_note: Annotated[
        str, Meta(description="For `postponed`: when to, e.g. „auf 2021“.")
    ]
    previous_start_date: Annotated[
        dt.date | None, Meta(description="For `rescheduled`: the original date.")
    ]
    online_url: str
    venue: Venue | None
    city: Annotated[Term | None, Meta(description="Where it takes place.")]
    audience: Annotated[str, Meta(description="Audience as worded by the editors.")]
    participation_note: str
    registration: Registration
    contacts: list[Contact]
    documents: list[Document]

    @classmethod
    def fields(cls, item: items.Item) -> dict[str, Any]:
        event = _row(item, items.EventItem)
        return {
            **super().fields(item),
            "subtitle": event.subtitle,
            "series": event.series,
            "occurrences": [Occurrence.of(o) for o in item.occurrences],
            "recurrence": Recurrence.of(event.recurrence),
            "status": STATUS_SHAPES[event.status](
                label=event.status_wording,
                schema_org=EventStatus(event.status).schema_org,
            )
            if event.status_wording
            else STATUSES[event.status],
            "postponed_note": event.postponed_note,
            "previous_start_date": event.previous_start_date,
            "online_url": event.online_url,
            "venue": Venue.of(event.venue),
            "city": term_or_none(event.city),
            "audience": event.audience,
            "participation_note": event.participation_note,
            "registration": Registration(
                required=event.registration_required,
                url=event.registration_url,
                email=event.registration_email,
                deadline=event.registration_deadline,
                note=event.registration_note,
            ),
            "contacts": [Contact.of(contact) for contact in item.contacts],
            "documents": [Document.of(a) for a in item.attachments],
        }


class Press(Content):
    """A press release, as listed."""

    type: Literal["press"]
    date: dt.date
    source: str
    original_url: Annotated[str, Meta(description="The original release, or empty.")]

    @classmethod
    def fields(cls, item: items.Item) -> dict[str, Any]:
        release = _row(item, items.PressItem)
        return {
            **super().fields(item),
            "date": release.date,
            "source": release.source,
            "original_url": release.original_url,
        }


class Programme(Content):
    """A programme or project, as listed."""

    type: Literal["programme"]
    period: Period
    contacts: list[Contact]
    documents: list[Document]

    @classmethod
    def fields(cls, item: items.Item) -> dict[str, Any]:
        programme = _row(item, items.ProgrammeItem)
        return {
            **super().fields(item),
            "period": Period(
                starts_on=programme.starts_on,
                ends_on=programme.ends_on,
                note=programme.period_note,
            ),
            "contacts": [Contact.of(contact) for contact in item.contacts],
            "documents": [Document.of(a) for a in item.attachments],
        }


class Newsletter(Content):
    """A newsletter issue, as listed."""

    type: Literal["newsletter"]
    issue: Annotated[str, Meta(description="e.g. „1/2021“.")]
    date: dt.date
    summary: str
    pdf: File | None

    @classmethod
    def fields(cls, item: items.Item) -> dict[str, Any]:
        issue = _row(item, items.NewsletterItem)
        return {
            **super().fields(item),
            "issue": issue.issue,
            "date": issue.date,
            "summary": item.teaser,
            "pdf": File.of(issue.pdf) if issue.pdf is not None else None,
        }


Body = Annotated[
    str, Meta(description="Sanitized HTML; every link and image source is absolute.")
]


def _with_body(cls: type[Content], item: items.Item) -> dict[str, Any]:
    html, blocks = body_of(item.body)
    return {**super(cls, cls).fields(item), "body": html, "blocks": blocks}


class EventDetail(Event):
    """An event with its body."""

    body: Body
    blocks: list[Block]
    fields = classmethod(_with_body)


class PressDetail(Press):
    """A press release with its body."""

    body: Body
    blocks: list[Block]
    fields = classmethod(_with_body)


class ProgrammeDetail(Programme):
    """A programme with its body."""

    body: Body
    blocks: list[Block]
    fields = classmethod(_with_body)


class NewsletterDetail(Newsletter):
    """A newsletter issue with its body."""

    body: Body
    blocks: list[Block]
    fields = classmethod(_with_body)


# --- Lists ------------------------------------------------------------------------------

Count = Annotated[int, Meta(ge=0, description="All matching results.")]
PageLink = Annotated[
    URI | None,
    Meta(
        description="The next or previous page, with the same filters; it carries "
        "`cursor` when the request did, else `offset`."
    ),
]


class ItemList(Schema):
    count: Count
    next: PageLink
    previous: PageLink
    results: list[Item]


class EventList(Schema):
    count: Count
    next: PageLink
    previous: PageLink
    results: list[Event]


class PressList(Schema):
    count: Count
    next: PageLink
    previous: PageLink
    results: list[Press]


class ProgrammeList(Schema):
    count: Count
    next: PageLink
    previous: PageLink
    results: list[Programme]


class NewsletterList(Schema):
    count: Count
    next: PageLink
    previous: PageLink
    results: list[Newsletter]


class TermList(Schema):
    """Every term of a taxonomy, in the editors' order (never paginated)."""

    count: Count
    next: None
    previous: None
    results: list[Term]


class Deleted(Schema):
    """An item that left public view (unpublished, deleted, restricted, expired, moved
    out of the site): remove it from your copy."""

    type: ItemType
    id: int
    deleted_at: Annotated[
        dt.datetime,
        Meta(description="When it left public view. ISO 8601 with offset."),
    ]


ChangeCursor = Annotated[
    str,
    Meta(
        description="Opaque; store it and send it back as `cursor` to get what changed "
        "since (valid while the change log keeps its entries, see the endpoint)."
    ),
]


class ChangeList(Schema):
    """One page of the change feed."""

    items: Annotated[
        list[Item],
        Meta(
            description="Items created or changed (the initial call: every visible "
            "item), each in its section's list representation (`Event`, `Press`, "
            "`Programme`, `Newsletter`, told apart by `type`); replace your copy."
        ),
    ]
    deleted: Annotated[
        list[Deleted],
        Meta(description="Items that left public view since the cursor."),
    ]
    next: Annotated[
        URI | None,
        Meta(
            description="More changes are waiting now: follow it (it carries `cursor`). "
            "`null`: you are up to date."
        ),
    ]
    cursor: ChangeCursor


# --- The index of /api/v1/ ----------------------------------------------------------------


class Endpoint(Schema):
    """One endpoint of the API."""

    name: Annotated[
        str, Meta(description="Its name, the last part of its path (`events`).")
    ]
    url: URI
    description: str
    detail: (
        Annotated[
            str,
            Meta(description="URL template of one item: `{id}` is the item's `id`."),
        ]
        | None
    )


class ApiIndex(Schema):
    """What `/api/v1/` offers: every endpoint, the documentation and the schema."""

    title: str
    version: str
    docs: Annotated[URI, Meta(description="Human documentation (Swagger UI).")]
    schema: Annotated[URI, Meta(description="The OpenAPI 3.1 document.")]
    endpoints: list[Endpoint]


# --- Problems (RFC 7807) ------------------------------------------------------------------


class InvalidParam(Schema):
    name: Annotated[str, Meta(description="The query parameter.")]
    reason: Annotated[str, Meta(description="What is wrong with it.")]


class Problem(Schema, omit_defaults=True):
    """An RFC 7807 problem document."""

    type: Annotated[str, Meta(description="Always `about:blank`.")]
    title: Annotated[str, Meta(description="Short summary (the HTTP status phrase).")]
    status: Annotated[int, Meta(ge=400, le=599)]
    detail: str
    invalid_params: Annotated[
        list[InvalidParam],
        Meta(description="On 400: one entry per bad parameter."),
    ] = []


# --- Per section ----------------------------------------------------------------------


@dataclass(frozen=True)
class Shapes:
    """A section's shapes: one listed item, the list envelope, and the detail."""

    item: type[Item]
    list: type[Schema]
    detail: type[Item] | None = None

    @property
    def detail_shape(self) -> type[Item]:
        """The detail shape of a section that has detail views."""
        if self.detail is None:
            raise LookupError("This section has no detail view.")
        return self.detail


SHAPES: dict[Section, Shapes] = {
    sections.EVENTS: Shapes(Event, EventList, EventDetail),
    sections.PRESS: Shapes(Press, PressList, PressDetail),
    sections.PROGRAMMES: Shapes(Programme, ProgrammeList, ProgrammeDetail),
    sections.NEWSLETTERS: Shapes(Newsletter, NewsletterList, NewsletterDetail),
    sections.ALL_ITEMS: Shapes(Item, ItemList),
}
ITEM_SHAPES: dict[str, type[Item]] = {
    section.name: SHAPES[section].item for section in sections.SECTIONS
}
"""A section's list item shape, by section name (the change feed mixes them)."""
