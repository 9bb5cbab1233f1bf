"""The shared listing filters, against the seed's demo content."""

import datetime as dt

from django.utils import timezone

import pytest

from pages.filters import ContentQuery, InvalidParameters

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2020, 9, 1, 12, tzinfo=dt.UTC)


def titles(section: str, **params) -> list[str]:
    query = ContentQuery.from_params(section, params)
    query = ContentQuery(**{**query.__dict__, "now": NOW})
    return [page.title for page in query.queryset()]


def test_city_filter_finds_wittens_events_in_date_order():
    assert titles("events", city="witten") == [
        "Laien-Sprachmittlerpool – Grundlagenschulung in Witten",
        "Workshop für Akteure in der Integrationsarbeit",
    ]


def test_lists_mean_or():
    both = titles("events", city="witten,gevelsberg")
    assert len(both) == 3
    assert set(titles("events", city="witten")) < set(both)


def test_date_range_matches_any_overlapping_occurrence():
    # Only the 26.08. date of the Witten training falls in this window.
    found = titles("events", **{"from": "2020-08-25", "to": "2020-08-26"})
    assert found == ["Laien-Sprachmittlerpool – Grundlagenschulung in Witten"]
    # The week of diversity 26.09.–04.10.2020 overlaps a window inside it.
    assert "Woche der Vielfalt 2020" in titles(
        "events", **{"from": "2020-10-01", "to": "2020-10-01"}
    )


def test_upcoming_and_past_split_at_now():
    upcoming = titles("events", upcoming="true")
    past = titles("events", upcoming="false")
    assert not set(upcoming) & set(past)
    assert len(upcoming) + len(past) == 14
    assert "Laien-Sprachmittlerpool – Grundlagenschulung in Hattingen" in past
    assert upcoming[0] == 'Schulung zum Thema "Trauma"'  # 11.09.2020 is the next date


def test_status_filter():
    assert len(titles("events", status="postponed")) == 4
    assert titles("events", status="postponed,cancelled") == titles(
        "events", status="postponed"
    )


def test_taxonomy_filters_on_many_to_many_sections():
    assert titles("programmes", topic="daten") == ["Datenreport Migration"]
    press = titles("press", topic="vielfalt")
    assert len(press) == 7
    assert (
        press[0] == "Woche der Vielfalt – Rund 30 Akteure boten Programm"
    )  # newest first
    assert (
        "Neujahrsempfang: Kommunales Integrationszentrum begrüßt 60 Gäste" not in press
    )


def test_press_is_newest_first_by_default_and_ordering_reverses_it():
    dates = [p.date for p in ContentQuery.from_params("press", {}).queryset()]
    assert dates == sorted(dates, reverse=True)
    oldest = ContentQuery.from_params("press", {"ordering": "date"}).queryset().first()
    assert oldest.date == dt.date(2019, 12, 18)


def test_items_mix_sections_newest_first():
    items = list(
        ContentQuery.from_params("items", {"city": "kreisweit"}).queryset().specific()
    )
    kinds = {type(item).__name__ for item in items}
    assert {"EventPage", "ProgrammePage"} <= kinds


def test_full_text_search_combines_with_filters():
    assert titles("events", q="Terkessidis") == [
        "Lass mal reden… über wessen Erinnerung zählt?"
    ]
    assert titles("events", q="Woche Vielfalt") == [
        "Woche der Vielfalt 2019",
        "Woche der Vielfalt 2020",
    ]
    assert titles("events", q="Woche Vielfalt", upcoming="true") == [
        "Woche der Vielfalt 2020"
    ]


def test_unknown_slug_is_an_empty_answer_not_an_error():
    assert titles("events", city="atlantis") == []


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"limit": "abc"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1e30"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"city": "Witten"}, "city"),
        ({"from": "2020-02-30"}, "from"),
        ({"from": "2020-09-02", "to": "2020-09-01"}, "to"),
        ({"updated_since": "gestern"}, "updated_since"),
        ({"updated_since": "2020-01-01T00:00:00+25:00"}, "updated_since"),
        ({"status": "nope"}, "status"),
        ({"upcoming": "ja"}, "upcoming"),
        ({"q": "x" * 10_000}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"ordering": "-password"}, "ordering"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_parameters_are_named(params, bad):
    with pytest.raises(InvalidParameters) as caught:
        ContentQuery.from_params("events", params)
    assert bad in caught.value.errors


def test_every_bad_parameter_is_reported_at_once():
    with pytest.raises(InvalidParameters) as caught:
        ContentQuery.from_params("events", {"limit": "500", "status": "nope", "x": "1"})
    assert set(caught.value.errors) == {"limit", "status", "x"}


def test_event_parameters_belong_to_events():
    with pytest.raises(InvalidParameters) as caught:
        ContentQuery.from_params("press", {"status": "cancelled"})
    assert "status" in caught.value.errors
    assert ContentQuery.from_params(
        "items", {"status": "cancelled"}, event_filters=True
    )


def test_naive_datetimes_mean_berlin_time():
    query = ContentQuery.from_params("press", {"updated_since": "2020-11-02T08:00:00"})
    assert query.updated_since.utcoffset() == dt.timedelta(hours=1)
    assert timezone.is_aware(query.updated_since)


def test_listing_costs_the_same_queries_for_any_page_size(django_assert_num_queries):
    list(ContentQuery.from_params("events", {}).page())  # the site's root, cached
    for limit in ("1", "14"):
        query = ContentQuery.from_params(
            "events", {"limit": limit, "city": "witten,schwelm"}
        )
        with django_assert_num_queries(1):
            list(query.page())
