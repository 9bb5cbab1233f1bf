"""Public answers are cached and revalidated the way a partner's client or feed reader sees it.

Only public URLs and headers: what is cached where is the hub's business.
"""

import datetime as dt

from django.utils import timezone

import pytest
import time_machine

from tests.factories import EventOccurrenceFactory, EventPageFactory
from tests.queries import STATE_READ

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/?limit=5"
FEED = "/feeds/events.rss"
MAX_AGE = {URL: 60, FEED: 300}
# Later than any stored answer lives; the content is unchanged.
EXPIRED = dt.timedelta(minutes=15)


def publish_an_event(demo, capture) -> None:
    """What an editor does: the hub's content changes."""
    with capture(execute=True):
        event = EventPageFactory(parent=demo.events, title="Neu im Kalender")
        EventOccurrenceFactory(page=event)
        event.save_revision().publish()


@pytest.mark.parametrize("url", [URL, FEED])
def test_second_request_is_served_from_cache(client, django_assert_num_queries, url):
    first = client.get(url)
    with django_assert_num_queries(STATE_READ):
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert first["Cache-Control"] == f"public, max-age={MAX_AGE[url]}"


def test_response_cache_setting_off_renders_every_time_but_keeps_304(client, settings):
    settings.HUB_RESPONSE_CACHE = False
    first = client.get(URL)
    second = client.get(URL)
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert len(second.content) > 0
    not_modified = client.get(URL, headers={"If-None-Match": first["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_cache_off_queries_on_every_request(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.HUB_RESPONSE_CACHE = False
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    assert len(captured) > 0


def test_matching_etag_gets_304_until_the_content_changes(
    client, demo, django_capture_on_commit_callbacks
):
    etag = client.get(URL)["ETag"]
    for sent in (etag, "W/" + etag, f'"other", {etag}'):
        response = client.get(URL, headers={"If-None-Match": sent})
        assert response.status_code == 304, sent
        assert response.content == b""
    publish_an_event(demo, django_capture_on_commit_callbacks)
    response = client.get(URL, headers={"If-None-Match": "W/" + etag})
    assert response.status_code == 200  # the content changed: the old ETag is stale
    assert response["ETag"] != etag
    assert (
        client.get(URL, headers={"If-None-Match": response["ETag"]}).status_code == 304
    )


def test_head_has_length_but_no_body(client):
    body = client.get(URL).content
    for _ in range(2):  # rendered, then from the cache
        response = client.head(URL)
        assert response.status_code == 200
        assert response.content == b""
        assert response["Content-Length"] == str(len(body))


def test_revalidation_after_expiry_answers_304_and_renders_again_on_demand(
    client, django_assert_num_queries
):
    """Feed readers revalidate after max-age: the data is checked once, then 304s are
    cheap again, and the body is the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(FEED)
    etag = first["ETag"]
    with time_machine.travel(timezone.now() + EXPIRED, tick=False):
        with CaptureQueriesContext(connection) as checked:
            assert client.get(FEED, headers={"If-None-Match": etag}).status_code == 304
        assert len(checked) > 0  # the stored answer had expired
        with django_assert_num_queries(2 * STATE_READ):
            for _ in range(2):
                response = client.get(FEED, headers={"If-None-Match": etag})
                assert response.status_code == 304
        again = client.get(FEED)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == etag
