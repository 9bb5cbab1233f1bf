"""Conditional GET/HEAD on the cached surfaces: only If-None-Match (weak, `*`) and, without
it, If-Modified-Since count, whether the view answers or the stored entry does."""

import datetime as dt
import time

from django.utils import timezone

import pytest

from pages.changes import current_state

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/events/?limit=5",
    "/feeds/events.rss",
    "/embed/events/",
    "/sitemap.xml",
]
PAST = "Mon, 01 Jan 2001 00:00:00 GMT"
FUTURE = "Fri, 01 Jan 2100 00:00:00 GMT"
VALIDATORS = ("etag", "last-modified", "cache-control")

CASES = [
    ({"If-None-Match": "{etag}"}, 304),
    ({"If-None-Match": "W/{etag}"}, 304),
    ({"If-None-Match": "*"}, 304),
    ({"If-None-Match": '"other", {etag}'}, 304),
    ({"If-None-Match": '"other"'}, 200),
    ({"If-Modified-Since": "{last_modified}"}, 304),
    ({"If-Modified-Since": FUTURE}, 304),
    ({"If-Modified-Since": PAST}, 200),
    ({"If-Modified-Since": "not a date"}, 200),
    ({"If-None-Match": '"other"', "If-Modified-Since": FUTURE}, 200),
    ({"If-None-Match": "no-tag-at-all", "If-Modified-Since": FUTURE}, 200),
    ({"If-None-Match": "{etag}", "If-Modified-Since": PAST}, 304),
    # Read-only public data: these preconditions never turn into a 412.
    ({"If-Match": '"other"'}, 200),
    ({"If-Unmodified-Since": PAST}, 200),
    ({"If-Match": '"other"', "If-None-Match": "{etag}"}, 304),
    ({"method": "head", "If-None-Match": "{etag}"}, 304),
    ({"method": "head", "If-None-Match": '"other"'}, 200),
]


@pytest.fixture(autouse=True)
def settled():
    """The last change is more than a second old: within the second of a change, only
    the ETag is sent (an HTTP date could not tell two changes in it apart)."""
    over = current_state().changed_at.replace(microsecond=0) + dt.timedelta(seconds=1)
    time.sleep(max(0.0, (over - timezone.now()).total_seconds()))


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("stored", [False, True], ids=["view", "stored"])
@pytest.mark.parametrize(("headers", "status"), CASES)
def test_conditional_answer(client, settings, url, stored, headers, status):
    settings.HUB_RESPONSE_CACHE = stored
    full = client.get(url)
    assert full.status_code == 200
    assert "Last-Modified" in full
    values = {"etag": full["ETag"], "last_modified": full["Last-Modified"]}
    sent = {name: value.format(**values) for name, value in headers.items()}
    method = sent.pop("method", "get")
    response = getattr(client, method)(url, headers=sent)
    assert response.status_code == status
    if status == 304:
        assert response.content == b""
        for name in VALIDATORS:
            assert response[name] == full[name]
    else:
        assert response.content == (b"" if method == "head" else full.content)
