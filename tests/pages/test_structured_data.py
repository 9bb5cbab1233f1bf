import datetime as dt
import json
import re

import pytest

from tests.factories import EventOccurrenceFactory, EventPageFactory, VenueFactory

pytestmark = pytest.mark.django_db


def json_ld(client, path: str) -> dict:
    html = client.get(path).content.decode()
    found = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    assert len(found) == 1
    return json.loads(found[0])


def test_event_json_ld_has_status_dates_with_offsets_and_place(client):
    data = json_ld(
        client,
        "/veranstaltungen/laien-sprachmittlerpool-grundlagenschulung-witten-2020/",
    )
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["startDate"] == "2020-08-24T15:00:00+02:00"
    assert data["endDate"] == "2020-08-31T19:00:00+02:00"
    assert [sub["startDate"] for sub in data["subEvent"]] == [
        "2020-08-24T15:00:00+02:00",
        "2020-08-26T15:00:00+02:00",
        "2020-08-31T15:00:00+02:00",
    ]
    assert data["location"]["address"]["addressLocality"] == "Witten"
    assert data["location"]["address"]["streetAddress"] == "Schwanenmarkt 5-7"
    assert (
        data["organizer"]["name"] == "Kommunales Integrationszentrum Ennepe-Ruhr-Kreis"
    )
    assert data["url"] == (
        "http://127.0.0.1:8000/veranstaltungen/"
        "laien-sprachmittlerpool-grundlagenschulung-witten-2020/"
    )


def test_postponed_and_all_day_range(client):
    postponed = json_ld(client, "/veranstaltungen/schulung-trauma-kita-2020/")
    assert postponed["eventStatus"] == "https://schema.org/EventPostponed"
    week = json_ld(client, "/veranstaltungen/woche-der-vielfalt-2020/")
    assert (week["startDate"], week["endDate"]) == ("2020-09-26", "2020-10-04")


def test_press_release_is_a_news_article(client):
    data = json_ld(client, "/presse/woche-der-vielfalt-rund-30-akteure-boten-programm/")
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Woche der Vielfalt – Rund 30 Akteure boten Programm"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+0[12]:00", data["datePublished"])
    assert data["publisher"]["@type"] == "Organization"


def test_hostile_title_cannot_leave_the_json_ld_script(client, demo):
    title = '</script><script>alert("x")</script><!--'
    event = EventPageFactory(
        parent=demo.events,
        title=title,
        slug="feindlich",
        venue=VenueFactory(),
        status="cancelled",
    )
    EventOccurrenceFactory(page=event)
    html = client.get("/veranstaltungen/feindlich/").content.decode()
    assert '<script>alert("x")' not in html
    data = json_ld(client, "/veranstaltungen/feindlich/")
    assert data["name"] == title
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert "Abgesagt" in html


def test_preview_of_unsaved_dates_renders(rf):
    from pages.models import EventOccurrence, EventPage

    event = EventPage(title="Vorschau", slug="vorschau", status="confirmed")
    event.occurrences = [
        EventOccurrence(start_date=dt.date(2031, 5, 2), start_time=dt.time(10)),
        EventOccurrence(start_date=dt.date(2031, 5, 1)),
    ]
    context = event.get_context(rf.get("/"))
    assert [occ.start_date.day for occ in context["occurrences"]] == [1, 2]
    assert context["json_ld"]["startDate"] == "2031-05-01"
    assert context["json_ld"]["endDate"] == "2031-05-02T10:00:00+02:00"
