"""`upcoming` stays right however an event's dates are written.

The filter reads `EventPage.last_ends_at`, which database triggers keep equal to the
end of the page's last occurrence (migration 0004). These tests write occurrences the
ways the project does (admin and revisions, factories, bulk inserts, queryset updates and
deletes). If a later migration rebuilds either table on SQLite and drops the triggers,
they fail.
"""

import datetime as dt

import pytest

from pages.filters import ContentQuery
from pages.models import EventOccurrence, EventPage
from tests.factories import EventOccurrenceFactory, EventPageFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2030, 6, 1, 12, tzinfo=dt.UTC)
PAST = dt.date(2030, 5, 1)
FUTURE = dt.date(2030, 7, 1)


def listed(upcoming: bool, **params: str) -> set[str]:
    query = ContentQuery.from_params("events", {"upcoming": str(upcoming), **params})
    query = ContentQuery(**{**query.__dict__, "now": NOW})
    return {page.title for page in query.queryset()}


def dates(page: EventPage, *days: dt.date) -> list[EventOccurrence]:
    return [EventOccurrenceFactory(page=page, start_date=day) for day in days]


@pytest.fixture
def event(demo):
    """A published event whose only date lies before NOW."""
    page = EventPageFactory(parent=demo.events, title="Termintest")
    dates(page, PAST)
    page.save_revision().publish()
    return page


def test_an_event_whose_dates_are_over_is_past(event):
    assert "Termintest" not in listed(upcoming=True)
    assert "Termintest" in listed(upcoming=False)


def test_an_event_without_dates_is_neither_upcoming_nor_past(event):
    EventOccurrence.objects.filter(page=event).delete()
    assert "Termintest" not in listed(upcoming=True)
    assert "Termintest" not in listed(upcoming=False)


def test_an_added_future_date_makes_it_upcoming(event):
    dates(event, FUTURE)
    assert "Termintest" in listed(upcoming=True)
    assert "Termintest" not in listed(upcoming=False)


def test_an_event_running_at_now_is_upcoming(event):
    # A three-day event that started before NOW and ends after it.
    EventOccurrenceFactory(
        page=event, start_date=dt.date(2030, 5, 31), end_date=dt.date(2030, 6, 2)
    )
    assert "Termintest" in listed(upcoming=True)


def test_deleting_the_future_date_makes_it_past_again(event):
    (future,) = dates(event, FUTURE)
    future.delete()
    assert "Termintest" not in listed(upcoming=True)
    assert "Termintest" in listed(upcoming=False)


def test_dates_inserted_in_bulk(event):
    occurrence = EventOccurrence(page=event, start_date=FUTURE)
    occurrence.starts_at, occurrence.ends_at = occurrence.compute_bounds()
    EventOccurrence.objects.bulk_create([occurrence])
    assert "Termintest" in listed(upcoming=True)


def test_dates_moved_by_a_queryset_update(event):
    dates_of_event = EventOccurrence.objects.filter(page=event)
    dates_of_event.update(ends_at=NOW + dt.timedelta(hours=1))
    assert "Termintest" in listed(upcoming=True)
    dates_of_event.update(ends_at=NOW - dt.timedelta(hours=1))
    assert "Termintest" not in listed(upcoming=True)


def test_a_date_moved_to_another_event(demo, event):
    other = EventPageFactory(parent=demo.events, title="Andere Veranstaltung")
    (future,) = dates(other, FUTURE)
    assert listed(upcoming=True) >= {"Andere Veranstaltung"}
    future.page = event
    future.save()
    assert "Termintest" in listed(upcoming=True)
    assert "Andere Veranstaltung" not in listed(upcoming=True)


def test_saving_a_page_loaded_before_its_dates_changed(event):
    loaded_earlier = EventPage.objects.get(pk=event.pk)
    dates(event, FUTURE)
    loaded_earlier.subtitle = "Neu"
    loaded_earlier.save()
    assert "Termintest" in listed(upcoming=True)


def test_published_dates_count_and_draft_dates_do_not(event):
    draft = event.get_latest_revision_as_object()
    draft.occurrences.add(EventOccurrence(start_date=FUTURE))
    revision = draft.save_revision()
    assert "Termintest" not in listed(upcoming=True)
    revision.publish()
    assert "Termintest" in listed(upcoming=True)


def test_upcoming_with_a_date_range_needs_a_date_in_the_range_that_is_upcoming(event):
    dates(event, FUTURE)
    in_may = {"from": "2030-05-01", "to": "2030-05-31"}
    # Its only date in May is over; its upcoming date is in July.
    assert "Termintest" not in listed(upcoming=True, **in_may)
    assert "Termintest" in listed(upcoming=True, **{"from": "2030-07-01"})


def titles_in_order(**params: str) -> list[str]:
    query = ContentQuery.from_params("events", {"limit": "100", **params})
    query = ContentQuery(**{**query.__dict__, "now": NOW})
    return [page.title for page in query.queryset() if page.title.startswith("Reihe")]


@pytest.fixture
def series(demo):
    """Three events: one in progress (first date over, next on 10 June), two ahead."""
    in_progress = EventPageFactory(parent=demo.events, title="Reihe läuft")
    dates(in_progress, dt.date(2030, 5, 20), dt.date(2030, 6, 10))
    early = EventPageFactory(parent=demo.events, title="Reihe früh")
    dates(early, dt.date(2030, 6, 5))
    late = EventPageFactory(parent=demo.events, title="Reihe spät")
    dates(late, dt.date(2030, 6, 15))
    return in_progress


def test_upcoming_events_sort_by_their_next_date(series):
    assert titles_in_order(upcoming="true") == [
        "Reihe früh",
        "Reihe läuft",
        "Reihe spät",
    ]
    assert titles_in_order(upcoming="true", ordering="-start") == [
        "Reihe spät",
        "Reihe läuft",
        "Reihe früh",
    ]


def test_without_date_filters_events_sort_by_their_first_date(series):
    assert titles_in_order() == ["Reihe läuft", "Reihe früh", "Reihe spät"]


def test_the_order_follows_bulk_inserts_and_queryset_updates(series):
    # The running event gets a date before the early one's: it moves up.
    occurrence = EventOccurrence(page=series, start_date=dt.date(2030, 6, 2))
    occurrence.starts_at, occurrence.ends_at = occurrence.compute_bounds()
    EventOccurrence.objects.bulk_create([occurrence])
    assert titles_in_order(upcoming="true") == [
        "Reihe läuft",
        "Reihe früh",
        "Reihe spät",
    ]
    # The late event's date moves to 1 May by a queryset update: first, and over.
    EventOccurrence.objects.filter(page__title="Reihe spät").update(
        starts_at=dt.datetime(2030, 5, 1, 8, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 5, 1, 10, tzinfo=dt.UTC),
    )
    assert titles_in_order() == ["Reihe spät", "Reihe läuft", "Reihe früh"]
    assert titles_in_order(upcoming="true") == ["Reihe läuft", "Reihe früh"]
