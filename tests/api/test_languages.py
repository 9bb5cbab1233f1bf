"""`lang` on every API surface: validation, the languages offered, German fallback.

Translated items (text, links, visibility per language) are tested with the translated
trees in tests/i18n/test_api_translations.py.
"""

from wagtail.models import Locale, Page

import pytest

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/events/",
    "/api/v1/press/",
    "/api/v1/programmes/",
    "/api/v1/newsletters/",
    "/api/v1/items/",
    "/api/v1/changes/",
]


def reasons(client, url) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    return {item["name"]: item["reason"] for item in response.json()["invalid_params"]}


def test_the_languages_endpoint_lists_the_offered_languages_german_first(get_json):
    body = get_json("/api/v1/languages/")
    assert body["count"] == 8
    codes = [language["code"] for language in body["results"]]
    assert codes == ["de", "de-x-ls", "en", "ar", "uk", "tr", "fa", "ru"]
    arabic = body["results"][3]
    assert arabic == {
        "code": "ar",
        "name": "العربية",
        "name_de": "Arabisch",
        "dir": "rtl",
        "is_source": False,
    }
    assert body["results"][0]["is_source"] is True


def test_the_index_links_the_languages(get_json):
    names = [endpoint["name"] for endpoint in get_json("/api/v1/")["endpoints"]]
    assert "languages" in names


def test_a_language_the_office_switched_off_is_no_longer_offered(client, get_json):
    # The office removes a language with its tree (Wagtail protects used locales).
    for home in Page.objects.filter(locale__language_code="tr", depth=2):
        home.delete()
    Locale.objects.get(language_code="tr").delete()
    codes = [language["code"] for language in get_json("/api/v1/languages/")["results"]]
    assert "tr" not in codes
    assert "lang" in reasons(client, "/api/v1/events/?lang=tr")


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("value", ["xx", "de-si", "deutsch", "ar-", "%00", "a" * 300])
def test_an_unknown_language_is_a_400_naming_lang(client, url, value):
    found = reasons(client, f"{url}?lang={value}")
    assert set(found) == {"lang"}


def test_the_message_names_the_languages_on_offer(client):
    message = reasons(client, "/api/v1/events/?lang=de-si")["lang"]
    assert "de-x-ls" in message and "/api/v1/languages/" in message


@pytest.mark.parametrize("url", LISTS)
def test_lang_given_twice_is_a_400(client, url):
    assert "lang" in reasons(client, f"{url}?lang=ar&lang=en")


def test_a_detail_takes_lang_and_nothing_else(client, witten):
    url = f"/api/v1/events/{witten.pk}/"
    assert client.get(f"{url}?lang=ar").status_code == 200
    assert set(reasons(client, f"{url}?lang=xx")) == {"lang"}
    assert set(reasons(client, f"{url}?lang=ar&city=witten")) == {"city"}


@pytest.mark.parametrize("tag", ["DE-X-LS", "de-X-ls", "AR"])
def test_tags_are_read_in_any_case_and_answered_canonically(get_json, witten, tag):
    body = get_json(f"/api/v1/events/{witten.pk}/?lang={tag}")
    assert body["api_url"].endswith(f"?lang={tag.lower()}")


def test_german_items_say_so_and_list_german_as_their_only_language(get_json, witten):
    body = get_json(f"/api/v1/events/{witten.pk}/")
    assert body["language"] == "de"
    assert body["fallback"] is False
    assert body["translation_outdated"] is False
    assert body["translations"] == {"de": body["api_url"]}


@pytest.mark.parametrize("url", LISTS[:-1])
def test_an_untranslated_item_asked_for_in_arabic_is_german_marked_as_fallback(
    get_json, url
):
    german = get_json(url)["results"]
    arabic = get_json(f"{url}?lang=ar")["results"]
    assert [item["id"] for item in arabic] == [item["id"] for item in german]
    for before, after in zip(german, arabic, strict=True):
        assert after["title"] == before["title"]
        assert after["url"] == before["url"]
        assert after["language"] == "de"
        assert after["fallback"] is True
        assert after["api_url"] == before["api_url"] + "?lang=ar"


def test_german_asked_for_by_name_is_the_same_answer_as_without(client):
    plain = client.get("/api/v1/events/?limit=3")
    german = client.get("/api/v1/events/?limit=3&lang=de")
    assert german.json()["results"] == plain.json()["results"]


def test_each_language_is_its_own_cache_entry_and_etag(client):
    german = client.get("/api/v1/events/")
    arabic = client.get("/api/v1/events/?lang=ar")
    assert german["ETag"] != arabic["ETag"]
    again = client.get(
        "/api/v1/events/?lang=ar", headers={"If-None-Match": arabic["ETag"]}
    )
    assert again.status_code == 304
    assert "accept-language" not in arabic.get("Vary", "").lower()


def test_the_change_feed_keeps_the_language_in_its_cursor(client, get_json):
    body = get_json("/api/v1/changes/?lang=ar&limit=100")
    assert all(item["fallback"] for item in body["items"])
    cursor = body["cursor"]
    assert client.get(f"/api/v1/changes/?lang=ar&cursor={cursor}").status_code == 200
    assert "cursor" in reasons(client, f"/api/v1/changes/?cursor={cursor}")
