"""A cache outage degrades to uncached responses: no 5xx, no stale or shared content."""

import socket

from django.core.cache import cache

import pytest

from pages.caching import content_version

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nothing listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "hub.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    yield cache
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


def test_every_operation_is_a_miss(dead_redis):
    dead_redis.set("a", 1)
    assert dead_redis.get("a") is None
    assert dead_redis.get("a", "fallback") == "fallback"
    assert dead_redis.add("a", 1) is False
    assert dead_redis.get_many(["a", "b"]) == {}
    assert dead_redis.has_key("a") is False
    dead_redis.delete("a")
    dead_redis.set_many({"a": 1})
    dead_redis.delete_many(["a"])
    with pytest.raises(ValueError):
        dead_redis.incr("a")


def test_breaker_skips_the_server_after_a_failure(dead_redis, monkeypatch):
    dead_redis.get("warm-up")
    assert dead_redis.is_down

    def must_not_be_called(*args, **kwargs):
        raise AssertionError("Redis contacted while the breaker is open")

    monkeypatch.setattr(type(dead_redis._cache), "get", must_not_be_called)
    assert dead_redis.get("x", 7) == 7


def test_content_version_still_answers(dead_redis):
    assert content_version()


@pytest.mark.parametrize("path", ["/", "/presse/", "/veranstaltungen/", "/sitemap.xml"])
def test_public_surfaces_answer_without_the_cache(client, dead_redis, path):
    first = client.get(path)
    second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content


def test_api_and_feeds_answer_without_the_cache(client, dead_redis, settings):
    """Rate limiting fails open too; whatever these surfaces answer, it is not a 5xx."""
    settings.HUB_RATE_LIMIT_REQUESTS = 1
    for path in ["/api/v1/events/", "/api/v1/items/", "/feeds/all.rss"] * 3:
        status = client.get(path).status_code
        assert status < 500
        assert status != 429
