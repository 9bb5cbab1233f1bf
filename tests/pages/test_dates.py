import datetime as dt

import pytest

from pages.dates import occurrence_short, occurrence_text
from pages.models import EventOccurrence


def occ(**fields) -> EventOccurrence:
    return EventOccurrence(**fields)


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        (
            {
                "start_date": dt.date(2020, 8, 24),
                "start_time": dt.time(15),
                "end_time": dt.time(19),
            },
            "Montag, 24. August 2020, 15:00–19:00 Uhr",
        ),
        (
            {"start_date": dt.date(2020, 8, 24), "start_time": dt.time(9, 30)},
            "Montag, 24. August 2020, 09:30 Uhr",
        ),
        ({"start_date": dt.date(2021, 3, 1)}, "Montag, 1. März 2021"),
        (
            {"start_date": dt.date(2020, 9, 26), "end_date": dt.date(2020, 10, 4)},
            "Samstag, 26. September bis Sonntag, 4. Oktober 2020",
        ),
        (
            {"start_date": dt.date(2020, 12, 30), "end_date": dt.date(2021, 1, 2)},
            "Mittwoch, 30. Dezember 2020 bis Samstag, 2. Januar 2021",
        ),
        (
            {
                "start_date": dt.date(2020, 10, 9),
                "end_date": dt.date(2020, 10, 10),
                "start_time": dt.time(18),
                "end_time": dt.time(13),
            },
            "Freitag, 9. Oktober 2020, 18:00 Uhr bis Samstag, 10. Oktober 2020, 13:00 Uhr",
        ),
        (
            {
                "start_date": dt.date(2020, 6, 29),
                "end_date": dt.date(2020, 8, 11),
                "label": "Sommerferien 2020",
            },
            "Sommerferien 2020",
        ),
    ],
)
def test_occurrence_in_german_words(fields, text):
    assert occurrence_text(occ(**fields)) == text


def test_compact_form():
    assert (
        occurrence_short(
            occ(start_date=dt.date(2020, 9, 26), end_date=dt.date(2020, 10, 4))
        )
        == "26.09.–04.10.2020"
    )
    assert (
        occurrence_short(occ(start_date=dt.date(2020, 8, 24), start_time=dt.time(15)))
        == "Mo., 24.08.2020, 15:00 Uhr"
    )


def test_a_time_in_the_spring_gap_never_ends_before_it_begins():
    # 28.03.2027, 02:00–03:00 does not exist in Berlin: 02:30 is read as 03:30 summer
    # time, and the end is never earlier than the start (API, feeds and iCal DTEND).
    start, end = occ(
        start_date=dt.date(2027, 3, 28), start_time=dt.time(2, 30), end_time=dt.time(3)
    ).compute_bounds()
    assert start.isoformat() == "2027-03-28T03:30:00+02:00"
    assert end.isoformat() == "2027-03-28T03:30:00+02:00"
    start, end = occ(
        start_date=dt.date(2027, 3, 28), start_time=dt.time(2, 30), end_time=dt.time(5)
    ).compute_bounds()
    assert (start.isoformat(), end.isoformat()) == (
        "2027-03-28T03:30:00+02:00",
        "2027-03-28T05:00:00+02:00",
    )
