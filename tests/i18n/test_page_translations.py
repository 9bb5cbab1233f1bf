"""Pages translated with wagtail-localize: German slugs and facts, the language trees."""

from django.core.management import call_command

from wagtail.models import Locale, Page

import pytest
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from pages.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    NewsletterIndexPage,
    PressIndexPage,
    ProgrammeIndexPage,
)
from pages.translations import TREE_TITLES, ensure_language_tree
from tests.factories import CityFactory, EventPageFactory, VenueFactory

pytestmark = pytest.mark.django_db

TREE_MODELS = (
    HomePage,
    ProgrammeIndexPage,
    EventIndexPage,
    PressIndexPage,
    NewsletterIndexPage,
)
TRANSLATED = ["de-x-ls", "en", "ar", "uk", "tr", "fa", "ru"]


def translate(page: Page, tag: str, texts: dict[str, str], capture) -> Page:
    """Translates every segment of `page` into `tag` (`texts` by field, a marked copy
    otherwise) and publishes it the way the translation editor does."""
    locale = Locale.objects.get(language_code=tag)
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related(
        "string", "context"
    ):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            data=texts.get(segment.context.path, f"[{tag}] {segment.string.data}"),
        )
    with capture(execute=True):
        translation.save_target(publish=True)
    return page.get_translation(locale).specific


@pytest.fixture
def event(demo):
    city = CityFactory()
    return EventPageFactory(
        parent=demo.events,
        title="Nähcafé für alle",
        slug="naehcafe-fuer-alle",
        teaser="Gemeinsam nähen und reden.",
        audience="Frauen mit und ohne Nähkenntnisse",
        city=city,
        venue=VenueFactory(city=city),
        occurrences=2,
    )


@pytest.mark.parametrize("tag", TRANSLATED)
def test_every_language_has_its_home_and_indexes_titled_in_that_language(demo, tag):
    locale = Locale.objects.get(language_code=tag)
    for model in TREE_MODELS:
        german = model.objects.get(locale=Locale.get_default())
        translated = german.get_translation(locale).specific
        assert translated.live, model
        assert translated.alias_of_id is None
        assert translated.title == TREE_TITLES[tag][model]
        assert translated.slug == german.slug or model is HomePage
        assert getattr(translated, "intro", "") == ""  # no German introduction


def test_the_arabic_events_index_is_served_in_arabic(client, demo):
    response = client.get("/ar/veranstaltungen/")
    assert response.status_code == 200
    assert "الفعاليات" in response.content.decode()
    assert demo.events.title not in response.content.decode().split("<main")[1]


def test_an_event_translated_into_arabic_keeps_the_german_slug_and_facts(
    demo, event, django_capture_on_commit_callbacks
):
    arabic = translate(
        event,
        "ar",
        {"title": "مقهى الخياطة للجميع", "teaser": "نخيط ونتحدث معًا."},
        django_capture_on_commit_callbacks,
    )
    assert arabic.pk != event.pk
    assert arabic.live
    assert arabic.title == "مقهى الخياطة للجميع"
    assert arabic.teaser == "نخيط ونتحدث معًا."
    assert arabic.audience == "[ar] Frauen mit und ohne Nähkenntnisse"
    assert arabic.slug == "naehcafe-fuer-alle"
    assert (arabic.city_id, arabic.venue_id, arabic.status) == (
        event.city_id,
        event.venue_id,
        event.status,
    )
    assert arabic.occurrences.count() == 2
    assert arabic.url == "/ar/veranstaltungen/naehcafe-fuer-alle/"
    # It lands under the Arabic events index, not under a German copy of it.
    parent = arabic.get_parent().specific
    assert parent.title == "الفعاليات"
    assert parent.alias_of_id is None
    assert EventIndexPage.objects.filter(locale__language_code="ar").count() == 1


def test_leichte_sprache_translation_keeps_the_umlaut_slug_rule(
    demo, event, django_capture_on_commit_callbacks
):
    simple = translate(
        event,
        "de-x-ls",
        {"title": "Näh-Café für alle Frauen"},
        django_capture_on_commit_callbacks,
    )
    assert simple.title == "Näh-Café für alle Frauen"
    assert simple.slug == "naehcafe-fuer-alle"
    assert simple.url == "/de-x-ls/veranstaltungen/naehcafe-fuer-alle/"


def test_translated_slug_segments_are_never_offered(demo, event):
    source, _ = TranslationSource.get_or_create_from_instance(event)
    paths = set(
        StringSegment.objects.filter(source=source).values_list(
            "context__path", flat=True
        )
    )
    assert {"title", "teaser", "audience"} <= paths
    assert not paths & {"slug", "status", "city", "online_url", "registration_email"}


def test_hub_languages_changes_nothing_when_the_trees_are_complete(demo):
    pages = Page.objects.count()
    call_command("hub_languages", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Page.objects.count() == pages


def test_a_live_german_copy_under_a_language_becomes_a_titled_translation(demo):
    """wagtail-localize copies missing parents as live aliases (German text)."""
    turkish = Locale.objects.get(language_code="tr")
    demo.press.get_translation(turkish).delete()
    alias = demo.press.copy_for_translation(turkish, alias=True)
    assert alias.live and alias.title == demo.press.title
    call_command("hub_languages", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = demo.press.get_translation(turkish)
    assert (page.pk, page.title, page.alias_of_id, page.live) == (
        alias.pk,
        "Basın bültenleri",
        None,
        True,
    )


def test_a_title_written_by_an_editor_is_kept(demo):
    english = demo.events.get_translation(Locale.objects.get(language_code="en"))
    english.title = "What's on"
    english.save_revision().publish()
    assert ensure_language_tree(english.locale) == []
    english.refresh_from_db()
    assert english.title == "What's on"


def test_a_new_language_gets_its_tree_as_drafts_until_the_office_titles_it(
    demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        polish = Locale.objects.create(language_code="pl")
    home = demo.home.get_translation(polish)
    pages = Page.objects.filter(path__startswith=home.path)
    assert pages.count() == 5
    assert not pages.filter(live=True).exists()


@pytest.fixture
def witten_editor(client, django_user_model):
    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = django_user_model.objects.get(username="witten")
    client.force_login(user)
    return client


def test_city_editors_edit_the_translations_of_their_citys_events(
    demo, witten_editor, django_capture_on_commit_callbacks
):
    witten = EventPage.objects.filter(
        city__slug="witten", locale=Locale.get_default()
    ).first()
    hattingen = EventPage.objects.filter(
        city__slug="hattingen", locale=Locale.get_default()
    ).first()
    arabic_witten = translate(witten, "ar", {}, django_capture_on_commit_callbacks)
    arabic_hattingen = translate(
        hattingen, "ar", {}, django_capture_on_commit_callbacks
    )
    assert witten_editor.get(f"/admin/pages/{arabic_witten.pk}/edit/").status_code == (
        200
    )
    response = witten_editor.get(f"/admin/pages/{arabic_hattingen.pk}/edit/")
    assert response.status_code in {302, 403}
