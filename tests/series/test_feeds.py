"""RSS, Atom and JSON Feed word a series by its rule and next date, not date by date."""

import datetime as dt
from html.parser import HTMLParser

from django.core.cache import cache

import feedparser
import pytest
import time_machine

from pages.models import EventOccurrence
from tests.factories import EventPageFactory

from .conftest import publish_series

pytestmark = pytest.mark.django_db

SPRACHCAFE = "ab 07.01.2027 jeden Donnerstag – Sprachcafé (angekündigt)"


def json_item(client, page) -> dict:
    cache.clear()  # the test's changes are never committed, so never announced
    items = client.get("/feeds/events.json").json()["items"]
    return next(item for item in items if item["url"].endswith(f"{page.slug}/"))


def entry(client, page, format: str):
    cache.clear()
    parsed = feedparser.parse(client.get(f"/feeds/events.{format}").content)
    return next(e for e in parsed.entries if e.link.endswith(f"{page.slug}/"))


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self.paragraphs: list[str] = []
        self._into: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self._into = {"li": self.items, "p": self.paragraphs}.get(tag)
        if self._into is not None:
            self._into.append("")

    def handle_data(self, data):
        if self._into is not None:
            self._into[-1] += data


def test_a_series_title_names_its_rule_from_the_next_date(client, series_event):
    page = series_event
    item = json_item(client, page)
    assert item["title"] == SPRACHCAFE
    assert item["summary"].startswith(
        "Termine: jeden Donnerstag, 19:00–21:00 Uhr, bis 30.06.2027; "
        "nächster Termin: 07.01.2027, 19:00–21:00 Uhr. "
    )
    assert entry(client, page, "rss").title == SPRACHCAFE
    assert entry(client, page, "atom").title == SPRACHCAFE
    # The entry's content: the rhythm, the next ten dates and how many follow.
    content = Text()
    content.feed(item["content_html"])
    assert content.paragraphs[0] == (
        "Jeden Donnerstag, 19:00–21:00 Uhr, bis 30.06.2027; die nächsten Termine:"
    )
    assert content.items[:2] == [
        "07.01.2027, 19:00–21:00 Uhr",
        "14.01.2027, 19:00–21:00 Uhr",
    ]
    assert len(content.items) == 10
    assert "und 15 weitere Termine" in content.paragraphs

    with time_machine.travel(dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC), tick=False):
        item = json_item(client, page)
        assert item["title"].startswith("ab 04.02.2027 jeden Donnerstag – ")
        assert "nächster Termin: 04.02.2027, 19:00–21:00 Uhr." in item["summary"]
    with time_machine.travel(dt.datetime(2027, 6, 20, 9, tzinfo=dt.UTC), tick=False):
        assert json_item(client, page)["title"].startswith("24.06.2027 – Sprachcafé")
    with time_machine.travel(dt.datetime(2027, 7, 1, 9, tzinfo=dt.UTC), tick=False):
        assert json_item(client, page)["title"].startswith(
            "jeden Donnerstag bis 24.06.2027 – Sprachcafé"
        )


def test_an_open_ended_series_title_stays_short(client, today, settings):
    settings.HUB_SERIES_HORIZON_DAYS = 3650
    page = publish_series(
        EventPageFactory(title="Offener Treff"),
        start_date=dt.date(2027, 1, 5),
        start_time=dt.time(10),
        frequency="weekly",
    )
    assert EventOccurrence.objects.filter(page=page).count() == 500
    item = json_item(client, page)
    assert item["title"] == "ab 05.01.2027 jeden Dienstag – Offener Treff (angekündigt)"
    assert len(item["summary"]) < 200 + len(page.teaser)


def test_titles_of_events_without_series_list_their_dates(client, today):
    page = EventPageFactory(title="Lesung", occurrences=0)
    page.occurrences = [
        EventOccurrence(start_date=dt.date(2027, 3, 1)),
        EventOccurrence(start_date=dt.date(2027, 3, 8), start_time=dt.time(18)),
    ]
    page.save_revision().publish()
    item = json_item(client, page)
    assert item["title"] == "01.03. und 08.03.2027 – Lesung (angekündigt)"
    assert item["summary"].startswith("Termine: 01.03. und 08.03.2027. ")
