"""Reading a partner's iCal feed into source events with dates in Europe/Berlin.

Recurring events are expanded with recurring-ical-events within `HORIZON_DAYS` from
today (moved and cancelled single dates included); every VEVENT with the same UID
becomes one source event with one occurrence per date, as the hub keeps a series.
Times with a TZID (Olson or Windows names such as "W. Europe Standard Time", with or
without a VTIMEZONE), in UTC and floating times (taken as Berlin time, or the
calendar's X-WR-TIMEZONE) all end up as Berlin wall-clock times.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

BERLIN = ZoneInfo("Europe/Berlin")
HORIZON_DAYS = 366
"""How far ahead recurring and other events are imported."""
MAX_OCCURRENCES = 400
"""Dates of one source event at most (a daily series over the horizon fits)."""
TITLE_MAX = 255
TEASER_MAX = 600

Occurrence = tuple[str, str | None, str | None, str | None]
"""start date, end date (only when another day), start time, end time (ISO strings)."""


class CalendarError(Exception):
    """The answer is no readable calendar (the message is German, for editors)."""


@dataclass
class SourceEvent:
    uid: str
    title: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    occurrences: list[Occurrence] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "description": self.description,
            "location": self.location,
            "url": self.url,
            "cancelled": self.cancelled,
            "occurrences": [list(o) for o in self.occurrences],
        }

    @property
    def content_hash(self) -> str:
        text = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class ParsedCalendar:
    name: str
    events: list[SourceEvent]
    problems: list[str]
    """German, one line per event that could not be read."""


def parse(
    data: bytes, today: dt.date, horizon_days: int = HORIZON_DAYS
) -> ParsedCalendar:
    """The events of `data` that take place on or after `today`, within the horizon."""
    text = data.lstrip(b"\xef\xbb\xbf \r\n\t")
    if not text.upper().startswith(b"BEGIN:VCALENDAR"):
        raise CalendarError(
            "Die Antwort ist keine iCal-Datei (sie beginnt nicht mit "
            "„BEGIN:VCALENDAR“). Bitte prüfen Sie die Adresse des Kalenders."
        )
    if not text.rstrip().upper().endswith(b"END:VCALENDAR"):
        raise CalendarError(
            "Die iCal-Datei ist unvollständig (sie endet nicht mit „END:VCALENDAR“); "
            "vermutlich wurde die Übertragung abgebrochen."
        )
    try:
        calendar = icalendar.Calendar.from_ical(text)
        components = recurring_ical_events.of(calendar, skip_bad_series=True).between(
            today, today + dt.timedelta(days=horizon_days)
        )
    except Exception as error:
        raise CalendarError(f"Die iCal-Datei ist fehlerhaft: {error}") from error

    problems: list[str] = []
    events: dict[str, SourceEvent] = {}
    # Expanded occurrences all carry a RECURRENCE-ID; the series' own VEVENT does not.
    masters = {
        str(component.get("UID", "")).strip(): component
        for component in calendar.walk("VEVENT")
        if "RECURRENCE-ID" not in component
    }
    for component in components:
        uid = str(component.get("UID", "")).strip()
        summary = str(component.get("SUMMARY", "")).strip()
        if not uid:
            problems.append(f"„{summary or 'ohne Titel'}“: ohne UID übersprungen.")
            continue
        try:
            occurrence = occurrence_of(component)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            problems.append(f"„{summary or uid}“: Datum nicht lesbar ({error}).")
            continue
        event = events.get(uid)
        if event is None:
            master = masters.get(uid, component)
            event = events[uid] = SourceEvent(
                uid=uid,
                title=(str(master.get("SUMMARY", "")).strip() or "Ohne Titel")[
                    :TITLE_MAX
                ],
                description=str(master.get("DESCRIPTION", "")).strip(),
                location=str(master.get("LOCATION", "")).strip(),
                url=str(master.get("URL", "")).strip(),
                cancelled=_cancelled(master),
            )
        if _cancelled(component) and not event.cancelled:
            continue  # a single cancelled date of a series
        if occurrence not in event.occurrences:
            event.occurrences.append(occurrence)

    found = []
    for event in events.values():
        event.occurrences.sort()
        if len(event.occurrences) > MAX_OCCURRENCES:
            problems.append(
                f"„{event.title}“: nur die ersten {MAX_OCCURRENCES} von "
                f"{len(event.occurrences)} Terminen übernommen."
            )
            del event.occurrences[MAX_OCCURRENCES:]
        if event.occurrences:
            found.append(event)
    name = str(calendar.get("X-WR-CALNAME", "")).strip()
    return ParsedCalendar(name=name, events=found, problems=problems)


def _cancelled(component: Any) -> bool:
    return str(component.get("STATUS", "")).upper() == "CANCELLED"


def occurrence_of(component: Any) -> Occurrence:
    """One VEVENT's dates: all-day (DTEND exclusive) or timed, in Berlin."""
    start = component["DTSTART"].dt
    end = component["DTEND"].dt if "DTEND" in component else None
    if end is None and "DURATION" in component:
        end = start + component["DURATION"].dt
    if not isinstance(start, dt.datetime):
        last = start
        if (
            isinstance(end, dt.date)
            and not isinstance(end, dt.datetime)
            and end > start
        ):
            last = end - dt.timedelta(days=1)
        return (start.isoformat(), _other_day(last, start), None, None)
    begins = in_berlin(start)
    ends = in_berlin(end) if isinstance(end, dt.datetime) else begins
    if ends < begins:
        ends = begins
    if ends.time() == dt.time.min and ends.date() > begins.date():
        # Ends at midnight: the end of the day before, not a day more.
        ends = dt.datetime.combine(
            ends.date() - dt.timedelta(days=1), dt.time(23, 59), BERLIN
        )
    return (
        begins.date().isoformat(),
        _other_day(ends.date(), begins.date()),
        begins.time().isoformat("minutes"),
        None if ends == begins else ends.time().isoformat("minutes"),
    )


def in_berlin(value: dt.datetime) -> dt.datetime:
    """`value` as Berlin wall-clock time to the minute; floating times are Berlin's."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=BERLIN)
    return value.astimezone(BERLIN).replace(second=0, microsecond=0)


def _other_day(day: dt.date, first: dt.date) -> str | None:
    return day.isoformat() if day != first else None
