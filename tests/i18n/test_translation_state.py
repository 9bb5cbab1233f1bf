"""A translation is outdated once its German page publishes a change it has not seen;
„Geringfügige Änderung“ keeps it current, publishing the translation makes it current."""

from django.urls import reverse

from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, streamfield

import pytest
from wagtail_localize.models import Translation, TranslationSource

from pages.models import PressReleasePage, TranslationState, outdated_translations
from pages.translation_signals import record_minor_change

from .translating import translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def press_release():
    return PressReleasePage.objects.filter(locale__language_code="de").live().first()


@pytest.fixture
def translated(press_release, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        translate(press_release, "ar")
        translate(press_release, "uk")
    return press_release


def publish_change(page, teaser, *, minor=False, on_commit=None):
    page.teaser = teaser
    revision = page.save_revision(log_action=True)
    if minor:
        record_minor_change(revision)
    revision.publish()
    return revision


def progress(page, tag):
    source = TranslationSource.objects.get(object_id=page.translation_key)
    translation = Translation.objects.get(
        source=source, target_locale__language_code=tag
    )
    return translation.get_progress()


def test_a_published_translation_is_current(translated):
    states = TranslationState.objects.filter(page=translated)
    assert {s.locale.language_code for s in states} == {"ar", "uk"}
    assert not any(s.outdated for s in states)
    assert all(s.source_revision_id == translated.live_revision_id for s in states)
    assert outdated_translations([translated.pk], "ar") == set()


def test_a_german_change_makes_every_translation_outdated(translated):
    publish_change(translated, "Ein ganz neuer Satz.")
    assert outdated_translations([translated.pk], "ar") == {translated.pk}
    assert outdated_translations([translated.pk], "uk") == {translated.pk}
    assert outdated_translations([translated.pk], "en") == set()
    state = TranslationState.objects.get(page=translated, locale__language_code="ar")
    assert state.outdated_since is not None


def test_the_changed_sentence_shows_as_untranslated_in_the_editor(translated):
    total, done = progress(translated, "ar")
    assert total == done
    publish_change(translated, "Ein ganz neuer Satz.")
    total_after, done_after = progress(translated, "ar")
    assert done_after == total_after - 1


def test_a_minor_change_keeps_translations_current(translated):
    before = progress(translated, "ar")
    publish_change(translated, "Tippfehler behoben.", minor=True)
    assert outdated_translations([translated.pk], "ar") == set()
    assert progress(translated, "ar") == before


def test_publishing_the_translation_makes_it_current_again(
    translated, django_capture_on_commit_callbacks
):
    publish_change(translated, "Ein ganz neuer Satz.")
    with django_capture_on_commit_callbacks(execute=True):
        translate(translated, "ar")
    assert outdated_translations([translated.pk], "ar") == set()
    assert outdated_translations([translated.pk], "uk") == {translated.pk}
    state = TranslationState.objects.get(page=translated, locale__language_code="ar")
    translated.refresh_from_db()
    assert state.source_revision_id == translated.live_revision_id


def test_a_draft_translation_becomes_outdated_too(
    press_release, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = translate(press_release, "fa", publish=False)
    assert not draft.live
    publish_change(press_release, "Ein ganz neuer Satz.")
    assert outdated_translations([press_release.pk], "fa") == {press_release.pk}


def test_a_page_without_translations_records_nothing(press_release):
    publish_change(press_release, "Ein ganz neuer Satz.")
    assert not TranslationState.objects.filter(page=press_release).exists()


def test_outdated_translations_is_one_query(translated, django_assert_num_queries):
    publish_change(translated, "Ein ganz neuer Satz.")
    ids = list(PressReleasePage.objects.values_list("pk", flat=True))
    arabic = Locale.objects.get(language_code="ar")
    with django_assert_num_queries(1):
        assert outdated_translations(ids, "ar") == {translated.pk}
    with django_assert_num_queries(1):
        assert outdated_translations(ids, arabic) == {translated.pk}
    with django_assert_num_queries(1):
        assert outdated_translations(ids, arabic.pk) == {translated.pk}


@pytest.fixture
def editor(client, django_user_model):
    from django.core.management import call_command

    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(django_user_model.objects.get(username="redaktion"))
    return client


def press_form(page, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "date": page.date.isoformat(),
        "source": page.source,
        "teaser": "Ein ganz neuer Satz.",
        "body": streamfield([]),
        "action-publish": "publish",
    }
    data.update(overrides)
    form = nested_form_data(data)
    form["target_groups"] = list(page.target_groups.values_list("pk", flat=True))
    form["topics"] = list(page.topics.values_list("pk", flat=True))
    form["cities"] = list(page.cities.values_list("pk", flat=True))
    return form


def test_the_editor_offers_the_minor_change_on_german_pages_with_translations(
    editor, translated, press_release
):
    edit = reverse("wagtailadmin_pages:edit", args=[translated.pk])
    html = editor.get(edit).content.decode()
    assert "Geringfügige Änderung (Übersetzungen bleiben aktuell)" in html
    untranslated = (
        PressReleasePage.objects.filter(locale__language_code="de")
        .exclude(pk=translated.pk)
        .first()
    )
    other = editor.get(reverse("wagtailadmin_pages:edit", args=[untranslated.pk]))
    assert "Geringfügige Änderung" not in other.content.decode()
    arabic = translated.get_translation(Locale.objects.get(language_code="ar"))
    html = editor.get(reverse("wagtailadmin_pages:edit", args=[arabic.pk]))
    assert "Geringfügige Änderung" not in html.content.decode()


@pytest.mark.parametrize("minor", [True, False])
def test_publishing_in_the_editor_with_or_without_minor_change(
    editor, translated, minor
):
    edit = reverse("wagtailadmin_pages:edit", args=[translated.pk])
    form = press_form(translated)
    if minor:
        form["action-publish"] = "minor_change"
    response = editor.post(edit, form)
    assert response.status_code == 302, response.context["form"].errors
    translated.refresh_from_db()
    assert translated.teaser == "Ein ganz neuer Satz."
    expected = set() if minor else {translated.pk}
    assert outdated_translations([translated.pk], "ar") == expected
