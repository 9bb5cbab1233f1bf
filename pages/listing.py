"""Lists of items as readers see them, shared by the public index pages and the embeds."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from .filters import ContentQuery, InvalidParameters
from .models.event import EventOccurrence, EventPage
from .sections import EVENTS, Section
from .snippets import City, TargetGroup, Topic

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
        else:
            label = PARAMETER_LABELS.get(name, name)
            messages.append(f"Der Wert für „{label}“ ist ungültig.")
    return messages


def with_display_data(query: ContentQuery, queryset: QuerySet) -> QuerySet:
    """What list entries show, fetched up front: city and dates of events."""
    if query.section == EVENTS.name:
        return queryset.select_related("city").prefetch_related(
            Prefetch(
                "occurrences",
                queryset=EventOccurrence.objects.order_by("starts_at"),
            )
        )
    return queryset


def list_entries(query: ContentQuery, *, offset: int, limit: int) -> list:
    """One page of `query`, each event carrying the occurrence the list shows first."""
    if query.is_empty_page:
        return []
    queryset = with_display_data(query, query.queryset())
    entries = list(queryset[offset : offset + limit])
    for entry in entries:
        if isinstance(entry, EventPage):
            entry.shown_occurrence = _shown_occurrence(entry)
    return entries


def _shown_occurrence(page: EventPage):
    """The first occurrence matching the list's filters (its sort key), else the first."""
    occurrences = list(page.occurrences.all())
    sort_start = getattr(page, "sort_start", None)
    for occurrence in occurrences:
        if occurrence.starts_at == sort_start:
            return occurrence
    return occurrences[0] if occurrences else None


def parse_listing(
    section: str, params: Mapping[str, str], *, lenient: bool = False, ignore=()
) -> ContentQuery:
    """`ContentQuery.from_params`, optionally ignoring parameters a page does not know."""
    ignored = frozenset(ignore)
    if lenient:
        allowed = ContentQuery.allowed_parameters(section)
        ignored |= frozenset(name for name in params if name not in allowed)
    return ContentQuery.from_params(section, params, ignore=ignored)


def index_context(
    section: Section, request: HttpRequest, page_size: int
) -> dict[str, Any]:
    """What a section's public index page shows: filters, one page of items, paging."""
    context: dict[str, Any] = {
        "items": [],
        "filter_errors": [],
        "cities": City.objects.all(),
        "target_groups": TargetGroup.objects.all(),
        "topics": Topic.objects.all(),
        "is_events": section is EVENTS,
    }
    try:
        query = parse_listing(section.name, request.GET, lenient=True)
    except InvalidParameters as error:
        context["filter_errors"] = german_errors(error)
        return context
    total = query.queryset().count() if not query.is_empty_page else 0
    offset, limit = query.offset, page_size
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
