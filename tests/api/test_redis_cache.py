"""The same caching and invalidation with Redis, as configured by `REDIS_URL` in production."""

import os

from django.core.cache import caches
from django.test import override_settings

import pytest
import redis

from tests.factories import EventOccurrenceFactory, EventPageFactory
from tests.queries import STATE_READ

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required under CI: none at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}; CI starts one (.ci/run)")
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "hub-test-api",
        }
    }
    with override_settings(CACHES=config):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


def test_responses_round_trip_through_redis_and_are_invalidated(
    client,
    demo,
    witten,
    redis_cache,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    url = "/api/v1/events/?city=witten"
    first = client.get(url)
    assert first.status_code == 200
    assert _entries(redis_cache) > 0
    with django_assert_num_queries(2 * STATE_READ):  # answered from Redis
        again = client.get(url)
        revalidated = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert revalidated.status_code == 304
    detail = client.get(f"/api/v1/events/{witten.pk}/")
    assert detail.json()["title"] == witten.title

    with django_capture_on_commit_callbacks(execute=True):
        event = EventPageFactory(parent=demo.events, title="Neu", city=witten.city)
        EventOccurrenceFactory(page=event)
        event.save_revision().publish()
    after = client.get(url)
    assert "Neu" in [e["title"] for e in after.json()["results"]]
    assert after["ETag"] != first["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


def _entries(cache) -> int:
    """How many entries this test's cache holds in Redis (whatever their keys are)."""
    return len(cache._cache.get_client().keys("hub-test-api*"))
