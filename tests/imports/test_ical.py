"""Reading partners' iCal files: broken or odd VEVENTs cost only themselves."""

import datetime as dt
import time

from imports.ical import MAX_OCCURRENCES, parse

TODAY = dt.date(2026, 12, 1)


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//DE\r\n"
        f"{body}END:VCALENDAR\r\n"
    ).encode()


GOOD = """UID:gut@partner.de
SUMMARY:Lesung
DTSTART;TZID=Europe/Berlin:20270210T190000
DTEND;TZID=Europe/Berlin:20270210T210000"""


def test_a_vevent_without_start_is_skipped_and_the_others_are_read():
    parsed = parse(calendar("UID:kaputt@partner.de\nSUMMARY:Ohne Datum", GOOD), TODAY)

    assert [e.title for e in parsed.events] == ["Lesung"]
    assert parsed.problems == ["„Ohne Datum“: ohne Beginn (DTSTART) übersprungen."]


def test_minutely_series_are_refused_and_hourly_ones_stop_early():
    started = time.monotonic()
    parsed = parse(
        calendar(
            "UID:m@p\nSUMMARY:Minütlich\nDTSTART:20261201T100000Z\nRRULE:FREQ=MINUTELY",
            "UID:h@p\nSUMMARY:Stündlich\nDTSTART:20261201T100000Z\nRRULE:FREQ=HOURLY",
        ),
        TODAY,
    )

    assert time.monotonic() - started < 5
    assert [(e.title, len(e.occurrences)) for e in parsed.events] == [
        ("Stündlich", MAX_OCCURRENCES)
    ]
    assert parsed.problems == [
        "„Minütlich“: Wiederholung öfter als stündlich wird nicht übernommen.",
        f"„Stündlich“: nur die ersten {MAX_OCCURRENCES} Termine übernommen.",
    ]


def test_a_series_keeps_its_hash_while_days_pass():
    weekly = calendar(
        "UID:w@p\nSUMMARY:Sprachcafé\nDTSTAMP:20261201T080000Z\n"
        "DTSTART;TZID=Europe/Berlin:20261103T170000\nRRULE:FREQ=WEEKLY"
    )
    later = weekly.replace(b"DTSTAMP:20261201T080000Z", b"DTSTAMP:20261208T080000Z")

    first = parse(weekly, TODAY).events[0]
    week_later = parse(later, TODAY + dt.timedelta(days=7)).events[0]

    assert first.occurrences[0] != week_later.occurrences[0]
    assert first.content_hash == week_later.content_hash
    changed = parse(weekly.replace(b"Sprachcaf\xc3\xa9", b"Sprachtreff"), TODAY)
    assert changed.events[0].content_hash != first.content_hash


def test_an_end_before_the_start_is_ignored():
    parsed = parse(
        calendar(
            GOOD.replace(
                "DTEND;TZID=Europe/Berlin:20270210T210000",
                "DTEND;TZID=Europe/Berlin:20270209T210000",
            )
        ),
        TODAY,
    )

    assert parsed.events[0].occurrences == [("2027-02-10", None, "19:00", None)]
    assert parsed.problems == [
        "„Lesung“: Ende liegt vor dem Beginn; nur der Beginn übernommen."
    ]


def test_a_property_given_twice_counts_once():
    parsed = parse(
        calendar(GOOD + "\nSUMMARY:Noch ein Titel\nLOCATION:A\nLOCATION:B"), TODAY
    )

    assert (parsed.events[0].title, parsed.events[0].location) == ("Lesung", "A")


def test_two_main_vevents_with_one_uid_stay_two_events():
    other = GOOD.replace("SUMMARY:Lesung", "SUMMARY:Zweite Lesung").replace(
        "20270210", "20270310"
    )
    parsed = parse(calendar(GOOD, other), TODAY)

    assert sorted((e.title, e.occurrences[0][0]) for e in parsed.events) == [
        ("Lesung", "2027-02-10"),
        ("Zweite Lesung", "2027-03-10"),
    ]
    assert len({e.uid for e in parsed.events}) == 2
