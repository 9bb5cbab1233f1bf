"""ETag, Last-Modified and 304 as a revalidating client sees them (RFC 9110 §13).

A client keeps its copy while the hub answers 304, so the ETag must change whenever
anything the answer shows changes: the number of items, the newest change, the query,
the content around the items (content version). These tests switch the response cache
off where they change data behind the hub's back, so each request asks the data.
"""

import datetime as dt
import time

from django.utils import timezone
from django.utils.http import http_date, parse_http_date

import pytest

from pages.models import EventPage, PressReleasePage
from pages.snippets import City

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/events/?limit=5",
    "/api/v1/items/?limit=5",
    "/feeds/events.rss",
    "/embed/events/",
    "/sitemap.xml",
]
OLD_DATE = "Mon, 01 Jan 2001 00:00:00 GMT"


@pytest.fixture
def uncached(settings):
    settings.HUB_RESPONSE_CACHE = False


def status(client, url: str, **headers: str) -> int:
    return client.get(url, headers=headers).status_code


# --- If-None-Match ----------------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("cached", [True, False], ids=["cached", "uncached"])
def test_if_none_match_forms(client, settings, url, cached):
    settings.HUB_RESPONSE_CACHE = cached
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 2
    assert status(client, url, If_None_Match=etag) == 304
    assert status(client, url, If_None_Match=f"W/{etag}") == 304  # weak comparison
    assert status(client, url, If_None_Match=f'"nope", W/{etag}') == 304
    assert status(client, url, If_None_Match=f'"nope", {etag}') == 304
    assert status(client, url, If_None_Match="*") == 304
    assert status(client, url, If_None_Match='"nope"') == 200
    assert status(client, url, If_None_Match='W/"nope"') == 200
    assert status(client, url, If_None_Match=etag[1:-1]) == 200  # not a quoted tag
    assert status(client, url, If_None_Match=f'"{etag}"') == 200


@pytest.mark.parametrize("url", URLS[:3])
def test_a_304_carries_the_validators_and_no_body(client, url):
    first = client.get(url)
    for headers in ({"If-None-Match": first["ETag"]}, {"If-None-Match": "*"}):
        response = client.get(url, headers=headers)
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == first["ETag"]
        assert response["Cache-Control"] == first["Cache-Control"]
        assert response["Last-Modified"] == first["Last-Modified"]


# --- If-Modified-Since ------------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("cached", [True, False], ids=["cached", "uncached"])
def test_if_modified_since(client, settings, url, cached):
    settings.HUB_RESPONSE_CACHE = cached
    last_modified = client.get(url)["Last-Modified"]
    moment = dt.datetime.strptime(last_modified, "%a, %d %b %Y %H:%M:%S GMT")
    moment = moment.replace(tzinfo=dt.UTC).timestamp()
    assert status(client, url, If_Modified_Since=last_modified) == 304
    assert status(client, url, If_Modified_Since=http_date(moment + 1)) == 304
    assert status(client, url, If_Modified_Since=http_date(moment + 86400)) == 304
    assert status(client, url, If_Modified_Since=http_date(moment - 1)) == 200
    assert status(client, url, If_Modified_Since=OLD_DATE) == 200
    assert status(client, url, If_Modified_Since="gestern") == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/events/?limit=5", "/feeds/events.rss", "/embed/events/"]
)
def test_last_modified_is_no_older_than_the_newest_visible_change(client, url):
    newest = max(page.last_published_at for page in EventPage.objects.visible())
    moment = parse_http_date(client.get(url)["Last-Modified"])
    assert int(newest.timestamp()) <= moment <= timezone.now().timestamp()


def test_an_empty_list_keeps_its_etag_while_its_body_stays_the_same(
    client, uncached, django_capture_on_commit_callbacks
):
    url = "/api/v1/events/?city=kreisweit&from=2001-01-01&to=2001-01-02"
    response = client.get(url)
    assert response.json()["results"] == []
    assert status(client, url, If_None_Match=response["ETag"]) == 304
    # A change elsewhere: the same (empty) body, so the same tag.
    press = PressReleasePage.objects.visible().first()
    press.title += " (aktualisiert)"
    with django_capture_on_commit_callbacks(execute=True):
        press.save_revision().publish()
    after = client.get(url)
    assert after.content == response.content
    assert after["ETag"] == response["ETag"]


@pytest.mark.parametrize("url", URLS)
def test_if_none_match_wins_over_if_modified_since(client, url):
    first = client.get(url)
    current, etag = first["Last-Modified"], first["ETag"]
    # A stale tag with a current date: the tag decides, the copy is stale.
    assert (
        status(client, url, If_None_Match='"stale"', If_Modified_Since=current) == 200
    )
    # The current tag with an old date: the tag decides, the copy is current.
    assert status(client, url, If_None_Match=etag, If_Modified_Since=OLD_DATE) == 304


# --- what the ETag must change with -----------------------------------------------


def test_the_etag_changes_with_the_number_of_items(client, uncached):
    """An older event disappears (expires): the newest change stays, the count drops."""
    url = "/api/v1/events/?limit=5"
    first = client.get(url)
    oldest = EventPage.objects.visible().order_by("last_published_at").first()
    EventPage.objects.filter(pk=oldest.pk).update(
        expire_at=timezone.now() - dt.timedelta(seconds=1)
    )
    after = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert after.json()["count"] == first.json()["count"] - 1
    # The clock removed it: Last-Modified moved anyway, so a date-only client updates.
    assert status(client, url, If_Modified_Since=first["Last-Modified"]) == 200


@pytest.mark.parametrize("url", ["/embed/events/", "/sitemap.xml", "/feeds/events.rss"])
def test_the_etag_changes_with_the_number_of_items_everywhere(client, uncached, url):
    first = client.get(url)
    oldest = EventPage.objects.visible().order_by("last_published_at").first()
    EventPage.objects.filter(pk=oldest.pk).update(
        expire_at=timezone.now() - dt.timedelta(seconds=1)
    )
    after = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


@pytest.mark.parametrize("url", URLS[:4])  # the sitemap shows no titles
def test_an_edit_changes_the_validators(
    client, uncached, url, django_capture_on_commit_callbacks
):
    first = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        for event in EventPage.objects.visible():
            event.title += " (aktualisiert)"
            event.save_revision().publish()
    after = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert status(client, url, If_Modified_Since=first["Last-Modified"]) == 200
    # Once the second of the change is over, the date names it.
    time.sleep(1)
    moment = parse_http_date(client.get(url)["Last-Modified"])
    assert moment > parse_http_date(first["Last-Modified"])


def test_the_etag_changes_with_the_query_string(client):
    answers = [
        client.get(url)
        for url in (
            "/api/v1/events/?limit=5",
            "/api/v1/events/?limit=6",
            "/api/v1/events/?limit=5&offset=1",
            "/feeds/events.rss?city=witten",
            "/feeds/events.rss?city=hattingen",
        )
    ]
    etags = [answer["ETag"] for answer in answers]
    assert len(set(etags)) == len(etags)
    assert status(client, "/api/v1/events/?limit=6", If_None_Match=etags[0]) == 200
    # Another spelling of the same query is the same body, so the same tag.
    same = client.get("/api/v1/events/?offset=0&limit=5")
    assert same.content == answers[0].content
    assert same["ETag"] == etags[0]


def test_the_etag_changes_with_the_path(client):
    etags = {client.get(url)["ETag"] for url in URLS}
    assert len(etags) == len(URLS)
    assert (
        client.get("/feeds/events.atom")["ETag"]
        != client.get("/feeds/events.rss")["ETag"]
    )


def test_the_etag_changes_with_the_content_around_the_items(
    client, django_capture_on_commit_callbacks
):
    """A renamed city changes what the events show, not their count or dates."""
    url = "/api/v1/events/?city=witten"
    first = client.get(url)
    city = City.objects.get(slug="witten")
    city.name = "Witten an der Ruhr"
    with django_capture_on_commit_callbacks(execute=True):
        city.save()
    after = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200
    assert "Witten an der Ruhr" in after.content.decode()
    assert after["ETag"] != first["ETag"]


def test_a_detail_etag_follows_its_item(
    client, uncached, django_capture_on_commit_callbacks
):
    event = EventPage.objects.visible().first()
    url = f"/api/v1/events/{event.pk}/"
    first = client.get(url)
    assert status(client, url, If_None_Match=f"W/{first['ETag']}") == 304
    event.teaser = "Neue Kurzbeschreibung."
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    after = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200
    assert status(client, url, If_Modified_Since=first["Last-Modified"]) == 200
    other = EventPage.objects.visible().exclude(pk=event.pk).first()
    assert client.get(f"/api/v1/events/{other.pk}/")["ETag"] != after["ETag"]


# --- HEAD and the length ----------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
def test_head_answers_the_length_of_the_body(client, url):
    body = client.get(url).content
    for _ in range(2):
        head = client.head(url)
        assert head.status_code == 200
        assert head.content == b""
        assert head["Content-Length"] == str(len(body))
    not_modified = client.head(url, headers={"If-None-Match": head["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified["Content-Length"] == "0"
