"""JSON representations of hub content, complete enough to render without a second request.

The serializers double as the OpenAPI description (drf-spectacular reads them), so the
documented shape and the served shape cannot drift apart. They read only what the
querysets in `pages.api.queries` prefetch; serializing issues no queries of its own.
"""

import functools
import mimetypes
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pages import sections
from pages.enums import DocumentRole, EventStatus
from pages.links import absolute, public_url
from pages.media import RENDITIONS, public_blocks, public_or_none
from pages.rich_text import public_html
from pages.sanitize import clean_html

ITEM_TYPES = [section.item_type for section in sections.SECTIONS]
BLOCK_TYPES = ["heading", "paragraph", "image", "document", "quote"]


def type_name(page) -> str:
    return sections.of_page_model(type(page)).item_type


def api_url(page) -> str:
    section = sections.of_page_model(type(page))
    return absolute(reverse(section.api_detail_route, args=[page.pk]))


def document_size(document) -> int | None:
    """Size in bytes: the stored value, or the file's size if the upload did not record it."""
    if document.file_size is not None:
        return document.file_size
    try:
        return document.file.size
    except (OSError, ValueError):
        return None


def document_mime_type(document) -> str:
    return mimetypes.guess_type(document.file.name)[0] or "application/octet-stream"


class TermSerializer(serializers.Serializer):
    slug = serializers.CharField(
        help_text="Stable lowercase ASCII slug used in filters."
    )
    name = serializers.CharField(help_text="German display name.")


class TaxonomyListSerializer(TermSerializer):
    """A taxonomy term on the taxonomy endpoints."""


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField(help_text="Function, e.g. „Koordination KIM“.")
    phone = serializers.CharField(help_text="As written, e.g. „02336 93-2080“.")
    phone_uri = serializers.CharField(help_text="`tel:` URI in international form.")
    email = serializers.CharField()


def contact_representation(contact) -> dict[str, str]:
    """`ContactSerializer`'s output without building a serializer per contact (list hot path)."""
    return {
        "name": contact.name,
        "role": contact.role,
        "phone": contact.phone,
        "phone_uri": contact.phone_uri,
        "email": contact.email,
    }


class VenueSerializer(serializers.Serializer):
    name = serializers.CharField()
    room = serializers.CharField()
    street = serializers.CharField()
    postcode = serializers.CharField()
    town = serializers.CharField()
    city = TermSerializer(allow_null=True, help_text="Municipality of the district.")
    accessibility = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class DocumentSerializer(serializers.Serializer):
    """A document (or external link) attached to an item."""

    title = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="Absolute download URL.")
    role = serializers.ChoiceField(choices=DocumentRole.values)
    role_label = serializers.SerializerMethodField(help_text="German label of `role`.")
    size = serializers.SerializerMethodField(
        help_text="Size in bytes; null for external links."
    )
    mime_type = serializers.SerializerMethodField(
        help_text="MIME type; null for external links."
    )

    def get_title(self, attachment) -> str:
        return attachment.display_title

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment) -> str:
        if attachment.document_id:
            return absolute(attachment.document.url)
        return attachment.url

    def get_role_label(self, attachment) -> str:
        return DocumentRole(attachment.role).label

    def get_size(self, attachment) -> int | None:
        return document_size(attachment.document) if attachment.document_id else None

    def get_mime_type(self, attachment) -> str | None:
        if not attachment.document_id:
            return None
        return document_mime_type(attachment.document)


class FileSerializer(serializers.Serializer):
    """A document on its own (a newsletter's PDF)."""

    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    size = serializers.SerializerMethodField(help_text="Size in bytes.")
    mime_type = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document) -> str:
        return absolute(document.url)

    def get_size(self, document) -> int | None:
        return document_size(document)

    def get_mime_type(self, document) -> str:
        return document_mime_type(document)


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class RenditionSetSerializer(serializers.Serializer):
    thumbnail = RenditionSerializer(help_text=f"Cropped to {RENDITIONS['thumbnail']}.")
    medium = RenditionSerializer(help_text=f"Scaled into {RENDITIONS['medium']}.")
    large = RenditionSerializer(help_text=f"Scaled into {RENDITIONS['large']}.")


class ImageSerializer(serializers.Serializer):
    title = serializers.CharField()
    alt = serializers.SerializerMethodField(help_text="Alternative text.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="The original file.")
    renditions = serializers.SerializerMethodField()

    def get_alt(self, image) -> str:
        return image.description or image.title

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, image) -> str:
        return absolute(image.file.url)

    @extend_schema_field(RenditionSetSerializer)
    def get_renditions(self, image) -> dict:
        renditions = image.get_renditions(*RENDITIONS.values())
        return {
            name: {
                "url": absolute(renditions[spec].url),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in RENDITIONS.items()
        }


class BlockSerializer(serializers.Serializer):
    """One block of the body; `value` depends on `type` (see the block types below)."""

    type = serializers.ChoiceField(choices=BLOCK_TYPES)
    id = serializers.CharField()
    value = serializers.JSONField(
        help_text="heading: {text, level}; paragraph: sanitized HTML string; "
        "image: {image, caption, alt}; document: {title, url, size, mime_type}; "
        "quote: string."
    )


class ItemSerializer(serializers.Serializer):
    """What every item has, in lists and in detail."""

    id = serializers.IntegerField()
    type = serializers.SerializerMethodField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="Canonical public page.")
    api_url = serializers.SerializerMethodField(help_text="This item in the API.")
    first_published_at = serializers.DateTimeField()
    last_published_at = serializers.DateTimeField()
    teaser = serializers.CharField()

    @extend_schema_field(serializers.ChoiceField(choices=ITEM_TYPES))
    def get_type(self, page) -> str:
        return type_name(page)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, page) -> str:
        return public_url(page)

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, page) -> str:
        return api_url(page)


class ContentSerializer(ItemSerializer):
    """Fields shared by the four section endpoints."""

    image = serializers.SerializerMethodField()
    cities = serializers.SerializerMethodField()
    target_groups = TermSerializer(many=True, source="target_groups.all")
    topics = TermSerializer(many=True, source="topics.all")

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, page) -> dict | None:
        if page.image is None or getattr(page, "image_is_private", True):
            return None
        return ImageSerializer(page.image).data

    @extend_schema_field(TermSerializer(many=True))
    def get_cities(self, page) -> list:
        return TermSerializer(page.cities.all(), many=True).data


class BodyMixin(serializers.Serializer):
    """Detail only: the body as sanitized HTML and as structured blocks."""

    body = serializers.SerializerMethodField(
        help_text="Sanitized HTML; every link and image source is absolute."
    )
    blocks = serializers.SerializerMethodField()

    def get_body(self, page) -> str:
        return clean_html(
            "".join(str(child.render()) for child in public_blocks(page.body))
        )

    @extend_schema_field(BlockSerializer(many=True))
    def get_blocks(self, page) -> list:
        return page.body.stream_block.get_api_representation(page.body, self.context)


class OccurrenceSerializer(serializers.Serializer):
    start = serializers.DateTimeField(
        source="starts_at", help_text="ISO 8601 with offset (Europe/Berlin)."
    )
    end = serializers.DateTimeField(
        source="ends_at",
        help_text="ISO 8601 with offset; for all-day occurrences the exclusive end "
        "(midnight after the last day).",
    )
    all_day = serializers.BooleanField()
    start_date = serializers.DateField(help_text="First day (local date).")
    end_date = serializers.DateField(
        source="last_date", help_text="Last day, inclusive (local date)."
    )
    label = serializers.CharField(
        help_text="Replaces the date display when set, e.g. „Sommerferien 2020“."
    )


class StatusSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=EventStatus.values)
    label = serializers.CharField(help_text="German label, e.g. „wird verschoben“.")
    schema_org = serializers.URLField(
        help_text="schema.org eventStatus URL, e.g. https://schema.org/EventPostponed."
    )


class RegistrationSerializer(serializers.Serializer):
    required = serializers.BooleanField()
    url = serializers.CharField(help_text="Registration link, or empty.")
    email = serializers.CharField(help_text="Registration e-mail address, or empty.")
    deadline = serializers.DateField(allow_null=True)
    note = serializers.CharField()


class EventSerializer(ContentSerializer):
    subtitle = serializers.CharField()
    series = serializers.CharField()
    occurrences = OccurrenceSerializer(many=True, source="occurrences.all")
    status = serializers.SerializerMethodField()
    postponed_note = serializers.CharField(
        help_text="For `postponed`: when to, e.g. „auf 2021“."
    )
    previous_start_date = serializers.DateField(
        allow_null=True, help_text="For `rescheduled`: the original date."
    )
    online_url = serializers.CharField()
    venue = VenueSerializer(allow_null=True)
    city = TermSerializer(allow_null=True, help_text="Where it takes place.")
    audience = serializers.CharField(help_text="Audience as worded by the editors.")
    participation_note = serializers.CharField()
    registration = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    documents = DocumentSerializer(many=True, source="attachments.all")

    @extend_schema_field(TermSerializer(many=True))
    def get_cities(self, page) -> list:
        return [{"slug": page.city.slug, "name": page.city.name}] if page.city else []

    @extend_schema_field(StatusSerializer)
    def get_status(self, page) -> dict:
        status = page.status_enum
        return {
            "value": status.value,
            "label": status.label,
            "schema_org": status.schema_org,
        }

    @extend_schema_field(RegistrationSerializer)
    def get_registration(self, page) -> dict:
        return {
            "required": page.registration_required,
            "url": page.registration_url,
            "email": page.registration_email,
            "deadline": page.registration_deadline,
            "note": page.registration_note,
        }

    @extend_schema_field(ContactSerializer(many=True))
    def get_contacts(self, page) -> list:
        return [contact_representation(link.contact) for link in page.contacts.all()]


class EventDetailSerializer(BodyMixin, EventSerializer):
    pass


class PressSerializer(ContentSerializer):
    date = serializers.DateField()
    source = serializers.CharField()
    original_url = serializers.CharField(help_text="The original release, or empty.")


class PressDetailSerializer(BodyMixin, PressSerializer):
    pass


class PeriodSerializer(serializers.Serializer):
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    note = serializers.CharField(help_text="e.g. „Start 2020, voraussichtlich bis …“")


class ProgrammeSerializer(ContentSerializer):
    period = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    documents = DocumentSerializer(many=True, source="attachments.all")

    @extend_schema_field(PeriodSerializer)
    def get_period(self, page) -> dict:
        return {
            "starts_on": page.starts_on,
            "ends_on": page.ends_on,
            "note": page.period_note,
        }

    @extend_schema_field(ContactSerializer(many=True))
    def get_contacts(self, page) -> list:
        return [contact_representation(link.contact) for link in page.contacts.all()]


class ProgrammeDetailSerializer(BodyMixin, ProgrammeSerializer):
    pass


class NewsletterSerializer(ContentSerializer):
    issue = serializers.CharField(help_text="e.g. „1/2021“.")
    date = serializers.DateField()
    summary = serializers.CharField()
    pdf = serializers.SerializerMethodField()

    @extend_schema_field(FileSerializer(allow_null=True))
    def get_pdf(self, page) -> dict | None:
        return FileSerializer(page.pdf).data if page.pdf else None


class NewsletterDetailSerializer(BodyMixin, NewsletterSerializer):
    pass


def public_media(item):
    """The document or image if the public may see it, else None (`pages.media`)."""
    return public_or_none(item)


def rich_text_html(source: str) -> str:
    """Stored rich text (with internal link references) as sanitized, absolute HTML."""
    return public_html(source)


# --- Lists: plain dicts from loaded rows ------------------------------------------------
#
# The serializers above document the shape (OpenAPI) and serve detail views; lists are
# built from `pages.items` rows by the functions below, which produce exactly what the
# serializers would (tests/api/test_representations.py compares both for every item).


def _datetime(value) -> str | None:
    """What DRF's DateTimeField writes: ISO 8601 in the site's time zone.

    The API never activates another zone, so the configured one is the current one.
    """
    if value is None:
        return None
    text = value.astimezone(_site_zone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


@functools.cache
def _site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def _terms(terms) -> list[dict[str, str]]:
    return [{"slug": term.slug, "name": term.name} for term in terms]


def _term(term) -> dict[str, str] | None:
    return {"slug": term.slug, "name": term.name} if term is not None else None


STATUSES = {
    status.value: {
        "value": status.value,
        "label": status.label,
        "schema_org": status.schema_org,
    }
    for status in EventStatus
}
ROLE_LABELS = {role.value: role.label for role in DocumentRole}


def item_representation(item) -> dict:
    """`ItemSerializer` of a row."""
    return {
        "id": item.id,
        "type": item.item_type,
        "title": item.title,
        "url": item.url,
        "api_url": item.api_url,
        "first_published_at": _datetime(item.first_published_at),
        "last_published_at": _datetime(item.last_published_at),
        "teaser": item.teaser,
    }


def content_representation(item) -> dict:
    """`ContentSerializer` of a row."""
    return {
        **item_representation(item),
        "image": ImageSerializer(item.image).data if item.image is not None else None,
        "cities": _terms(item.cities),
        "target_groups": _terms(item.target_groups),
        "topics": _terms(item.topics),
    }


def attachment_representation(attachment) -> dict:
    document = attachment.document
    return {
        "title": attachment.display_title,
        "url": absolute(document.url) if document is not None else attachment.url,
        "role": attachment.role,
        "role_label": ROLE_LABELS[attachment.role],
        "size": document_size(document) if document is not None else None,
        "mime_type": document_mime_type(document) if document is not None else None,
    }


def occurrence_representation(occurrence) -> dict:
    return {
        "start": _datetime(occurrence.starts_at),
        "end": _datetime(occurrence.ends_at),
        "all_day": occurrence.all_day,
        "start_date": occurrence.start_date.isoformat(),
        "end_date": occurrence.last_date.isoformat(),
        "label": occurrence.label,
    }


def venue_representation(venue) -> dict | None:
    if venue is None:
        return None
    return {
        "name": venue.name,
        "room": venue.room,
        "street": venue.street,
        "postcode": venue.postcode,
        "town": venue.town,
        "city": _term(venue.city),
        "accessibility": venue.accessibility,
        "latitude": float(venue.latitude) if venue.latitude is not None else None,
        "longitude": float(venue.longitude) if venue.longitude is not None else None,
    }


def event_representation(item) -> dict:
    """`EventSerializer` of a row."""
    extra = item.extra
    return {
        **content_representation(item),
        "subtitle": extra["subtitle"],
        "series": extra["series"],
        "occurrences": [occurrence_representation(o) for o in item.occurrences],
        "status": STATUSES[extra["status"]],
        "postponed_note": extra["postponed_note"],
        "previous_start_date": _date(extra["previous_start_date"]),
        "online_url": extra["online_url"],
        "venue": venue_representation(item.venue),
        "city": _term(item.city),
        "audience": extra["audience"],
        "participation_note": extra["participation_note"],
        "registration": {
            "required": extra["registration_required"],
            "url": extra["registration_url"],
            "email": extra["registration_email"],
            "deadline": _date(extra["registration_deadline"]),
            "note": extra["registration_note"],
        },
        "contacts": [contact_representation(contact) for contact in item.contacts],
        "documents": [attachment_representation(a) for a in item.attachments],
    }


def press_representation(item) -> dict:
    """`PressSerializer` of a row."""
    return {
        **content_representation(item),
        "date": _date(item.extra["date"]),
        "source": item.extra["source"],
        "original_url": item.extra["original_url"],
    }


def programme_representation(item) -> dict:
    """`ProgrammeSerializer` of a row."""
    extra = item.extra
    return {
        **content_representation(item),
        "period": {
            "starts_on": _date(extra["starts_on"]),
            "ends_on": _date(extra["ends_on"]),
            "note": extra["period_note"],
        },
        "contacts": [contact_representation(contact) for contact in item.contacts],
        "documents": [attachment_representation(a) for a in item.attachments],
    }


def newsletter_representation(item) -> dict:
    """`NewsletterSerializer` of a row."""
    return {
        **content_representation(item),
        "issue": item.extra["issue"],
        "date": _date(item.extra["date"]),
        "summary": item.teaser,
        "pdf": FileSerializer(item.pdf).data if item.pdf is not None else None,
    }


# Section → (row → dict) for the list endpoints.
LIST_REPRESENTATIONS = {
    sections.EVENTS: event_representation,
    sections.PRESS: press_representation,
    sections.PROGRAMMES: programme_representation,
    sections.NEWSLETTERS: newsletter_representation,
    sections.ALL_ITEMS: item_representation,
}
