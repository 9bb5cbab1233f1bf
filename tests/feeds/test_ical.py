"""iCalendar: parsed with icalendar, plus a lint of RFC 5545 rules no single tool checks."""

import datetime as dt
import re

import icalendar
import pytest

from pages.enums import EventStatus
from pages.models import EventOccurrence, EventPage

pytestmark = pytest.mark.django_db

WITTEN = "laien-sprachmittlerpool-grundlagenschulung-witten-2020"


def lint(body: bytes) -> icalendar.Calendar:
    """Assert the file-level rules of FEEDS.md and return the parsed calendar."""
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert body.endswith(b"\r\n")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a UTF-8 character
    calendar = icalendar.Calendar.from_ical(body)
    stamps = re.findall(rb"\r\nDTSTAMP[:;]", body)
    assert len(stamps) == len(re.findall(rb"\r\nDTSTAMP:\d{8}T\d{6}Z\r\n", body))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    tzids = {
        param
        for component in calendar.walk("VEVENT")
        for prop in ("DTSTART", "DTEND")
        if prop in component and (param := component[prop].params.get("TZID"))
    }
    assert tzids <= {tz["TZID"] for tz in calendar.walk("VTIMEZONE")}
    uids = [event["UID"] for event in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    for event in calendar.walk("VEVENT"):
        for required in (
            "UID",
            "DTSTAMP",
            "DTSTART",
            "SEQUENCE",
            "LAST-MODIFIED",
            "URL",
        ):
            assert required in event, required
        assert event["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)
        assert event["STATUS"] in {"TENTATIVE", "CONFIRMED", "CANCELLED"}
        assert not ("DTEND" in event and "DURATION" in event)
        start = event["DTSTART"].dt
        if "DTEND" in event:
            end = event["DTEND"].dt
            assert type(start) is type(end)
            assert end > start
        if not isinstance(start, dt.datetime):
            assert event["DTSTART"].params.get("VALUE") == "DATE"
    return calendar


def events_of(body: bytes, slug: str) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return [event for event in calendar.walk("VEVENT") if slug in str(event["URL"])]


@pytest.mark.parametrize("section", ["events", "all"])
def test_calendar_passes_the_lint(fetch, section):
    calendar = lint(fetch(f"/feeds/{section}.ics").content)
    occurrences = EventOccurrence.objects.filter(page__in=EventPage.objects.visible())
    assert len(calendar.walk("VEVENT")) == occurrences.count()


def test_timezone_is_limited_to_the_years_used(fetch):
    body = fetch("/feeds/events.ics").content
    calendar = icalendar.Calendar.from_ical(body)
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Berlin"
    years = {int(y) for y in re.findall(rb"\r\n(?:DTSTART|RDATE):(\d{4})", body)}
    used = {o.start_date.year for o in EventOccurrence.objects.all()}
    assert years <= set(range(min(used) - 1, max(used) + 2))


def test_one_event_per_occurrence_with_times_in_berlin(fetch):
    events = events_of(fetch("/feeds/events.ics").content, WITTEN)
    assert len(events) == 3
    starts = sorted(event["DTSTART"].dt for event in events)
    assert [s.date() for s in starts] == [
        dt.date(2020, 8, 24),
        dt.date(2020, 8, 26),
        dt.date(2020, 8, 31),
    ]
    assert all(str(s.tzinfo) == "Europe/Berlin" and s.hour == 15 for s in starts)
    assert all(event["DTEND"].dt.hour == 19 for event in events)
    assert all(event["STATUS"] == "CONFIRMED" for event in events)
    assert all("Witten" in str(event["LOCATION"]) for event in events)
    uid = str(events[0]["UID"])
    assert re.fullmatch(r"event-\d+-occurrence-\d+@ki\.en-kreis\.de", uid)


def test_all_day_range_has_exclusive_end(fetch):
    (event,) = events_of(fetch("/feeds/events.ics").content, "woche-der-vielfalt-2020")
    assert event["DTSTART"].dt == dt.date(2020, 9, 26)
    assert event["DTEND"].dt == dt.date(2020, 10, 5)


def test_status_mapping_and_cancelled_events_stay(
    fetch, django_capture_on_commit_callbacks
):
    event = EventPage.objects.get(slug="woche-der-vielfalt-2020")
    event.status = EventStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    (vevent,) = events_of(fetch("/feeds/events.ics").content, "woche-der-vielfalt-2020")
    assert vevent["STATUS"] == "CANCELLED"
    assert "(abgesagt)" in str(vevent["SUMMARY"])
    for status in EventStatus:
        assert status.ical in {"TENTATIVE", "CONFIRMED", "CANCELLED"}


def test_sequence_rises_on_time_place_or_status_change_only(
    fetch, django_capture_on_commit_callbacks
):
    from tests.factories import VenueFactory

    def publish(event):
        with django_capture_on_commit_callbacks(execute=True):
            event.save_revision().publish()
        return EventPage.objects.get(pk=event.pk)

    def sequences():
        events = events_of(fetch("/feeds/events.ics").content, WITTEN)
        return {int(event["SEQUENCE"]) for event in events}

    event = EventPage.objects.get(slug=WITTEN)
    start = sequences()
    event.title = "Neuer Titel"
    event = publish(event)
    assert sequences() == start  # a new title is not a schedule change
    event.venue = VenueFactory()
    event = publish(event)
    assert sequences() == {max(start) + 1}
    event.status = EventStatus.CANCELLED
    event = publish(event)
    assert sequences() == {max(start) + 2}
    occurrences = list(event.occurrences.all())
    occurrences[0].start_time = dt.time(16)
    event.occurrences = occurrences
    event = publish(event)
    assert sequences() == {max(start) + 3}
    # An older revision's copy of the counter must not roll it back.
    event.get_latest_revision().publish()
    assert event.__class__.objects.get(pk=event.pk).schedule_sequence >= max(start) + 3


def test_text_is_escaped_so_injection_stays_text(fetch, demo):
    from tests.factories import EventOccurrenceFactory, EventPageFactory

    event = EventPageFactory(
        parent=demo.events,
        title="Treffen\r\nBEGIN:VALARM\r\nTRIGGER:-PT5M",
        teaser="a; b, c \\ d\nEND:VEVENT",
    )
    EventOccurrenceFactory(page=event)
    body = fetch("/feeds/events.ics").content
    calendar = lint(body)
    assert not calendar.walk("VALARM")
    assert b"\r\nBEGIN:VALARM" not in body
    (vevent,) = [e for e in calendar.walk("VEVENT") if f"event-{event.pk}-" in e["UID"]]
    assert str(vevent["SUMMARY"]).startswith("Treffen\nBEGIN:VALARM\nTRIGGER:-PT5M")
    assert "a; b, c \\ d\nEND:VEVENT" in str(vevent["DESCRIPTION"])
