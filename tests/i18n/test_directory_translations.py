"""Translated directory entries (cities, topics, target groups, venues) and status
wordings: German lists and filters stay as they were, readers get names per language."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Locale

import pytest
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from pages.enums import EventStatus
from pages.models import EventPage
from pages.snippets import (
    City,
    StatusWording,
    TargetGroup,
    Topic,
    Venue,
    localized_names,
    localized_venue_texts,
    status_label,
    status_wordings,
)
from tests.factories import VenueFactory

pytestmark = pytest.mark.django_db


def locale(tag: str) -> Locale:
    return Locale.objects.get(language_code=tag)


def translate(instance, tag: str, texts: dict[str, str]):
    """Translate `instance` the way the admin's „Übersetzen“ does (wagtail-localize):
    one translated string per segment, then the translated row."""
    source, _ = TranslationSource.get_or_create_from_instance(instance)
    target = locale(tag)
    segments = StringSegment.objects.filter(source=source).select_related(
        "string", "context"
    )
    assert {segment.context.path for segment in segments} == set(texts)
    for segment in segments:
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=target,
            context=segment.context,
            data=texts[segment.context.path],
        )
    translation, created = source.create_or_update_translation(target)
    assert created
    return translation


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "admin", "admin@example.org", "pw"
    )
    client.force_login(user)
    return client


def test_every_existing_entry_is_german_with_a_key_of_its_own():
    for model in (City, TargetGroup, Topic, Venue):
        entries = model.objects.all()
        assert entries.exists()
        assert set(entries.values_list("locale__language_code", flat=True)) == {"de"}
        keys = list(entries.values_list("translation_key", flat=True))
        assert len(set(keys)) == len(keys)


def test_a_translated_city_keeps_its_slug_and_links_nothing():
    witten = City.objects.get(slug="witten")
    arabic = translate(witten, "ar", {"name": "فيتن"})
    assert (arabic.slug, arabic.name, arabic.locale.language_code) == (
        "witten",
        "فيتن",
        "ar",
    )
    assert arabic.translation_key == witten.translation_key
    assert not EventPage.objects.filter(city=arabic).exists()
    assert EventPage.objects.filter(city=witten).exists()


def test_taxonomy_lists_and_filters_are_unchanged_by_translations(client):
    before = {
        path: client.get(path).json()
        for path in ("/api/v1/cities/", "/api/v1/topics/", "/api/v1/target-groups/")
    }
    events = client.get("/api/v1/events/?city=witten&limit=100").json()
    witten = City.objects.get(slug="witten")
    translate(witten, "en", {"name": "Witten (Ruhr)"})
    translate(Topic.objects.german().first(), "en", {"name": "A topic"})
    group = TargetGroup.objects.get(slug="sprachkundige")
    group.copy_for_translation(locale("uk")).save()

    for path, answer in before.items():
        assert client.get(path).json() == answer
    assert client.get("/api/v1/events/?city=witten&limit=100").json() == events
    assert events["count"] > 0
    assert client.get("/api/v1/events/?target_group=sprachkundige").json()["count"] > 0
    index = client.get("/veranstaltungen/").content.decode()
    assert "Witten (Ruhr)" not in index
    assert index.count(f'value="{witten.slug}"') == 1


def test_names_in_a_language_fall_back_to_german_in_one_query():
    witten = City.objects.get(slug="witten")
    hattingen = City.objects.get(slug="hattingen")
    translate(witten, "uk", {"name": "Віттен"})
    ids = [witten.pk, hattingen.pk]
    with CaptureQueriesContext(connection) as queries:
        names = localized_names(City, ids, "uk")
    assert len(queries) == 1
    assert names == {witten.pk: "Віттен", hattingen.pk: "Hattingen"}
    assert localized_names(City, ids, "de") == {
        witten.pk: "Witten",
        hattingen.pk: "Hattingen",
    }
    assert localized_names(City, ids, "ar") == localized_names(City, ids, "de")
    assert localized_names(City, [], "uk") == {}


def test_a_venue_translates_room_and_accessibility_not_name_or_address():
    venue = VenueFactory(
        room="Raum 2", accessibility="Zugang stufenlos", city=City.objects.first()
    )
    english = translate(
        venue,
        "en",
        {"room": "Room of the venue", "accessibility": "Step-free access"},
    )
    assert (english.name, english.street, english.town, english.city_id) == (
        venue.name,
        venue.street,
        venue.town,
        venue.city_id,
    )
    with CaptureQueriesContext(connection) as queries:
        texts = localized_venue_texts([venue.pk], "en")
    assert len(queries) == 1
    assert texts == {
        venue.pk: {"room": "Room of the venue", "accessibility": "Step-free access"}
    }
    assert localized_venue_texts([venue.pk], "fa") == {
        venue.pk: {"room": venue.room, "accessibility": venue.accessibility}
    }


def test_status_wordings_come_from_german_rows_per_status():
    german = StatusWording.objects.german()
    assert sorted(german.values_list("status", flat=True)) == sorted(EventStatus.values)
    for status in EventStatus:
        assert status_label(status.value, "de") == status.label
        assert status_label(status.value, "ar") == status.label


def test_a_translated_status_wording_shows_in_its_language_only():
    cancelled = StatusWording.objects.get(
        status=EventStatus.CANCELLED, locale__language_code="de"
    )
    assert status_label("cancelled", "en") == "abgesagt"  # cached before translating
    translate(cancelled, "en", {"wording": "cancelled"})
    assert status_label("cancelled", "en") == "cancelled"
    assert status_label("cancelled", "de") == "abgesagt"
    assert status_label("cancelled", "tr") == "abgesagt"
    assert status_label("scheduled", "en") == "angekündigt"

    cancelled.wording = "fällt aus"
    cancelled.save()
    assert status_label("cancelled", "de") == "fällt aus"
    assert status_label("cancelled", "tr") == "fällt aus"


def test_status_wordings_of_a_list_cost_one_query_then_none():
    with CaptureQueriesContext(connection) as first:
        wordings = status_wordings("uk")
    with CaptureQueriesContext(connection) as again:
        for status in EventStatus:
            status_label(status.value, "uk")
    assert len(first) == 1
    assert len(again) == 0
    assert set(wordings) == set(EventStatus.values)


def test_a_duplicate_name_in_the_same_language_is_refused_in_german(admin):
    response = admin.post(
        reverse("wagtailsnippets_pages_city:add"),
        {"name": "Witten", "slug": "", "sort_order": 0},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "„Witten“ gibt es in dieser Sprache schon." in page
    assert City.objects.filter(name="Witten").count() == 1

    with pytest.raises(ValidationError) as error:
        City(name="Anders", slug="witten").full_clean()
    assert error.value.message_dict == {
        "slug": [
            "Das Kürzel „witten“ ist in dieser Sprache schon vergeben. Bitte wählen "
            "Sie ein anderes."
        ]
    }


def test_the_same_name_and_slug_in_another_language_is_fine():
    witten = City.objects.get(slug="witten")
    translation = witten.copy_for_translation(locale("de-x-ls"))
    translation.full_clean()
    translation.save()
    assert City.objects.filter(slug="witten").count() == 2
    assert City.objects.german().filter(slug="witten").get() == witten


def test_choosers_and_page_forms_offer_german_entries_only(admin):
    witten = City.objects.get(slug="witten")
    translate(witten, "en", {"name": "Witten in English"})
    group = TargetGroup.objects.get(slug="sprachkundige")
    english_group = group.copy_for_translation(locale("en"))
    english_group.name = "Language speakers"
    english_group.save()

    chooser = admin.get(reverse("wagtailsnippetchoosers_pages_city:choose"))
    assert chooser.status_code == 200
    assert "Witten in English" not in chooser.content.decode()
    assert "Witten" in chooser.content.decode()
    results = admin.get(
        reverse("wagtailsnippetchoosers_pages_city:choose_results"), {"q": "Witten"}
    )
    assert "Witten in English" not in results.content.decode()

    event = EventPage.objects.live().filter(city=witten).first()
    edit = admin.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    assert edit.status_code == 200
    form = edit.context["form"]
    assert english_group not in form.fields["target_groups"].queryset
    assert group in form.fields["target_groups"].queryset
    assert not form.fields["city"].queryset.filter(locale__language_code="en")


def test_status_wordings_are_edited_not_added_or_deleted(admin):
    listing = admin.get(reverse("wagtailsnippets_pages_statuswording:list"))
    assert listing.status_code == 200
    assert "abgesagt" in listing.content.decode()
    assert "Statusbezeichnungen" in listing.content.decode()
    add = admin.get(reverse("wagtailsnippets_pages_statuswording:add"))
    assert add.status_code in (302, 403)
    cancelled = StatusWording.objects.get(
        status="cancelled", locale__language_code="de"
    )
    delete = admin.post(
        reverse("wagtailsnippets_pages_statuswording:delete", args=[cancelled.pk])
    )
    assert delete.status_code in (302, 403)
    assert StatusWording.objects.filter(pk=cancelled.pk).exists()

    edit = admin.post(
        reverse("wagtailsnippets_pages_statuswording:edit", args=[cancelled.pk]),
        {"wording": "fällt aus"},
    )
    assert edit.status_code == 302
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.wording) == ("cancelled", "fällt aus")
    assert status_label("cancelled", "de") == "fällt aus"
