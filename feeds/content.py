"""What a feed contains: the filtered items of one section, loaded in a fixed number of queries."""

import dataclasses
from collections.abc import Mapping
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from wagtail.documents import get_document_model
from wagtail.models import Page

from pages.filters import SECTION_MODELS, ContentQuery
from pages.models import (
    EventAttachment,
    EventOccurrence,
    EventPage,
    NewsletterIssuePage,
    ProgrammeAttachment,
    ProgrammePage,
)
from pages.queries import in_public_collections

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


def public_attachments(model) -> QuerySet:
    return (
        in_public_collections(model.objects.all(), "document__collection")
        .select_related("document")
        .order_by("sort_order", "pk")
    )


def with_feed_relations(queryset: QuerySet) -> QuerySet:
    """Everything a feed item shows, fetched per model rather than per item."""
    model = queryset.model
    if model is EventPage:
        return queryset.select_related("venue", "city").prefetch_related(
            Prefetch(
                "occurrences",
                queryset=EventOccurrence.objects.order_by("starts_at", "pk"),
            ),
            Prefetch("attachments", queryset=public_attachments(EventAttachment)),
            "topics",
        )
    if model is ProgrammePage:
        return queryset.prefetch_related(
            Prefetch("attachments", queryset=public_attachments(ProgrammeAttachment)),
            "topics",
        )
    if model is NewsletterIssuePage:
        public_documents = in_public_collections(get_document_model().objects.all())
        return (
            queryset.select_related("pdf")
            .annotate(pdf_is_public=Exists(public_documents.filter(pk=OuterRef("pdf"))))
            .prefetch_related("topics")
        )
    return queryset.prefetch_related("topics")


def load_items(query: ContentQuery, limit: int = ITEM_LIMIT) -> list[Page]:
    """The first `limit` items of `query`, as specific pages with their relations."""
    if query.section != "items":
        return list(with_feed_relations(query.queryset())[:limit])
    rows = list(query.queryset().values_list("pk", "content_type_id")[:limit])
    order = {pk: position for position, (pk, _) in enumerate(rows)}
    wanted = {content_type for _, content_type in rows}
    pages: list[Page] = []
    for model in SECTION_MODELS.values():
        if ContentType.objects.get_for_model(model).pk in wanted:
            pages += with_feed_relations(model.objects.filter(pk__in=order))
    return sorted(pages, key=lambda page: order[page.pk])
