"""Readers see the rhythm, the next dates, moved and cancelled dates, in German."""

import datetime as dt

import pytest

from pages.models import EventCancellation

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
