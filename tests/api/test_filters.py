"""The contract's filters through the API, against the demo content."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone

import pytest

from tests.factories import EventOccurrenceFactory, EventPageFactory

pytestmark = pytest.mark.django_db
WITTEN_TITLE = "Laien-Sprachmittlerpool – Grundlagenschulung in Witten"


def titles(get_json, url: str) -> list[str]:
    return [item["title"] for item in get_json(url)["results"]]


def test_city_finds_wittens_events_in_start_order(get_json):
    assert titles(get_json, "/api/v1/events/?city=witten") == [
        WITTEN_TITLE,
        "Workshop für Akteure in der Integrationsarbeit",
    ]


def test_comma_lists_mean_or(get_json):
    witten = set(titles(get_json, "/api/v1/events/?city=witten"))
    both = set(titles(get_json, "/api/v1/events/?city=witten,gevelsberg"))
    assert witten < both and len(both) == 3


def test_date_window_matches_any_overlapping_occurrence(get_json):
    # Only the 26.08. date of Witten's three dates lies in this window.
    assert titles(get_json, "/api/v1/events/?from=2020-08-25&to=2020-08-26") == [
        WITTEN_TITLE
    ]
    # 31.08. is the last date; the day after finds nothing of it.
    assert WITTEN_TITLE in titles(
        get_json, "/api/v1/events/?from=2020-08-31&to=2020-08-31"
    )
    assert WITTEN_TITLE not in titles(get_json, "/api/v1/events/?from=2020-09-01")
    # A window inside the range 26.09.–04.10.2020 finds the week of diversity.
    inside = titles(get_json, "/api/v1/events/?from=2020-10-01&to=2020-10-02")
    assert "Woche der Vielfalt 2020" in inside


def test_status_filter_and_the_event_postponed_to_2021(get_json):
    postponed = get_json("/api/v1/events/?status=postponed")["results"]
    assert len(postponed) == 4
    trauma = next(e for e in postponed if e["title"] == 'Schulung zum Thema "Trauma"')
    assert trauma["postponed_note"] == "auf 2021"
    assert {e["status"]["value"] for e in postponed} == {"postponed"}
    either = titles(get_json, "/api/v1/events/?status=postponed,confirmed")
    assert len(either) > 4 and WITTEN_TITLE in either


def test_upcoming_splits_at_now(get_json, demo):
    future = EventPageFactory(parent=demo.events, title="Sommerfest 2030")
    EventOccurrenceFactory(page=future, start_date=dt.date(2030, 7, 1))
    future.save_revision().publish()
    assert titles(get_json, "/api/v1/events/?upcoming=true") == ["Sommerfest 2030"]
    past = titles(get_json, "/api/v1/events/?upcoming=false&limit=100")
    assert len(past) == 14 and "Sommerfest 2030" not in past


def test_combination_of_filters(get_json):
    url = (
        "/api/v1/events/?city=witten,schwelm&topic=sprache&status=confirmed"
        "&from=2020-08-01&to=2020-08-31&upcoming=false"
    )
    assert titles(get_json, url) == [WITTEN_TITLE]
    assert titles(get_json, url.replace("sprache", "gesundheit")) == []


def test_target_group_and_topic_on_press_and_programmes(get_json):
    assert titles(get_json, "/api/v1/programmes/?topic=daten") == [
        "Datenreport Migration"
    ]
    press = titles(get_json, "/api/v1/press/?topic=vielfalt")
    assert len(press) == 7
    assert press[0] == "Woche der Vielfalt – Rund 30 Akteure boten Programm"
    # Both language-mediator trainings, the earlier one (Hattingen) first.
    assert titles(get_json, "/api/v1/events/?target_group=sprachkundige") == [
        "Laien-Sprachmittlerpool – Grundlagenschulung in Hattingen",
        WITTEN_TITLE,
    ]


def test_full_text_search(get_json):
    assert titles(get_json, "/api/v1/events/?q=Terkessidis") == [
        "Lass mal reden… über wessen Erinnerung zählt?"
    ]
    assert titles(get_json, "/api/v1/events/?q=Woche%20Vielfalt") == [
        "Woche der Vielfalt 2019",
        "Woche der Vielfalt 2020",
    ]


def test_updated_since(get_json, witten):
    cutoff = timezone.now()
    witten.save_revision().publish()
    since = cutoff.isoformat().replace("+", "%2B")
    assert titles(get_json, f"/api/v1/events/?updated_since={since}") == [WITTEN_TITLE]
    assert [
        i["id"] for i in get_json(f"/api/v1/items/?updated_since={since}")["results"]
    ] == [witten.pk]


@pytest.mark.parametrize(
    ("section", "ordering", "key"),
    [
        ("press", "-date", "date"),
        ("press", "date", "date"),
        ("press", "title", "title"),
        ("press", "-title", "title"),
        ("programmes", "-published", "first_published_at"),
        ("events", "-updated", "last_published_at"),
        ("items", "published", "first_published_at"),
    ],
)
def test_orderings(get_json, section, ordering, key):
    values = [
        item[key]
        for item in get_json(f"/api/v1/{section}/?ordering={ordering}&limit=100")[
            "results"
        ]
    ]
    assert values == sorted(values, reverse=ordering.startswith("-"))


def test_events_order_by_earliest_matching_occurrence(get_json):
    starts = [
        min(o["start"] for o in e["occurrences"])
        for e in get_json("/api/v1/events/?limit=100")["results"]
    ]
    assert starts == sorted(starts)
    reverse = titles(get_json, "/api/v1/events/?ordering=-start&limit=100")
    assert reverse == titles(get_json, "/api/v1/events/?limit=100")[::-1]


def test_pagination_links(get_json):
    first = get_json("/api/v1/press/?limit=5&topic=vielfalt")
    assert first["count"] == 7 and first["previous"] is None
    next_url = urlsplit(first["next"])
    assert f"{next_url.scheme}://{next_url.netloc}" == "http://127.0.0.1:8000"
    assert parse_qs(next_url.query) == {
        "limit": ["5"],
        "topic": ["vielfalt"],
        "offset": ["5"],
    }
    second = get_json(f"{next_url.path}?{next_url.query}")
    assert len(second["results"]) == 2 and second["next"] is None
    assert parse_qs(urlsplit(second["previous"]).query)["offset"] == ["0"]
    seen = [r["id"] for r in first["results"]] + [r["id"] for r in second["results"]]
    assert len(set(seen)) == 7
