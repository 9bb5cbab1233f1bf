"""Editors with „Webhooks verwalten“ manage endpoints under Einstellungen; the secret is
shown once; others are kept out."""

import re

from django.test import override_settings
from django.urls import reverse

import pytest
from standardwebhooks import Webhook

from pages.snippets import City
from webhooks.models import Delivery, DeliveryStatus, Endpoint

pytestmark = pytest.mark.django_db

INDEX = reverse("webhooks:index")
ADD = reverse("webhooks:add")
SECRET_RE = re.compile(r"whsec_[A-Za-z0-9+/=]+")


def form(**overrides):
    data = {
        "name": "Stadt Witten",
        "url": "https://hooks.witten.example/hub",
        "events": ["published", "updated", "deleted"],
        "languages": ["de"],
        "active": "on",
    }
    data.update(overrides)
    return data


def test_an_editor_without_the_permission_is_kept_out(client, editor):
    client.force_login(editor)
    for url in (INDEX, ADD):
        response = client.get(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "webhooks" not in response["location"]
    endpoint = Endpoint.objects.create(name="x", url="https://hooks.witten.example/")
    for view in ("edit", "secret", "rotate", "test", "deliveries"):
        response = client.get(reverse(f"webhooks:{view}", args=[endpoint.pk]))
        assert response.status_code in (302, 403), view
    response = client.post(reverse("webhooks:rotate", args=[endpoint.pk]))
    assert response.status_code in (302, 403)
    assert Endpoint.objects.get().secret == endpoint.secret
    assert "Webhooks" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_menu_item_is_under_settings_for_managers(manager):
    page = manager.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX in page


def test_create_shows_the_secret_once(manager):
    response = manager.post(ADD, form())
    assert response.status_code == 302, response.context["form"].errors
    endpoint = Endpoint.objects.get()
    assert response["location"] == reverse("webhooks:secret", args=[endpoint.pk])
    page = manager.get(response["location"]).content.decode()
    assert SECRET_RE.findall(page) == [endpoint.secret]
    assert "nur jetzt" in page
    again = manager.get(response["location"]).content.decode()
    assert endpoint.secret not in again and "nur einmal angezeigt" in again
    edit = manager.get(reverse("webhooks:edit", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in edit
    assert endpoint.secret not in manager.get(INDEX).content.decode()
    assert endpoint.events == ["published", "updated", "deleted"]


def test_filters_are_saved(manager):
    witten = City.objects.get(slug="witten")
    response = manager.post(ADD, form(sections=["events", "press"], cities=[witten.pk]))
    assert response.status_code == 302, response.context["form"].errors
    endpoint = Endpoint.objects.get()
    assert endpoint.sections == ["events", "press"]
    assert list(endpoint.cities.all()) == [witten]


def test_an_edit_keeps_the_secret_and_does_not_show_it(manager):
    endpoint = Endpoint.objects.create(name="x", url="https://hooks.witten.example/")
    response = manager.post(
        reverse("webhooks:edit", args=[endpoint.pk]), form(name="Witten neu")
    )
    assert response.status_code == 302
    assert endpoint.secret not in manager.get(response["location"]).content.decode()
    updated = Endpoint.objects.get()
    assert (updated.name, updated.secret) == ("Witten neu", endpoint.secret)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (form(url="http://hooks.witten.example/hub"), "url", "https-Adresse"),
        (form(url="https://127.0.0.1/hub"), "url", "Loopback"),
        (form(url="https://169.254.169.254/"), "url", "Link-Local"),
        (form(events=[]), "events", "mindestens ein Ereignis"),
        (form(name=""), "name", ""),
    ],
)
def test_german_validation_messages(manager, data, field, message):
    with override_settings(
        HUB_OUTBOUND_ALLOW_PRIVATE=False, HUB_WEBHOOKS_ALLOW_HTTP=False
    ):
        response = manager.post(ADD, data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert not Endpoint.objects.exists()


def test_rotation_shows_the_new_secret_once_and_keeps_the_old_one_valid(manager):
    endpoint = Endpoint.objects.create(name="x", url="https://hooks.witten.example/")
    rotate = reverse("webhooks:rotate", args=[endpoint.pk])
    assert "24 Stunden" in manager.get(rotate).content.decode()
    response = manager.post(rotate)
    rotated = Endpoint.objects.get()
    assert rotated.secret != endpoint.secret
    assert rotated.previous_secret == endpoint.secret
    assert rotated.signing_secrets() == [rotated.secret, endpoint.secret]
    page = manager.get(response["location"]).content.decode()
    assert SECRET_RE.findall(page) == [rotated.secret]
    assert rotated.secret not in manager.get(response["location"]).content.decode()


def test_a_test_message_and_the_delivery_log(manager, receiver, committed):
    endpoint = Endpoint.objects.create(name="Witten", url=receiver.url)
    with committed():
        response = manager.post(reverse("webhooks:test", args=[endpoint.pk]))
    assert response["location"] == reverse("webhooks:deliveries", args=[endpoint.pk])
    [request] = receiver.requests
    assert Webhook(endpoint.secret).verify(request.body, request.headers)["type"] == (
        "webhook.test"
    )
    Delivery.objects.create(
        endpoint=endpoint,
        event_type="item.deleted",
        payload={"data": {"type": "event", "id": 42}},
        status=DeliveryStatus.FAILED,
        attempts=3,
        response_status=503,
        last_error="Antwort 503: Wartung",
    )
    page = manager.get(response["location"]).content.decode()
    assert "item.deleted" not in page and "webhook.test" not in page
    for text in (
        "Zugestellt",
        "Fehlgeschlagen, neuer Versuch geplant",
        "503",
        "Antwort 503: Wartung",
        "Nicht mehr öffentlich: Veranstaltung 42",
        "Testnachricht",
        "Antwortcode",
        "Versuche",
    ):
        assert text in page, text


def test_editors_see_why_an_endpoint_was_switched_off(manager):
    endpoint = Endpoint.objects.create(
        name="x",
        url="https://hooks.witten.example/",
        active=False,
        disabled_reason="Die Partnerseite hat mit 410 (Gone) geantwortet.",
    )
    Endpoint.objects.filter(pk=endpoint.pk).update(disabled_at="2030-01-01T10:00Z")
    edit = manager.get(reverse("webhooks:edit", args=[endpoint.pk])).content.decode()
    assert "Automatisch deaktiviert am 01.01.2030" in edit
    assert "410 (Gone)" in edit
    assert "automatisch deaktiviert" in manager.get(INDEX).content.decode()
    # Switching it back on starts afresh.
    manager.post(reverse("webhooks:edit", args=[endpoint.pk]), form())
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.disabled_at is None
    assert endpoint.disabled_reason == ""


def test_a_superuser_may_manage_webhooks(client, django_user_model):
    admin = django_user_model.objects.create_superuser("chef", "c@example.org", "x")
    client.force_login(admin)
    assert client.get(INDEX).status_code == 200
    assert client.get(ADD).status_code == 200
