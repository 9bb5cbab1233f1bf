"""Open-ended series get the dates that come within the horizon, once a day, announced."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from hub.scheduler import Scheduler, periodic
from pages import series_horizon
from pages.models import EventCancellation, EventOccurrence, EventPage
from tests.factories import EventPageFactory

from .conftest import publish_series

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def last_date(page) -> dt.date:
    return EventOccurrence.objects.filter(page=page).latest("starts_at").start_date


def test_open_ended_series_gets_new_dates_daily(today, settings, monkeypatch):
    settings.HUB_SERIES_HORIZON_DAYS = 30
    page = publish_series(
        EventPageFactory(), start_date=dt.date(2027, 1, 7), frequency="weekly"
    )
    bounded = publish_series(
        EventPageFactory(), start_date=dt.date(2027, 1, 7), frequency="weekly", count=3
    )
    announced = []
    monkeypatch.setattr(
        series_horizon, "record", lambda change: announced.append(change)
    )
    monkeypatch.setattr(series_horizon, "_last_run", None)
    assert last_date(page) == dt.date(2027, 1, 28)

    with time_machine.travel(dt.datetime(2027, 1, 20, 9, tzinfo=dt.UTC), tick=False):
        periodic.send(sender=Scheduler)
        assert last_date(page) == dt.date(2027, 2, 18)  # 20 January + 30 days
        assert [change.pages for change in announced] == [frozenset({page.pk})]
        page.refresh_from_db()
        # The database's bounds follow: the midnight after the last all-day date.
        assert page.last_ends_at == dt.datetime(2027, 2, 19, tzinfo=BERLIN)
        # Later passes the same day do nothing.
        EventOccurrence.objects.filter(page=page, start_date="2027-02-18").delete()
        periodic.send(sender=Scheduler)
        assert last_date(page) == dt.date(2027, 2, 11)
    assert last_date(bounded) == dt.date(2027, 1, 21)


def test_new_dates_reach_partners_without_raising_the_sequence(
    client, today, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The daily pass changes the feeds' and the API's ETags and shows up in the
    change feed; the dates already listed keep their SEQUENCE (new dates come under
    new UIDs), also when an editor later publishes an unrelated change."""
    settings.HUB_SERIES_HORIZON_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_series(
            EventPageFactory(), start_date=dt.date(2027, 1, 7), frequency="weekly"
        )
    monkeypatch.setattr(series_horizon, "_last_run", None)
    sequence = EventPage.objects.get(pk=page.pk).schedule_sequence
    urls = ["/feeds/events.ics", "/feeds/events.json", f"/api/v1/events/{page.pk}/"]
    etags = {url: client.get(url)["ETag"] for url in urls}
    body = client.get("/api/v1/changes/?limit=100").json()
    while body["next"]:
        body = client.get(body["next"].replace("http://127.0.0.1:8000", "")).json()
    cursor = body["cursor"]

    with time_machine.travel(dt.datetime(2027, 1, 20, 9, tzinfo=dt.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            periodic.send(sender=Scheduler)
        for url in urls:
            response = client.get(url, HTTP_IF_NONE_MATCH=etags[url])
            assert response.status_code == 200, url
            assert response["ETag"] != etags[url], url
        changed = client.get(f"/api/v1/changes/?cursor={cursor}").json()
        assert [item["id"] for item in changed["items"]] == [page.pk]
        assert changed["items"][0]["occurrences"][-1]["start_date"] == "2027-02-18"
        assert EventPage.objects.get(pk=page.pk).schedule_sequence == sequence

        page = EventPage.objects.get(pk=page.pk)
        page.teaser = "Jetzt mit Kinderbetreuung."
        page.save_revision().publish()
        assert EventPage.objects.get(pk=page.pk).schedule_sequence == sequence


def test_a_date_cancelled_while_the_pass_runs_stays_cancelled(today, settings):
    """An editor publishes while the daily pass is between reading the page's dates
    and writing: the date the editor cancelled does not come back, the extra date the
    editor added stays, and the pass still adds the dates that came within reach."""
    settings.HUB_SERIES_HORIZON_DAYS = 30
    page = publish_series(
        EventPageFactory(), start_date=dt.date(2027, 1, 7), frequency="weekly"
    )
    editor_ran = []

    def editor_publishes() -> None:
        draft = EventPage.objects.get(pk=page.pk)
        draft.cancellations = [EventCancellation(date=dt.date(2027, 1, 28))]
        draft.occurrences = [
            *draft.occurrences.all(),
            EventOccurrence(start_date=dt.date(2027, 1, 30)),
        ]
        draft.save_revision().publish()

    def between_read_and_write(execute, sql, params, many, context):
        written = sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        if not editor_ran and written and "pages_eventoccurrence" in sql:
            editor_ran.append(True)
            editor_publishes()
        return execute(sql, params, many, context)

    with (
        time_machine.travel(dt.datetime(2027, 1, 20, 9, tzinfo=dt.UTC), tick=False),
        connection.execute_wrapper(between_read_and_write),
    ):
        assert series_horizon.extend_horizons() == [page.pk]
    assert editor_ran
    dates = set(
        EventOccurrence.objects.filter(page=page).values_list("start_date", flat=True)
    )
    assert dt.date(2027, 1, 28) not in dates
    assert dt.date(2027, 1, 30) in dates
    assert dt.date(2027, 2, 18) in dates


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database at the start of the transaction",
)
def test_the_pass_reads_the_dates_only_after_locking_the_page(today, settings):
    settings.HUB_SERIES_HORIZON_DAYS = 30
    publish_series(
        EventPageFactory(), start_date=dt.date(2027, 1, 7), frequency="weekly"
    )
    with (
        time_machine.travel(dt.datetime(2027, 1, 20, 9, tzinfo=dt.UTC), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        series_horizon.extend_horizons()
    queries = [query["sql"] for query in captured]
    locked = next(n for n, sql in enumerate(queries) if "FOR UPDATE" in sql)
    for table in ("pages_eventoccurrence", "pages_eventcancellation"):
        assert locked < next(n for n, sql in enumerate(queries) if table in sql)
