"""The hub's sections, declared once: every surface (API, OpenAPI, feeds, embeds, index
pages, templates, bench) reads them here and nowhere else.

A *section* is one kind of content with its own index page, API endpoints, feeds and
embeds ("events"); an *item* is one page of a section, and its `type` in the API is the
section's `item_type` ("event"). `ALL_ITEMS` stands for every section together
(`/api/v1/items/`, `/feeds/all.*`). Models are named by label, so this module imports
no model and every other module may import it.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils.translation import gettext_noop

if TYPE_CHECKING:
    from wagtail.models import Page

Ordering = tuple[str, ...]


def _both_ways(name: str, model_field: str) -> dict[str, Ordering]:
    """Ascending `name` and descending `-name` on `model_field`, ties broken by id."""
    return {name: (model_field, "pk"), f"-{name}": (f"-{model_field}", "-pk")}


def orderings(default: str, **model_fields: str) -> dict[str, Ordering]:
    """Public ordering names → model fields, `default` first (used when none is given).

    Every section can also be ordered by `updated` (`modified_at`: the last change of
    anything shown with the item).
    """
    result: dict[str, Ordering] = {}
    for name, model_field in model_fields.items():
        result |= _both_ways(name, model_field)
    result |= _both_ways("updated", "item_state__modified_at")
    return {default: result.pop(default), **result}


LIST_FORMATS = ("rss", "atom", "json")
CALENDAR_FORMAT = "ics"


@dataclass(frozen=True, eq=False)
class Section:
    """One section and everything the surfaces need to know about it (compared and
    hashed by identity: each exists once)."""

    name: str
    """Public name in API paths, feed and embed URLs and filters ("events")."""
    item_type: str
    """The API `type` of one item ("event"); empty for `ALL_ITEMS`."""
    page_model_label: str
    index_model_label: str
    title: str
    """German title of feeds, autodiscovery links and the embed heading."""
    short_title: str
    """German title where space is short ("Alle Programme" in an embed)."""
    nav_title: str
    """German label in the site's main navigation (a msgid of the reader catalogues)."""
    path: str
    """The public index page."""
    api_tag: str
    """OpenAPI tag of the section's endpoints."""
    api_description: str
    orderings: dict[str, Ordering]
    feed_ordering: str = ""
    """Default order of the feeds when the client sets none; empty: `orderings`' first."""
    feed_name: str = ""
    """Name in `/feeds/{name}.{format}`; defaults to `name`."""
    feed_formats: tuple[str, ...] = LIST_FORMATS
    event_filters: bool = False
    """Whether `from`, `to`, `upcoming` and `status` apply to its API list (feeds with a
    calendar accept them too: on `all` they filter the events)."""
    relations: frozenset[str] = field(default_factory=frozenset)
    """What a listed item carries besides its own columns (see `pages.items`)."""
    shown_entries: tuple[tuple[str, str], ...] = ()
    """Directory entries an item shows through its own columns, as (model label,
    lookup from the page), besides those its `relations` bring (see `pages.changes`):
    an edit of one of them changes the item's `modified_at`."""

    @property
    def feed_path_name(self) -> str:
        return self.feed_name or self.name

    @property
    def default_ordering(self) -> str:
        return next(iter(self.orderings))

    @property
    def has_calendar(self) -> bool:
        return CALENDAR_FORMAT in self.feed_formats

    @cached_property
    def page_model(self) -> type["Page"]:
        return apps.get_model(self.page_model_label)

    @cached_property
    def index_model(self) -> type["Page"] | None:
        return (
            apps.get_model(self.index_model_label) if self.index_model_label else None
        )

    @property
    def api_list_route(self) -> str:
        return f"api-v1:{self.item_type or 'item'}-list"

    @property
    def api_detail_route(self) -> str:
        return f"api-v1:{self.item_type}-detail"

    def __str__(self) -> str:
        return self.name


_TAXONOMIES = frozenset({"cities", "target_groups", "topics"})

EVENTS = Section(
    name="events",
    item_type="event",
    page_model_label="pages.EventPage",
    index_model_label="pages.EventIndexPage",
    title="Veranstaltungen",
    short_title="Veranstaltungen",
    nav_title=gettext_noop("Veranstaltungen"),
    path="/veranstaltungen/",
    api_tag="Events",
    api_description="Events with every occurrence. Default order: start of the "
    "earliest occurrence that matches `from`/`to`/`upcoming`, ascending.",
    orderings=orderings("start", start="sort_start", title="title"),
    feed_ordering="-start",
    feed_formats=(*LIST_FORMATS, CALENDAR_FORMAT),
    event_filters=True,
    relations=frozenset(
        {"target_groups", "topics", "occurrences", "contacts", "attachments", "image"}
    ),
    shown_entries=(
        ("pages.Venue", "venue"),
        ("pages.City", "city"),
        ("pages.City", "venue__city"),
    ),
)
PRESS = Section(
    name="press",
    item_type="press",
    page_model_label="pages.PressReleasePage",
    index_model_label="pages.PressIndexPage",
    title="Pressemitteilungen",
    short_title="Pressemitteilungen",
    nav_title=gettext_noop("Presse"),
    path="/presse/",
    api_tag="Press releases",
    api_description="Press releases, newest first by default.",
    orderings=orderings("-date", date="date", title="title"),
    relations=_TAXONOMIES | {"image"},
)
PROGRAMMES = Section(
    name="programmes",
    item_type="programme",
    page_model_label="pages.ProgrammePage",
    index_model_label="pages.ProgrammeIndexPage",
    title="Programme und Projekte",
    short_title="Programme",
    nav_title=gettext_noop("Programme"),
    path="/programme/",
    api_tag="Programmes",
    api_description="Programmes and projects, newest first by default.",
    orderings=orderings("-published", published="first_published_at", title="title"),
    relations=_TAXONOMIES | {"contacts", "attachments", "image"},
)
NEWSLETTERS = Section(
    name="newsletters",
    item_type="newsletter",
    page_model_label="pages.NewsletterIssuePage",
    index_model_label="pages.NewsletterIndexPage",
    title="Newsletter",
    short_title="Newsletter",
    nav_title=gettext_noop("Newsletter"),
    path="/newsletter/",
    api_tag="Newsletters",
    api_description="Newsletter issues, newest first by default.",
    orderings=orderings("-date", date="date", title="title"),
    relations=_TAXONOMIES | {"pdf", "image"},
)
ALL_ITEMS = Section(
    name="items",
    item_type="",
    page_model_label="wagtailcore.Page",
    index_model_label="",
    title="Alle Inhalte",
    short_title="Alle Inhalte",
    nav_title=gettext_noop("Start"),
    path="/",
    api_tag="All items",
    api_description="Events, press releases, programmes and newsletter issues "
    "together, newest first; each result has a `type`. Results carry the common "
    "fields only; follow `api_url` for the full item.",
    orderings=orderings("-published", published="first_published_at"),
    feed_name="all",
    feed_formats=(*LIST_FORMATS, CALENDAR_FORMAT),
)

SECTIONS: tuple[Section, ...] = (EVENTS, PRESS, PROGRAMMES, NEWSLETTERS)
"""The four sections, in the order the API and the admin list them."""

NAVIGATION: tuple[Section, ...] = (PROGRAMMES, EVENTS, PRESS, NEWSLETTERS)
"""The sections in the site's main navigation, in its order."""


class UnknownSection(LookupError):
    pass


def _find(predicate: Callable[[Section], bool], what: str) -> Section:
    for section in (*SECTIONS, ALL_ITEMS):
        if predicate(section):
            return section
    raise UnknownSection(what)


def get(name: str) -> Section:
    """A section (or `ALL_ITEMS`) by its public name ("events", …, "items")."""
    return _find(lambda section: section.name == name, name)


def by_feed_name(name: str) -> Section:
    """A section (or `ALL_ITEMS`) by its name in feed URLs ("events", …, "all")."""
    return _find(lambda section: section.feed_path_name == name, name)


def by_item_type(item_type: str) -> Section:
    return _find(
        lambda section: section.item_type == item_type and section in SECTIONS,
        item_type,
    )


def of_page_model(model: type) -> Section:
    """The section whose items are `model` pages (a specific page class)."""
    return _find(
        lambda section: section in SECTIONS and section.page_model is model,
        getattr(model, "__name__", str(model)),
    )


def of_index_model(model: type) -> Section:
    return _find(
        lambda section: section in SECTIONS and section.index_model is model,
        getattr(model, "__name__", str(model)),
    )


def names() -> Iterator[str]:
    return (section.name for section in SECTIONS)
