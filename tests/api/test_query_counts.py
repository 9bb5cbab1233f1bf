"""A list costs the same number of queries for 1, 20 or 100 results, in any language."""

import datetime as dt

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
import wagtail_factories

from pages.media import RENDITIONS
from pages.models import EventAttachment, EventContact
from pages.snippets import City, ContactPerson, TargetGroup, Topic
from tests.factories import EventOccurrenceFactory, EventPageFactory, VenueFactory
from tests.queries import STATE_READ

pytestmark = pytest.mark.django_db
# The content state read, the clock's moments, the list, its relations and the
# languages each item is published in.
BUDGET = 12
# Another language: also the translated text of each section on the page.
LANGUAGE_BUDGET = BUDGET + 1
SAME_COST_URLS = [
    "/api/v1/events/?ordering=-start",
    "/api/v1/events/?ordering=-start&city=witten,schwelm&upcoming=true"
    "&status=confirmed,postponed",
    "/api/v1/events/?ordering=-start&from=2030-05-02&to=2031-01-01"
    "&target_group=sprachkundige,alle-interessierten&topic=sprache",
    "/api/v1/events/?ordering=-start&q=Veranstaltung",
    "/api/v1/events/?ordering=-updated&updated_since=2001-01-01",
    "/api/v1/items/?updated_since=2001-01-01",
    "/api/v1/press/?ordering=-date",
    "/api/v1/programmes/?topic=daten,bildung",
    "/api/v1/newsletters/?ordering=date",
]


@pytest.fixture
def generated_events(demo):
    """120 richly filled events in 2030 on top of the demo content: every relation in use.

    They match the filters above and sort first, so pages of 1, 20 and 100 results all
    use every relation (an empty relation needs no query at all).
    """
    images = [wagtail_factories.ImageFactory() for _ in range(3)]
    for image in images:
        image.get_renditions(*RENDITIONS.values())
    document = wagtail_factories.DocumentFactory()
    contact = ContactPerson.objects.first()
    groups = list(
        TargetGroup.objects.filter(slug__in=["sprachkundige", "alle-interessierten"])
    )
    topics = list(Topic.objects.filter(slug__in=["sprache", "ehrenamt"]))
    witten = City.objects.get(slug="witten")
    venue = VenueFactory(city=witten)
    now = timezone.now()
    for n in range(120):
        event = EventPageFactory(
            parent=demo.events,
            image=images[n % 3],
            venue=venue,
            city=witten,
            status="confirmed",
            first_published_at=now,
            last_published_at=now,
        )
        event.target_groups.set(groups)
        event.topics.set(topics)
        EventContact.objects.create(page=event, contact=contact)
        EventAttachment.objects.create(page=event, document=document, role="programme")
        for day in range(3):
            EventOccurrenceFactory(page=event, start_date=dt.date(2030, 5, 1 + day))


def queries_for(client, url: str) -> int:
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def test_query_budget(client, generated_events, django_assert_num_queries):
    # The site's root paths (for public URLs) are cached after their first use.
    assert client.get("/api/v1/items/?limit=1").status_code == 200

    costs = {
        url: {
            limit: queries_for(client, f"{url}&limit={limit}") for limit in (1, 20, 100)
        }
        for url in SAME_COST_URLS
    }
    assert {url: len(set(c.values())) for url, c in costs.items()} == dict.fromkeys(
        SAME_COST_URLS, 1
    ), costs
    assert max(max(c.values()) for c in costs.values()) <= BUDGET, costs

    # The richest list (every event with image renditions, contacts, attachments) costs
    # no more for 100 events than for one, and stays within the budget.
    response = client.get("/api/v1/events/?limit=100&ordering=-start&offset=2")
    assert all(event["image"]["renditions"] for event in response.json()["results"])
    richest = {
        limit: queries_for(
            client, f"/api/v1/events/?limit={limit}&ordering=-start&offset=1"
        )
        for limit in (1, 100)
    }
    assert richest[1] == richest[100] <= BUDGET, richest

    # Mixed pages cost one query per type on the page (at most four), never per item.
    assert queries_for(client, "/api/v1/items/?limit=100&offset=100") <= BUDGET

    # A cache hit costs the read of the content state, nothing else.
    reset_queries()
    with django_assert_num_queries(2 * STATE_READ):  # two requests
        client.get("/api/v1/events/?limit=100&ordering=-start&offset=1")
        client.get("/api/v1/events/?limit=1&ordering=-start&offset=1")


@pytest.mark.parametrize("language", ["ar", "de-x-ls"])
def test_a_list_in_another_language_costs_the_same_at_any_length(
    client, generated_events, language
):
    # The site's root paths and the languages offered are cached after first use.
    assert client.get(f"/api/v1/items/?limit=1&lang={language}").status_code == 200
    for url in SAME_COST_URLS:
        costs = {
            limit: queries_for(client, f"{url}&limit={limit}&lang={language}")
            for limit in (1, 20, 100)
        }
        assert len(set(costs.values())) == 1, (url, costs)
        assert costs[1] <= LANGUAGE_BUDGET, (url, costs)


def test_detail_cache_hit_only_checks_visibility(client, witten):
    url = f"/api/v1/events/{witten.pk}/"
    first = queries_for(client, url)
    # The content state and the visibility check.
    assert queries_for(client, url) <= STATE_READ + 1 < first
