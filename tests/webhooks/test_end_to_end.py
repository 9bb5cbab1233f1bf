"""From an editor's publication to the partner's server, through the change log."""

import json

from wagtail.models import Page

import pytest
from standardwebhooks import Webhook

from pages.snippets import City
from tests.factories import EventPageFactory
from webhooks.models import Endpoint

pytestmark = pytest.mark.django_db


def test_publish_edit_and_unpublish_reach_a_subscribed_partner(
    demo, receiver, committed
):
    endpoint = Endpoint.objects.create(name="Witten", url=receiver.url)
    with committed():
        event = EventPageFactory(parent=demo.events, title="Sprachcafé")
    with committed():
        event.title = "Sprachcafé (neuer Raum)"
        event.save_revision().publish()
    with committed():
        Page.objects.get(pk=event.pk).specific.unpublish()
    bodies = [
        Webhook(endpoint.secret).verify(request.body, request.headers)
        for request in receiver.requests
    ]
    assert [(b["type"], b["data"]["type"], b["data"]["id"]) for b in bodies] == [
        ("item.published", "event", event.pk),
        ("item.updated", "event", event.pk),
        ("item.deleted", "event", event.pk),
    ]
    assert bodies[0]["data"]["api_url"].endswith(f"/api/v1/events/{event.pk}/")


def test_a_city_filter_sees_only_its_city(demo, receiver, committed):
    endpoint = Endpoint.objects.create(name="Hattingen", url=receiver.url)
    endpoint.cities.set([City.objects.get(slug="hattingen")])
    with committed():
        EventPageFactory(parent=demo.events, city=City.objects.get(slug="witten"))
    with committed():
        there = EventPageFactory(
            parent=demo.events, city=City.objects.get(slug="hattingen")
        )
    assert [json.loads(r.body)["data"]["id"] for r in receiver.requests] == [there.pk]
