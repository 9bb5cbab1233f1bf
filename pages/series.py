"""Recurring series: a rule's dates, worded for readers and in RFC 5545, materialised
as rows.

A series (`EventRecurrence`, with `EventCancellation`s) is expanded into ordinary
`EventOccurrence` rows by `reconcile`, so lists, filters, the schedule bounds kept by the
database, feeds and embeds read one kind of date. Rules are expanded with
python-dateutil's `rrule` on local dates; the times are the series' local wall-clock
times, made aware in Europe/Berlin per row (`EventOccurrence.compute_bounds`), so 19:00
stays 19:00 across daylight-saving changes. Open-ended series are expanded up to
`HUB_SERIES_HORIZON_DAYS` from today (extended daily, `pages.series_horizon`); every
series stops after `MAX_DATES` dates.

The rhythm is worded per language (`lang`, German by default) from the tables below,
which know each language's grammar of weekdays (Ukrainian „щочетверга“, Russian „каждую
среду“); the counts of dates are gettext plurals (locale/), the times and dates those
of `pages.dates`.
"""

import datetime as dt
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from dateutil import rrule

from . import dates
from .dates import WEEKDAYS

WEEKLY = "weekly"
MONTHLY = "monthly"
MAX_DATES = 500
"""A hard cap of any series' dates (also for `until`/`count`)."""
MAX_INTERVAL = {WEEKLY: 52, MONTHLY: 24}
"""Longest gap between two dates: a year of weeks, two years of months."""
LAST = -1
ORDINALS = {1: "1.", 2: "2.", 3: "3.", 4: "4.", LAST: "letzten"}
NUMBER_WORDS = {2: "zwei", 3: "drei", 4: "vier", 5: "fünf", 6: "sechs"}
ADVERBS = (
    *("montags", "dienstags", "mittwochs", "donnerstags"),
    *("freitags", "samstags", "sonntags"),
)
_RFC_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
BERLIN = ZoneInfo("Europe/Berlin")


class Rule(Protocol):
    """What a series rule has (`EventRecurrence`)."""

    start_date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    frequency: str
    interval: int
    weekday_ordinal: int | None
    until: dt.date | None
    count: int | None


def horizon_days() -> int:
    return int(settings.HUB_SERIES_HORIZON_DAYS)


def horizon(rule: Rule, today: dt.date) -> dt.date | None:
    """The last day an open-ended series is expanded to; None for a bounded one."""
    if rule.until or rule.count:
        return None
    return today + dt.timedelta(days=horizon_days())


def ordinal_of(day: dt.date) -> int:
    """Which weekday of its month `day` is: 1–4, or 5 for a fifth one."""
    return (day.day - 1) // 7 + 1


def is_last_weekday(day: dt.date) -> bool:
    return (day + dt.timedelta(days=7)).month != day.month


def _rrule(rule: Rule, until: dt.date | None) -> rrule.rrule:
    weekday = rrule.weekdays[rule.start_date.weekday()]
    byweekday = weekday
    frequency = rrule.WEEKLY
    if rule.frequency == MONTHLY:
        frequency = rrule.MONTHLY
        byweekday = weekday(rule.weekday_ordinal or ordinal_of(rule.start_date))
    return rrule.rrule(
        frequency,
        dtstart=dt.datetime.combine(rule.start_date, dt.time.min),
        interval=max(rule.interval or 1, 1),
        byweekday=byweekday,
        until=dt.datetime.combine(until, dt.time.min) if until else None,
        count=min(rule.count, MAX_DATES) if rule.count else None,
        cache=False,
    )


def expand(rule: Rule, today: dt.date) -> list[dt.date]:
    """The rule's dates from its first date: to `until`, `count` dates, or the horizon."""
    until = rule.until or horizon(rule, today)
    dates = []
    for moment in _rrule(rule, until):
        dates.append(moment.date())
        if len(dates) >= MAX_DATES:
            break
    return dates


def is_rule_date(rule: Rule, day: dt.date) -> bool:
    """Whether the rule gives `day`, the horizon aside (a cancellation far ahead)."""
    for number, moment in enumerate(_rrule(rule, rule.until), start=1):
        if moment.date() >= day or number >= MAX_DATES:
            return bool(moment.date() == day)
    return False


def rfc5545(rule: Rule) -> str:
    """The rule as an RRULE value for a DTSTART in Europe/Berlin, e.g.
    `FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270630T215959Z`.

    With times, UNTIL is the end of the local last day in UTC (RFC 5545 wants a
    DATE-TIME in UTC with such a DTSTART; a plain date reads as 00:00 and loses a
    date on that day); an all-day series keeps a DATE."""
    day = _RFC_DAYS[rule.start_date.weekday()]
    parts = [f"FREQ={'MONTHLY' if rule.frequency == MONTHLY else 'WEEKLY'}"]
    if (rule.interval or 1) > 1:
        parts.append(f"INTERVAL={rule.interval}")
    if rule.frequency == MONTHLY:
        parts.append(
            f"BYDAY={rule.weekday_ordinal or ordinal_of(rule.start_date)}{day}"
        )
    else:
        parts.append(f"BYDAY={day}")
    if rule.until:
        parts.append(f"UNTIL={until_value(rule.until, rule.start_time is not None)}")
    elif rule.count:
        parts.append(f"COUNT={rule.count}")
    return ";".join(parts)


def until_value(until: dt.date, timed: bool) -> str:
    """The RRULE's UNTIL: a DATE for an all-day series, else the last second of the
    local day `until` as a UTC DATE-TIME."""
    if not timed:
        return f"{until:%Y%m%d}"
    end = dt.datetime.combine(until, dt.time(23, 59, 59), BERLIN)
    return f"{end.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def _every(interval: int, unit: str) -> str:
    return f"alle {NUMBER_WORDS.get(interval, str(interval))} {unit}"


def _slavic(number: int, one: str, few: str, many: str) -> str:
    """The noun after a number in Ukrainian and Russian: 1 / 2–4 / 5–20 (21 is one)."""
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


def _arabic_every(number: int, two: str, few: str, many: str) -> str:
    """„كل أسبوعين“, „كل 3 أسابيع“, „كل 12 أسبوعًا“ (dual, plural 3–10, accusative)."""
    if number == 2:
        return f"كل {two}"
    return f"كل {number} {few if 3 <= number % 100 <= 10 else many}"


_EN_DAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
_EN_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", LAST: "last"}
_AR_ORDINALS = {1: "الأول", 2: "الثاني", 3: "الثالث", 4: "الرابع", LAST: "الأخير"}
_UK_WEEKLY = (
    *("щопонеділка", "щовівторка", "щосереди", "щочетверга"),
    *("щопʼятниці", "щосуботи", "щонеділі"),
)
_UK_ON = ("понеділок", "вівторок", "середу", "четвер", "пʼятницю", "суботу", "неділю")
_UK_FEMININE = {2, 4, 5, 6}  # середа, пʼятниця, субота, неділя
_UK_ORDINALS = {
    1: ("перший", "перша"),
    2: ("другий", "друга"),
    3: ("третій", "третя"),
    4: ("четвертий", "четверта"),
    LAST: ("останній", "остання"),
}
_RU_WEEKLY = (
    *("каждый понедельник", "каждый вторник", "каждую среду", "каждый четверг"),
    *("каждую пятницу", "каждую субботу", "каждое воскресенье"),
)
_RU_ON = (
    *("по понедельникам", "по вторникам", "по средам", "по четвергам"),
    *("по пятницам", "по субботам", "по воскресеньям"),
)
_RU_GENDER = (0, 0, 1, 0, 1, 1, 2)  # masculine, feminine, neuter (воскресенье)
_RU_ORDINALS = {
    1: ("первый", "первая", "первое"),
    2: ("второй", "вторая", "второе"),
    3: ("третий", "третья", "третье"),
    4: ("четвёртый", "четвёртая", "четвёртое"),
    LAST: ("последний", "последняя", "последнее"),
}
_FA_ORDINALS = {1: "اولین", 2: "دومین", 3: "سومین", 4: "چهارمین", LAST: "آخرین"}
_TR_ORDINALS = {1: "1.", 2: "2.", 3: "3.", 4: "4.", LAST: "son"}
_LS_ORDINALS = {1: "1.", 2: "2.", 3: "3.", 4: "4.", LAST: "letzten"}


def _german_rule(weekday: int, interval: int, ordinal: int | None) -> str:
    if ordinal is not None:
        number = ORDINALS.get(ordinal, "")
        if interval == 1:
            return f"jeden {number} {WEEKDAYS[weekday]} im Monat"
        return f"{_every(interval, 'Monate')} am {number} {WEEKDAYS[weekday]}"
    if interval == 1:
        return f"jeden {WEEKDAYS[weekday]}"
    return f"{_every(interval, 'Wochen')} {ADVERBS[weekday]}"


def _easy_german_rule(weekday: int, interval: int, ordinal: int | None) -> str:
    day = WEEKDAYS[weekday]
    if ordinal is not None:
        number = _LS_ORDINALS.get(ordinal, "")
        if interval == 1:
            return f"jeden {number} {day} im Monat"
        return f"alle {interval} Monate am {number} {day}"
    return f"jeden {day}" if interval == 1 else f"alle {interval} Wochen am {day}"


def _english_rule(weekday: int, interval: int, ordinal: int | None) -> str:
    day = _EN_DAYS[weekday]
    if ordinal is not None:
        on = f"the {_EN_ORDINALS.get(ordinal, '')} {day}"
        if interval == 1:
            return f"{on} of every month"
        return f"{on} of the month, every {interval} months"
    return f"every {day}" if interval == 1 else f"every {interval} weeks on {day}s"


def _arabic_rule(weekday: int, interval: int, ordinal: int | None) -> str:
    day = dates.STYLES["ar"].weekdays[weekday]
    if ordinal is not None:
        every = (
            "من كل شهر"
            if interval == 1
            else _arabic_every(interval, "شهرين", "أشهر", "شهرًا")
        )
        return f"يوم {day} {_AR_ORDINALS.get(ordinal, '')} {every}"
    if interval == 1:
        return f"كل يوم {day.removeprefix('ال')}"
    return f"{_arabic_every(interval, 'أسبوعين', 'أسابيع', 'أسبوعًا')} يوم {day}"


def _ukrainian_rule(weekday: int, interval: int, ordinal: int | None) -> str:
    if ordinal is not None:
        number = _UK_ORDINALS.get(ordinal, ("", ""))[weekday in _UK_FEMININE]
        day = dates.STYLES["uk"].weekdays[weekday]
        if interval == 1:
            return f"{number} {day} кожного місяця"
        months = _slavic(interval, "місяць", "місяці", "місяців")
        return f"{number} {day} раз на {interval} {months}"
    if interval == 1:
        return _UK_WEEKLY[weekday]
    weeks = _slavic(interval, "тиждень", "тижні", "тижнів")
    return f"раз на {interval} {weeks} у {_UK_ON[weekday]}"


def _russian_rule(weekday: int, interval: int, ordinal: int | None) -> str:
    if ordinal is not None:
        number = _RU_ORDINALS.get(ordinal, ("", "", ""))[_RU_GENDER[weekday]]
        day = dates.STYLES["ru"].weekdays[weekday]
        if interval == 1:
            return f"{number} {day} каждого месяца"
        months = _slavic(interval, "месяц", "месяца", "месяцев")
        return f"{number} {day} раз в {interval} {months}"
    if interval == 1:
        return _RU_WEEKLY[weekday]
    weeks = _slavic(interval, "неделю", "недели", "недель")
    return f"раз в {interval} {weeks} {_RU_ON[weekday]}"


def _turkish_rule(weekday: int, interval: int, ordinal: int | None) -> str:
    day = dates.STYLES["tr"].weekdays[weekday]
    if ordinal is not None:
        on = f"ayın {_TR_ORDINALS.get(ordinal, '')} {day} günü"
        return f"her {on}" if interval == 1 else f"{interval} ayda bir, {on}"
    return f"her {day}" if interval == 1 else f"{interval} haftada bir {day}"


def _persian_rule(weekday: int, interval: int, ordinal: int | None) -> str:
    day = dates.STYLES["fa"].weekdays[weekday]
    if ordinal is not None:
        on = f"{_FA_ORDINALS.get(ordinal, '')} {day}"
        if interval == 1:
            return f"{on} هر ماه"
        return f"{on} ماه، هر {interval} ماه یک بار"
    return f"هر {day}" if interval == 1 else f"هر {interval} هفته یک بار، {day}"


_RULES = {
    "de": _german_rule,
    "de-x-ls": _easy_german_rule,
    "en": _english_rule,
    "ar": _arabic_rule,
    "uk": _ukrainian_rule,
    "tr": _turkish_rule,
    "fa": _persian_rule,
    "ru": _russian_rule,
}
_UNTIL = {
    "de": "bis {date}",
    "de-x-ls": "bis {date}",
    "en": "until {date}",
    "ar": "حتى {date}",
    "uk": "до {date}",
    "tr": "{date} tarihine kadar",
    "fa": "تا {date}",
    "ru": "до {date}",
}
_RIGHT_TO_LEFT = {"ar", "fa"}


def _language(lang: str | None) -> str:
    """A tag of the tables above, German for an unknown one."""
    tag = (lang or dates.SOURCE_LANGUAGE).lower()
    return tag if tag in _RULES else dates.SOURCE_LANGUAGE


def rule_text(rule: Rule, lang: str = dates.SOURCE_LANGUAGE) -> str:
    """The rhythm: „jeden Donnerstag“, „alle zwei Wochen dienstags“, „jeden 2. Dienstag
    im Monat“, „alle drei Monate am letzten Freitag“; „every Thursday“ in English."""
    ordinal = None
    if rule.frequency == MONTHLY:
        ordinal = rule.weekday_ordinal or ordinal_of(rule.start_date)
    interval = max(rule.interval or 1, 1)
    return _RULES[_language(lang)](rule.start_date.weekday(), interval, ordinal)


def times_text(rule: Rule, lang: str = dates.SOURCE_LANGUAGE) -> str:
    """„18:00–20:00 Uhr“, „18:00 Uhr“ or empty for all-day dates."""
    if rule.start_time is None:
        return ""
    return dates.style(_language(lang)).time_text(rule.start_time, rule.end_time)


def _until_text(until: dt.date, lang: str) -> str:
    if lang == "de-x-ls":
        day = dates.date_text(until, weekday=False, lang=lang)
    else:
        day = until.strftime(dates.style(lang).short_day)
    return _UNTIL[lang].format(date=day)


def bounds_text(
    rule: Rule, cancelled: int = 0, lang: str = dates.SOURCE_LANGUAGE
) -> str:
    """„bis 30.06.2027“, or the rule's number of dates with how many of them are off
    („8 Termine, davon fallen 2 aus“), so a reader does not expect 8 dates to come."""
    lang = _language(lang)
    if rule.until:
        return _until_text(rule.until, lang)
    if not rule.count:
        return ""
    with translation.override(lang):
        text = ngettext("%(count)s Termin", "%(count)s Termine", rule.count) % {
            "count": rule.count
        }
        if cancelled <= 0:
            return text
        if rule.count == 1:
            return gettext("%(dates)s, fällt aus") % {"dates": text}
        if cancelled >= rule.count:
            return gettext("%(dates)s, alle fallen aus") % {"dates": text}
        return ngettext(
            "%(dates)s, davon fällt %(cancelled)s aus",
            "%(dates)s, davon fallen %(cancelled)s aus",
            cancelled,
        ) % {"dates": text, "cancelled": cancelled}


def describe(
    rule: Rule,
    *,
    times: bool = False,
    cancelled: int = 0,
    lang: str = dates.SOURCE_LANGUAGE,
) -> str:
    """The rule with its end (and its times): „alle zwei Wochen dienstags, bis
    30.06.2027“, „jeden Donnerstag, 18:00–20:00 Uhr, 8 Termine, davon fällt 1 aus“.

    `cancelled`: how many of the rule's dates are cancelled (told with a count only).
    """
    lang = _language(lang)
    parts = [
        rule_text(rule, lang),
        times_text(rule, lang) if times else "",
        bounds_text(rule, cancelled, lang),
    ]
    separator = "، " if lang in _RIGHT_TO_LEFT else ", "
    return separator.join(part for part in parts if part)


def rule_errors(rule: Rule) -> dict[str, str]:
    """German messages on the rule's fields (empty when it is sound)."""
    errors = {}
    if rule.end_time and not rule.start_time:
        errors["start_time"] = "Bitte auch eine Anfangszeit angeben."
    elif rule.start_time and rule.end_time and rule.end_time < rule.start_time:
        errors["end_time"] = (
            "Eine Serie kann nicht über Mitternacht gehen; bitte legen Sie das Ende "
            "auf spätestens 23:59 Uhr oder tragen Sie die Termine einzeln mit "
            "„bis Datum“ ein."
        )
    if rule.until and rule.count:
        errors["count"] = (
            "Bitte geben Sie entweder ein Enddatum oder eine Anzahl von Terminen an, "
            "nicht beides."
        )
    if rule.until and rule.start_date and rule.until < rule.start_date:
        errors["until"] = "Das Enddatum der Serie liegt vor dem ersten Termin."
    if rule.count is not None and not 1 <= rule.count <= MAX_DATES:
        errors["count"] = f"Bitte geben Sie 1 bis {MAX_DATES} Termine an."
    if rule.interval is not None and rule.interval < 1:
        errors["interval"] = "Bitte geben Sie mindestens 1 an."
    elif rule.interval and rule.interval > MAX_INTERVAL[rule.frequency]:
        unit = "Monate" if rule.frequency == MONTHLY else "Wochen"
        errors["interval"] = (
            f"Bitte geben Sie höchstens {MAX_INTERVAL[rule.frequency]} {unit} an."
        )
    if rule.frequency == WEEKLY and rule.weekday_ordinal:
        errors["weekday_ordinal"] = (
            "Der n-te Wochentag gilt nur für monatliche Serien; "
            "bitte lassen Sie das Feld bei wöchentlichen Serien leer."
        )
    if rule.frequency == MONTHLY and rule.start_date:
        ordinal = rule.weekday_ordinal
        day = rule.start_date
        weekday = WEEKDAYS[day.weekday()]
        if ordinal is None:
            if ordinal_of(day) > 4:
                errors["weekday_ordinal"] = (
                    f"Der {day:%d.%m.%Y} ist der fünfte {weekday} im Monat; bitte "
                    "wählen Sie „letzter“ oder einen anderen ersten Termin."
                )
        elif ordinal == LAST and not is_last_weekday(day):
            errors["start_date"] = (
                f"Der {day:%d.%m.%Y} ist nicht der letzte {weekday} im Monat. Bitte "
                "wählen Sie als ersten Termin einen Tag, auf den die Regel passt."
            )
        elif ordinal != LAST and ordinal != ordinal_of(day):
            errors["start_date"] = (
                f"Der {day:%d.%m.%Y} ist nicht der {ORDINALS.get(ordinal, '')} "
                f"{weekday} im Monat. Bitte wählen Sie als ersten Termin einen Tag, "
                "auf den die Regel passt."
            )
    return errors


def today() -> dt.date:
    return timezone.localdate()


def recurrence_of(page: Any) -> Any | None:
    """The page's series rule (at most one), from the cluster (unsaved rows included)."""
    rules = list(page.recurrences.all())
    return rules[0] if rules else None


def cancelled_dates(page: Any) -> set[dt.date]:
    return {c.date for c in page.cancellations.all() if c.date}


def at_rule_times(row: Any, rule: Rule) -> bool:
    """A one-day row at the rule's times: typed on a rule date, it is that date."""
    return row.end_date in (None, row.start_date) and (
        row.start_time,
        row.end_time,
    ) == (
        rule.start_time,
        rule.end_time,
    )


def stands_for(row: Any, rule: Rule) -> dt.date | None:
    """The rule date a row stands for: its `series_date`, or the day of a row typed in
    by hand on a rule date at the rule's times."""
    day: dt.date | None = row.series_date
    if day is None and at_rule_times(row, rule):
        day = row.start_date
    return day


def reconcile(page: Any, today: dt.date) -> bool:
    """Bring the page's occurrences in line with its series; whether anything changed.

    Each rule date that is not cancelled keeps its row (moved or not) or gets a new
    one with the series' times; rows of dates the rule no longer has or that are
    cancelled go; rows without `series_date` (extra dates) stay. Works on the page's
    cluster in memory (a form's rows, a revision's rows), saved with the page.
    """
    rule = recurrence_of(page)
    rows = list(page.occurrences.all())
    if rule is None or not rule.start_date or rule_errors(rule):
        if rule is None and (
            any(row.series_date for row in rows) or cancelled_dates(page)
        ):
            # The series was removed: its dates stay as ordinary dates (the editor
            # deletes what should go); its cancellations have nothing left to cancel.
            for row in rows:
                row.series_date = None
            page.occurrences = rows
            page.cancellations = []
            return True
        return False
    wanted = [d for d in expand(rule, today) if d not in cancelled_dates(page)]
    wanted_set = set(wanted)
    kept = []
    seen: set[dt.date] = set()
    changed = False
    adoptable = wanted_set - {row.series_date for row in rows}
    for row in rows:
        if (
            row.series_date is None
            and row.start_date in adoptable
            and at_rule_times(row, rule)
        ):
            # A date typed in by hand on a rule date, at the rule's times, is that
            # series date; at other times it is an extra date on the same day.
            adoptable.discard(row.start_date)
            row.series_date = row.start_date
            changed = True
        if row.series_date is None:
            kept.append(row)
        elif row.series_date in wanted_set and row.series_date not in seen:
            seen.add(row.series_date)
            kept.append(row)
        else:
            changed = True
    model = page.occurrences.model
    for day in wanted:
        if day not in seen:
            kept.append(
                model(
                    start_date=day,
                    start_time=rule.start_time,
                    end_time=rule.end_time,
                    series_date=day,
                )
            )
            changed = True
    if not changed:
        return False
    kept.sort(key=lambda row: (row.start_date, row.start_time or dt.time.min))
    for position, row in enumerate(kept):
        row.sort_order = position
    page.occurrences = kept
    return True


def retime(page: Any, old: tuple[Any, Any], new: tuple[Any, Any]) -> None:
    """Move the series' unmoved rows from the old times to the new ones."""
    for row in page.occurrences.all():
        if (
            row.series_date is not None
            and row.start_date == row.series_date
            and row.end_date is None
            and (row.start_time, row.end_time) == old
        ):
            row.start_time, row.end_time = new


def is_moved(row: Any, rule: Rule | None) -> bool:
    """A series row whose day or times differ from what the rule gives."""
    if row.series_date is None or rule is None:
        return False
    return (
        row.start_date != row.series_date
        or (row.end_date not in (None, row.start_date))
        or (row.start_time, row.end_time) != (rule.start_time, rule.end_time)
    )
