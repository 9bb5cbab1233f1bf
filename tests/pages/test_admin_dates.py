"""Editors type German dates; anything else is a German message, never another date."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

import pytest

from pages.admin_dates import (
    GermanDateField,
    GermanDateTimeField,
    GermanTimeField,
)
from pages.models import EventPage, PressReleasePage

from .test_admin import add_url, editor, event_form  # noqa: F401 - fixture

DATE_MESSAGE = "Bitte geben Sie das Datum als TT.MM.JJJJ ein, z. B. 09.12.2026."
YEAR_MESSAGE = (
    "Bitte geben Sie das Jahr vierstellig ein (TT.MM.JJJJ), z. B. 09.12.2026."
)


def errors(field, value) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        field.clean(value)
    return raised.value.messages


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("09.12.2026", dt.date(2026, 12, 9)),
        ("9.12.2026", dt.date(2026, 12, 9)),
        (" 1.1.2027 ", dt.date(2027, 1, 1)),
        ("29.02.2028", dt.date(2028, 2, 29)),
        ("2026-12-09", dt.date(2026, 12, 9)),  # ISO from imports and the API
    ],
)
def test_german_and_iso_dates_are_read(typed, date):
    assert GermanDateField().clean(typed) == date


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9.12.26", YEAR_MESSAGE),
        ("09.12.69", YEAR_MESSAGE),
        ("9.12.", DATE_MESSAGE),
        ("9.12", DATE_MESSAGE),
        ("12/09/2026", DATE_MESSAGE),
        ("2026-12-9", DATE_MESSAGE),
        ("9. Dezember 2026", DATE_MESSAGE),
        ("morgen", DATE_MESSAGE),
        ("09.12.2026 18:00", DATE_MESSAGE),
        (
            "31.02.2026",
            "Den 31.02.2026 gibt es nicht. Bitte prüfen Sie Tag und Monat (TT.MM.JJJJ).",
        ),
        (
            "2026-13-01",
            "Den 2026-13-01 gibt es nicht. Bitte prüfen Sie Tag und Monat (TT.MM.JJJJ).",
        ),
        ("09.12.0226", "Bitte prüfen Sie das Jahr: erlaubt sind 1900 bis 2199."),
    ],
)
def test_partial_ambiguous_and_impossible_dates_are_refused(typed, message):
    assert errors(GermanDateField(), typed) == [message]


def test_empty_optional_date_is_none():
    assert GermanDateField(required=False).clean("") is None


@pytest.mark.parametrize(
    ("typed", "time"),
    [
        ("18:30", dt.time(18, 30)),
        ("9:05", dt.time(9, 5)),
        ("18:30:00", dt.time(18, 30)),
    ],
)
def test_times_are_read(typed, time):
    assert GermanTimeField().clean(typed) == time


@pytest.mark.parametrize("typed", ["24:00", "18", "18.30", "18:3", "6 pm", "18:60"])
def test_other_times_are_refused(typed):
    assert errors(GermanTimeField(), typed) == [
        "Bitte geben Sie die Uhrzeit als HH:MM ein, z. B. 18:30."
    ]


@pytest.mark.parametrize(
    "typed",
    ["09.12.2026 18:30", "9.12.2026 18:30", "2026-12-09T18:30:00", "2026-12-09 18:30"],
)
def test_date_times_are_read_in_berlin_time(typed):
    value = GermanDateTimeField().clean(typed)
    assert timezone.localtime(value).replace(tzinfo=None) == dt.datetime(
        2026, 12, 9, 18, 30
    )
    assert value.utcoffset() is not None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("09.12.2026", "Bitte geben Sie Datum und Uhrzeit als TT.MM.JJJJ HH:MM ein"),
        ("9.12.26", "Bitte geben Sie das Jahr vierstellig ein"),
        ("9.12.26 18:30", "Bitte geben Sie das Jahr vierstellig ein"),
        ("09.12.2026 25:00", "Bitte geben Sie Datum und Uhrzeit als TT.MM.JJJJ HH:MM"),
        ("31.02.2026 10:00", "Den 31.02.2026 gibt es nicht."),
        ("12/09/2026 10:00", "Bitte geben Sie das Datum als TT.MM.JJJJ ein"),
    ],
)
def test_other_date_times_are_refused(typed, message):
    (error,) = errors(GermanDateTimeField(), typed)
    assert error.startswith(message)


# Through the admin's forms, as an editor submits them.


def press_form(**overrides) -> dict:
    data = {
        "title": "Neue Sprachkurse",
        "slug": "neue-sprachkurse",
        "date": "01.12.2026",
        "source": "Pressestelle des Ennepe-Ruhr-Kreises",
        "teaser": "Kurse starten.",
        "body": streamfield([("paragraph", rich_text("<p>Text</p>"))]),
        "action-publish": "publish",
    }
    return nested_form_data({**data, **overrides})


@pytest.mark.django_db
def test_german_occurrence_date_is_saved(editor, demo):  # noqa: F811
    form = event_form(
        occurrences=inline_formset(
            [{"start_date": "9.12.2026", "start_time": "18:30", "end_time": "20:00"}]
        )
    )
    response = editor.post(add_url(EventPage, demo.events), form)
    assert response.status_code == 302, response.context["form"].errors
    occurrence = EventPage.objects.get(slug="sprachcafe-witten").occurrences.get()
    assert (occurrence.start_date, occurrence.start_time) == (
        dt.date(2026, 12, 9),
        dt.time(18, 30),
    )


@pytest.mark.django_db
def test_two_digit_year_is_an_error_on_the_field_and_keeps_the_input(editor, demo):  # noqa: F811
    form = event_form(
        title="Sprachcafé mit Tippfehler",
        occurrences=inline_formset([{"start_date": "9.12.26", "start_time": "18:30"}]),
    )
    response = editor.post(add_url(EventPage, demo.events), form)
    assert response.status_code == 200
    assert not EventPage.objects.filter(title="Sprachcafé mit Tippfehler").exists()
    html = response.content.decode()
    assert YEAR_MESSAGE in html
    assert 'value="9.12.26"' in html
    assert 'value="Sprachcafé mit Tippfehler"' in html


@pytest.mark.django_db
def test_saved_dates_are_shown_german_in_the_editor(editor):  # noqa: F811
    event = EventPage.objects.live().filter(occurrences__start_time__isnull=False)[0]
    occurrence = event.occurrences.exclude(start_time=None)[0]
    response = editor.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    html = response.content.decode()
    assert f'value="{occurrence.start_date:%d.%m.%Y}"' in html
    assert f'value="{occurrence.start_time:%H:%M}"' in html
    assert 'placeholder="TT.MM.JJJJ"' in html
    assert "hub/admin-dates" in html


@pytest.mark.django_db
def test_go_live_date_is_german(editor, demo):  # noqa: F811
    form = press_form(go_live_at="09.12.2026 08:00")
    response = editor.post(add_url(PressReleasePage, demo.press), form)
    assert response.status_code == 302, response.context["form"].errors
    page = PressReleasePage.objects.get(slug="neue-sprachkurse")
    assert page.date == dt.date(2026, 12, 1)
    assert timezone.localtime(page.go_live_at).replace(tzinfo=None) == dt.datetime(
        2026, 12, 9, 8
    )
    assert not page.live  # scheduled: not public before its time


@pytest.mark.django_db
def test_go_live_with_two_digit_year_is_refused(editor, demo):  # noqa: F811
    form = press_form(go_live_at="9.12.26 08:00")
    response = editor.post(add_url(PressReleasePage, demo.press), form)
    assert response.status_code == 200
    assert response.context["form"].errors["go_live_at"] == [YEAR_MESSAGE]
