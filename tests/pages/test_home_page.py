"""The home page shows what the seed's "Aktuelles" page showed a reader at a glance."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from pages.models import EventOccurrence, EventPage
from pages.snippets import City

pytestmark = pytest.mark.django_db


def home(client) -> BeautifulSoup:
    response = client.get("/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def section(soup: BeautifulSoup, heading: str):
    title = soup.find("h2", string=heading)
    assert title is not None, f"no section {heading!r}"
    return title.find_parent("section")


def add_event(demo, title: str, days: int, **fields) -> EventPage:
    start = timezone.localdate() + dt.timedelta(days=days)
    event = EventPage(
        title=title, city=City.objects.get(slug="witten"), status="confirmed", **fields
    )
    event.occurrences = [EventOccurrence(start_date=start)]
    demo.events.add_child(instance=event)
    event.save_revision().publish()
    return event


def test_the_seed_calendar_is_past_so_the_home_page_says_so(client):
    events = section(home(client), "Nächste Veranstaltungen")
    assert "Zurzeit sind keine Veranstaltungen angekündigt" in events.get_text()
    assert events.find("a", href="/veranstaltungen/")


def test_next_events_come_soonest_first_and_only_the_public_ones(client, demo):
    add_event(demo, "Sprachcafé im Dezember", 20)
    add_event(demo, "Elterncafé morgen", 1)
    hidden = add_event(demo, "Entwurf eines Treffens", 2)
    hidden.unpublish()
    events = section(home(client), "Nächste Veranstaltungen")
    titles = [h3.get_text(strip=True) for h3 in events.find_all("h3")]
    assert titles == ["Elterncafé morgen", "Sprachcafé im Dezember"]
    more = events.find("a", href="/veranstaltungen/?upcoming=true")
    assert more.get_text(strip=True) == "Alle kommenden Veranstaltungen (2)"


def test_latest_press_releases_programmes_and_newsletter_archive(client):
    soup = home(client)
    press = section(soup, "Aktuelle Pressemitteilungen")
    dates = [t["datetime"] for t in press.find_all("time")]
    assert dates == ["2020-11-02", "2020-09-22", "2020-07-30"]
    assert "Alle Pressemitteilungen (12)" in press.get_text()
    programmes = section(soup, "Programme und Projekte")
    assert "Kommunales Integrationsmanagement (KIM)" in programmes.get_text()
    newsletter = section(soup, "Newsletter")
    assert newsletter.find("a", href="/newsletter/")


def test_the_home_page_costs_the_same_queries_with_more_content(
    client, demo, django_assert_max_num_queries
):
    add_event(demo, "Treffen 0", 1)
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    for day in range(2, 9):
        add_event(demo, f"Treffen {day}", day)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/")
