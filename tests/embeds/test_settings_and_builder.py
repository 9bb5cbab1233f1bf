from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from embeds.models import EmbedSettings, parse_origins

pytestmark = pytest.mark.django_db


def test_origins_are_normalised():
    assert parse_origins(
        " HTTPS://www.Witten.de/ \n\nhttp://localhost:8080\nhttps://www.witten.de"
    ) == [
        "https://www.witten.de",
        "http://localhost:8080",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "www.witten.de",
        "ftp://witten.de",
        "https://witten.de/veranstaltungen",
        "https://witten.de:99999",
        "https://*.witten.de",
        "https://witten.de?x=1",
        "'self'",
        "https://witten.de; script-src *",
    ],
)
def test_bad_origins_are_refused_in_german(line):
    with pytest.raises(ValidationError) as error:
        parse_origins(f"https://www.witten.de\n{line}")
    assert "Keine gültige Adresse" in error.value.messages[0]


def test_setting_validates_when_editors_save():
    settings_row = EmbedSettings.load()
    settings_row.allowed_origins = "https://witten.de/pfad"
    with pytest.raises(ValidationError) as error:
        settings_row.full_clean()
    assert "allowed_origins" in error.value.message_dict


def test_command_sets_and_adds_origins(capsys):
    call_command("embed_origins", "https://www.witten.de")
    call_command("embed_origins", "--add", "http://localhost:8302")
    assert EmbedSettings.load().origins == [
        "https://www.witten.de",
        "http://localhost:8302",
    ]
    with pytest.raises(CommandError):
        call_command("embed_origins", "nicht-gueltig")


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("builder", "b@example.org", "pw")
    client.force_login(user)
    return client


def test_builder_offers_iframe_code_and_preview(editor):
    response = editor.get(
        "/admin/einbettung/",
        {
            "variant": "iframe",
            "section": "events",
            "city": "witten",
            "limit": "5",
            "accent": "#7A1F00",
            "status": ["confirmed", "scheduled"],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Einbettung für Partnerseiten" in html
    src = "/embed/events/?city=witten&amp;amp;status=confirmed%2Cscheduled&amp;amp;limit=5&amp;amp;accent=7a1f00"
    assert f"http://127.0.0.1:8000{src}" in html  # escaped inside the textarea
    assert (
        'src="/embed/events/?city=witten&amp;status=confirmed%2Cscheduled&amp;limit=5&amp;accent=7a1f00"'
        in html
    )
    assert "Code kopieren" in html


def test_builder_offers_script_code(editor):
    html = editor.get(
        "/admin/einbettung/",
        {
            "variant": "script",
            "section": "press",
            "city": "witten",
            "limit": "3",
            "upcoming": "true",
        },
    ).content.decode()
    assert "data-hub-section=&quot;press&quot;" in html
    assert "data-hub-city=&quot;witten&quot;" in html
    assert "data-hub-upcoming" not in html  # only events know "upcoming"
    deeper = editor.get(
        "/admin/einbettung/",
        {"variant": "script", "section": "press", "limit": "3", "heading": "3"},
    ).content.decode()
    assert "data-hub-heading=&quot;3&quot;" in deeper
    assert "/embed/hub-embed.js" in html


def test_builder_rejects_bad_colour_without_error_page(editor):
    response = editor.get(
        "/admin/einbettung/",
        {"variant": "iframe", "section": "events", "limit": "5", "accent": "rot"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte eine Farbe wie #00567a angeben." in html
    assert "embed-code" not in html


def test_builder_is_for_editors_only(client):
    response = client.get("/admin/einbettung/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editors_see_origin_errors_in_the_settings_form(editor):
    url = editor.get("/admin/settings/embeds/embedsettings/")["Location"]
    assert editor.get(url).status_code == 200
    response = editor.post(url, {"allowed_origins": "https://www.witten.de/pfad"})
    assert response.status_code == 200
    assert "Keine gültige Adresse" in response.content.decode()
    saved = editor.post(url, {"allowed_origins": "HTTPS://www.Witten.de/\n"})
    assert saved.status_code == 302
    assert EmbedSettings.load().allowed_origins == "https://www.witten.de"
