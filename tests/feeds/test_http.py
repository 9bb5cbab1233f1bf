"""Feeds over HTTP: types, validators from the data, 304, HEAD, errors, query counts."""

import datetime as dt
import hashlib

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import parse_http_date

import pytest

from pages.models import EventPage

from .conftest import FEED_FORMATS, SECTIONS

pytestmark = pytest.mark.django_db

CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
}


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("format", FEED_FORMATS)
def test_every_section_in_every_format(fetch, section, format):
    response = fetch(f"/feeds/{section}.{format}")
    assert response["Content-Type"] == CONTENT_TYPES[format]
    assert "public" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


@pytest.mark.parametrize("section", ["events", "all"])
def test_calendars_for_events(fetch, section):
    assert fetch(f"/feeds/{section}.ics")["Content-Type"] == CONTENT_TYPES["ics"]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/press.ics",
        "/feeds/programmes.ics",
        "/feeds/newsletters.ics",
        "/feeds/nope.rss",
        "/feeds/events.xml",
        "/feeds/events.RSS",
    ],
)
def test_other_combinations_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("city=Witten!", ["city"]),
        ("status=nope&from=2020-13-01", ["status", "from"]),
        ("upcoming=maybe&limit=5", ["upcoming", "limit"]),
        ("to=2020-01-01&from=2020-02-01", ["to"]),
        ("q=%00", ["q"]),
        ("updated_since=2020-01-01T00:00:00%2B99:00", ["updated_since"]),
    ],
)
def test_bad_filters_are_400_naming_each_parameter(client, query, names):
    response = client.get(f"/feeds/events.rss?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    for name in names:
        assert f"- {name}: " in text


def test_event_filters_apply_to_all_and_press_rejects_them(client):
    assert client.get("/feeds/all.rss?status=cancelled").status_code == 200
    assert client.get("/feeds/press.rss?status=cancelled").status_code == 400


def test_filters_narrow_the_feed(fetch):
    body = fetch("/feeds/events.json?city=witten").json()
    titles = [item["title"] for item in body["items"]]
    assert titles and all("Witten" in item["tags"] for item in body["items"])
    assert body["feed_url"].endswith("/feeds/events.json?city=witten")
    everything = fetch("/feeds/events.json").json()["items"]
    assert len(titles) < len(everything)


def test_validators_come_from_the_data(fetch):
    response = fetch("/feeds/events.atom")
    newest = max(page.last_published_at for page in EventPage.objects.visible())
    assert parse_http_date(response["Last-Modified"]) >= int(newest.timestamp())
    # A strong tag: the hash of these very bytes.
    digest = hashlib.sha256(response.content).hexdigest()[:32]
    assert response["ETag"] == f'"{digest}"'


def test_conditional_requests_get_304_without_body(client, fetch):
    first = fetch("/feeds/press.rss")
    again = client.get("/feeds/press.rss", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"]
    since = client.get(
        "/feeds/press.rss", headers={"if-modified-since": first["Last-Modified"]}
    )
    assert since.status_code == 304
    # If-None-Match wins over If-Modified-Since.
    stale = client.get(
        "/feeds/press.rss",
        headers={
            "if-none-match": '"other"',
            "if-modified-since": first["Last-Modified"],
        },
    )
    assert stale.status_code == 200


def test_head_has_headers_and_no_body(client, fetch):
    body = fetch("/feeds/events.ics").content
    response = client.head("/feeds/events.ics")
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == str(len(body))


def test_post_is_refused(client):
    assert client.post("/feeds/events.rss").status_code == 405


@pytest.mark.parametrize("format", [*FEED_FORMATS, "ics"])
def test_same_bytes_when_nothing_changed(fetch, format):
    from django.core.cache import cache

    first = fetch(f"/feeds/events.{format}").content
    cache.clear()
    assert fetch(f"/feeds/events.{format}").content == first


def test_publishing_changes_the_feed_and_its_etag(
    fetch, django_capture_on_commit_callbacks
):
    before = fetch("/feeds/events.rss")
    event = EventPage.objects.get(slug="woche-der-vielfalt-2020")
    event.title = "Woche der Vielfalt 2020 (neu)"
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    after = fetch("/feeds/events.rss")
    assert after["ETag"] != before["ETag"]
    assert b"Woche der Vielfalt 2020 (neu)" in after.content


def test_hidden_events_never_appear(fetch, django_capture_on_commit_callbacks):
    event = EventPage.objects.get(slug="woche-der-vielfalt-2020")
    with django_capture_on_commit_callbacks(execute=True):
        event.unpublish()
    for format in [*FEED_FORMATS, "ics"]:
        assert b"woche-der-vielfalt-2020" not in fetch(f"/feeds/all.{format}").content


def test_expired_event_is_gone_before_the_scheduler_runs(fetch):
    EventPage.objects.filter(slug="woche-der-vielfalt-2020").update(
        expire_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    )
    assert b"woche-der-vielfalt-2020" not in fetch("/feeds/events.atom").content


def cold(client, url):
    """Request `url` after clearing the whole cache.

    Counted with it: looking up Wagtail's site-root paths and the default site's root
    path again, one query each.
    """
    from django.core.cache import cache

    from wagtail.models import Site

    cache.clear()
    Site.get_site_root_paths()
    return client.get(url)


# A cold feed (nothing cached) stays within this many queries, however many items it has
# (one of them reads the office's status wordings into the cache).
FEED_QUERY_BUDGET = 16
FEED_URLS = [
    "/feeds/events.rss",
    "/feeds/events.ics",
    "/feeds/press.atom",
    "/feeds/all.json",
]


def cold_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert cold(client, url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", FEED_URLS)
def test_query_count_does_not_grow_with_items(client, demo, url):
    from tests.factories import (
        EventOccurrenceFactory,
        EventPageFactory,
        PressReleasePageFactory,
        VenueFactory,
    )

    cold(client, url)
    before = cold_queries(client, url)
    for _ in range(5):
        event = EventPageFactory(parent=demo.events, venue=VenueFactory())
        EventOccurrenceFactory(page=event)
        EventOccurrenceFactory(page=event, start_date=dt.date(2030, 5, 2))
        PressReleasePageFactory(parent=demo.press)
    after = cold_queries(client, url)
    assert before == after <= FEED_QUERY_BUDGET, (before, after)
    if url == "/feeds/events.rss":
        assert cold(client, url).content.count(b"<item>") == 14 + 5
