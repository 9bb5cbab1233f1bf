"""Public pages in other languages: lang/dir, the language switcher, hreflang alternates
and which translations the public may see (the German page decides)."""

import datetime as dt
import re

from django.utils import timezone

from wagtail.models import Locale, PageViewRestriction

import pytest
from bs4 import BeautifulSoup

from pages.models import EventPage
from pages.queries import all_pages
from tests.factories import EventPageFactory

from .test_page_translations import translate

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"  # the test site's root URL (SITE_BASE_URL)


@pytest.fixture
def event(demo):
    return EventPageFactory(
        parent=demo.events,
        title="Sprachcafé",
        slug="sprachcafe-i18n",
        teaser="Deutsch üben bei Kaffee.",
        occurrences=1,
    )


@pytest.fixture
def translated(event, django_capture_on_commit_callbacks):
    """The event in Arabic and Leichte Sprache, both published."""
    return {
        tag: translate(event, tag, {"title": title}, django_capture_on_commit_callbacks)
        for tag, title in [("ar", "مقهى اللغة"), ("de-x-ls", "Sprach-Café")]
    }


def page(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content, "html.parser")


def alternates(soup: BeautifulSoup) -> dict[str, str]:
    return {
        link["hreflang"]: link["href"]
        for link in soup.find_all("link", rel="alternate", hreflang=True)
    }


def test_the_arabic_translation_is_served_right_to_left_in_arabic(client, translated):
    soup = page(client, "/ar/veranstaltungen/sprachcafe-i18n/")
    html = soup.find("html")
    assert (html["lang"], html["dir"]) == ("ar", "rtl")
    assert "مقهى اللغة" in soup.find("main").get_text()
    # The hub's own wording around it is Arabic too (no German island to mark).
    assert soup.find("header").get("lang") is None
    assert "الفعاليات" in soup.find("header").get_text()


def test_german_and_leichte_sprache_pages_are_left_to_right_german(client, translated):
    html = page(client, "/veranstaltungen/sprachcafe-i18n/").find("html")
    assert (html["lang"], html["dir"]) == ("de", "ltr")
    html = page(client, "/de-x-ls/veranstaltungen/sprachcafe-i18n/").find("html")
    assert (html["lang"], html["dir"]) == ("de-x-ls", "ltr")


def test_the_switcher_links_every_published_version_in_its_own_name(client, translated):
    soup = page(client, "/ar/veranstaltungen/sprachcafe-i18n/")
    nav = soup.find("nav", class_="language-switcher")
    assert nav["aria-label"]
    links = [
        (a.get_text(), a["href"], a["hreflang"], a["lang"], a.get("aria-current"))
        for a in nav.find_all("a")
    ]
    assert links == [
        (
            "Deutsch",
            f"{BASE}/veranstaltungen/sprachcafe-i18n/",
            "de",
            "de",
            None,
        ),
        (
            "Leichte Sprache",
            f"{BASE}/de-x-ls/veranstaltungen/sprachcafe-i18n/",
            "de-x-ls",
            "de-x-ls",
            None,
        ),
        (
            "العربية",
            f"{BASE}/ar/veranstaltungen/sprachcafe-i18n/",
            "ar",
            "ar",
            "true",
        ),
    ]


def test_alternates_are_the_same_set_on_every_version(client, translated):
    expected = {
        "de": f"{BASE}/veranstaltungen/sprachcafe-i18n/",
        "de-x-ls": f"{BASE}/de-x-ls/veranstaltungen/sprachcafe-i18n/",
        "ar": f"{BASE}/ar/veranstaltungen/sprachcafe-i18n/",
        "x-default": f"{BASE}/veranstaltungen/sprachcafe-i18n/",
    }
    for path in expected.values():
        assert alternates(page(client, re.sub(r"^https?://[^/]+", "", path))) == (
            expected
        )


def test_a_page_without_translations_has_no_switcher_and_no_alternates(client, event):
    soup = page(client, "/veranstaltungen/sprachcafe-i18n/")
    assert soup.find("nav", class_="language-switcher") is None
    assert alternates(soup) == {}


def test_the_translated_trees_link_each_other(client, demo):
    soup = page(client, "/tr/veranstaltungen/")
    assert soup.find("html")["lang"] == "tr"
    assert set(alternates(soup)) == {
        "de",
        "de-x-ls",
        "en",
        "ar",
        "uk",
        "tr",
        "fa",
        "ru",
        "x-default",
    }


def arabic_is_shown(client) -> bool:
    status = client.get("/ar/veranstaltungen/sprachcafe-i18n/").status_code
    listed = all_pages().visible().filter(locale__language_code="ar", depth=4)
    in_query = listed.filter(slug="sprachcafe-i18n").exists()
    assert (status == 200) == in_query
    return in_query


def test_a_german_draft_hides_its_translations(client, event, translated):
    assert arabic_is_shown(client)
    event.unpublish()
    assert not arabic_is_shown(client)


def test_an_expired_german_page_hides_its_translations(client, event, translated):
    EventPage.objects.filter(pk=event.pk).update(
        expire_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert not arabic_is_shown(client)


def test_a_scheduled_german_page_hides_its_translations(client, event, translated):
    EventPage.objects.filter(pk=event.pk).update(
        go_live_at=timezone.now() + dt.timedelta(days=1)
    )
    assert not arabic_is_shown(client)


def test_a_private_german_page_hides_its_translations(client, event, translated):
    PageViewRestriction.objects.create(
        page=event, restriction_type=PageViewRestriction.LOGIN
    )
    assert not arabic_is_shown(client)
    soup = page(client, "/de-x-ls/veranstaltungen/")  # the tree itself stays public
    assert soup.find("html")["lang"] == "de-x-ls"


def test_a_german_page_below_a_draft_index_hides_its_translations(
    client, demo, translated
):
    demo.events.unpublish()
    assert not arabic_is_shown(client)


def test_a_translated_draft_is_not_shown_but_german_still_is(client, event, translated):
    translated["ar"].unpublish()
    assert not arabic_is_shown(client)
    soup = page(client, "/veranstaltungen/sprachcafe-i18n/")
    assert set(alternates(soup)) == {"de", "de-x-ls", "x-default"}


def test_a_draft_language_tree_hides_its_translations(client, demo, translated):
    demo.events.get_translation(Locale.objects.get(language_code="ar")).unpublish()
    assert not arabic_is_shown(client)
    assert page(client, "/de-x-ls/veranstaltungen/sprachcafe-i18n/")


def test_the_status_reads_in_the_pages_language_from_the_offices_wording(
    client, event, translated
):
    from pages.snippets import StatusWording

    german = StatusWording.objects.get(status=event.status, locale__language_code="de")
    arabic = german.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.wording = "تُقام الفعالية"
    arabic.save()
    path = "veranstaltungen/sprachcafe-i18n/"
    assert page(client, "/ar/" + path).select_one(".status").text == "تُقام الفعالية"
    # Leichte Sprache has no wording of its own yet: the German one, capitalised.
    assert page(client, "/de-x-ls/" + path).select_one(".status").text == (
        german.wording[0].upper() + german.wording[1:]
    )
    assert page(client, "/" + path).select_one(".status").text == (
        german.wording[0].upper() + german.wording[1:]
    )
    listing = page(client, "/ar/veranstaltungen/")
    assert "تُقام الفعالية" in [status.text for status in listing.select(".status")]


def test_the_arabic_page_is_framed_in_arabic_and_its_navigation_stays_in_arabic(
    client, translated
):
    soup = page(client, "/ar/veranstaltungen/sprachcafe-i18n/")
    navigation = soup.select_one(".site-header nav")
    assert navigation["aria-label"] == "القائمة الرئيسية"
    links = {a.text: a["href"] for a in navigation.select("a")}
    assert links["الفعاليات"] == "/ar/veranstaltungen/"
    assert all(href.startswith("/ar/") for href in links.values())
    assert soup.select_one(".site-title")["href"] == "/ar/"
    assert soup.select_one(".skip-link").text == "انتقل إلى المحتوى"
    assert soup.title.text.endswith("المركز البلدي للاندماج، منطقة إنيبه-رور")
    assert soup.select_one(".site-header").get("lang") is None  # the page's own
    # Every navigation target exists in Arabic.
    for href in links.values():
        assert client.get(href).status_code == 200, href


def test_the_german_frame_is_unchanged(client, translated):
    soup = page(client, "/veranstaltungen/sprachcafe-i18n/")
    navigation = soup.select_one(".site-header nav")
    assert navigation["aria-label"] == "Hauptnavigation"
    assert {a.text: a["href"] for a in navigation.select("a")}["Veranstaltungen"] == (
        "/veranstaltungen/"
    )
    assert soup.select_one(".site-title")["href"] == "/"
    assert soup.select_one(".skip-link").text == "Zum Inhalt springen"
    assert soup.title.text.endswith(
        "– Kommunales Integrationszentrum Ennepe-Ruhr-Kreis"
    )


def test_directory_entries_read_in_the_pages_language(client, event, translated):
    from pages.snippets import City, Topic, Venue

    arabic = Locale.objects.get(language_code="ar")
    city = City.objects.get(pk=event.city_id)
    city_ar = city.copy_for_translation(arabic)
    city_ar.name = "مدينة الاختبار"
    city_ar.save()
    topic = Topic.objects.filter(pk__in=event.topics.values("pk")).first()
    if topic is not None:
        topic_ar = topic.copy_for_translation(arabic)
        topic_ar.name = "موضوع مترجم"
        topic_ar.save()
    venue = Venue.objects.filter(locale__language_code="de").first()
    EventPage.objects.filter(pk=event.pk).update(venue=venue)
    venue.accessibility = "Stufenloser Zugang."
    venue.save()
    venue_ar = venue.copy_for_translation(arabic)
    venue_ar.accessibility = "مدخل بدون درج."
    venue_ar.save()

    arabic_page = page(client, "/ar/veranstaltungen/sprachcafe-i18n/").find("main")
    assert "مدينة الاختبار" in arabic_page.get_text()
    assert "مدخل بدون درج." in arabic_page.get_text()
    assert "Stufenloser Zugang." not in arabic_page.get_text()
    if topic is not None:
        assert "موضوع مترجم" in arabic_page.get_text()
    german_page = page(client, "/veranstaltungen/sprachcafe-i18n/").find("main")
    assert city.name in german_page.get_text()
    assert "Stufenloser Zugang." in german_page.get_text()
    # No translation: the German entry's name, in Leichte Sprache too.
    assert (
        city.name
        in page(client, "/de-x-ls/veranstaltungen/sprachcafe-i18n/").get_text()
    )


def test_a_translated_press_release_shows_the_german_pages_date_as_it_is_now(
    client, demo, django_capture_on_commit_callbacks
):
    from pages.models import PressReleasePage

    german = PressReleasePage.objects.filter(locale__language_code="de").last()
    arabic = translate(
        german, "ar", {"title": "بيان"}, django_capture_on_commit_callbacks
    )
    german.date = dt.date(2021, 3, 9)
    with django_capture_on_commit_callbacks(execute=True):
        german.save_revision().publish()
    html = client.get(arabic.url).content.decode()
    assert 'datetime="2021-03-09"' in html
