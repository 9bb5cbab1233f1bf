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
    source_hash: str = ""
    """Hash of the partner's VEVENTs; when empty, of the imported state."""

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
        if self.source_hash:
            return self.source_hash
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
    except Exception as error:
        raise CalendarError(f"Die iCal-Datei ist fehlerhaft: {error}") from error

    problems: list[str] = []
    found = []
    for uid, group in _groups(calendar, problems):
        event = _expand(calendar, uid, group, today, horizon_days, problems)
        if event is not None and event.occurrences:
            found.append(event)
    name = _text(calendar, "X-WR-CALNAME")
    return ParsedCalendar(name=name, events=found, problems=problems)


def _text(component: Any, name: str) -> str:
    """A text property; the first one when the source gives it several times."""
    value = component.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _groups(calendar: Any, problems: list[str]) -> list[tuple[str, list[Any]]]:
    """The VEVENTs by source event: a main VEVENT with its moved or cancelled dates
    (RECURRENCE-ID). A second main VEVENT with the same UID is an event of its own
    (keyed by UID and start); VEVENTs without UID or start are named in `problems`."""
    masters: dict[str, list[Any]] = {}
    overrides: dict[str, list[Any]] = {}
    for component in calendar.walk("VEVENT"):
        uid = _text(component, "UID")
        summary = _text(component, "SUMMARY")
        if not uid:
            problems.append(f"„{summary or 'ohne Titel'}“: ohne UID übersprungen.")
            continue
        if "DTSTART" not in component:
            problems.append(f"„{summary or uid}“: ohne Beginn (DTSTART) übersprungen.")
            continue
        if "RECURRENCE-ID" in component:
            overrides.setdefault(uid, []).append(component)
        else:
            masters.setdefault(uid, []).append(component)
    groups = []
    for uid in dict.fromkeys([*masters, *overrides]):
        first, *others = masters.get(uid) or [None]
        main = [first] if first is not None else []
        groups.append((_key(uid), main + overrides.get(uid, [])))
        for other in others:
            start = other["DTSTART"].to_ical().decode()
            groups.append((_key(f"{uid}#{start}"), [other]))
    return groups


UID_MAX = 500


def _key(uid: str) -> str:
    """`uid`, or for a longer one its start and a hash, to fit `ImportedEvent.uid`."""
    if len(uid) <= UID_MAX:
        return uid
    return f"{uid[:400]}#sha256:{hashlib.sha256(uid.encode()).hexdigest()}"


def _expand(
    calendar: Any,
    uid: str,
    group: list[Any],
    today: dt.date,
    horizon_days: int,
    problems: list[str],
) -> SourceEvent | None:
    """One source event with its dates from today within the horizon; None (and a
    line in `problems`) when it cannot be read."""
    master = next((c for c in group if "RECURRENCE-ID" not in c), group[0])
    summary = _text(master, "SUMMARY") or uid
    rule = master.get("RRULE")
    frequencies = [str(f).upper() for f in (rule.get("FREQ", []) if rule else [])]
    if set(frequencies) & TOO_FREQUENT:
        problems.append(
            f"„{summary}“: Wiederholung öfter als stündlich wird nicht übernommen."
        )
        return None
    for component in group:
        if _ends_before_start(component):
            del component["DTEND"]
            problems.append(
                f"„{summary}“: Ende liegt vor dem Beginn; nur der Beginn übernommen."
            )
    event = SourceEvent(
        uid=uid,
        title=(_text(master, "SUMMARY") or "Ohne Titel")[:TITLE_MAX],
        description=_text(master, "DESCRIPTION"),
        location=_text(master, "LOCATION"),
        url=_text(master, "URL"),
        cancelled=_cancelled(master),
        source_hash=_source_hash(group),
    )
    single = icalendar.Calendar()
    for name, value in calendar.property_items(recursive=False)[1:-1]:
        single.add(name, value)
    for timezone in calendar.walk("VTIMEZONE"):
        single.add_component(timezone)
    for component in group:
        single.add_component(component)
    end = today + dt.timedelta(days=horizon_days)
    query = recurring_ical_events.of(single)
    try:
        # Month by month, so that a dense series stops at MAX_OCCURRENCES early.
        for start in range(0, horizon_days, CHUNK_DAYS):
            chunk = [
                occurrence_of(component)
                for component in query.between(
                    today + dt.timedelta(days=start),
                    min(today + dt.timedelta(days=start + CHUNK_DAYS), end),
                )
                if not (_cancelled(component) and not event.cancelled)
            ]
            for occurrence in sorted(chunk):
                if occurrence in event.occurrences:
                    continue
                if len(event.occurrences) == MAX_OCCURRENCES:
                    problems.append(
                        f"„{event.title}“: nur die ersten {MAX_OCCURRENCES} Termine "
                        "übernommen."
                    )
                    raise _Enough
                event.occurrences.append(occurrence)
    except _Enough:
        pass
    except Exception as error:  # noqa: BLE001 - one unreadable event, not the calendar
        problems.append(f"„{summary}“: Datum nicht lesbar ({error}).")
        return None
    event.occurrences.sort()
    return event


class _Enough(Exception):
    pass


CHUNK_DAYS = 31
TOO_FREQUENT = {"SECONDLY", "MINUTELY"}
VOLATILE = {"DTSTAMP", "LAST-MODIFIED", "CREATED", "SEQUENCE"}
"""Properties exports rewrite without a change of the event."""


def _ends_before_start(component: Any) -> bool:
    if "DTEND" not in component:
        return False
    start, end = component["DTSTART"].dt, component["DTEND"].dt
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        return False
    if isinstance(start, dt.datetime):
        start, end = in_berlin(start), in_berlin(end)
    return bool(end <= start) and not (
        # An all-day event may give its own day as end.
        not isinstance(start, dt.datetime) and end == start
    )


def _source_hash(group: list[Any]) -> str:
    """Hash of the source event's VEVENTs as the partner wrote them (not of the dates
    in today's window, which move every day)."""
    parts = sorted(
        [
            [
                name,
                value.to_ical().decode() if hasattr(value, "to_ical") else str(value),
            ]
            for name, value in component.property_items(recursive=False)
            if name not in VOLATILE
        ]
        for component in group
    )
    text = json.dumps(parts, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


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
