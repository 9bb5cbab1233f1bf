"""Lists of items as readers see them: the public index pages and the embeds.

Both load rows through `pages.items`, like the API lists and the feeds: one query for a
page's ids, the list's count and newest change, one per section on the page and one for
the events' dates, so a page costs the same few queries at any length. Index pages
read their query string leniently (a link with `utm_source` still works) and tell
readers in German which filter they cannot show.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils import translation

from . import items
from .filters import REPEATED, ContentQuery, InvalidParameters
from .sections import EVENTS, NEWSLETTERS, PRESS, PROGRAMMES, Section
from .snippets import City, TargetGroup, Topic

ENTRY_RELATIONS = frozenset({"occurrences"})
"""What a list entry shows besides its own columns: an event's dates."""

# German names of the contract's parameters, for messages readers and editors see.
PARAMETER_LABELS = {
    "city": "Stadt",
    "target_group": "Zielgruppe",
    "topic": "Thema",
    "upcoming": "Zeitraum",
    "status": "Status",
    "from": "von",
    "to": "bis",
    "q": "Suche",
    "limit": "Anzahl",
    "offset": "Seite",
    "ordering": "Sortierung",
    "updated_since": "geändert seit",
}


def german_errors(error: InvalidParameters) -> list[str]:
    """One friendly German sentence per bad parameter (details stay in the API's answers)."""
    messages = []
    for name, detail in error.errors.items():
        if detail == "Unknown parameter.":
            messages.append(f"Der Parameter „{name[:40]}“ ist unbekannt.")
        elif detail == REPEATED:
            messages.append(f"Der Parameter „{name[:40]}“ darf nur einmal vorkommen.")
        else:
            label = PARAMETER_LABELS.get(name, name)
            messages.append(f"Der Wert für „{label}“ ist ungültig.")
    return messages


def parse_listing(
    section: str, params: Mapping[str, str], *, lenient: bool = False, ignore=()
) -> ContentQuery:
    """`ContentQuery.from_params`, optionally ignoring parameters a page does not know."""
    return ContentQuery.from_params(
        section, params, ignore=frozenset(ignore), lenient=lenient
    )


# --- One page of a list ---------------------------------------------------------------


def page_of(query: ContentQuery, limit: int) -> items.Slice:
    """The ids of the `limit` entries `query` asks for, with the list's count (one
    query); an offset past any database is an empty list without one."""
    if query.is_empty_page:
        return items.Slice([], 0)
    return items.slice_of(query.queryset(), query.offset, limit)


def entries(page: items.Slice) -> list[items.Item]:
    """The rows of `page` in the page's language (its URL's), each event carrying the
    occurrence the list shows for it."""
    rows = items.load_ids(
        page.ids, ENTRY_RELATIONS, language=translation.get_language()
    )
    for row in rows:
        if row.section is EVENTS:
            row.shown_occurrence = shown_occurrence(
                row.occurrences, page.sort_starts.get(row.id)
            )
    return rows


def shown_occurrence(
    occurrences: Sequence[items.Occurrence], sort_start: Any
) -> items.Occurrence | None:
    """The first occurrence matching the list's filters (its sort key), else the first."""
    for occurrence in occurrences:
        if occurrence.starts_at == sort_start:
            return occurrence
    return occurrences[0] if occurrences else None


# --- The public index pages -----------------------------------------------------------


def paging(params: QueryDict, *, offset: int, limit: int, total: int) -> dict[str, Any]:
    """Links to the previous and next page (keeping the filters) and the shown range."""
    params = params.copy()
    params.pop("limit", None)

    def page_link(new_offset: int) -> str:
        params["offset"] = str(new_offset)
        return "?" + params.urlencode()

    return {
        "previous_link": page_link(max(0, offset - limit)) if offset else "",
        "next_link": page_link(offset + limit) if offset + limit < total else "",
        "range_start": offset + 1,
        "range_end": min(offset + limit, total),
    }


def index_context(
    section: Section, request: HttpRequest, page_size: int
) -> dict[str, Any]:
    """What a section's public index page shows: filters, one page of items, paging."""
    context: dict[str, Any] = {
        "items": [],
        "filter_errors": [],
        "cities": City.objects.german(),
        "target_groups": TargetGroup.objects.german(),
        "topics": Topic.objects.german(),
        "is_events": section is EVENTS,
    }
    try:
        query = parse_listing(section.name, request.GET, lenient=True)
    except InvalidParameters as error:
        context["filter_errors"] = german_errors(error)
        return context
    page = page_of(query, page_size)
    context.update(
        query=query,
        items=entries(page),
        total=page.count,
        is_filtered=bool(
            query.cities
            or query.target_groups
            or query.topics
            or query.upcoming is not None
        ),
        **paging(request.GET, offset=query.offset, limit=page_size, total=page.count),
    )
    return context


# --- The home page --------------------------------------------------------------------

HOME_LISTS: tuple[tuple[str, Section, dict[str, str]], ...] = (
    ("next_events", EVENTS, {"upcoming": "true", "limit": "5"}),
    ("latest_press", PRESS, {"limit": "3"}),
    ("programmes", PROGRAMMES, {"limit": "10"}),
    ("newsletters", NEWSLETTERS, {"limit": "6"}),
)
"""What the home page shows at a glance, like the seed's "Aktuelles" page: the next
events, the latest press releases, the programmes and the newsletter archive."""


def home_context() -> dict[str, Any]:
    """The home page's short lists, read like every other list (same visibility)."""
    context: dict[str, Any] = {}
    for name, section, params in HOME_LISTS:
        page = page_of(parse_listing(section.name, params), int(params["limit"]))
        context[name] = entries(page)
        context[f"{name}_total"] = page.count
    return context
