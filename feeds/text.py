"""Plain-text pieces of feed items: XML-safe strings and event dates.

The words around the dates are gettext strings (German msgids), in the active language."""

import datetime as dt
import re
from collections.abc import Sequence

from django.utils.translation import get_language, gettext

from pages import series
from pages.items import EventItem, Occurrence, Series

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates, U+FFFE, U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot carry, so one bad title cannot break a whole feed."""
    return _XML_ILLEGAL.sub("", text)


def _day(date: dt.date, *, with_year: bool) -> str:
    return f"{date:%d.%m.%Y}" if with_year else f"{date:%d.%m.}"


def occurrence_dates(occurrence: Occurrence, *, with_year: bool = True) -> str:
    """ "24.08.2020", "26.09.–04.10.2020" or the editor's label ("Sommerferien 2020")."""
    if occurrence.label:
        return occurrence.label
    start, end = occurrence.start_date, occurrence.end_date
    if end and end != start:
        first = _day(start, with_year=start.year != end.year)
        return f"{first}–{_day(end, with_year=with_year)}"
    return _day(start, with_year=with_year)


def occurrence_text(occurrence: Occurrence) -> str:
    """One occurrence with its times: "24.08.2020, 15:00–19:00 Uhr"."""
    text = occurrence_dates(occurrence)
    if occurrence.start_time:
        start = f"{occurrence.start_time:%H:%M}"
        if occurrence.end_time:
            end = f"{occurrence.end_time:%H:%M}"
            times = gettext("%(start)s–%(end)s Uhr") % {"start": start, "end": end}
        else:
            times = gettext("%(time)s Uhr") % {"time": start}
        text += f", {times}"
    return text


def dates_line(occurrences: Sequence[Occurrence]) -> str:
    """All dates of an event in one line: "24.08., 26.08. und 31.08.2020"."""
    if not occurrences:
        return ""
    last_year = occurrences[-1].last_date.year
    parts = [
        occurrence_dates(
            occurrence,
            with_year=index == len(occurrences) - 1
            or occurrence.last_date.year != last_year
            or bool(occurrence.label),
        )
        for index, occurrence in enumerate(occurrences)
    ]
    if len(parts) == 1:
        return parts[0]
    return gettext("%(dates)s und %(last)s") % {
        "dates": ", ".join(parts[:-1]),
        "last": parts[-1],
    }


def coming(occurrences: Sequence[Occurrence], now: dt.datetime) -> list[Occurrence]:
    """The dates not over at `now`, as the public page counts them."""
    return [occurrence for occurrence in occurrences if occurrence.ends_at >= now]


def series_line(
    rule: Series, occurrences: Sequence[Occurrence], now: dt.datetime
) -> str:
    """A series for a title, short however many dates it has: „ab 07.01.2027 jeden
    Donnerstag“ from its next date, the last date alone, „jeden Donnerstag bis
    24.06.2027“ once it is over, or its rule when every date is cancelled."""
    ahead = coming(occurrences, now)
    if len(ahead) > 1:
        return gettext("ab %(date)s %(rule)s") % {
            "date": occurrence_dates(ahead[0]),
            "rule": series.rule_text(rule, get_language()),
        }
    if ahead:
        return occurrence_dates(ahead[0])
    if occurrences:
        return gettext("%(rule)s bis %(date)s") % {
            "rule": series.rule_text(rule, get_language()),
            "date": occurrence_dates(occurrences[-1]),
        }
    return series_text(rule)


def series_text(rule: Series) -> str:
    """The rule as the public page words it: „jeden Donnerstag, 19:00–21:00 Uhr, bis
    30.06.2027“."""
    return series.describe(
        rule, times=True, cancelled=len(rule.cancelled_dates), lang=get_language()
    )


def series_summary(
    rule: Series, occurrences: Sequence[Occurrence], now: dt.datetime
) -> str:
    """A series for a summary: its rule and its next date."""
    ahead = coming(occurrences, now)
    if not ahead:
        return series_text(rule)
    return gettext("%(rule)s; nächster Termin: %(date)s") % {
        "rule": series_text(rule),
        "date": occurrence_text(ahead[0]),
    }


def event_title(event: EventItem, dates: str) -> str:
    """Title a plain reader shows: dates (`dates_line`, `series_line`), title and
    German status."""
    prefix = f"{dates} – " if dates else ""
    return f"{prefix}{event.title} ({event.status_label})"


def place_text(event: EventItem) -> str:
    if event.venue is not None:
        return ", ".join(event.venue.address_lines)
    return event.city.name if event.city is not None else ""
