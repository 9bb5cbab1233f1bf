"""The iCal feed lists a series date by date with stable UIDs; icalendar,
recurring-ical-events and vobject all read exactly the API's dates from it."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.cache import cache

import icalendar
import pytest
import recurring_ical_events
import vobject

from pages.models import EventCancellation, EventOccurrence, EventPage
from tests.factories import EventPageFactory

from .conftest import publish_series

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def changed_series(series_event):
    """The Sprachcafé with 14 January cancelled, 21 January moved to Friday 18:00 and
    an extra date on Saturday 23 January."""
    page = series_event
    rows = list(page.occurrences.all())
    moved = next(o for o in rows if o.series_date == dt.date(2027, 1, 21))
    moved.start_date, moved.start_time = dt.date(2027, 1, 22), dt.time(18)
    extra = EventOccurrence(start_date=dt.date(2027, 1, 23), start_time=dt.time(10))
    page.occurrences = [*rows, extra]
    page.cancellations = [EventCancellation(date=dt.date(2027, 1, 14))]
    page.save_revision().publish()
    return page


def feed(client) -> bytes:
    response = client.get("/feeds/events.ics")
    assert response.status_code == 200
    return response.content


def api_starts(client, page) -> set[dt.datetime]:
    event = client.get(f"/api/v1/events/{page.pk}/").json()
    return {utc(dt.datetime.fromisoformat(o["start"])) for o in event["occurrences"]}


def with_status(starts: set[tuple[dt.datetime, str]], status: str) -> set[dt.datetime]:
    return {start for start, state in starts if state == status}


def utc(moment: dt.datetime) -> dt.datetime:
    """Parsers' zones differ (vobject's own VTIMEZONE class hashes by wall time)."""
    return moment.astimezone(dt.UTC)


def test_three_parsers_read_the_apis_dates(client, changed_series, today):
    page = changed_series
    expected = api_starts(client, page)
    assert utc(dt.datetime(2027, 1, 22, 18, tzinfo=BERLIN)) in expected
    assert utc(dt.datetime(2027, 1, 23, 10, tzinfo=BERLIN)) in expected
    assert len(expected) == 25 - 1 + 1  # 25 Thursdays, one cancelled, one extra
    ics = feed(client)
    cancelled = {utc(dt.datetime(2027, 1, 14, 19, tzinfo=BERLIN))}
    mine = f"/{page.url_path.rstrip('/').rsplit('/', 1)[-1]}/"

    calendar = icalendar.Calendar.from_ical(ics)
    parsed = {
        (utc(event.decoded("dtstart")), str(event.get("status")))
        for event in calendar.walk("VEVENT")
        if mine in str(event.get("url"))
    }
    assert with_status(parsed, "CANCELLED") == cancelled
    assert {start for start, _ in parsed} - cancelled == expected

    expanded = recurring_ical_events.of(calendar).between(
        dt.date(2026, 1, 1), dt.date(2028, 1, 1)
    )
    parsed = {
        (utc(event.decoded("dtstart")), str(event.get("status")))
        for event in expanded
        if mine in str(event.get("url"))
    }
    assert with_status(parsed, "CANCELLED") == cancelled
    assert {start for start, _ in parsed} - cancelled == expected

    read = vobject.readOne(ics.decode())
    parsed = {
        (utc(event.dtstart.value), event.status.value)
        for event in read.vevent_list
        if mine in event.url.value
    }
    assert with_status(parsed, "CANCELLED") == cancelled
    assert {start for start, _ in parsed} - cancelled == expected


def test_series_uids_are_stable_across_moves_and_reexpansion(
    client, series_event, today
):
    page = series_event

    def uids() -> dict[str, dt.datetime]:
        cache.clear()  # the test's changes are never committed, so never announced
        calendar = icalendar.Calendar.from_ical(feed(client))
        return {
            str(event["uid"]): event.decoded("dtstart")
            for event in calendar.walk("VEVENT")
            if f"event-{page.pk}-" in str(event["uid"])
        }

    before = uids()
    uid = next(u for u in before if "-series-20270121@" in u)
    assert before[uid] == dt.datetime(2027, 1, 21, 19, tzinfo=BERLIN)
    rows = list(page.occurrences.all())
    moved = next(o for o in rows if o.series_date == dt.date(2027, 1, 21))
    moved.start_date = dt.date(2027, 1, 22)
    page.occurrences = rows
    page.save_revision().publish()
    # Rows are re-created by a fresh expansion (new primary keys): UIDs stay.
    EventOccurrence.objects.filter(page=page).exclude(
        series_date=dt.date(2027, 1, 21)
    ).delete()
    EventPage.objects.get(pk=page.pk).save_revision().publish()
    assert EventOccurrence.objects.filter(page=page).count() == len(rows)
    after = uids()
    assert set(after) == set(before)
    assert after[uid] == dt.datetime(2027, 1, 22, 19, tzinfo=BERLIN)


def vevents(client, query: str, page) -> set[tuple[dt.date, str]]:
    response = client.get(f"/feeds/events.ics{query}")
    assert response.status_code == 200
    mine = f"/{page.url_path.rstrip('/').rsplit('/', 1)[-1]}/"
    return {
        (event.decoded("dtstart").date(), str(event.get("status")))
        for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        if mine in str(event.get("url"))
    }


def test_a_window_picks_events_and_cancelled_dates_follow_the_live_ones(
    client, changed_series, today
):
    """`from`/`to` choose events, as in the API: a chosen event comes with all its
    dates, and its cancelled dates come and go with the live ones; an event outside
    the window brings none, cancelled or live."""
    page = changed_series
    everything = vevents(client, "", page)
    assert (dt.date(2027, 1, 14), "CANCELLED") in everything
    in_window = vevents(client, "?from=2027-02-01&to=2027-02-28", page)
    assert in_window == everything
    api = client.get("/api/v1/events/?from=2027-02-01&to=2027-02-28").json()
    listed = next(e for e in api["results"] if e["id"] == page.pk)
    live = {d for d, status in in_window if status != "CANCELLED"}
    assert live == {
        dt.date.fromisoformat(o["start_date"]) for o in listed["occurrences"]
    }
    assert {d for d, s in in_window if s == "CANCELLED"} == {
        dt.date.fromisoformat(d) for d in listed["recurrence"]["cancelled_dates"]
    }
    assert vevents(client, "?from=2027-07-01&to=2027-07-31", page) == set()
    # Only the calendar writes cancelled dates; the other formats list live dates.
    feed_json = client.get("/feeds/events.json").json()
    title = next(i["title"] for i in feed_json["items"] if i["url"] == listed["url"])
    assert title.startswith("ab 07.01.2027 jeden Donnerstag – ")


def test_a_series_with_every_date_cancelled_stays_in_the_api_and_calendar(
    client, today
):
    """The page says its only date „fällt aus“: the API keeps the rule with that
    cancelled date, the calendar a cancelled VEVENT, so a subscriber's copy goes."""
    page = publish_series(
        EventPageFactory(title="Lesung"),
        cancelled=(dt.date(2027, 1, 7),),
        start_date=dt.date(2027, 1, 7),
        start_time=dt.time(19),
        frequency="weekly",
        count=1,
    )
    assert "1 Termin, fällt aus" in client.get(page.url).content.decode()
    event = client.get(f"/api/v1/events/{page.pk}/").json()
    assert event["occurrences"] == []
    assert event["recurrence"]["cancelled_dates"] == ["2027-01-07"]
    assert event["recurrence"]["text"] == "jeden Donnerstag, 1 Termin, fällt aus"
    assert vevents(client, "", page) == {(dt.date(2027, 1, 7), "CANCELLED")}
