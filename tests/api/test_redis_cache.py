"""The same caching and invalidation with Redis, as configured by `REDIS_URL` in production."""

import os

from django.core.cache import caches
from django.test import override_settings

import pytest
import redis

from tests.factories import EventOccurrenceFactory, EventPageFactory

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
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
    client, demo, witten, redis_cache, django_capture_on_commit_callbacks
):
    url = "/api/v1/events/?city=witten"
    first = client.get(url)
    assert first.status_code == 200
    assert any(key.startswith(":1:hub:response") for key in _keys(redis_cache))
    assert client.get(url).content == first.content
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    detail = client.get(f"/api/v1/events/{witten.pk}/")
    assert detail.json()["title"] == witten.title

    with django_capture_on_commit_callbacks(execute=True):
        event = EventPageFactory(parent=demo.events, title="Neu", city=witten.city)
        EventOccurrenceFactory(page=event)
        event.save_revision().publish()
    assert "Neu" in [e["title"] for e in client.get(url).json()["results"]]


def _keys(cache) -> list[str]:
    client = cache._cache.get_client()
    prefix = "hub-test-api"
    return [key.decode().removeprefix(prefix) for key in client.keys(f"{prefix}*")]
