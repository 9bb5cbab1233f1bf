"""A partner's sample calendar served by the hub itself (development and tests only),
so the demo shows the import without internet (`manage.py ensure_demo_import`).

Its dates are relative to today, like the demo's living calendar: a weekly series with
one cancelled date, a three-day week of events and a long exhibition, in the style of
The Events Calendar (WordPress) with TZID=Europe/Berlin.
"""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone

import icalendar

BERLIN = ZoneInfo("Europe/Berlin")
PATH = "demo/partner-kalender.ics"
CALENDAR_NAME = "Caritas Witten (Beispielkalender)"
DOMAIN = "caritas-witten.example"


def sample_calendar(today: dt.date) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Caritas Witten - ECPv6.3.2//NONSGML v1.0//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    first_tuesday = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)

    series = _event(
        "sprachtreff",
        "Sprachtreff im Caritas-Zentrum",
        dt.datetime.combine(first_tuesday, dt.time(16), BERLIN),
        dt.datetime.combine(first_tuesday, dt.time(17, 30), BERLIN),
        "Deutsch sprechen in entspannter Runde, jede Woche dienstags.\n\n"
        "Ohne Anmeldung, kostenlos.",
    )
    series.add("rrule", {"freq": "weekly", "count": 10})
    series.add(
        "exdate",
        dt.datetime.combine(first_tuesday + dt.timedelta(weeks=2), dt.time(16), BERLIN),
    )
    calendar.add_component(series)

    week_start = first_tuesday + dt.timedelta(days=20)
    week = _event(
        "aktionswoche",
        "Aktionswoche Nachbarschaft",
        week_start,
        week_start + dt.timedelta(days=3),
        "Drei Tage offene Türen, Nachbarschaftsfrühstück und Stadtteilspaziergang.",
    )
    calendar.add_component(week)

    exhibition = _event(
        "ausstellung",
        "Ausstellung: Geschichten vom Ankommen",
        dt.datetime.combine(today - dt.timedelta(days=7), dt.time(10), BERLIN),
        dt.datetime.combine(today + dt.timedelta(days=60), dt.time(18), BERLIN),
        "Fotografien und Interviews mit Wittener Familien.",
    )
    calendar.add_component(exhibition)
    return bytes(calendar.to_ical())


def _event(
    key: str,
    summary: str,
    start: dt.date,
    end: dt.date,
    description: str,
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{key}@{DOMAIN}")
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("dtstamp", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    event.add("description", description)
    event.add("location", "Caritas-Zentrum, Hauptstraße 81, 58452 Witten")
    event.add("url", f"https://{DOMAIN}/veranstaltungen/{key}/")
    return event


def sample_calendar_view(request: HttpRequest) -> HttpResponse:
    if not getattr(settings, "HUB_DEMO_EDITOR", False):
        raise Http404
    body = sample_calendar(timezone.localdate())
    etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    return HttpResponse(
        body, content_type="text/calendar; charset=utf-8", headers={"ETag": etag}
    )
