"""The references our figures are measured against, built the way a careful Wagtail site would.

- Stock Wagtail API v2: `PagesAPIViewSet` untouched; the event fields a partner needs are
  declared as `api_fields` (what every Wagtail site does to expose fields).
- `django.contrib.syndication.Feed`: the same items and field values as `/feeds/events.*`,
  so it is not a strawman. It loads the items the way Django's documentation shows
  (model instances with `select_related`/`prefetch_related`, one query per relation) and
  takes every field value from the hub's feed builder, so what differs is the loading
  (instances here, `pages.items` rows in the hub), the feed framework and the XML writer.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from wagtail.api import APIField

from rest_framework import serializers

from feeds.builders import BUILDERS
from feeds.content import ITEM_LIMIT, parse_query
from pages import items
from pages.links import public_url
from pages.media import in_public_collections
from pages.models import EventAttachment, EventOccurrence, EventPage
from pages.sections import EVENTS
from pages.snippets import City, ContactPerson, TargetGroup, Topic, Venue

from . import V2_FIELDS  # noqa: F401  (re-exported for the harness)


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
        fields = ["name", "room", "street", "postcode", "town", "city", "accessibility"]

    city = TermSerializer()


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


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "phone", "phone_uri", "email"]


class ContactLinkSerializer(serializers.Serializer):
    def to_representation(self, instance):
        return ContactSerializer(instance.contact).data


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventAttachment
        fields = ["title", "url", "role", "document"]


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
        APIField("registration_email"),
        APIField("registration_deadline"),
        APIField("registration_note"),
        APIField("postponed_note"),
        APIField("previous_start_date"),
        APIField("online_url"),
        APIField("audience"),
        APIField("participation_note"),
        APIField("image"),
        APIField("contacts", serializer=ContactLinkSerializer(many=True)),
        APIField("attachments", serializer=AttachmentSerializer(many=True)),
    ]


def builder_view(page: EventPage) -> items.EventItem:
    """The feed builder's input made from a loaded model instance (no queries)."""
    venue = page.venue
    return items.EventItem(
        section=EVENTS,
        id=page.pk,
        title=page.title,
        url=public_url(page),
        api_url="",
        first_published_at=page.first_published_at,
        modified_at=page.last_published_at,
        last_published_at=page.last_published_at,
        teaser=page.teaser,
        image_id=page.image_id,
        body=page.body,
        topics=[items.Term(t.slug, t.name) for t in page.topics.all()],
        occurrences=[
            items.Occurrence(
                o.pk,
                o.start_date,
                o.end_date,
                o.start_time,
                o.end_time,
                o.label,
                o.starts_at,
                o.ends_at,
            )
            for o in page.occurrences.all()
        ],
        attachments=[
            items.Attachment(a.title, a.url, a.role, a.document)
            for a in page.attachments.all()
        ],
        venue=items.Venue(
            venue.name,
            venue.room,
            venue.street,
            venue.postcode,
            venue.town,
            venue.accessibility,
            venue.latitude,
            venue.longitude,
            items.Term(venue.city.slug, venue.city.name) if venue.city else None,
        )
        if venue
        else None,
        city=items.Term(page.city.slug, page.city.name) if page.city else None,
        subtitle=page.subtitle,
        series=page.series,
        status=page.status,
        postponed_note=page.postponed_note,
        previous_start_date=page.previous_start_date,
        online_url=page.online_url,
        audience=page.audience,
        participation_note=page.participation_note,
        registration_required=page.registration_required,
        registration_url=page.registration_url,
        registration_email=page.registration_email,
        registration_deadline=page.registration_deadline,
        registration_note=page.registration_note,
        schedule_sequence=page.schedule_sequence,
        city_id=page.city_id,
        venue_id=page.venue_id,
    )


class ContentRss(Rss201rev2Feed):
    """RSS 2.0 plus `content:encoded`: syndication's documented way to add an element."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])
        handler.addQuickElement("dc:creator", item["creator"])


class ContentAtom(Atom1Feed):
    """Atom plus the full HTML `content` next to the `summary`."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class EventsFeed(Feed):
    """`/feeds/events.rss` through `django.contrib.syndication`: same items, same fields.

    Every field value comes from the hub's own feed builder (same items, same prefetches,
    same text), so the comparison isolates what differs: the feed framework, the XML
    writer and the response handling.
    """

    feed_type = ContentRss
    format = "rss"

    def get_object(self, request):
        query = parse_query(EVENTS, {}, calendar=False)
        attachments = in_public_collections(
            EventAttachment.objects.all(), "document__collection"
        ).select_related("document")
        pages = (
            query.queryset()[:ITEM_LIMIT]
            .select_related("venue__city", "city")
            .prefetch_related(
                Prefetch(
                    "occurrences", EventOccurrence.objects.order_by("starts_at", "pk")
                ),
                Prefetch("attachments", attachments.order_by("sort_order", "pk")),
                "topics",
            )
        )
        return BUILDERS[self.format](EVENTS, [builder_view(p) for p in pages], "")

    def get_feed(self, obj, request):
        # One request at a time per sync worker, so the builder can live on the view.
        self.builder = obj
        return super().get_feed(obj, request)

    def title(self, builder) -> str:
        return builder.feed_title()

    def link(self, builder) -> str:
        return builder.home_url()

    def description(self, builder) -> str:
        return builder.feed_description()

    def feed_url(self, builder) -> str:
        return builder.feed_url()

    def items(self, builder) -> list:
        return builder.items

    def item_title(self, item) -> str:
        return self.builder.item_title(item)

    def item_description(self, item) -> str:
        return self.builder.item_summary(item)

    def item_link(self, item) -> str:
        return self.builder.item_link(item)

    def item_guid(self, item) -> str:
        return self.builder.item_id(item)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return self.builder.item_published(item)

    def item_updateddate(self, item):
        return self.builder.item_updated(item)

    def item_author_name(self, item) -> str:
        return self.builder.item_author_name(item)

    def item_categories(self, item) -> list[str]:
        return self.builder.item_categories(item)

    def item_enclosures(self, item) -> list[Enclosure]:
        return [
            Enclosure(a.url, str(a.length), a.mime_type)
            for a in self.builder.item_attachments(item)
        ]

    def item_extra_kwargs(self, item) -> dict[str, str]:
        return {
            "content_html": self.builder.item_content_html(item),
            "creator": self.builder.item_author_name(item),
        }


class AtomEventsFeed(EventsFeed):
    feed_type = ContentAtom
    format = "atom"

    def subtitle(self, builder) -> str:
        return builder.feed_description()
