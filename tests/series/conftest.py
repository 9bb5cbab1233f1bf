import datetime as dt

import pytest
import time_machine

from pages.models import EventCancellation, EventPage, EventRecurrence
from tests.factories import EventPageFactory

TODAY = dt.date(2027, 1, 4)


@pytest.fixture
def today():
    """A fixed clock: series expand from `TODAY` (open-ended ones up to a year on)."""
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC), tick=False):
        yield TODAY


def publish_series(
    page: EventPage, cancelled: tuple[dt.date, ...] = (), **rule
) -> EventPage:
    """Give `page` a series rule (and cancellations) and publish it as an editor would."""
    page.recurrences = [EventRecurrence(**rule)]
    page.cancellations = [EventCancellation(date=day) for day in cancelled]
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


@pytest.fixture
def series_event(today):
    """Sprachcafé: every Thursday 19:00–21:00 from 7 January 2027 to 30 June 2027."""
    page = EventPageFactory(title="Sprachcafé")
    return publish_series(
        page,
        start_date=dt.date(2027, 1, 7),
        start_time=dt.time(19),
        end_time=dt.time(21),
        frequency="weekly",
        until=dt.date(2027, 6, 30),
    )
