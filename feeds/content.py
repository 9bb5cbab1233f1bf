"""What a feed contains: the filtered items of one section, loaded in a fixed number of queries."""

import dataclasses
from collections.abc import Mapping
from urllib.parse import urlencode

from pages.filters import ContentQuery

FEED_RELATIONS = frozenset({"occurrences", "topics", "attachments", "pdf"})
"""What entries show besides the page's own columns (events' city and venue are columns)."""

ITEM_LIMIT = 50
"""Items per feed; documented in the README and in each feed's description."""

# Feed section (CONTRACT.md) → ContentQuery section.
SECTIONS = {
    "all": "items",
    "events": "events",
    "press": "press",
    "programmes": "programmes",
    "newsletters": "newsletters",
}
# Default order when the client passes no `ordering`: what changed or happens latest first.
DEFAULT_ORDERING = {"events": "-start"}
CALENDAR_SECTIONS = frozenset({"all", "events"})


def parse_query(
    section: str, params: Mapping[str, str], *, calendar: bool
) -> ContentQuery:
    """The contract's filters for a feed; raises `InvalidParameters` naming each bad one.

    On `all`, event filters apply to the events only; a calendar holds events only.
    """
    query_section = "events" if calendar else SECTIONS[section]
    query = ContentQuery.from_params(
        query_section,
        params,
        paginated=False,
        event_filters=section in CALENDAR_SECTIONS,
    )
    if "ordering" not in params and query_section in DEFAULT_ORDERING:
        query = dataclasses.replace(query, ordering=DEFAULT_ORDERING[query_section])
    return query


def canonical_query_string(params: Mapping[str, str]) -> str:
    """The request's filters in a stable order, for ids and links of a filtered feed."""
    return urlencode(sorted((name, params[name]) for name in params))
