"""The API lists every generated date, exposes the rule, and lists stay constant-query."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

import pytest
from dateutil.rrule import rrulestr

from pages.models import EventCancellation, EventOccurrence
from tests.factories import EventPageFactory

from .conftest import publish_series

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def event_json(client, page) -> dict:
    response = client.get(f"/api/v1/events/{page.pk}/")
    assert response.status_code == 200
    return response.json()


def test_detail_shows_rule_cancellations_and_moves(client, series_event, today):
    page = series_event
    rule = page.recurrences.get()
    rule.until = dt.date(2027, 2, 4)
    page.recurrences = [rule]
    rows = list(page.occurrences.all())
    moved = next(o for o in rows if o.series_date.day == 21)
    moved.start_time = dt.time(18)
    page.occurrences = rows
    page.cancellations = [EventCancellation(date=dt.date(2027, 1, 14), note="Ferien")]
    page.save_revision().publish()

    event = event_json(client, page)
    assert event["recurrence"] == {
        "rrule": "FREQ=WEEKLY;BYDAY=TH;UNTIL=20270204T225959Z",
        "text": "jeden Donnerstag, bis 04.02.2027",
        "cancelled_dates": ["2027-01-14"],
        "horizon": None,
    }
    assert [
        (o["start"], o["series_date"], o["moved"]) for o in event["occurrences"]
    ] == [
        ("2027-01-07T19:00:00+01:00", "2027-01-07", False),
        ("2027-01-21T18:00:00+01:00", "2027-01-21", True),
        ("2027-01-28T19:00:00+01:00", "2027-01-28", False),
        ("2027-02-04T19:00:00+01:00", "2027-02-04", False),
    ]


def test_open_ended_series_names_its_horizon(client, today, settings):
    settings.HUB_SERIES_HORIZON_DAYS = 60
    page = publish_series(
        EventPageFactory(), start_date=dt.date(2027, 1, 5), frequency="weekly"
    )
    event = event_json(client, page)
    assert event["recurrence"]["horizon"] == "2027-03-05"
    assert event["recurrence"]["rrule"] == "FREQ=WEEKLY;BYDAY=TU"
    assert event["occurrences"][-1]["start_date"] == "2027-03-02"


def test_events_without_series_have_none(client, today):
    page = EventPageFactory(occurrences=1)
    event = event_json(client, page)
    assert event["recurrence"] is None
    assert event["occurrences"][0]["series_date"] is None
    assert event["occurrences"][0]["moved"] is False


def test_filters_see_generated_dates(client, series_event, today):
    def listed(query: str) -> list[str]:
        response = client.get(f"/api/v1/events/?{query}")
        return [event["title"] for event in response.json()["results"]]

    assert listed("from=2027-06-10&to=2027-06-10") == ["Sprachcafé"]
    assert listed("from=2027-06-11&to=2027-06-16") == []  # a Friday to Wednesday
    assert listed("from=2027-07-01") == []  # after the series' end
    assert listed("upcoming=true") == ["Sprachcafé"]


def test_list_query_count_is_constant_with_series(client, today):
    for n in range(25):
        publish_series(
            EventPageFactory(),
            cancelled=(dt.date(2027, 1, 12),),
            start_date=dt.date(2027, 1, 5),
            frequency="weekly",
            count=5 + n % 3,
        )
    assert EventOccurrence.objects.filter(series_date__isnull=False).count() > 100
    client.get("/api/v1/events/?limit=1")

    def cost(limit: int) -> int:
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/events/?limit={limit}&ordering=-start")
        assert response.status_code == 200
        assert all(e["recurrence"] for e in response.json()["results"])
        return len(captured)

    # Each request differs by `limit`, so neither is served from the cache.
    assert cost(1) == cost(20) == cost(25)


@pytest.mark.parametrize(
    ("start_time", "until"),
    [
        (dt.time(19), dt.date(2027, 6, 24)),  # the last date on the until day, summer
        (dt.time(19), dt.date(2027, 2, 4)),  # winter
        (dt.time(23, 30), dt.date(2027, 6, 24)),  # late in the evening
        (None, dt.date(2027, 6, 24)),  # all day: UNTIL stays a date
    ],
)
def test_a_parser_expands_the_rrule_to_exactly_the_apis_dates(
    client, today, start_time, until
):
    page = publish_series(
        EventPageFactory(),
        start_date=dt.date(2027, 1, 7),
        start_time=start_time,
        frequency="weekly",
        until=until,
    )
    event = event_json(client, page)
    if start_time is None:
        first = dt.datetime.combine(dt.date(2027, 1, 7), dt.time.min)
        starts = [dt.date.fromisoformat(o["start_date"]) for o in event["occurrences"]]
        parsed = [
            moment.date()
            for moment in rrulestr(event["recurrence"]["rrule"], dtstart=first)
        ]
    else:
        first = dt.datetime.combine(dt.date(2027, 1, 7), start_time, BERLIN)
        starts = [dt.datetime.fromisoformat(o["start"]) for o in event["occurrences"]]
        parsed = list(rrulestr(event["recurrence"]["rrule"], dtstart=first))
    assert starts[-1].day == until.day
    assert parsed == starts
