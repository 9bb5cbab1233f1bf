"""Readers see the rhythm, the next dates, moved and cancelled dates, in German."""

import datetime as dt

import pytest

from pages import series
from pages.models import EventCancellation, EventRecurrence
from tests.factories import EventPageFactory

from .conftest import publish_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_series(series_event):
    page = series_event
    rows = list(page.occurrences.all())
    moved = next(o for o in rows if o.series_date == dt.date(2027, 1, 21))
    moved.start_date, moved.start_time = dt.date(2027, 1, 22), dt.time(18)
    page.occurrences = rows
    page.cancellations = [EventCancellation(date=dt.date(2027, 1, 14), note="Ferien")]
    page.save_revision().publish()
    return page


def test_event_page_shows_rule_next_dates_and_cancellations(
    client, changed_series, today
):
    html = client.get(changed_series.url).content.decode()
    assert (
        "Jeden Donnerstag, 19:00–21:00 Uhr, bis 30.06.2027; die nächsten Termine:"
        in (html)
    )
    assert "Donnerstag, 7. Januar 2027, 19:00–21:00 Uhr" in html
    assert (
        "Freitag, 22. Januar 2027, 18:00–21:00 Uhr</time>"
        ' <span class="moved">(verlegt)</span>'
    ) in html
    assert "Donnerstag, 14. Januar 2027</time></del> fällt aus (Ferien)" in html
    # Ten next dates, the rest counted.
    assert html.count("<li><time") == 10
    assert "und 14 weitere Termine" in html


def test_embed_shows_rule_with_next_date(client, changed_series, today):
    html = client.get("/embed/events/").content.decode()
    assert (
        "Donnerstag, 7. Januar 2027, 19:00–21:00 Uhr</time> · jeden Donnerstag, "
        in (html)
    )


def test_a_counted_series_tells_how_many_of_its_dates_are_off(client, today):
    """„8 Termine“ with two cancelled would promise eight evenings; the rule (COUNT=8)
    stays, and readers, the API and the embed learn that two of them are off."""
    page = publish_series(
        EventPageFactory(title="Sprachcafé"),
        cancelled=(dt.date(2027, 3, 18), dt.date(2027, 4, 8)),
        start_date=dt.date(2027, 3, 4),
        start_time=dt.time(18),
        end_time=dt.time(20),
        frequency="weekly",
        count=8,
    )
    html = client.get(page.url).content.decode()
    assert (
        "Jeden Donnerstag, 18:00–20:00 Uhr, 8 Termine, davon fallen 2 aus; "
        "die nächsten Termine:"
    ) in html
    assert html.count("<li><time") == 6
    recurrence = client.get(f"/api/v1/events/{page.pk}/").json()["recurrence"]
    assert recurrence["text"] == "jeden Donnerstag, 8 Termine, davon fallen 2 aus"
    assert recurrence["rrule"] == "FREQ=WEEKLY;BYDAY=TH;COUNT=8"
    embed = client.get("/embed/events/").content.decode()
    assert "jeden Donnerstag, 18:00–20:00 Uhr, 8 Termine, davon fallen 2 aus" in embed


@pytest.mark.parametrize(
    ("count", "cancelled", "text"),
    [
        (8, 0, "jeden Donnerstag, 8 Termine"),
        (8, 1, "jeden Donnerstag, 8 Termine, davon fällt 1 aus"),
        (2, 2, "jeden Donnerstag, 2 Termine, alle fallen aus"),
        (1, 1, "jeden Donnerstag, 1 Termin, fällt aus"),
    ],
)
def test_counted_rule_wording(count, cancelled, text):
    rule = EventRecurrence(start_date=dt.date(2027, 3, 4), frequency="weekly")
    rule.count = count
    assert series.describe(rule, cancelled=cancelled) == text
    rule.count, rule.until = None, dt.date(2027, 6, 30)
    # With an end date no number is promised: nothing to correct.
    assert series.describe(rule, cancelled=cancelled) == (
        "jeden Donnerstag, bis 30.06.2027"
    )
