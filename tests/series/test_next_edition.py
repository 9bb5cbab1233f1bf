"""„Für nächste Ausgabe kopieren“ with a series: the rule, its cancelled and moved dates
move with the copy, and a monthly n-th weekday series keeps its rule."""

import datetime as dt

from django.contrib.auth import get_user_model

import pytest

from pages import series as series_rules
from pages.models import EventPage
from pages.next_edition import (
    DateShift,
    Shift,
    copy_for_next_edition,
    nth_weekday,
    preview,
)
from tests.factories import EventPageFactory

from .conftest import publish_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("kopie", "kopie@example.org", "x")


def copy(page: EventPage, shift: DateShift, editor) -> EventPage:
    made = copy_for_next_edition(
        page,
        title=f"{page.title} (neu)",
        slug=f"{page.slug}-neu",
        shift=shift,
        user=editor,
    )
    return made.get_latest_revision_as_object()


def dates(page: EventPage) -> list[tuple]:
    return sorted(
        (o.start_date, o.start_time, o.series_date) for o in page.occurrences.all()
    )


def test_a_weekly_series_moves_with_its_cancelled_and_moved_dates(today, editor):
    page = EventPageFactory(title="Sprachcafé")
    page = publish_series(
        page,
        cancelled=(dt.date(2027, 1, 21),),
        start_date=dt.date(2027, 1, 7),
        start_time=dt.time(19),
        end_time=dt.time(21),
        frequency="weekly",
        count=6,
    )
    moved = page.occurrences.get(series_date=dt.date(2027, 1, 28))
    moved.start_date = dt.date(2027, 1, 29)
    page.occurrences.set(list(page.occurrences.all()))
    page.save_revision().publish()
    page = EventPage.objects.get(pk=page.pk)

    year = dt.timedelta(weeks=52)
    new = copy(page, DateShift.of(Shift.YEAR_WEEKDAY), editor)
    rule = new.recurrences.get()
    assert (rule.start_date, rule.count) == (dt.date(2027, 1, 7) + year, 6)
    assert [c.date for c in new.cancellations.all()] == [dt.date(2027, 1, 21) + year]
    assert dates(new) == [
        (start + year, time, series + year) for start, time, series in dates(page)
    ]
    assert not new.live
    # Saving the draft as an editor would changes nothing: the copy follows its rule.
    before = dates(new)
    series_rules.reconcile(new, series_rules.today())
    assert dates(new) == before


def test_a_monthly_second_tuesday_series_stays_on_the_second_tuesday(today, editor):
    page = EventPageFactory(title="Elterncafé")
    page = publish_series(
        page,
        start_date=dt.date(2027, 1, 12),  # the 2nd Tuesday of January 2027
        start_time=dt.time(9),
        end_time=dt.time(11),
        frequency="monthly",
        weekday_ordinal=2,
        count=5,
    )
    # Same calendar date next year: 12 January 2028 is a Wednesday.
    new = copy(page, DateShift.of(Shift.YEAR_DATE), editor)
    rule = new.recurrences.get()
    assert rule.start_date == dt.date(2028, 1, 11)  # the 2nd Tuesday of January 2028
    starts = [start for start, _, _ in dates(new)]
    assert len(starts) == 5
    assert all(day.weekday() == 1 and (day.day - 1) // 7 == 1 for day in starts)


@pytest.mark.parametrize(
    ("day", "weekday", "ordinal", "expected"),
    [
        (dt.date(2028, 1, 20), 1, 2, dt.date(2028, 1, 11)),
        (dt.date(2028, 2, 3), 1, -1, dt.date(2028, 2, 29)),
        (dt.date(2027, 12, 1), 4, 1, dt.date(2027, 12, 3)),
    ],
)
def test_nth_weekday(day, weekday, ordinal, expected):
    assert nth_weekday(day, weekday, ordinal) == expected


def test_the_preview_shows_the_dates_the_copy_gets(today, editor):
    """A monthly 2nd-Tuesday series re-anchored on its weekday: the preview lists the
    copy's dates, not the old ones moved by the offset."""
    page = publish_series(
        EventPageFactory(title="Elterncafé"),
        start_date=dt.date(2027, 1, 12),
        start_time=dt.time(9),
        end_time=dt.time(11),
        frequency="monthly",
        weekday_ordinal=2,
        count=3,
    )
    shift = DateShift.of(Shift.YEAR_DATE)
    lines = preview(page, shift)
    new = copy(page, shift, editor)
    assert [line.after for line in lines if line.label == "Termin"] == [
        f"Di., {day:%d.%m.%Y}, 09:00–11:00 Uhr" for day, _, _ in dates(new)
    ]
    assert lines[0].after == "Di., 11.01.2028, 09:00–11:00 Uhr"
