"""Dates, times and series rhythms in the reader's language (pages/dates.py,
pages/series.py): Western digits everywhere, German unchanged."""

import datetime as dt
import re
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

import pytest

from hub import languages
from pages.dates import STYLES, date_text, occurrence_short, occurrence_text
from pages.models import EventOccurrence
from pages.series import describe

DAY = {"start_date": dt.date(2020, 8, 24)}
TIMED = DAY | {"start_time": dt.time(15), "end_time": dt.time(19)}
SPAN = {"start_date": dt.date(2020, 9, 26), "end_date": dt.date(2020, 10, 4)}
MOMENTS = {
    "start_date": dt.date(2020, 10, 9),
    "end_date": dt.date(2020, 10, 10),
    "start_time": dt.time(18),
    "end_time": dt.time(13, 30),
}

# (all-day date, time range, multi-day range, across days with times, compact day)
EXPECTED = {
    "de": (
        "Montag, 24. August 2020",
        "Montag, 24. August 2020, 15:00–19:00 Uhr",
        "Samstag, 26. September bis Sonntag, 4. Oktober 2020",
        "Freitag, 9. Oktober 2020, 18:00 Uhr bis Samstag, 10. Oktober 2020, 13:30 Uhr",
        "Mo., 24.08.2020, 15:00 Uhr",
    ),
    "de-x-ls": (
        "Montag, 24. August 2020",
        "Montag, 24. August 2020, von 15 Uhr bis 19 Uhr",
        "Samstag, 26. September 2020 bis Sonntag, 4. Oktober 2020",
        "Freitag, 9. Oktober 2020, 18 Uhr bis Samstag, 10. Oktober 2020, 13:30 Uhr",
        "24. August 2020, 15 Uhr",
    ),
    "en": (
        "Monday 24 August 2020",
        "Monday 24 August 2020, 15:00 to 19:00",
        "Saturday 26 September to Sunday 4 October 2020",
        "Friday 9 October 2020, 18:00 to Saturday 10 October 2020, 13:30",
        "Mon 24/08/2020, 15:00",
    ),
    "ar": (
        "الاثنين، 24 أغسطس 2020",
        "الاثنين، 24 أغسطس 2020، من 15:00 إلى 19:00",
        "من السبت، 26 سبتمبر إلى الأحد، 4 أكتوبر 2020",
        "من الجمعة، 9 أكتوبر 2020، الساعة 18:00 إلى السبت، 10 أكتوبر 2020، الساعة 13:30",
        "الاثنين، 24.08.2020، الساعة 15:00",
    ),
    "uk": (
        "понеділок, 24 серпня 2020",
        "понеділок, 24 серпня 2020, 15:00–19:00",
        "субота, 26 вересня – неділя, 4 жовтня 2020",
        "пʼятниця, 9 жовтня 2020, 18:00 – субота, 10 жовтня 2020, 13:30",
        "пн, 24.08.2020, 15:00",
    ),
    "tr": (
        "24 Ağustos 2020 Pazartesi",
        "24 Ağustos 2020 Pazartesi, saat 15:00–19:00",
        "26 Eylül Cumartesi – 4 Ekim 2020 Pazar",
        "9 Ekim 2020 Cuma, saat 18:00 – 10 Ekim 2020 Cumartesi, saat 13:30",
        "24.08.2020 Pzt, saat 15:00",
    ),
    "fa": (
        "دوشنبه 24 اوت 2020",
        "دوشنبه 24 اوت 2020، از ساعت 15:00 تا 19:00",
        "از شنبه 26 سپتامبر تا یکشنبه 4 اکتبر 2020",
        "از جمعه 9 اکتبر 2020، ساعت 18:00 تا شنبه 10 اکتبر 2020، ساعت 13:30",
        "دوشنبه 24.08.2020، ساعت 15:00",
    ),
    "ru": (
        "понедельник, 24 августа 2020",
        "понедельник, 24 августа 2020, 15:00–19:00",
        "суббота, 26 сентября – воскресенье, 4 октября 2020",
        "пятница, 9 октября 2020, 18:00 – суббота, 10 октября 2020, 13:30",
        "пн, 24.08.2020, 15:00",
    ),
}
TAGS = [language.tag for language in languages.DEFAULT_LANGUAGES]
# Arabic-Indic (U+0660–0669) and Persian (U+06F0–06F9) digits.
EASTERN_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


def occ(**fields) -> EventOccurrence:
    return EventOccurrence(**fields)


def test_every_language_of_the_hub_has_a_date_style():
    assert sorted(STYLES) == sorted(TAGS) == sorted(EXPECTED)


@pytest.mark.parametrize("tag", TAGS)
def test_an_occurrence_in_the_readers_language(tag):
    day, timed, span, moments, short = EXPECTED[tag]
    assert occurrence_text(occ(**DAY), tag) == day
    assert occurrence_text(occ(**TIMED), tag) == timed
    assert occurrence_text(occ(**SPAN), tag) == span
    assert occurrence_text(occ(**MOMENTS), tag) == moments
    assert occurrence_short(occ(**TIMED), tag) == short


@pytest.mark.parametrize("tag", TAGS)
def test_western_digits_in_every_language(tag):
    texts = [
        occurrence_text(occ(**fields), tag) for fields in (DAY, TIMED, SPAN, MOMENTS)
    ] + [occurrence_short(occ(**fields), tag) for fields in (TIMED, SPAN)]
    for text in texts:
        assert not EASTERN_DIGITS.search(text), text
        assert "2020" in text


def test_ukrainian_and_russian_dates_use_the_genitive_month():
    day = dt.date(2021, 3, 1)
    assert date_text(day, weekday=False, lang="uk") == "1 березня 2021"
    assert date_text(day, weekday=False, lang="ru") == "1 марта 2021"


def test_arabic_and_persian_never_join_times_with_a_dash():
    # In right-to-left text a dash between two times is shown the wrong way round.
    for tag in ("ar", "fa"):
        assert "–" not in occurrence_text(occ(**TIMED), tag)
        assert "–" not in occurrence_short(occ(**SPAN), tag)


def test_german_is_unchanged_and_the_default():
    assert occurrence_text(occ(**TIMED)) == EXPECTED["de"][1]
    assert occurrence_short(occ(**SPAN)) == "26.09.–04.10.2020"
    assert occurrence_text(occ(**TIMED), "xx") == EXPECTED["de"][1]
    assert occurrence_text(occ(**TIMED), "DE-X-LS") == EXPECTED["de-x-ls"][1]


def test_an_editors_label_stays_as_written():
    labelled = occ(**SPAN, label="Herbstferien")
    assert occurrence_text(labelled, "ar") == "Herbstferien"


def test_template_filters_follow_the_active_language():
    template = Template(
        "{% load hub_tags %}{{ occ|occurrence }} · {{ day|reader_date }}"
    )
    context = Context({"occ": occ(**TIMED), "day": dt.date(2020, 8, 24)})
    with translation.override("en"):
        assert template.render(context) == (
            "Monday 24 August 2020, 15:00 to 19:00 · Monday 24 August 2020"
        )
    with translation.override("de"):
        assert template.render(context) == (
            "Montag, 24. August 2020, 15:00–19:00 Uhr · Montag, 24. August 2020"
        )


def rule(**fields) -> SimpleNamespace:
    defaults = {
        "start_date": dt.date(2027, 1, 7),
        "start_time": dt.time(18),
        "end_time": dt.time(20),
        "frequency": "weekly",
        "interval": 1,
        "weekday_ordinal": None,
        "until": None,
        "count": None,
    }
    return SimpleNamespace(**(defaults | fields))


WEEKLY_UNTIL = rule(until=dt.date(2027, 6, 30))
FORTNIGHTLY = rule(start_date=dt.date(2027, 1, 5), interval=2, count=8)
SECOND_TUESDAY = rule(start_date=dt.date(2027, 1, 12), frequency="monthly", count=8)
LAST_FRIDAY = rule(
    start_date=dt.date(2027, 1, 29),
    frequency="monthly",
    interval=3,
    weekday_ordinal=-1,
    start_time=None,
    end_time=None,
    count=1,
)
SERIES = {
    "de": (
        "jeden Donnerstag, 18:00–20:00 Uhr, bis 30.06.2027",
        "alle zwei Wochen dienstags, 18:00–20:00 Uhr, 8 Termine, davon fallen 2 aus",
        "jeden 2. Dienstag im Monat, 18:00–20:00 Uhr, 8 Termine, davon fällt 1 aus",
        "alle drei Monate am letzten Freitag, 1 Termin, fällt aus",
    ),
    "de-x-ls": (
        "jeden Donnerstag, von 18 Uhr bis 20 Uhr, bis 30. Juni 2027",
        "alle 2 Wochen am Dienstag, von 18 Uhr bis 20 Uhr, 8 Termine, "
        "davon fallen 2 Termine aus",
        "jeden 2. Dienstag im Monat, von 18 Uhr bis 20 Uhr, 8 Termine, "
        "davon fällt 1 Termin aus",
        "alle 3 Monate am letzten Freitag, 1 Termin, fällt aus",
    ),
    "en": (
        "every Thursday, 18:00 to 20:00, until 30/06/2027",
        "every 2 weeks on Tuesdays, 18:00 to 20:00, 8 dates, 2 of them cancelled",
        "the second Tuesday of every month, 18:00 to 20:00, 8 dates, "
        "1 of them cancelled",
        "the last Friday of the month, every 3 months, 1 date, cancelled",
    ),
    "ar": (
        "كل يوم خميس، من 18:00 إلى 20:00، حتى 30.06.2027",
        "كل أسبوعين يوم الثلاثاء، من 18:00 إلى 20:00، 8 مواعيد، ألغي منها موعدان",
        "يوم الثلاثاء الثاني من كل شهر، من 18:00 إلى 20:00، 8 مواعيد، "
        "ألغي منها موعد واحد",
        "يوم الجمعة الأخير كل 3 أشهر، موعد واحد، ملغى",
    ),
    "uk": (
        "щочетверга, 18:00–20:00, до 30.06.2027",
        "раз на 2 тижні у вівторок, 18:00–20:00, 8 дат, з них скасовано 2",
        "другий вівторок кожного місяця, 18:00–20:00, 8 дат, з них скасовано 1",
        "остання пʼятниця раз на 3 місяці, 1 дата, скасовано",
    ),
    "tr": (
        "her Perşembe, saat 18:00–20:00, 30.06.2027 tarihine kadar",
        "2 haftada bir Salı, saat 18:00–20:00, 8 tarih, 2 tanesi iptal edildi",
        "her ayın 2. Salı günü, saat 18:00–20:00, 8 tarih, 1 tanesi iptal edildi",
        "3 ayda bir, ayın son Cuma günü, 1 tarih, iptal edildi",
    ),
    "fa": (
        "هر پنجشنبه، از ساعت 18:00 تا 20:00، تا 30.06.2027",
        "هر 2 هفته یک بار، سه‌شنبه، از ساعت 18:00 تا 20:00، 8 تاریخ، 2 مورد لغو شده",
        "دومین سه‌شنبه هر ماه، از ساعت 18:00 تا 20:00، 8 تاریخ، 1 مورد لغو شده",
        "آخرین جمعه ماه، هر 3 ماه یک بار، 1 تاریخ، لغو شده",
    ),
    "ru": (
        "каждый четверг, 18:00–20:00, до 30.06.2027",
        "раз в 2 недели по вторникам, 18:00–20:00, 8 дат, из них 2 отменены",
        "второй вторник каждого месяца, 18:00–20:00, 8 дат, из них 1 отменена",
        "последняя пятница раз в 3 месяца, 1 дата, отменено",
    ),
}


@pytest.mark.parametrize("tag", TAGS)
def test_a_series_rhythm_in_the_readers_language(tag):
    weekly, fortnightly, second_tuesday, last_friday = SERIES[tag]
    assert describe(WEEKLY_UNTIL, times=True, lang=tag) == weekly
    assert describe(FORTNIGHTLY, times=True, cancelled=2, lang=tag) == fortnightly
    assert describe(SECOND_TUESDAY, times=True, cancelled=1, lang=tag) == second_tuesday
    assert describe(LAST_FRIDAY, times=True, cancelled=1, lang=tag) == last_friday


def test_series_wording_is_german_by_default():
    assert describe(WEEKLY_UNTIL, times=True) == SERIES["de"][0]
    with translation.override("en"):
        # The language is the caller's choice, not the active one.
        assert describe(FORTNIGHTLY, cancelled=2) == (
            "alle zwei Wochen dienstags, 8 Termine, davon fallen 2 aus"
        )


def test_document_roles_read_in_the_readers_language():
    from django.utils import translation

    from pages.enums import DocumentRole

    with translation.override("ar"):
        assert str(DocumentRole.REGISTRATION.label) == "التسجيل"
        assert str(DocumentRole.REPORT.label) == "تقرير"
    with translation.override("de-x-ls"):
        assert str(DocumentRole.PROGRAMME.label) == "Programm·heft"
    assert str(DocumentRole.REPORT.label) == "Bericht"


def test_a_status_starts_with_the_capital_its_language_writes():
    from types import SimpleNamespace

    from django.utils import translation

    from pages.templatetags.hub_tags import status_text

    event = SimpleNamespace(status="cancelled", status_wording="iptal edildi")
    with translation.override("tr"):
        assert status_text(event) == "İptal edildi"
    event = SimpleNamespace(status="cancelled", status_wording="abgesagt")
    assert status_text(event) == "Abgesagt"
