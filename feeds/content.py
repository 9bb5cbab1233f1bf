"""What a feed contains: the filtered items of one section, loaded in a fixed number of queries."""

import dataclasses
from collections.abc import Mapping

from pages.filters import ContentQuery
from pages.sections import EVENTS, Section

FEED_RELATIONS = frozenset({"occurrences", "topics", "attachments", "pdf"})
"""What entries show besides the page's own columns (events' city and venue are columns)."""

ITEM_LIMIT = 50
"""Items per feed; documented in the README and in each feed's description."""


def parse_query(
    section: Section, params: Mapping[str, str], *, calendar: bool
) -> ContentQuery:
    """The contract's filters for a feed; raises `InvalidParameters` naming each bad one.

    On `all`, event filters apply to the events only; a calendar holds events only.
    """
    listed = EVENTS if calendar else section
    query = ContentQuery.from_params(
        listed.name,
        params,
        paginated=False,
        event_filters=section.has_calendar,
    )
    if "ordering" not in params and listed.feed_ordering:
        query = dataclasses.replace(query, ordering=listed.feed_ordering)
    return query
