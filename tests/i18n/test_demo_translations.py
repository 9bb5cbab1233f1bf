"""The demo's own translations: the Witten language-mediator training and the holiday
learning press release in Leichte Sprache, English and Arabic, made through
wagtail-localize by the demo loader; every other item stays German and says so."""

import re
from typing import Any

from django.core.management import call_command

from wagtail.models import Locale, Page, Revision

import pytest
import yaml
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from pages.demo.loader import CONTENT_FILE, DemoContentLoader, translated_strings
from pages.models import EventPage, PressReleasePage, TranslationState
from pages.translation_report import CURRENT, MISSING, translation_rows

pytestmark = pytest.mark.django_db

SEED = yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))
WITTEN = "laien-sprachmittlerpool-grundlagenschulung-witten-2020"
HOLIDAY_LEARNING = "ferienlernangebot-gemeinsam-fuer-bildungschancen"
TRANSLATED: dict[str, tuple[type[Page], str, str]] = {
    WITTEN: (EventPage, "veranstaltungen", "events"),
    HOLIDAY_LEARNING: (PressReleasePage, "presse", "press"),
}
LANGUAGES = ("de-x-ls", "en", "ar")


def written(slug: str) -> dict[str, dict[str, Any]]:
    """The translations content.yaml holds for `slug`, by language tag."""
    items = SEED["events"] + SEED["press_releases"]
    found: dict[str, dict[str, Any]] = next(
        item for item in items if item["slug"] == slug
    )["translations"]
    return found


def german(slug: str) -> Page:
    model = TRANSLATED[slug][0]
    return model.objects.get(slug=slug, locale__language_code="de")


def translation_of(slug: str, tag: str) -> Page:
    """The translation of the German item `slug` into `tag` (its translation group)."""
    return german(slug).get_translation(Locale.objects.get(language_code=tag)).specific


@pytest.fixture
def demo_translations(demo, django_capture_on_commit_callbacks):
    """The demo with its translations, as `manage.py load_demo_content` leaves it."""
    with django_capture_on_commit_callbacks(execute=True):
        DemoContentLoader(log=lambda message: None).ensure_translations()


def test_the_seed_names_the_two_items_in_three_languages():
    assert set(written(WITTEN)) == set(LANGUAGES)
    assert set(written(HOLIDAY_LEARNING)) == set(LANGUAGES)


@pytest.mark.parametrize("slug", TRANSLATED)
@pytest.mark.parametrize("tag", LANGUAGES)
def test_each_translation_is_published_under_its_language_prefix(
    client, demo_translations, slug, tag
):
    source = german(slug)
    translation = translation_of(slug, tag)
    assert translation.live
    assert not translation.has_unpublished_changes
    assert translation.title == written(slug)[tag]["title"] != source.title
    assert translation.slug == source.slug
    section = TRANSLATED[slug][1]
    assert translation.url == f"/{tag}/{section}/{slug}/"
    response = client.get(translation.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{tag}"' in html
    assert translation.title in html


@pytest.mark.parametrize("slug", TRANSLATED)
def test_the_translations_are_wagtail_localize_translations_and_current(
    demo_translations, slug
):
    source_page = german(slug)
    source = TranslationSource.objects.get(
        object_id=source_page.translation_key, locale__language_code="de"
    )
    translations = Translation.objects.filter(source=source)
    assert {t.target_locale.language_code for t in translations} == set(LANGUAGES)
    for translation in translations:
        done, total = translation.get_progress()
        assert done == total > 0  # every German segment translated, none left German
    states = TranslationState.objects.filter(page=source_page)
    assert {s.locale.language_code for s in states} == set(LANGUAGES)
    assert not any(s.outdated for s in states)
    assert all(s.source_revision_id == source_page.live_revision_id for s in states)


def test_every_translatable_text_of_the_training_is_translated(demo_translations):
    arabic = translation_of(WITTEN, "ar")
    source = german(WITTEN).specific
    for field in ("title", "series", "teaser", "audience"):
        assert getattr(arabic, field) == written(WITTEN)["ar"][field]
        assert getattr(arabic, field) != getattr(source, field)


def test_the_press_release_body_is_translated_block_by_block(client, demo_translations):
    html = client.get(f"/de-x-ls/presse/{HOLIDAY_LEARNING}/").content.decode()
    assert re.search(r"machen mit\.<br/?>Sie lernen in 23 Gruppen\.<br/?>", html)
    assert "Kooperationspartnern" not in html  # no German sentence left behind
    english = client.get(f"/en/presse/{HOLIDAY_LEARNING}/").content.decode()
    assert "newly arrived families" in english


def test_the_api_gives_the_arabic_training_and_german_fallbacks(
    client, demo_translations
):
    witten = german(WITTEN)
    body = client.get(f"/api/v1/events/{witten.pk}/?lang=ar").json()
    assert body["language"] == "ar"
    assert body["fallback"] is False
    assert body["title"] == written(WITTEN)["ar"]["title"]
    assert body["url"].endswith(f"/ar/veranstaltungen/{WITTEN}/")
    assert set(body["translations"]) == {"de", *LANGUAGES}
    results = client.get("/api/v1/events/?lang=ar&limit=100").json()["results"]
    others = [item for item in results if item["id"] != witten.pk]
    assert others
    assert all(item["fallback"] is True for item in others)
    assert all(item["language"] == "de" for item in others)
    german_titles = set(
        EventPage.objects.filter(locale__language_code="de").values_list(
            "title", flat=True
        )
    )
    assert all(item["title"] in german_titles for item in others)


def test_the_api_gives_the_press_release_in_leichte_sprache(client, demo_translations):
    page = german(HOLIDAY_LEARNING)
    body = client.get(f"/api/v1/press/{page.pk}/?lang=de-x-ls").json()
    assert body["fallback"] is False
    assert body["language"] == "de-x-ls"
    assert body["title"] == "Lernen in den Sommer-Ferien"
    results = client.get("/api/v1/press/?lang=de-x-ls&limit=100").json()["results"]
    assert [item["fallback"] for item in results].count(False) == 1


def test_the_report_lists_every_other_item_as_missing(demo_translations):
    rows = translation_rows()
    translated_ids = {german(slug).pk for slug in TRANSLATED}
    current = {(row.page_id, row.language_code) for row in rows if row.state == CURRENT}
    assert current == {(pk, tag) for pk in translated_ids for tag in LANGUAGES}
    others = [row for row in rows if row.page_id not in translated_ids]
    assert others
    assert all(row.state == MISSING for row in others)
    assert {row.state for row in rows if row.language_code == "uk"} == {MISSING}


def test_loading_again_changes_nothing_and_keeps_an_editors_change(
    demo_translations, django_capture_on_commit_callbacks, capsys
):
    arabic = translation_of(WITTEN, "ar")
    arabic.title = "عنوان راجعه أحد المحررين"
    with django_capture_on_commit_callbacks(execute=True):
        arabic.save_revision().publish()
    counts = (
        Page.objects.count(),
        Revision.objects.count(),
        StringTranslation.objects.count(),
        TranslationState.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_content")
    assert "nichts geändert" in capsys.readouterr().out
    assert counts == (
        Page.objects.count(),
        Revision.objects.count(),
        StringTranslation.objects.count(),
        TranslationState.objects.count(),
    )
    arabic.refresh_from_db()
    assert arabic.title == "عنوان راجعه أحد المحررين"


def test_moving_the_demo_calendar_keeps_the_translations_current(
    demo_translations, django_capture_on_commit_callbacks
):
    witten = german(WITTEN)
    before = witten.live_revision_id
    with django_capture_on_commit_callbacks(execute=True):
        loader = DemoContentLoader(log=lambda message: None, dates="upcoming")
        loader.run()
    witten.refresh_from_db()
    assert loader.redated and witten.live_revision_id != before  # really redated
    assert not TranslationState.objects.filter(page=witten, outdated=True).exists()


def test_a_translation_that_misses_a_text_is_refused(demo):
    fields = {k: v for k, v in written(WITTEN)["en"].items() if k != "audience"}
    with pytest.raises(ValueError, match="audience"):
        translated_strings(german(WITTEN), fields)


LEICHTE_SPRACHE_MAX_WORDS = 12
"""Short sentences, one statement each (Netzwerk Leichte Sprache)."""


@pytest.mark.parametrize("slug", TRANSLATED)
def test_leichte_sprache_keeps_sentences_short_and_spells_things_out(slug):
    texts = [
        text
        for value in written(slug)["de-x-ls"].values()
        for text in (
            [block["html"] for block in value] if isinstance(value, list) else [value]
        )
    ]
    sentences = [
        sentence
        for text in texts
        for sentence in re.split(r"(?<=[.?!])\s+|<br/>", re.sub(r"</?p>", "", text))
        if sentence
    ]
    assert sentences
    for sentence in sentences:
        assert len(sentence.split()) <= LEICHTE_SPRACHE_MAX_WORDS, sentence
        assert not re.search(r"\b[A-ZÄÖÜ]{2,}\b", sentence), sentence  # no "KI"
