"""List rows (`pages.items` + plain dicts) give exactly what the documented serializers give.

The serializers are the OpenAPI description and serve the detail views; lists are built
from rows for speed. These tests fail when one side gains, loses or changes a field.
"""

from django.test import override_settings

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

import pytest
import wagtail_factories

from pages import items, sections
from pages.api import representations
from pages.api.queries import with_representation
from pages.enums import DocumentRole
from pages.filters import ContentQuery
from pages.models import EventAttachment, EventPage
from tests.factories import NewsletterIssuePageFactory

pytestmark = pytest.mark.django_db

SERIALIZERS = {
    "events": representations.EventSerializer,
    "press": representations.PressSerializer,
    "programmes": representations.ProgrammeSerializer,
    "newsletters": representations.NewsletterSerializer,
    "items": representations.ItemSerializer,
}


def both_ways(section: str) -> tuple[list[dict], list[dict]]:
    queryset = ContentQuery.from_params(section, {}).queryset()
    if section == "items":
        pages = list(queryset.specific())
    else:
        pages = list(with_representation(queryset))
    documented = [dict(SERIALIZERS[section](page).data) for page in pages]
    relations = () if section == "items" else items.EVERYTHING
    rows = items.load(queryset, relations)
    represent = representations.LIST_REPRESENTATIONS[sections.get(section)]
    return documented, [represent(row) for row in rows]


def as_json(data):
    """Compare as a client sees it: through the JSON renderer."""
    import json

    from rest_framework.renderers import JSONRenderer

    return json.loads(JSONRenderer().render(data))


@pytest.mark.parametrize("section", list(SERIALIZERS))
def test_rows_equal_serializer_output_for_every_demo_item(section, demo):
    if section == "newsletters":
        # The seed announces issues but lists none.
        NewsletterIssuePageFactory(parent=demo.newsletters, teaser="Neu")
    documented, fast = both_ways(section)
    assert documented, f"demo content has {section}"
    assert as_json(fast) == as_json(documented)


@override_settings(SITE_BASE_URL="https://hub.example.org")
def test_rows_follow_site_base_url():
    _, fast = both_ways("events")
    assert fast[0]["url"].startswith("https://hub.example.org/veranstaltungen/")
    assert (
        fast[0]["api_url"] == f"https://hub.example.org/api/v1/events/{fast[0]['id']}/"
    )


def test_image_document_and_pdf_fields_match(demo):
    """The media cases the demo lacks: an event image, a document attachment, a PDF."""
    event = EventPage.objects.live().first()
    event.image = wagtail_factories.ImageFactory(title="Plakat")
    event.save_revision().publish()
    document = get_document_model().objects.first()
    EventAttachment.objects.create(
        page=event, document=document, role=DocumentRole.PROGRAMME, sort_order=9
    )
    NewsletterIssuePageFactory(parent=demo.newsletters, pdf=document)
    for section in ("events", "newsletters"):
        documented, fast = both_ways(section)
        assert as_json(fast) == as_json(documented)
    _, events = both_ways("events")
    shown = next(e for e in events if e["id"] == event.pk)
    assert shown["image"]["renditions"]["thumbnail"]["url"].startswith("http")
    assert shown["documents"][-1]["size"] is not None


def test_private_collection_media_left_out_of_rows(demo):
    private = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type="login"
    )
    event = EventPage.objects.live().first()
    event.image = wagtail_factories.ImageFactory(collection=private)
    event.save_revision().publish()
    document = get_document_model().objects.first()
    document.collection = private
    document.save()
    EventAttachment.objects.create(
        page=event, document=document, role=DocumentRole.REPORT, sort_order=9
    )
    documented, fast = both_ways("events")
    assert as_json(fast) == as_json(documented)
    shown = next(e for e in fast if e["id"] == event.pk)
    assert shown["image"] is None
    assert all(d["title"] != document.title for d in shown["documents"])
