"""The edges of the contract's filters, as a partner's client or a calendar sees them.

`upcoming` ("an occurrence ending now or later"), `updated_since` (a lower bound that
includes the given instant), and `from`/`to` (whole days in Europe/Berlin, DST included),
through the API and the iCal feed.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pages.changes import touch
from pages.models import EventPage
from tests.factories import EventOccurrenceFactory, EventPageFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
DAY = dt.date(2030, 5, 14)


@pytest.fixture(autouse=True)
def _uncached(settings):
    """Several instants a second apart ask the same URL: no answer may be reused (a
    cached list may be up to max-age old, which is not what these tests are about)."""
    settings.HUB_RESPONSE_CACHE = False


def berlin(day: dt.date, hour: int = 0, minute: int = 0, second: int = 0):
    return dt.datetime.combine(day, dt.time(hour, minute, second), BERLIN)


def event(demo, title: str, *occurrences: dict) -> EventPage:
    """A published event with the given occurrences (EventOccurrence fields)."""
    page = EventPageFactory(parent=demo.events, title=title)
    for fields in occurrences:
        EventOccurrenceFactory(page=page, **fields)
    page.save_revision().publish()
    return page


def api_titles(client, query: str, at: dt.datetime | None = None) -> list[str]:
    url = f"/api/v1/events/?limit=100&{query}"
    if at is None:
        response = client.get(url)
    else:
        with time_machine.travel(at, tick=False):
            response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return [item["title"] for item in response.json()["results"]]


def ics_summaries(client, query: str, at: dt.datetime) -> str:
    with time_machine.travel(at, tick=False):
        response = client.get(f"/feeds/events.ics?{query}")
    assert response.status_code == 200
    return response.content.decode()


# --- upcoming ---------------------------------------------------------------------


@pytest.fixture
def ends_at_noon(demo):
    """One occurrence on DAY, 10:00–12:00 Berlin."""
    return event(
        demo,
        "Endet mittags",
        {"start_date": DAY, "start_time": dt.time(10), "end_time": dt.time(12)},
    )


def test_an_occurrence_ending_exactly_now_is_upcoming(client, ends_at_noon):
    noon = berlin(DAY, 12)
    assert "Endet mittags" in api_titles(client, "upcoming=true", at=noon)
    assert "Endet mittags" not in api_titles(client, "upcoming=false", at=noon)
    assert "Endet mittags" in ics_summaries(client, "upcoming=true", at=noon)


def test_an_occurrence_that_ended_a_second_ago_is_past(client, ends_at_noon):
    later = berlin(DAY, 12, 0, 1)
    assert "Endet mittags" not in api_titles(client, "upcoming=true", at=later)
    assert "Endet mittags" in api_titles(client, "upcoming=false", at=later)
    assert "Endet mittags" not in ics_summaries(client, "upcoming=true", at=later)


def test_a_running_occurrence_is_upcoming(client, ends_at_noon):
    assert "Endet mittags" in api_titles(client, "upcoming=true", at=berlin(DAY, 11))
    assert "Endet mittags" not in api_titles(
        client, "upcoming=false", at=berlin(DAY, 11)
    )


def test_an_all_day_event_is_upcoming_until_midnight_berlin(client, demo):
    event(demo, "Ganztägig", {"start_date": DAY})
    late_evening = berlin(DAY, 23, 59, 59)
    midnight = berlin(DAY + dt.timedelta(days=1))
    after_midnight = berlin(DAY + dt.timedelta(days=1), 0, 0, 1)
    assert "Ganztägig" in api_titles(client, "upcoming=true", at=late_evening)
    # It ends at midnight: "ending now" still counts as upcoming.
    assert "Ganztägig" in api_titles(client, "upcoming=true", at=midnight)
    assert "Ganztägig" not in api_titles(client, "upcoming=false", at=midnight)
    assert "Ganztägig" not in api_titles(client, "upcoming=true", at=after_midnight)
    assert "Ganztägig" in api_titles(client, "upcoming=false", at=after_midnight)


def test_an_event_with_one_date_left_is_upcoming_and_sorted_by_it(client, demo):
    """Upcoming events sort by their next date, not by a date already over."""
    event(
        demo,
        "Erst vorbei, dann wieder",
        {"start_date": DAY - dt.timedelta(days=30)},
        {"start_date": DAY + dt.timedelta(days=5)},
    )
    event(demo, "Bald", {"start_date": DAY + dt.timedelta(days=2)})
    event(demo, "Später", {"start_date": DAY + dt.timedelta(days=9)})
    now = berlin(DAY, 12)
    upcoming = api_titles(client, "upcoming=true", at=now)
    assert upcoming == ["Bald", "Erst vorbei, dann wieder", "Später"]
    descending = api_titles(client, "upcoming=true&ordering=-start", at=now)
    assert descending == ["Später", "Erst vorbei, dann wieder", "Bald"]
    everything = api_titles(client, "", at=now)
    assert everything.index("Erst vorbei, dann wieder") < everything.index("Bald")
    assert "Erst vorbei, dann wieder" not in api_titles(
        client, "upcoming=false", at=now
    )


def test_upcoming_and_a_date_window_combine(client, demo):
    """With both, an event needs a date in the window that is not over yet."""
    event(
        demo,
        "Zwei Termine",
        {"start_date": DAY, "start_time": dt.time(9), "end_time": dt.time(10)},
        {"start_date": DAY + dt.timedelta(days=7)},
    )
    event(demo, "Ein Termin", {"start_date": DAY + dt.timedelta(days=1)})
    now = berlin(DAY, 12)
    window = f"from={DAY}&to={DAY + dt.timedelta(days=1)}"
    assert api_titles(client, window, at=now) == ["Zwei Termine", "Ein Termin"]
    # The window's first date of "Zwei Termine" is over; its later one is outside.
    assert api_titles(client, f"{window}&upcoming=true", at=now) == ["Ein Termin"]
    wide = f"from={DAY}&to={DAY + dt.timedelta(days=10)}&upcoming=true"
    # Sorted by the first date that matches both: the 15th, then the 21st.
    assert api_titles(client, wide, at=now) == ["Ein Termin", "Zwei Termine"]
    assert api_titles(client, f"{window}&upcoming=false", at=now) == []


# --- from / to: whole days in Europe/Berlin ----------------------------------------


@pytest.fixture
def around_midnight(demo):
    """Events around the night from DAY to DAY + 1 (Berlin)."""
    next_day = DAY + dt.timedelta(days=1)
    event(demo, "Spätabends", {"start_date": DAY, "start_time": dt.time(23, 30)})
    event(demo, "Um Mitternacht", {"start_date": next_day, "start_time": dt.time(0)})
    event(
        demo,
        "Über Mitternacht",
        {
            "start_date": DAY,
            "end_date": next_day,
            "start_time": dt.time(22),
            "end_time": dt.time(1),
        },
    )
    event(demo, "Ganzer Vortag", {"start_date": DAY})


def test_to_includes_the_whole_berlin_day(client, around_midnight):
    titles = api_titles(client, f"from={DAY}&to={DAY}")
    assert titles == ["Ganzer Vortag", "Über Mitternacht", "Spätabends"]


def test_from_starts_at_midnight_berlin(client, around_midnight):
    next_day = DAY + dt.timedelta(days=1)
    titles = api_titles(client, f"from={next_day}&to={next_day}")
    # The all-day event of DAY ends exactly at midnight: not on the next day.
    assert titles == ["Über Mitternacht", "Um Mitternacht"]
    assert api_titles(client, f"from={next_day}") == [
        "Über Mitternacht",
        "Um Mitternacht",
    ]


def test_to_alone_and_from_alone(client, around_midnight):
    before = api_titles(client, f"to={DAY - dt.timedelta(days=1)}")
    assert not {"Spätabends", "Um Mitternacht", "Ganzer Vortag"} & set(before)
    until = api_titles(client, f"to={DAY}")
    assert {"Spätabends", "Über Mitternacht", "Ganzer Vortag"} <= set(until)
    assert "Um Mitternacht" not in until
    after = api_titles(client, f"from={DAY + dt.timedelta(days=2)}")
    assert not {"Spätabends", "Um Mitternacht", "Über Mitternacht"} & set(after)


@pytest.mark.parametrize(
    "day",
    [dt.date(2030, 3, 31), dt.date(2030, 10, 27)],
    ids=["23-hour-day", "25-hour-day"],
)
def test_day_boundaries_on_dst_days(client, demo, day):
    next_day = day + dt.timedelta(days=1)
    event(
        demo,
        "Spät am Umstellungstag",
        {"start_date": day, "start_time": dt.time(23, 30)},
    )
    event(
        demo, "Früh am Tag danach", {"start_date": next_day, "start_time": dt.time(0)}
    )
    event(
        demo,
        "Früh am Umstellungstag",
        {"start_date": day, "start_time": dt.time(0, 30)},
    )
    assert api_titles(client, f"from={day}&to={day}") == [
        "Früh am Umstellungstag",
        "Spät am Umstellungstag",
    ]
    assert api_titles(client, f"from={next_day}&to={next_day}") == [
        "Früh am Tag danach"
    ]
    ics = ics_summaries(client, f"from={day}&to={day}", at=berlin(day, 12))
    assert "Spät am Umstellungstag" in ics
    assert "Früh am Tag danach" not in ics


def test_events_sort_by_their_first_date_in_the_window(client, demo):
    event(
        demo,
        "Früh und spät",
        {"start_date": DAY - dt.timedelta(days=20)},
        {"start_date": DAY + dt.timedelta(days=3)},
    )
    event(demo, "Mittendrin", {"start_date": DAY + dt.timedelta(days=1)})
    window = f"from={DAY}&to={DAY + dt.timedelta(days=5)}"
    assert api_titles(client, window) == ["Mittendrin", "Früh und spät"]
    assert api_titles(client, f"{window}&ordering=-start") == [
        "Früh und spät",
        "Mittendrin",
    ]


# --- updated_since: a lower bound that includes the instant ------------------------


@pytest.fixture
def published_at_noon(demo):
    """An event last changed on DAY at 12:00 Berlin (10:00 UTC)."""
    page = event(demo, "Mittags veröffentlicht", {"start_date": DAY})
    touch([page.pk], when=berlin(DAY, 12))
    return page


@pytest.mark.parametrize("section", ["events", "items"])
def test_updated_since_includes_the_exact_instant(client, published_at_noon, section):
    def listed(since: str) -> bool:
        url = f"/api/v1/{section}/?limit=100&updated_since={since}"
        response = client.get(url.replace("+", "%2B"))
        assert response.status_code == 200, response.content[:300]
        return "Mittags veröffentlicht" in response.content.decode()

    assert listed(f"{DAY}T12:00:00+02:00")
    assert listed(f"{DAY}T10:00:00Z")
    assert listed(f"{DAY}T12:00:00")  # without an offset: Berlin time
    assert not listed(f"{DAY}T12:00:01+02:00")
    assert not listed(f"{DAY}T12:00:01")
    assert listed(f"{DAY}T11:59:59")
    assert listed(f"{DAY}")  # a date alone: from midnight Berlin
    assert not listed(f"{DAY + dt.timedelta(days=1)}")


def test_upcoming_in_a_window_counts_a_date_ending_exactly_now(client, ends_at_noon):
    window = f"from={DAY}&to={DAY}&upcoming=true"
    assert api_titles(client, window, at=berlin(DAY, 12)) == ["Endet mittags"]
    assert api_titles(client, window, at=berlin(DAY, 12, 0, 1)) == []


def test_from_alone_sorts_by_the_first_date_from_then_on(client, demo):
    event(
        demo,
        "Früh und spät",
        {"start_date": DAY - dt.timedelta(days=20)},
        {"start_date": DAY + dt.timedelta(days=3)},
    )
    event(demo, "Mittendrin", {"start_date": DAY + dt.timedelta(days=1)})
    titles = api_titles(client, f"from={DAY}")
    assert titles.index("Mittendrin") < titles.index("Früh und spät")
    titles = api_titles(client, f"to={DAY + dt.timedelta(days=5)}")
    assert titles.index("Früh und spät") < titles.index("Mittendrin")


@pytest.mark.parametrize(
    "value",
    ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "gestern", "2030-02-30"],
)
def test_unusable_updated_since_is_a_problem_with_an_example(client, value):
    response = client.get(f"/api/v1/events/?updated_since={value}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    (problem,) = response.json()["invalid_params"]
    assert problem["name"] == "updated_since"
    # The message shows a partner developer the accepted form.
    assert "2020-11-02T08:00:00+01:00" in problem["reason"]
    assert "Europe/Berlin" in problem["reason"]
