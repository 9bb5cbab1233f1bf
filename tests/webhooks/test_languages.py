"""Webhooks per language: an endpoint chooses its languages and gets one message per
change and language, pointing at the API in that language; German-only endpoints (every
endpoint before languages) receive exactly what they did."""

import datetime as dt
import json
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

import pytest
import time_machine
from standardwebhooks import Webhook

from hub import languages
from pages import locales
from pages.models import EventPage
from tests.i18n.translating import translate
from tests.webhooks.test_admin import form
from tests.webhooks.test_delivery import announce, item_event
from webhooks.delivery import body_of, send_test
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db

WITTEN_SLUG = "laien-sprachmittlerpool-grundlagenschulung-witten-2020"


@pytest.fixture
def witten(demo):
    return EventPage.objects.get(slug=WITTEN_SLUG, locale__language_code="de")


def received(endpoint, receiver):
    """The verified bodies `endpoint` received, by language."""
    bodies = [
        Webhook(endpoint.secret).verify(request.body, request.headers)
        for request in receiver.requests
    ]
    return {body["data"]["language"]: body for body in bodies}


def api_get(client, url):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)


def test_a_german_edit_reaches_each_language_of_an_endpoint_with_its_api_url(
    client, witten, receiver, committed
):
    endpoint = Endpoint.objects.create(
        name="Witten", url=receiver.url, languages=["de", "ar"]
    )
    with committed():
        witten.title = "Grundlagenschulung (neuer Raum)"
        witten.save_revision().publish()
    assert len(receiver.requests) == 2
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 2
    by_language = received(endpoint, receiver)
    assert sorted(by_language) == ["ar", "de"]
    german, arabic = by_language["de"], by_language["ar"]
    for body in (german, arabic):
        assert (body["type"], body["data"]["id"]) == ("item.updated", witten.pk)
    assert german["data"]["api_url"].endswith(f"/api/v1/events/{witten.pk}/")
    assert arabic["data"]["api_url"] == german["data"]["api_url"] + "?lang=ar"
    assert german["data"]["modified_at"] == arabic["data"]["modified_at"]
    # Both addresses answer, each in its language (Arabic shows German as fallback).
    answer = api_get(client, arabic["data"]["api_url"])
    assert answer.status_code == 200
    assert answer.json()["title"] == "Grundlagenschulung (neuer Raum)"
    assert answer.json()["fallback"] is True
    assert api_get(client, german["data"]["api_url"]).json()["language"] == "de"


def test_a_german_only_endpoint_receives_exactly_the_bytes_it_did_before(
    receiver, committed
):
    endpoint = Endpoint.objects.create(name="Witten", url=receiver.url)
    assert endpoint.languages == ["de"]
    with time_machine.travel(
        dt.datetime(2030, 5, 2, 13, 0, 3, tzinfo=dt.UTC), tick=False
    ):
        announce(committed, item_event(type="item.updated"))
    [request] = receiver.requests
    # The same members and values as before languages existed, nothing added (the
    # order of the members is the database's: PostgreSQL's jsonb sorts them).
    assert json.loads(request.body) == {
        "type": "item.updated",
        "timestamp": "2030-05-02T15:00:03+02:00",
        "data": {
            "type": "event",
            "id": 42,
            "modified_at": "2030-05-02T15:00:00+02:00",
            "api_url": "http://127.0.0.1:8000/api/v1/events/42/",
            "language": "de",
            "reason": "edit",
        },
    }
    assert request.body == body_of(Delivery.objects.get()).encode()
    assert Delivery.objects.get().language == "de"


def test_an_arabic_translation_published_reaches_the_arabic_subscription(
    client, witten, receiver, committed
):
    arabic_only = Endpoint.objects.create(
        name="Arabisch", url=receiver.url, languages=["ar"]
    )
    with committed():
        translate(witten, "ar", prefix="عربي")
    # (wagtail-localize saves the new translation, then publishes it: two changes.)
    deliveries = Delivery.objects.filter(endpoint=arabic_only).order_by("event_seq")
    assert deliveries and {delivery.language for delivery in deliveries} == {"ar"}
    body = Webhook(arabic_only.secret).verify(
        receiver.requests[-1].body, receiver.requests[-1].headers
    )
    assert body == deliveries.last().payload
    assert (body["type"], body["data"]["id"]) == ("item.updated", witten.pk)
    assert body["data"]["language"] == "ar"
    assert body["data"]["api_url"].endswith(f"/api/v1/events/{witten.pk}/?lang=ar")
    item = api_get(client, body["data"]["api_url"]).json()
    assert item["title"].startswith("عربي")
    assert item["modified_at"] == body["data"]["modified_at"]


def test_a_translation_published_also_reaches_german_subscribers(
    witten, receiver, committed
):
    """Documented: the change log cannot tell a translation's own change apart from a
    German one, so every change goes to every language (docs/webhooks.md)."""
    german_only = Endpoint.objects.create(name="Deutsch", url=receiver.url)
    with committed():
        translate(witten, "en")
    body = received(german_only, receiver)["de"]
    assert (body["type"], body["data"]["id"]) == ("item.updated", witten.pk)
    assert "?lang" not in body["data"]["api_url"]


def test_an_event_announced_twice_is_delivered_once_per_language(receiver, committed):
    endpoint = Endpoint.objects.create(
        name="Witten", url=receiver.url, languages=["de", "uk", "ar"]
    )
    announce(committed, item_event(seq=7))
    announce(committed, item_event(seq=7))
    # Table order, German first, whatever order the endpoint lists them in.
    assert list(
        Delivery.objects.order_by("pk").values_list("event_seq", "language")
    ) == [(7, "de"), (7, "ar"), (7, "uk")]
    assert len(receiver.requests) == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            endpoint=endpoint,
            event_seq=7,
            event_type="item.published",
            payload={},
            language="ar",
        )
    Delivery.objects.create(
        endpoint=endpoint,
        event_seq=7,
        event_type="item.published",
        payload={},
        language="en",
    )


def test_a_language_the_hub_no_longer_offers_is_not_sent(
    monkeypatch, receiver, committed
):
    endpoint = Endpoint.objects.create(
        name="Witten", url=receiver.url, languages=["de", "fa"]
    )
    offered = tuple(lang for lang in locales.available() if lang.tag != "fa")
    monkeypatch.setattr(locales, "available", lambda: offered)
    announce(committed, item_event())
    assert [json.loads(r.body)["data"]["language"] for r in receiver.requests] == ["de"]
    assert Endpoint.objects.get(pk=endpoint.pk).languages == ["de", "fa"]


def test_an_endpoint_whose_languages_are_all_switched_off_receives_german(
    monkeypatch, receiver, committed
):
    Endpoint.objects.create(name="Witten", url=receiver.url, languages=["fa"])
    offered = tuple(lang for lang in locales.available() if lang.tag != "fa")
    monkeypatch.setattr(locales, "available", lambda: offered)
    announce(committed, item_event())
    assert [json.loads(r.body)["data"]["language"] for r in receiver.requests] == ["de"]


def test_the_test_message_names_the_languages(receiver, endpoint, committed):
    endpoint.languages = ["de", "de-x-ls", "ar"]
    endpoint.save()
    with committed():
        send_test(endpoint)
    [request] = receiver.requests
    body = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert body["data"] == {
        "endpoint": endpoint.name,
        "languages": ["de", "de-x-ls", "ar"],
    }


@pytest.mark.parametrize(
    "bad",
    [[], ["xx"], ["AR"], "de", [None]],
    ids=["none", "unknown", "case", "str", "null"],
)
def test_languages_must_be_hub_languages(bad):
    endpoint = Endpoint(name="x", url="https://127.0.0.1/", languages=bad)
    with pytest.raises(ValidationError) as error:
        endpoint.full_clean(exclude=["url"])
    assert list(error.value.message_dict) == ["languages"]


# --- Admin ------------------------------------------------------------------------------


def test_the_form_offers_each_language_by_native_and_german_name(manager):
    page = manager.get(reverse("webhooks:add")).content.decode()
    assert '<span lang="ar" dir="rtl">العربية</span> (Arabisch)' in page
    assert '<span lang="uk" dir="ltr">Українська</span> (Ukrainisch)' in page
    assert "Leichte Sprache" in page
    # A new endpoint receives German unless told otherwise.
    assert 'name="languages" value="de" ' in page
    german = page.split('name="languages" value="de"')[1].split(">")[0]
    assert "checked" in german
    arabic = page.split('name="languages" value="ar"')[1].split(">")[0]
    assert "checked" not in arabic


def test_the_form_saves_languages_and_the_list_shows_them(manager):
    response = manager.post(reverse("webhooks:add"), form(languages=["de", "ar"]))
    assert response.status_code == 302, response.context["form"].errors
    endpoint = Endpoint.objects.get()
    assert endpoint.languages == ["de", "ar"]
    assert (
        "Deutsch, Arabisch" in manager.get(reverse("webhooks:index")).content.decode()
    )
    edit = reverse("webhooks:edit", args=[endpoint.pk])
    response = manager.post(edit, form(languages=["en"]))
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.languages == ["en"]


@pytest.mark.parametrize(
    ("languages", "message"),
    [([], "mindestens eine Sprache"), (["xx"], "„xx“ ist keine Sprache des Hubs")],
)
def test_the_form_explains_a_missing_or_unknown_language(manager, languages, message):
    response = manager.post(reverse("webhooks:add"), form(languages=languages))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["languages"])
    assert not Endpoint.objects.exists()


def test_the_delivery_log_shows_each_message_s_language(manager, receiver, committed):
    endpoint = Endpoint.objects.create(
        name="Witten", url=receiver.url, languages=["de", "ar"]
    )
    announce(committed, item_event())
    with committed():
        manager.post(reverse("webhooks:test", args=[endpoint.pk]))
    log = manager.get(reverse("webhooks:deliveries", args=[endpoint.pk]))
    page = log.content.decode()
    assert '<th scope="col">Sprache</th>' in page
    assert "<td>Arabisch</td>" in page
    assert "<td>Deutsch</td>" in page
    assert "<td>Deutsch, Arabisch</td>" in page  # the test message
    edit = manager.get(reverse("webhooks:edit", args=[endpoint.pk])).content.decode()
    assert "Veröffentlicht: Veranstaltung 42 · Arabisch" in edit


def test_languages_match_the_table(manager):
    """Every offered language is a choice, in the table's order."""
    page = manager.get(reverse("webhooks:add")).content.decode()
    positions = [
        page.index(f'name="languages" value="{language.tag}"')
        for language in locales.available()
    ]
    assert positions == sorted(positions)
    assert len(positions) == len(languages.DEFAULT_LANGUAGES)
