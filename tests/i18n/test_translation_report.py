"""Berichte → Übersetzungen: every published German item in every further language,
with the state of its translation, filterable and exportable."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Locale

import pytest

from pages.models import (
    EventPage,
    NewsletterIssuePage,
    PressReleasePage,
    ProgrammePage,
)
from pages.translation_report import translation_rows

from .translating import translate

pytestmark = pytest.mark.django_db

URL = "/admin/berichte/uebersetzungen/"


@pytest.fixture
def editor(client, django_user_model):
    from django.core.management import call_command

    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(django_user_model.objects.get(username="redaktion"))
    return client


def german(model):
    return model.objects.filter(locale__language_code="de").live().order_by("pk")


@pytest.fixture
def press_release(django_capture_on_commit_callbacks):
    """A press release in Arabic (current), Ukrainian (outdated) and Persian (draft)."""
    page = german(PressReleasePage).first()
    with django_capture_on_commit_callbacks(execute=True):
        translate(page, "ar")
        translate(page, "uk")
        translate(page, "fa", publish=False)
    page.refresh_from_db()
    page.title = f"{page.title} (neu)"
    page.save_revision(log_action=True).publish()
    with django_capture_on_commit_callbacks(execute=True):
        translate(page, "ar")
    page.refresh_from_db()
    return page


def states_of(page, **filters):
    return {
        row.language_code: row.state_label
        for row in translation_rows(**filters)
        if row.page_id == page.pk
    }


def test_one_row_per_german_item_and_language(press_release):
    rows = translation_rows()
    items = sum(
        german(model).count()
        for model in (EventPage, PressReleasePage, ProgrammePage, NewsletterIssuePage)
    )
    languages = Locale.objects.exclude(language_code="de").count()
    assert languages == 7
    german_items = {row.page_id for row in rows}
    assert len(rows) == len(german_items) * languages
    assert len(german_items) == items
    assert states_of(press_release) == {
        "de-x-ls": "fehlt",
        "en": "fehlt",
        "ar": "aktuell",
        "uk": "veraltet",
        "tr": "fehlt",
        "fa": "Entwurf",
        "ru": "fehlt",
    }


def test_rows_show_progress_and_the_last_german_change(press_release):
    by_language = {
        row.language_code: row
        for row in translation_rows(section="press")
        if row.page_id == press_release.pk
    }
    arabic, ukrainian, english = by_language["ar"], by_language["uk"], by_language["en"]
    assert arabic.language == "Arabisch"
    assert arabic.section == "Pressemitteilungen"
    assert arabic.translated_segments == arabic.total_segments > 0
    # The new German title is a segment the Ukrainian translation lacks.
    assert ukrainian.translated_segments == ukrainian.total_segments - 1
    assert english.progress == ""
    assert arabic.german_changed_at == press_release.last_published_at


def test_filters_by_language_state_and_section(press_release):
    assert states_of(press_release, language="uk") == {"uk": "veraltet"}
    outdated = translation_rows(state="outdated")
    assert {(row.page_id, row.language_code) for row in outdated} == {
        (press_release.pk, "uk")
    }
    assert {row.section for row in translation_rows(section="events")} == {
        "Veranstaltungen"
    }


def test_the_report_is_in_the_reports_menu_in_german(editor, press_release):
    home = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert URL in home
    response = editor.get(URL, {"section": "press", "language": "uk"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Übersetzungen" in html
    assert press_release.title in html
    assert "veraltet" in html
    assert "Ukrainisch" in html
    results = editor.get(f"{URL}ergebnisse/", {"section": "press", "language": "uk"})
    table = results.content.decode()
    assert "Ukrainisch" in table
    assert "Arabisch" not in table


def test_the_report_exports_csv_and_xlsx(editor, press_release):
    response = editor.get(URL, {"section": "press", "export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "Titel",
        "Bereich",
        "Sprache",
        "Sprachkürzel",
        "Stand",
        "Übersetzte Abschnitte",
        "Abschnitte insgesamt",
        "Deutsch zuletzt veröffentlicht",
    ]
    mine = {r["Sprachkürzel"]: r for r in rows if r["Titel"] == press_release.title}
    assert mine["uk"]["Stand"] == "veraltet"
    assert mine["en"]["Stand"] == "fehlt"
    assert mine["en"]["Übersetzte Abschnitte"] == ""
    changed = timezone.localtime(press_release.last_published_at)
    assert mine["uk"]["Deutsch zuletzt veröffentlicht"] == f"{changed:%d.%m.%Y %H:%M}"

    xlsx = editor.get(URL, {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def count_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
        assert response.status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(
    editor,
    press_release,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    editor.get(URL)  # warm caches (content types, locales of the site)
    page_before = count_queries(editor, {})
    export_before = count_queries(editor, {"export": "csv"})
    for event in german(EventPage)[:3]:
        with django_capture_on_commit_callbacks(execute=True):
            translate(event, "en")
            translate(event, "tr", publish=False)
    assert len(translation_rows(state="current")) > 1
    with django_assert_max_num_queries(page_before):
        assert editor.get(URL).status_code == 200
    with django_assert_max_num_queries(export_before):
        response = editor.get(URL, {"export": "csv"})
        assert response.status_code == 200
        b"".join(response.streaming_content)
