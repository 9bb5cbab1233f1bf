"""The references our figures are measured against, built the way a careful Wagtail site would.

- Stock Wagtail API v2: `PagesAPIViewSet` untouched; the event fields a partner needs are
  declared as `api_fields` (what every Wagtail site does to expose fields).
- `django.contrib.syndication.Feed`: the same items and fields as `/feeds/events.*`, with
  the related rows prefetched (no N+1), so it is not a strawman.
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from wagtail.api import APIField

from rest_framework import serializers

from pages.filters import ContentQuery
from pages.links import absolute
from pages.models import EventOccurrence, EventPage
from pages.snippets import City, TargetGroup, Topic, Venue

from . import V2_FIELDS  # noqa: F401  (re-exported for the harness)

FEED_ITEMS = 20


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["slug", "name"]


class TargetGroupSerializer(TermSerializer):
    class Meta(TermSerializer.Meta):
        model = TargetGroup


class TopicSerializer(TermSerializer):
    class Meta(TermSerializer.Meta):
        model = Topic


class VenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ["name", "street", "postcode", "town", "room"]


class OccurrenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventOccurrence
        fields = [
            "start_date",
            "end_date",
            "start_time",
            "end_time",
            "starts_at",
            "ends_at",
        ]


def declare_v2_fields() -> None:
    """Expose the event fields to stock API v2 (bench process only; the viewset stays stock)."""
    EventPage.api_fields = [
        APIField("subtitle"),
        APIField("series"),
        APIField("teaser"),
        APIField("status"),
        APIField("first_published_at"),
        APIField("last_published_at"),
        APIField("city", serializer=TermSerializer()),
        APIField("venue", serializer=VenueSerializer()),
        APIField("occurrences", serializer=OccurrenceSerializer(many=True)),
        APIField("target_groups", serializer=TargetGroupSerializer(many=True)),
        APIField("topics", serializer=TopicSerializer(many=True)),
        APIField("registration_required"),
        APIField("registration_url"),
    ]


class EventsFeed(Feed):
    """`/feeds/events.rss` as `django.contrib.syndication` would build it."""

    title = "Veranstaltungen"
    description = "Veranstaltungen des Kommunalen Integrationszentrums"

    def link(self) -> str:
        return absolute("/veranstaltungen/")

    def feed_url(self) -> str:
        return absolute("/feeds/events.rss")

    def items(self):
        query = ContentQuery.from_params("events", {"limit": str(FEED_ITEMS)})
        return (
            query.page()
            .select_related("city")
            .prefetch_related("topics", "target_groups")
        )

    def item_title(self, item: EventPage) -> str:
        return item.title

    def item_description(self, item: EventPage) -> str:
        return item.teaser

    def item_link(self, item: EventPage) -> str:
        return absolute(item.get_url())

    def item_guid(self, item: EventPage) -> str:
        return absolute(item.get_url())

    def item_pubdate(self, item: EventPage):
        return item.first_published_at

    def item_updateddate(self, item: EventPage):
        return item.last_published_at

    def item_categories(self, item: EventPage) -> list[str]:
        terms = [item.city.name] if item.city else []
        return (
            terms
            + [t.name for t in item.target_groups.all()]
            + [t.name for t in item.topics.all()]
        )


class AtomEventsFeed(EventsFeed):
    feed_type = Atom1Feed
    subtitle = EventsFeed.description

    def feed_url(self) -> str:
        return absolute("/feeds/events.atom")
