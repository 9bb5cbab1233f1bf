"""Stored data is safe whatever wrote it.

URL fields take only http(s) and mailto, checked by the model (`full_clean`: the admin,
imports, the shell); a URL that got past it (raw SQL, `QuerySet.update()`) never reaches
a reader or a partner; a body block whose stored value is outside its choices renders
as the allowed default.
"""

import json
from html import unescape

from django.core.exceptions import ValidationError
from django.db import connection

import pytest

from pages.links import INVALID_PUBLIC_URL, safe_url
from pages.models import EventAttachment, EventPage, PressReleasePage
from tests.factories import (
    CityFactory,
    EventAttachmentFactory,
    EventPageFactory,
    PressReleasePageFactory,
)
from tests.pages.test_admin import add_url, editor, event_form  # noqa: F401

pytestmark = pytest.mark.django_db

HOSTILE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://example.org/datei.pdf",
    "//example.org/ohne-schema",
    "/relativ",
    "mailto:",
    "http:alert(1)",
]
FINE_URLS = [
    "https://www.witten.de/anmeldung",
    "http://example.org/?a=1&b=2",
    "mailto:anmeldung@example.org",
    "mailto:anmeldung@example.org?subject=Sprachcaf%C3%A9",
]


# --- the model rejects them, whoever saves ----------------------------------------------


@pytest.mark.parametrize("url", HOSTILE_URLS)
@pytest.mark.parametrize(
    "model, field",
    [
        (EventPage, "online_url"),
        (EventPage, "registration_url"),
        (PressReleasePage, "original_url"),
        (EventAttachment, "url"),
    ],
)
def test_every_url_field_rejects_other_schemes(model, field, url):
    with pytest.raises(ValidationError) as error:
        model._meta.get_field(field).clean(url, model())
    assert error.value.messages[0].startswith("Bitte geben Sie")


@pytest.mark.parametrize("url", FINE_URLS)
def test_web_and_mail_links_are_accepted(url):
    assert EventPage._meta.get_field("registration_url").clean(url, EventPage()) == url


def test_full_clean_from_an_import_or_the_shell_rejects_javascript():
    event = EventPageFactory(occurrences=1)
    event.registration_url = "javascript:alert(document.cookie)"
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["registration_url"] == [INVALID_PUBLIC_URL]
    attachment = EventAttachment(
        page=event, title="Anmeldung", url="data:text/html,<script>alert(1)</script>"
    )
    with pytest.raises(ValidationError) as error:
        attachment.full_clean()
    assert "url" in error.value.message_dict


def test_admin_shows_the_german_message_on_the_field(editor, demo):  # noqa: F811
    response = editor.post(
        add_url(EventPage, demo.events),
        event_form(registration_url="javascript:alert(1)", registration_required="on"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["registration_url"] == [INVALID_PUBLIC_URL]
    assert not EventPage.objects.filter(slug="sprachcafe-witten").exists()


def test_admin_accepts_a_mailto_registration_link(editor, demo):  # noqa: F811
    response = editor.post(
        add_url(EventPage, demo.events),
        event_form(
            registration_url="mailto:anmeldung@example.org",
            registration_required="on",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(slug="sprachcafe-witten")
    assert event.registration_url == "mailto:anmeldung@example.org"


# --- what got into the database anyway never goes out -----------------------------------

SMUGGLED = "javascript:alert('lmsmuggledx')"


def write_raw(table: str, column: str, value: str, pk: int) -> None:
    """An UPDATE past the ORM, as a script or a database console would write it."""
    json_column = column == "body" and connection.vendor == "postgresql"
    placeholder = "CAST(%s AS jsonb)" if json_column else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = {placeholder} "  # noqa: S608 - constants
            "WHERE page_ptr_id = %s",
            [value, pk],
        )


def public_surfaces(page, kind: str, city: str) -> list[str]:
    query = f"?city={city}"
    return [
        page.url,
        f"/api/v1/{kind}/{query}",
        f"/api/v1/{kind}/{page.pk}/",
        f"/api/v1/items/{query}",
        *(f"/feeds/{kind}.{fmt}{query}" for fmt in ("rss", "atom", "json")),
        f"/embed/{kind}/{query}",
        f"/api/v2/pages/{page.pk}/",
    ]


def assert_nowhere(client, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = unescape(response.content.decode()).replace("\\/", "/")
        assert "lmsmuggledx" not in text, url
        assert "javascript:" not in text.lower(), url


def test_urls_written_past_validation_never_reach_the_public(client):
    city = CityFactory()
    event = EventPageFactory(
        city=city,
        occurrences=1,
        status="moved_online",
        registration_required=True,
        attachments=["link"],
    )
    EventPage.objects.filter(pk=event.pk).update(
        online_url=SMUGGLED, registration_url=SMUGGLED
    )
    EventAttachment.objects.filter(page=event).update(url=SMUGGLED)
    assert_nowhere(
        client,
        [
            *public_surfaces(event, "events", city.slug),
            f"/feeds/events.ics?city={city.slug}",
        ],
    )
    # The API says "no link" rather than passing the value on.
    detail = client.get(f"/api/v1/events/{event.pk}/").json()
    assert detail["online_url"] == ""


def test_raw_sql_urls_never_reach_the_public(client):
    city = CityFactory()
    release = PressReleasePageFactory(cities=[city])
    write_raw(
        "pages_pressreleasepage",
        "original_url",
        "data:text/html,<script>alert('lmsmuggledx')</script>",
        release.pk,
    )
    assert_nowhere(client, public_surfaces(release, "press", city.slug))


def test_attachment_made_by_the_factory_keeps_its_web_link():
    attachment = EventAttachmentFactory(link=True)
    attachment.refresh_from_db()
    assert attachment.url.startswith("https://example.org/")


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_safe_url_refuses_every_hostile_url(url):
    assert safe_url(url) == ""


@pytest.mark.parametrize("url", FINE_URLS)
def test_safe_url_keeps_web_and_mail_links(url):
    assert safe_url(url) == url


# --- body blocks are checked on the way out ---------------------------------------------


@pytest.mark.parametrize("level", ["h7", "h1", "", "<script>alert(1)</script>", None])
def test_heading_level_outside_the_choices_renders_as_h2(client, level):
    city = CityFactory()
    event = EventPageFactory(city=city, occurrences=1)
    body = [
        {
            "type": "heading",
            "value": {"text": "Zwischentitel lmheadingx", "level": level},
            "id": "0b6c1a52-5f0e-4c38-9c1e-6f3b0a4a1d11",
        }
    ]
    write_raw("pages_eventpage", "body", json.dumps(body), event.pk)

    page = client.get(event.url).content.decode()
    assert "<h2>Zwischentitel lmheadingx</h2>" in page
    detail = client.get(f"/api/v1/events/{event.pk}/").json()
    [block] = detail["blocks"]
    assert block["value"] == {"text": "Zwischentitel lmheadingx", "level": "h2"}
    assert "<h2>Zwischentitel lmheadingx</h2>" in detail["body"]
    feed = unescape(client.get(f"/feeds/events.rss?city={city.slug}").content.decode())
    assert "<h2>Zwischentitel lmheadingx</h2>" in feed
    for text in (page, json.dumps(detail), feed):
        assert "<script>alert" not in text
        assert "<h7" not in text and "<h1>Zwischentitel" not in text


def test_admin_adds_the_scheme_to_an_address_typed_without_one(editor, demo):  # noqa: F811
    response = editor.post(
        add_url(EventPage, demo.events),
        event_form(registration_url="www.witten.de/anmeldung"),
    )
    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(slug="sprachcafe-witten")
    assert event.registration_url == "https://www.witten.de/anmeldung"
