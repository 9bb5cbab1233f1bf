"""Languages wired into Django and Wagtail: locales, URL prefixes, no Accept-Language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale

import pytest

from hub import languages

pytestmark = pytest.mark.django_db


def test_every_default_language_is_a_locale_the_office_can_translate_into():
    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert codes == {language.tag for language in languages.DEFAULT_LANGUAGES}
    assert Locale.get_default().language_code == "de"
    assert settings.WAGTAIL_I18N_ENABLED


def test_leichte_sprache_is_named_in_german_in_the_admin():
    locale = Locale.objects.get(language_code="de-x-ls")
    assert locale.get_display_name() == "Leichte Sprache"
    assert Locale.objects.get(language_code="ar").get_display_name() == "Arabisch"


def test_german_pages_keep_their_unprefixed_urls(client, demo):
    response = client.get("/veranstaltungen/")
    assert response.status_code == 200
    assert "Content-Language" not in response
    with translation.override("ar"):
        assert reverse("wagtail_serve", args=["veranstaltungen/"]) == (
            "/ar/veranstaltungen/"
        )


@pytest.mark.parametrize(
    "path", ["/veranstaltungen/", "/api/v1/events/", "/feeds/events.rss"]
)
def test_accept_language_changes_nothing_and_no_answer_varies_by_it(client, demo, path):
    german = client.get(path)
    arabic = client.get(path, HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
    assert arabic.status_code == german.status_code == 200
    assert arabic.content == german.content
    assert "accept-language" not in arabic.get("Vary", "").lower()
    assert "Content-Language" not in arabic


def test_a_language_prefix_activates_that_language_for_the_request(client, demo):
    response = client.get("/de-x-ls/gibt-es-nicht/")
    assert response.status_code == 404
    assert response["Content-Language"] == "de-x-ls"
    assert translation.get_language() == "de-x-ls"


def test_a_tag_that_is_not_a_language_is_just_a_german_path(client, demo):
    response = client.get("/xx/veranstaltungen/")
    assert response.status_code == 404
    assert "Content-Language" not in response


@pytest.mark.parametrize("prefix", ["ar", "de-x-ls", "en"])
def test_an_untranslated_page_is_not_served_in_german_under_a_language_prefix(
    client, demo, prefix
):
    event = demo.events.get_children().live().first()
    assert client.get(event.url).status_code == 200
    assert client.get(f"/{prefix}{event.url}").status_code == 404
