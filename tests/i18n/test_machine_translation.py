"""Machine translation: DeepL (with a key) fills a draft translation; never Leichte
Sprache, never German, never published by itself."""

import html
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.test import override_settings
from django.urls import reverse

from wagtail.models import Locale

import pytest
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.strings import StringValue

from hub.machine_translation import HubDeepLTranslator
from pages.models import PressReleasePage, outdated_translations

from .translating import translate

ROOT = Path(__file__).resolve().parents[2]
DUMMY = {"CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"}


def locale(tag):
    return Locale(language_code=tag)


def deepl_answer(texts):
    response = mock.Mock()
    response.json.return_value = {
        "translations": [{"text": f"[{text}]"} for text in texts]
    }
    return response


def translate_with_deepl(key, tag):
    translator = HubDeepLTranslator({"AUTH_KEY": key, "FORMALITY": "prefer_more"})
    strings = [StringValue.from_plaintext("Alle sind willkommen.")]
    with mock.patch(
        "wagtail_localize.machine_translators.deepl.requests.post",
        side_effect=lambda url, data, **kw: deepl_answer(data["text"]),
    ) as post:
        result = translator.translate(locale("de"), locale(tag), strings)
    return post, result, strings


@pytest.mark.parametrize(
    ("tag", "target"),
    [
        ("en", "EN-GB"),
        ("ar", "AR"),
        ("uk", "UK"),
        ("tr", "TR"),
        ("fa", "FA"),
        ("ru", "RU"),
    ],
)
def test_deepl_is_asked_for_the_target_of_the_languages_table(tag, target):
    post, result, strings = translate_with_deepl("secret", tag)
    (url, data), kwargs = post.call_args
    assert url == "https://api.deepl.com/v2/translate"
    assert data["target_lang"] == target
    assert data["source_lang"] == "DE"
    assert data["formality"] == "prefer_more"
    assert kwargs["headers"] == {"Authorization": "DeepL-Auth-Key secret"}
    assert result[strings[0]].data == "[Alle sind willkommen.]"


def test_a_free_key_goes_to_the_free_api():
    post, _, _ = translate_with_deepl("abc123:fx", "ar")
    assert post.call_args.args[0] == "https://api-free.deepl.com/v2/translate"


def test_only_german_into_languages_deepl_has():
    translator = HubDeepLTranslator({"AUTH_KEY": "secret"})
    german = locale("de")
    assert translator.can_translate(german, locale("en"))
    assert translator.can_translate(german, locale("fa"))
    assert not translator.can_translate(german, locale("de-x-ls"))
    assert not translator.can_translate(german, locale("de"))
    assert not translator.can_translate(locale("en"), locale("ar"))
    assert not translator.can_translate(german, locale("xx"))


def configured_translator(**env):
    environment = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "hub.settings.test"}
    if not env:
        environment.pop("HUB_DEEPL_API_KEY", None)
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(getattr(settings, 'WAGTAILLOCALIZE_MACHINE_TRANSLATOR', None)))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deepl_is_configured_only_with_a_key():
    assert configured_translator() is None
    assert configured_translator(HUB_DEEPL_API_KEY="abc:fx") == {
        "CLASS": "hub.machine_translation.HubDeepLTranslator",
        "OPTIONS": {"AUTH_KEY": "abc:fx", "FORMALITY": "prefer_more"},
    }


@pytest.fixture
def editor(admin_client):
    """The office, which edits the translated trees (they have no city editors yet)."""
    return admin_client


@pytest.fixture
def draft(django_capture_on_commit_callbacks):
    """A German press release with an untranslated Persian draft."""
    page = PressReleasePage.objects.filter(locale__language_code="de").live().first()
    with django_capture_on_commit_callbacks(execute=True):
        translate(page, "fa", publish=False, strings=False)
    return page


def machine_translate_url(page, tag):
    source = TranslationSource.objects.get(object_id=page.translation_key)
    translation = Translation.objects.get(
        source=source, target_locale__language_code=tag
    )
    return reverse("wagtail_localize:machine_translate", args=[translation.pk])


@pytest.mark.django_db
@override_settings(WAGTAILLOCALIZE_MACHINE_TRANSLATOR=DUMMY)
def test_machine_output_fills_the_draft_and_publishes_nothing(editor, draft):
    persian = draft.get_translation(Locale.objects.get(language_code="fa"))
    response = editor.post(machine_translate_url(draft, "fa"), {"next": "/admin/"})
    assert response.status_code == 302
    filled = StringTranslation.objects.filter(locale__language_code="fa")
    assert filled.exists()
    assert all(t.translation_type == "machine" for t in filled)
    persian.refresh_from_db()
    assert not persian.live
    assert outdated_translations([draft.pk], "fa") == set()


@pytest.mark.django_db
def test_without_a_key_there_is_no_machine_translation_and_editing_works(editor, draft):
    persian = draft.get_translation(Locale.objects.get(language_code="fa"))
    edit = editor.get(reverse("wagtailadmin_pages:edit", args=[persian.pk]))
    assert edit.status_code == 200
    assert '"machineTranslator": null' in html.unescape(edit.content.decode())
    response = editor.post(machine_translate_url(draft, "fa"), {"next": "/admin/"})
    assert response.status_code == 404
    assert not StringTranslation.objects.filter(locale__language_code="fa").exists()


@pytest.mark.django_db
@override_settings(
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR={
        "CLASS": "hub.machine_translation.HubDeepLTranslator",
        "OPTIONS": {"AUTH_KEY": "abc:fx"},
    }
)
def test_deepl_is_never_offered_for_leichte_sprache(
    editor, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        translate(draft, "de-x-ls", publish=False, strings=False)
    with mock.patch("wagtail_localize.machine_translators.deepl.requests.post") as post:
        response = editor.post(
            machine_translate_url(draft, "de-x-ls"), {"next": "/admin/"}
        )
    assert response.status_code == 404
    post.assert_not_called()
    simple = draft.get_translation(Locale.objects.get(language_code="de-x-ls"))
    edit = editor.get(reverse("wagtailadmin_pages:edit", args=[simple.pk]))
    assert '"machineTranslator": null' in html.unescape(edit.content.decode())
