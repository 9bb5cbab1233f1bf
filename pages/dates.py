"""Date wording for occurrences in the reader's language, shared by pages and embeds.

One `DateStyle` per language tag of `hub/languages.py` (German, Leichte Sprache,
English, Arabic, Ukrainian, Turkish, Persian, Russian); an unknown tag reads German.
Our own tables, not Django's formats: Django's `F` gives the nominative month in
Ukrainian and Russian („24 серпень“) where a date needs the genitive („24 серпня“),
and its Arabic pattern puts a comma after the month. Every language writes Western
digits 0–9 (docs/languages.md, "Digits"): dates and times then look like the ones on
posters and letters, and copy into phones and calendars. The calendar is always the
Gregorian one; Persian names its months as Iran does for Gregorian dates („اوت“).
Arabic and Persian join times with words („من … إلى …“, „از … تا …“), never with a
dash: in right-to-left text „15:00–19:00“ would be shown as „19:00–15:00“.
"""

import datetime as dt
from dataclasses import dataclass

WEEKDAYS = (
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
)
MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
SOURCE_LANGUAGE = "de"


@dataclass(frozen=True, slots=True)
class DateStyle:
    """How one language writes a day, a time and a range of them.

    Patterns are `str.format` templates. `months` are the forms used inside a date
    (genitive in Ukrainian and Russian). Without a weekday and year the date is
    `date`; `dated` adds the weekday, `at` joins a date and its times, `span` two
    dates or moments. `short_*` are the compact forms for narrow lists.
    """

    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    weekdays_short: tuple[str, ...]
    date: str = "{day} {month}"
    year: str = "{date} {year}"
    dated: str = "{weekday}, {date}"
    at: str = "{date}, {times}"
    time: str = "{time}"
    times: str = "{start}–{end}"
    span: str = "{start} – {last}"
    # The first date of a span in the same year as the last one leaves its year out.
    span_shares_year: bool = True
    short_dated: str = "{weekday}, {date}"
    short_day: str = "%d.%m.%Y"
    short_day_in_year: str = "%d.%m"
    short_span: str = "{start}–{last}"
    # Leichte Sprache: full hours without minutes („18 Uhr“).
    whole_hours: bool = False
    # Leichte Sprache avoids abbreviations: its short forms are the long ones without
    # the weekday.
    short_in_words: bool = False

    def day_text(self, day: dt.date, *, weekday: bool = True, year: bool = True) -> str:
        text = self.date.format(day=day.day, month=self.months[day.month - 1])
        if year:
            text = self.year.format(date=text, year=day.year)
        if weekday:
            text = self.dated.format(weekday=self.weekdays[day.weekday()], date=text)
        return text

    def clock(self, time: dt.time) -> str:
        if self.whole_hours and time.minute == 0:
            return str(time.hour)
        return f"{time:%H:%M}"

    def time_text(self, start: dt.time, end: dt.time | None = None) -> str:
        """One time („18:00 Uhr“) or a range of them („15:00–19:00 Uhr“)."""
        if end and end != start:
            return self.times.format(start=self.clock(start), end=self.clock(end))
        return self.time.format(time=self.clock(start))

    def span_text(self, start: dt.date, last: dt.date) -> str:
        shares_year = self.span_shares_year and start.year == last.year
        return self.span.format(
            start=self.day_text(start, year=not shares_year),
            last=self.day_text(last),
        )

    def occurrence(self, occurrence: "OccurrenceDays") -> str:
        start, last = occurrence.start_date, occurrence.last_date
        start_time = occurrence.start_time
        if last == start:
            text = self.day_text(start)
            if start_time:
                times = self.time_text(start_time, occurrence.end_time)
                text = self.at.format(date=text, times=times)
            return text
        if start_time:
            end_time = occurrence.end_time or start_time
            return self.span.format(
                start=self.at.format(
                    date=self.day_text(start), times=self.time_text(start_time)
                ),
                last=self.at.format(
                    date=self.day_text(last), times=self.time_text(end_time)
                ),
            )
        return self.span_text(start, last)

    def short(self, occurrence: "OccurrenceDays") -> str:
        start, last = occurrence.start_date, occurrence.last_date
        if self.short_in_words:
            if last != start:
                return self.span.format(
                    start=self.day_text(start, weekday=False),
                    last=self.day_text(last, weekday=False),
                )
            text = self.day_text(start, weekday=False)
        else:
            if last != start:
                first_format = (
                    self.short_day_in_year
                    if start.year == last.year
                    else self.short_day
                )
                return self.short_span.format(
                    start=start.strftime(first_format),
                    last=last.strftime(self.short_day),
                )
            text = self.short_dated.format(
                weekday=self.weekdays_short[start.weekday()],
                date=start.strftime(self.short_day),
            )
        if occurrence.start_time:
            text = self.at.format(
                date=text, times=self.time_text(occurrence.start_time)
            )
        return text


GERMAN = DateStyle(
    weekdays=WEEKDAYS,
    months=MONTHS,
    weekdays_short=tuple(f"{name[:2]}." for name in WEEKDAYS),
    date="{day}. {month}",
    time="{time} Uhr",
    times="{start}–{end} Uhr",
    span="{start} bis {last}",
    short_day_in_year="%d.%m.",
)

STYLES: dict[str, DateStyle] = {
    "de": GERMAN,
    # „Montag, 24. August 2020, 18 Uhr“; every date with its year, times joined with
    # words, no abbreviations (rules of Leichte Sprache).
    "de-x-ls": DateStyle(
        weekdays=WEEKDAYS,
        months=MONTHS,
        weekdays_short=WEEKDAYS,
        date="{day}. {month}",
        time="{time} Uhr",
        times="von {start} Uhr bis {end} Uhr",
        span="{start} bis {last}",
        span_shares_year=False,
        whole_hours=True,
        short_in_words=True,
    ),
    # British (GOV.UK style): „Monday 24 August 2020, 18:00 to 20:00“. The 24-hour
    # clock, as on German posters, timetables and letters the readers hold.
    "en": DateStyle(
        weekdays=(
            *("Monday", "Tuesday", "Wednesday", "Thursday"),
            *("Friday", "Saturday", "Sunday"),
        ),
        months=(
            *("January", "February", "March", "April", "May", "June", "July"),
            *("August", "September", "October", "November", "December"),
        ),
        weekdays_short=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        dated="{weekday} {date}",
        times="{start} to {end}",
        span="{start} to {last}",
        short_dated="{weekday} {date}",
        short_day="%d/%m/%Y",
        short_day_in_year="%d/%m",
    ),
    # Month names of Modern Standard Arabic as in CLDR `ar` (يناير … ديسمبر), read
    # across the Arab world; „الاثنين، 24 أغسطس 2020، من 15:00 إلى 19:00“.
    "ar": DateStyle(
        weekdays=(
            *("الاثنين", "الثلاثاء", "الأربعاء", "الخميس"),
            *("الجمعة", "السبت", "الأحد"),
        ),
        months=(
            *("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو"),
            *("أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
        ),
        weekdays_short=(
            *("الاثنين", "الثلاثاء", "الأربعاء", "الخميس"),
            *("الجمعة", "السبت", "الأحد"),
        ),
        dated="{weekday}، {date}",
        at="{date}، {times}",
        time="الساعة {time}",
        times="من {start} إلى {end}",
        span="من {start} إلى {last}",
        short_dated="{weekday}، {date}",
        short_day_in_year="%d.%m.%Y",
        short_span="من {start} إلى {last}",
    ),
    # Genitive months: „понеділок, 24 серпня 2020“.
    "uk": DateStyle(
        weekdays=(
            *("понеділок", "вівторок", "середа", "четвер"),
            *("пʼятниця", "субота", "неділя"),
        ),
        months=(
            *("січня", "лютого", "березня", "квітня", "травня", "червня"),
            *("липня", "серпня", "вересня", "жовтня", "листопада", "грудня"),
        ),
        weekdays_short=("пн", "вт", "ср", "чт", "пт", "сб", "нд"),
    ),
    # „24 Ağustos 2020 Pazartesi, saat 15:00–19:00“ (CLDR `tr`: the weekday follows).
    "tr": DateStyle(
        weekdays=(
            *("Pazartesi", "Salı", "Çarşamba", "Perşembe"),
            *("Cuma", "Cumartesi", "Pazar"),
        ),
        months=(
            *("Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz"),
            *("Ağustos", "Eylül", "Ekim", "Kasım", "Aralık"),
        ),
        weekdays_short=("Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz"),
        dated="{date} {weekday}",
        time="saat {time}",
        times="saat {start}–{end}",
        short_dated="{date} {weekday}",
    ),
    # Gregorian months as Iran names them (CLDR `fa`), not the Solar Hijri calendar:
    # „دوشنبه 24 اوت 2020، از ساعت 15:00 تا 19:00“.
    "fa": DateStyle(
        weekdays=(
            *("دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه"),
            *("جمعه", "شنبه", "یکشنبه"),
        ),
        months=(
            *("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه"),
            *("اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"),
        ),
        weekdays_short=(
            *("دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه"),
            *("جمعه", "شنبه", "یکشنبه"),
        ),
        dated="{weekday} {date}",
        at="{date}، {times}",
        time="ساعت {time}",
        times="از ساعت {start} تا {end}",
        span="از {start} تا {last}",
        short_dated="{weekday} {date}",
        short_day_in_year="%d.%m.%Y",
        short_span="از {start} تا {last}",
    ),
    # Genitive months: „понедельник, 24 августа 2020“.
    "ru": DateStyle(
        weekdays=(
            *("понедельник", "вторник", "среда", "четверг"),
            *("пятница", "суббота", "воскресенье"),
        ),
        months=(
            *("января", "февраля", "марта", "апреля", "мая", "июня"),
            *("июля", "августа", "сентября", "октября", "ноября", "декабря"),
        ),
        weekdays_short=("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
    ),
}


def style(lang: str | None = SOURCE_LANGUAGE) -> DateStyle:
    """The date style of a language tag in any case; German for an unknown one."""
    return STYLES.get((lang or SOURCE_LANGUAGE).lower(), GERMAN)


class OccurrenceDays:
    """Day arithmetic of an occurrence, shared by the model and the loaded list rows."""

    start_date: dt.date
    end_date: dt.date | None
    start_time: dt.time | None
    end_time: dt.time | None
    label: str

    @property
    def all_day(self) -> bool:
        return self.start_time is None

    @property
    def last_date(self) -> dt.date:
        return self.end_date or self.start_date


def date_text(
    day: dt.date,
    *,
    weekday: bool = True,
    year: bool = True,
    lang: str = SOURCE_LANGUAGE,
) -> str:
    """A day in words: "Montag, 24. August 2020", "Monday 24 August 2020"."""
    return style(lang).day_text(day, weekday=weekday, year=year)


def german_date(day: dt.date, *, weekday: bool = True, year: bool = True) -> str:
    """ "Montag, 24. August 2020" (the form readers know from print programmes)."""
    return GERMAN.day_text(day, weekday=weekday, year=year)


def german_time(time: dt.time) -> str:
    return f"{time:%H:%M}"


def occurrence_text(occurrence: OccurrenceDays, lang: str = SOURCE_LANGUAGE) -> str:
    """One occurrence in words: a day, a day with times, or a range of days.

    "Montag, 24. August 2020, 15:00–19:00 Uhr" · "Samstag, 26. September bis Sonntag,
    4. Oktober 2020" · an editor's label such as "Sommerferien 2020" replaces the dates.
    """
    if occurrence.label:
        return occurrence.label
    return style(lang).occurrence(occurrence)


def occurrence_short(occurrence: OccurrenceDays, lang: str = SOURCE_LANGUAGE) -> str:
    """Compact form for narrow lists: "Mo., 24.08.2020, 15:00 Uhr", "26.09.–04.10.2020"."""
    return style(lang).short(occurrence)
