"""A series becomes ordinary dates: weekly, every n weeks, monthly by weekday, bounded."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pages import series, series_horizon
from pages.models import (
    EventCancellation,
    EventOccurrence,
    EventPage,
    EventRecurrence,
)
from tests.factories import EventPageFactory

from .conftest import TODAY, publish_series

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def dates(page: EventPage) -> list[dt.date]:
    return list(
        EventOccurrence.objects.filter(page=page)
        .order_by("starts_at")
        .values_list("start_date", flat=True)
    )


def test_weekly_series_stays_at_19_local_across_both_dst_changes(today):
    page = publish_series(
        EventPageFactory(),
        start_date=dt.date(2027, 3, 18),
        start_time=dt.time(19),
        end_time=dt.time(21),
        frequency="weekly",
        until=dt.date(2027, 11, 4),
    )
    rows = list(EventOccurrence.objects.filter(page=page).order_by("starts_at"))
    assert len(rows) == 34
    assert {row.starts_at.astimezone(BERLIN).time() for row in rows} == {dt.time(19)}
    offsets = [row.starts_at.astimezone(BERLIN).utcoffset() for row in rows]
    # 18 and 25 March in winter time, from 1 April (after 28 March) summer time, and
    # from 4 November (after 31 October) winter time again.
    assert offsets[:2] == [dt.timedelta(hours=1)] * 2
    assert offsets[2] == offsets[-2] == dt.timedelta(hours=2)
    assert offsets[-1] == dt.timedelta(hours=1)
    assert rows[1].starts_at == dt.datetime(2027, 3, 25, 18, tzinfo=dt.UTC)
    assert rows[2].starts_at == dt.datetime(2027, 4, 1, 17, tzinfo=dt.UTC)
    # The database's bounds of the page follow the generated rows.
    assert page.first_starts_at == rows[0].starts_at
    assert page.last_ends_at == rows[-1].ends_at


def test_every_second_week(today):
    page = publish_series(
        EventPageFactory(),
        start_date=dt.date(2027, 1, 5),
        frequency="weekly",
        interval=2,
        count=4,
    )
    assert dates(page) == [
        dt.date(2027, 1, 5),
        dt.date(2027, 1, 19),
        dt.date(2027, 2, 2),
        dt.date(2027, 2, 16),
    ]


def test_every_second_tuesday_of_the_month(today):
    page = publish_series(
        EventPageFactory(),
        start_date=dt.date(2027, 1, 12),
        frequency="monthly",
        weekday_ordinal=2,
        until=dt.date(2027, 5, 31),
    )
    assert dates(page) == [
        dt.date(2027, 1, 12),
        dt.date(2027, 2, 9),
        dt.date(2027, 3, 9),
        dt.date(2027, 4, 13),
        dt.date(2027, 5, 11),
    ]


def test_last_friday_of_the_month(today):
    page = publish_series(
        EventPageFactory(),
        start_date=dt.date(2027, 1, 29),
        frequency="monthly",
        weekday_ordinal=-1,
        count=3,
    )
    assert dates(page) == [
        dt.date(2027, 1, 29),
        dt.date(2027, 2, 26),
        dt.date(2027, 3, 26),
    ]


def test_until_is_inclusive_and_count_counts(today):
    rule = {"start_date": dt.date(2027, 1, 7), "frequency": "weekly"}
    by_until = publish_series(EventPageFactory(), **rule, until=dt.date(2027, 1, 21))
    by_count = publish_series(EventPageFactory(), **rule, count=3)
    assert (
        dates(by_until)
        == dates(by_count)
        == [
            dt.date(2027, 1, 7),
            dt.date(2027, 1, 14),
            dt.date(2027, 1, 21),
        ]
    )


def test_open_ended_series_stops_at_the_horizon(today, settings):
    settings.HUB_SERIES_HORIZON_DAYS = 30
    page = publish_series(
        EventPageFactory(), start_date=dt.date(2027, 1, 7), frequency="weekly"
    )
    # 4 January + 30 days is 3 February.
    assert dates(page) == [dt.date(2027, 1, d) for d in (7, 14, 21, 28)]
    assert max(dates(page)) <= TODAY + dt.timedelta(days=30)


def test_cancelled_date_has_no_row(today):
    page = publish_series(
        EventPageFactory(),
        cancelled=(dt.date(2027, 1, 14),),
        start_date=dt.date(2027, 1, 7),
        frequency="weekly",
        count=3,
    )
    assert dates(page) == [dt.date(2027, 1, 7), dt.date(2027, 1, 21)]


def test_moved_date_keeps_its_series_date_and_extra_dates_stay(series_event, today):
    page = series_event
    moved = page.occurrences.get(series_date=dt.date(2027, 1, 14))
    moved.start_date = dt.date(2027, 1, 15)
    moved.start_time = dt.time(17)
    page.occurrences = [
        *[o for o in page.occurrences.all() if o.pk != moved.pk],
        moved,
        EventOccurrence(start_date=dt.date(2027, 1, 16), start_time=dt.time(10)),
    ]
    page.save_revision().publish()
    rows = {
        (o.series_date, o.start_date, o.start_time)
        for o in EventOccurrence.objects.filter(page=page, start_date__lt="2027-01-22")
    }
    assert rows == {
        (dt.date(2027, 1, 7), dt.date(2027, 1, 7), dt.time(19)),
        (dt.date(2027, 1, 14), dt.date(2027, 1, 15), dt.time(17)),
        (None, dt.date(2027, 1, 16), dt.time(10)),
        (dt.date(2027, 1, 21), dt.date(2027, 1, 21), dt.time(19)),
    }
    # Publishing again keeps the move and the rows (their ids too).
    ids = set(EventOccurrence.objects.filter(page=page).values_list("pk", flat=True))
    EventPage.objects.get(pk=page.pk).save_revision().publish()
    assert (
        set(EventOccurrence.objects.filter(page=page).values_list("pk", flat=True))
        == ids
    )


def test_shortening_the_series_drops_its_later_dates(series_event, today):
    page = series_event
    rule = page.recurrences.get()
    rule.until = dt.date(2027, 1, 21)
    page.recurrences = [rule]
    page.save_revision().publish()
    assert dates(page) == [dt.date(2027, 1, d) for d in (7, 14, 21)]


def test_rule_wording():
    def rule(**kwargs) -> EventRecurrence:
        return EventRecurrence(
            **{"start_date": dt.date(2027, 1, 12), "frequency": "weekly", **kwargs}
        )

    assert series.describe(
        rule(start_time=dt.time(18), end_time=dt.time(20)), times=True
    ) == ("jeden Dienstag, 18:00–20:00 Uhr")
    assert series.describe(rule(interval=2, until=dt.date(2027, 6, 30))) == (
        "alle zwei Wochen dienstags, bis 30.06.2027"
    )
    assert series.rfc5545(rule(interval=2, until=dt.date(2027, 6, 30))) == (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270630"
    )
    monthly = rule(frequency="monthly", weekday_ordinal=2, count=5)
    assert series.describe(monthly) == "jeden 2. Dienstag im Monat, 5 Termine"
    assert series.rfc5545(monthly) == "FREQ=MONTHLY;BYDAY=2TU;COUNT=5"
    last = rule(
        start_date=dt.date(2027, 1, 29), frequency="monthly", weekday_ordinal=-1
    )
    assert series.describe(last) == "jeden letzten Freitag im Monat"
    assert series.rfc5545(last) == "FREQ=MONTHLY;BYDAY=-1FR"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"until": dt.date(2027, 6, 30), "count": 4},
            "count",
            "entweder ein Enddatum oder eine Anzahl",
        ),
        ({"until": dt.date(2026, 6, 30)}, "until", "vor dem ersten Termin"),
        (
            {"frequency": "monthly", "weekday_ordinal": 3},
            "start_date",
            "ist nicht der 3. Dienstag im Monat",
        ),
        ({"end_time": dt.time(18)}, "start_time", "Anfangszeit"),
        ({"interval": 53}, "interval", "höchstens 52 Wochen"),
        (
            {"frequency": "monthly", "weekday_ordinal": 2, "interval": 25},
            "interval",
            "höchstens 24 Monate",
        ),
    ],
)
def test_unsound_rules_get_german_messages(fields, field, message):
    rule = EventRecurrence(
        **{"start_date": dt.date(2027, 1, 12), "frequency": "weekly", **fields}
    )
    assert message in series.rule_errors(rule)[field]


def test_a_date_far_beyond_the_horizon_is_still_a_date_of_the_rule(today, settings):
    # Cancelling the Thursday before Christmas 2028 in an open-ended weekly series is
    # allowed although the horizon has not reached it yet; it never gets a row.
    settings.HUB_SERIES_HORIZON_DAYS = 30
    page = publish_series(
        EventPageFactory(),
        cancelled=(dt.date(2028, 12, 21),),
        start_date=dt.date(2027, 1, 7),
        frequency="weekly",
    )
    weekly = page.recurrence
    assert series.is_rule_date(weekly, dt.date(2028, 12, 21))
    assert not series.is_rule_date(weekly, dt.date(2028, 12, 22))
    assert not series.is_rule_date(weekly, dt.date(2026, 12, 31))
    assert dt.date(2028, 12, 21) not in dates(page)
    bounded = EventRecurrence(
        start_date=dt.date(2027, 1, 7), frequency="weekly", count=3
    )
    assert series.is_rule_date(bounded, dt.date(2027, 1, 21))
    assert not series.is_rule_date(bounded, dt.date(2027, 1, 28))


def test_removing_the_series_keeps_its_dates_as_ordinary_dates(series_event, client):
    # An event never loses all its dates because its rule went: the 25 Thursdays stay,
    # no longer marked as series dates, and the cancellations go with the rule.
    page = series_event
    page.cancellations = [EventCancellation(date=dt.date(2027, 1, 14))]
    page.save_revision().publish()
    page = EventPage.objects.get(pk=page.pk)
    page.recurrences = []
    page.save_revision().publish()
    page = EventPage.objects.get(pk=page.pk)
    assert len(dates(page)) == 24
    assert not page.occurrences.filter(series_date__isnull=False).exists()
    assert not page.cancellations.exists()
    event = client.get(f"/api/v1/events/{page.pk}/").json()
    assert event["recurrence"] is None
    assert len(event["occurrences"]) == 24


def test_an_extra_date_at_other_times_on_a_series_day_stays_extra(today, settings):
    # An extra morning session on a Thursday the horizon reaches later is not taken
    # for that Thursday's evening date: both are held.
    settings.HUB_SERIES_HORIZON_DAYS = 30
    page = publish_series(
        EventPageFactory(),
        start_date=dt.date(2027, 1, 7),
        start_time=dt.time(19),
        end_time=dt.time(21),
        frequency="weekly",
    )
    extra = EventOccurrence(
        start_date=dt.date(2027, 3, 4), start_time=dt.time(10), end_time=dt.time(12)
    )
    page.occurrences = [*page.occurrences.all(), extra]
    page.save_revision().publish()
    series_horizon.extend_horizons(dt.date(2027, 2, 15))
    march_4 = EventOccurrence.objects.filter(page=page, start_date=dt.date(2027, 3, 4))
    assert sorted(march_4.values_list("start_time", "series_date")) == [
        (dt.time(10), None),
        (dt.time(19), dt.date(2027, 3, 4)),
    ]
