"""A translated item as partners read it: API, change feed and feeds in its language.

Facts stay the German page's; text, links and status words follow the translation;
visibility is the German page's; a list costs the same in every language.
"""

from wagtail.models import Locale, Page, PageViewRestriction

import feedparser
import pytest
from icalendar import Calendar

from pages import locales
from pages.enums import EventStatus
from pages.models import EventPage
from pages.snippets import City, StatusWording
from tests.i18n.translating import translate

pytestmark = pytest.mark.django_db

WITTEN_SLUG = "laien-sprachmittlerpool-grundlagenschulung-witten-2020"


@pytest.fixture
def witten(demo):
    return EventPage.objects.get(slug=WITTEN_SLUG, locale__language_code="de")


@pytest.fixture
def arabic(witten, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return translate(witten, "ar", prefix="عربي")


def detail(client, page, lang=None):
    query = f"?lang={lang}" if lang else ""
    response = client.get(f"/api/v1/events/{page.pk}/{query}")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_the_arabic_item_has_arabic_text_and_german_facts(client, witten, arabic):
    german = detail(client, witten)
    body = detail(client, witten, "ar")
    assert body["id"] == witten.pk  # the German item's id in every language
    assert body["language"] == "ar"
    assert body["fallback"] is False
    assert body["title"].startswith("عربي")
    assert body["title"] != german["title"]
    assert body["url"].endswith(f"/ar/veranstaltungen/{WITTEN_SLUG}/")
    for fact in ("occurrences", "city", "venue", "recurrence", "registration"):
        if fact == "venue" and german["venue"] is not None:
            assert body["venue"]["street"] == german["venue"]["street"]
            continue
        if fact == "registration":
            assert body[fact]["required"] == german[fact]["required"]
            continue
        if fact == "city":
            assert (body[fact] or {}).get("slug") == (german[fact] or {}).get("slug")
            continue
        assert body[fact] == german[fact], fact
    assert body["status"]["value"] == german["status"]["value"]


def test_translations_link_each_language_both_ways(client, witten, arabic):
    german = detail(client, witten)
    arabic_body = detail(client, witten, "ar")
    expected = {
        "de": german["api_url"],
        "ar": german["api_url"] + "?lang=ar",
    }
    assert german["translations"] == expected
    assert arabic_body["translations"] == expected
    assert client.get(arabic_body["url"].split("8000", 1)[-1]).status_code in (200,)


def test_an_item_not_in_leichte_sprache_falls_back_while_arabic_is_translated(
    client, witten, arabic
):
    body = detail(client, witten, "de-x-ls")
    assert body["fallback"] is True
    assert body["language"] == "de"
    assert body["title"] == witten.title
    assert set(body["translations"]) == {"de", "ar"}


def test_the_arabic_list_shows_the_translation_and_falls_back_for_the_rest(
    client, witten, arabic
):
    results = client.get("/api/v1/events/?lang=ar&limit=100").json()["results"]
    german_ids = [
        item["id"] for item in client.get("/api/v1/events/?limit=100").json()["results"]
    ]
    assert [item["id"] for item in results] == german_ids  # no second item
    by_id = {item["id"]: item for item in results}
    assert by_id[witten.pk]["fallback"] is False
    assert by_id[witten.pk]["title"].startswith("عربي")
    assert all(item["fallback"] for pk, item in by_id.items() if pk != witten.pk)


def test_a_draft_translation_is_not_shown(
    client, witten, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        translate(witten, "en", publish=False)
    body = detail(client, witten, "en")
    assert body["fallback"] is True
    assert "en" not in body["translations"]


def test_an_unpublished_german_page_takes_its_translations_with_it(
    client, witten, arabic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        witten.unpublish()
    assert client.get(f"/api/v1/events/{witten.pk}/?lang=ar").status_code == 404
    assert client.get(f"/api/v1/events/{arabic.pk}/?lang=ar").status_code == 404
    assert client.get(f"/ar/veranstaltungen/{WITTEN_SLUG}/").status_code == 404


def test_a_private_german_page_hides_its_translation_everywhere(client, witten, arabic):
    PageViewRestriction.objects.create(
        page=witten, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert client.get(f"/api/v1/events/{witten.pk}/?lang=ar").status_code == 404
    ids = [
        item["id"]
        for item in client.get("/api/v1/events/?lang=ar&limit=100").json()["results"]
    ]
    assert witten.pk not in ids
    assert arabic.pk not in ids
    rss = client.get("/feeds/events.rss?lang=ar").content.decode()
    assert "عربي" not in rss


def test_the_translations_own_id_never_leaves_the_hub(client, witten, arabic):
    assert client.get(f"/api/v1/events/{arabic.pk}/").status_code == 404
    feed = client.get("/api/v1/changes/?limit=100&lang=ar").json()
    assert arabic.pk not in [item["id"] for item in feed["items"]]


def test_publishing_a_translation_is_an_update_of_its_item_in_the_change_feed(
    client, witten, django_capture_on_commit_callbacks
):
    cursor = client.get("/api/v1/changes/?limit=100").json()["cursor"]
    etag = client.get(f"/api/v1/events/{witten.pk}/?lang=ar")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        translate(witten, "ar", prefix="عربي")
    changed = client.get(f"/api/v1/changes/?cursor={cursor}&limit=100").json()
    assert [item["id"] for item in changed["items"]] == [witten.pk]
    assert changed["deleted"] == []
    fresh = client.get(
        f"/api/v1/events/{witten.pk}/?lang=ar", headers={"If-None-Match": etag}
    )
    assert fresh.status_code == 200
    assert fresh.json()["title"].startswith("عربي")


def test_status_words_follow_the_language_and_the_vocabulary_stays(
    client, witten, arabic
):
    status = witten.status
    german = StatusWording.objects.get(status=status, locale__language_code="de")
    wording = german.copy_for_translation(arabic.locale)
    wording.wording = "حالة مترجمة"
    wording.save()
    body = detail(client, witten, "ar")
    assert body["status"] == {
        "value": status,
        "label": "حالة مترجمة",
        "schema_org": detail(client, witten)["status"]["schema_org"],
    }
    assert detail(client, witten)["status"]["label"] == EventStatus(status).label


def test_feeds_in_arabic_say_so_in_every_format(client, witten, arabic):
    rss = feedparser.parse(client.get("/feeds/events.rss?lang=ar").content)
    assert rss.feed.language == "ar"
    titles = [entry.title for entry in rss.entries]
    assert any("عربي" in title for title in titles)
    atom = client.get("/feeds/events.atom?lang=ar").content.decode()
    assert 'xml:lang="ar"' in atom
    assert 'xml:lang="de"' in atom  # the entries still in German say so
    feed = client.get("/feeds/events.json?lang=ar").json()
    assert feed["language"] == "ar"
    languages = {item["language"] for item in feed["items"]}
    assert languages == {"ar", "de"}
    calendar = Calendar.from_ical(client.get("/feeds/events.ics?lang=ar").content)
    summaries = [
        event["SUMMARY"]
        for event in calendar.walk("VEVENT")
        if "عربي" in event["SUMMARY"]
    ]
    assert summaries
    assert all(summary.params["LANGUAGE"] == "ar" for summary in summaries)


def test_the_german_feeds_are_unchanged_by_a_translation(client, witten, arabic):
    rss = client.get("/feeds/events.rss").content.decode()
    assert "عربي" not in rss
    assert "<language>de</language>" in rss


def test_the_arabic_page_shows_the_german_pages_latest_status(
    client, witten, arabic, django_capture_on_commit_callbacks
):
    url = f"/ar/veranstaltungen/{WITTEN_SLUG}/"
    assert "status-cancelled" not in client.get(url).content.decode()
    witten.status = EventStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        witten.save_revision().publish()
    page = client.get(url).content.decode()
    assert "status-cancelled" in page
    assert "عربي" in page  # still the Arabic text


def test_a_language_the_office_removed_serves_no_pages(client, witten, arabic):
    url = f"/ar/veranstaltungen/{WITTEN_SLUG}/"
    assert client.get(url).status_code == 200
    # The office removes a language with its tree (Wagtail protects used locales).
    for home in Page.objects.filter(locale__language_code="fa", depth=2):
        home.delete()
    Locale.objects.filter(language_code="fa").delete()
    locales.forget()
    assert client.get(f"/fa/veranstaltungen/{WITTEN_SLUG}/").status_code == 404


def test_an_arabic_embed_is_arabic_and_right_to_left(client, witten, arabic):
    page = client.get("/embed/events/?lang=ar&limit=100").content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "عربي" in page
    german = client.get("/embed/events/?limit=100").content.decode()
    assert 'lang="de" dir="ltr"' in german
    assert "عربي" not in german


def test_translating_a_city_changes_the_arabic_city_list_at_once(
    client, demo, django_capture_on_commit_callbacks
):
    city = City.objects.create(name="Neustadt", slug="neustadt")
    before = client.get("/api/v1/cities/?lang=ar").json()["results"]
    assert {"slug": "neustadt", "name": "Neustadt"} in before
    translated = city.copy_for_translation(Locale.objects.get(language_code="ar"))
    translated.name = "نويشتادت"
    with django_capture_on_commit_callbacks(execute=True):
        translated.save()
    after = client.get("/api/v1/cities/?lang=ar").json()["results"]
    assert {"slug": "neustadt", "name": "نويشتادت"} in after
    german = client.get("/api/v1/cities/").json()["results"]
    assert {"slug": "neustadt", "name": "Neustadt"} in german


def search(client, q, lang=None):
    query = f"?q={q}" + (f"&lang={lang}" if lang else "")
    response = client.get(f"/api/v1/events/{query}")
    assert response.status_code == 200, response.content[:300]
    return [item["id"] for item in response.json()["results"]]


def test_a_reader_finds_an_item_by_the_words_of_its_translation(client, witten, arabic):
    # The Arabic prefix is in the Arabic text only: an Arabic reader finds the item by
    # it, a German reader does not; the German words find it in both languages.
    assert search(client, "عربي", "ar") == [witten.pk]
    assert search(client, "عربي") == []
    assert witten.pk in search(client, "Sprachmittlerpool", "ar")
    assert witten.pk in search(client, "Sprachmittlerpool")


def test_a_translations_words_find_nothing_once_the_german_page_is_private(
    client, witten, arabic
):
    PageViewRestriction.objects.create(
        page=witten, restriction_type=PageViewRestriction.LOGIN
    )
    assert search(client, "عربي", "ar") == []


def test_the_words_of_a_translation_the_public_cannot_see_find_nothing(
    client, witten, arabic
):
    PageViewRestriction.objects.create(
        page=arabic, restriction_type=PageViewRestriction.LOGIN
    )
    assert search(client, "عربي", "ar") == []
    assert witten.pk in search(client, "Sprachmittlerpool", "ar")


def test_a_directory_entry_change_reaches_the_translated_pages_showing_it(
    witten, arabic
):
    # A topic the German page gained after the translation: the Arabic page shows it
    # (it shows the German page's entries), so the change and the edge purge made
    # from it name the Arabic page too.
    from pages.caching import edge
    from pages.changes import entry_change
    from pages.snippets import Topic

    topic = Topic.objects.create(name="Neues Thema", slug="neues-thema")
    witten.topics.add(topic)
    witten.save_revision().publish()
    change = entry_change(topic)
    assert {witten.pk, arabic.pk} <= change.pages
    assert f"item-{arabic.pk}" in edge.purge_tags(change)


def test_the_embed_preview_of_a_translation_is_in_its_language_with_german_facts(
    rf, witten, arabic
):
    from hub.preview_modes import render_mode

    EventPage.objects.filter(pk=witten.pk).update(status=EventStatus.CANCELLED)
    html = render_mode(arabic, rf.get("/"), "embed").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "hub-embed__status--cancelled" in html
