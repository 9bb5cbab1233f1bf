"""Editors' changes reach cached public answers at once; schedules end them on time."""

import datetime as dt
import pickle

from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest
import time_machine

from pages.caching.store import CachedResponse
from pages.models import EventPage
from pages.snippets import City
from tests.queries import STATE_READ

pytestmark = pytest.mark.django_db(transaction=False)

LIST = "/api/v1/events/?limit=100"


@pytest.fixture
def changes(client, django_capture_on_commit_callbacks):
    """Run an editor's action (and its on-commit work); tell whether `url`'s answer changed."""

    def run(action, url: str = LIST) -> bool:
        before = client.get(url)
        assert (
            client.get(url, headers={"If-None-Match": before["ETag"]}).status_code
            == 304
        )
        with django_capture_on_commit_callbacks(execute=True):
            action()
        after = client.get(url, headers={"If-None-Match": before["ETag"]})
        return after.status_code == 200 and after["ETag"] != before["ETag"]

    return run


def test_publish_unpublish_and_restriction_change_the_answer(changes):
    event = EventPage.objects.get(slug="woche-der-vielfalt-2020")
    assert changes(lambda: event.save_revision().publish())
    assert changes(lambda: event.unpublish())
    assert changes(
        lambda: PageViewRestriction.objects.create(
            page=event.get_parent(), restriction_type="login"
        ),
        url="/feeds/events.rss",
    )


def test_renaming_a_city_changes_the_answer(client, changes):
    city = City.objects.get(slug="witten")
    city.name = "Witten (Ruhr)"
    assert changes(city.save, url="/api/v1/events/?city=witten")
    assert "Witten (Ruhr)" in client.get("/api/v1/events/?city=witten").content.decode()


def test_answers_differ_per_query_string(client):
    witten = client.get("/api/v1/events/?city=witten")
    hattingen = client.get("/api/v1/events/?city=hattingen")
    assert witten["ETag"] != hattingen["ETag"]
    assert witten.content != hattingen.content
    assert (
        client.get(
            "/api/v1/events/?city=hattingen", headers={"If-None-Match": witten["ETag"]}
        ).status_code
        == 200
    )


def test_a_cached_list_drops_an_event_when_it_expires(client):
    """No editor action announces an expiry: the cached answer must not outlive it."""
    event = EventPage.objects.get(slug="woche-der-vielfalt-2020")
    expires = timezone.now() + dt.timedelta(seconds=42)
    EventPage.objects.filter(pk=event.pk).update(expire_at=expires)
    assert event.title in client.get(LIST).content.decode()
    with time_machine.travel(expires - dt.timedelta(seconds=1), tick=False):
        assert event.title in client.get(LIST).content.decode()
    with time_machine.travel(expires + dt.timedelta(seconds=1), tick=False):
        assert event.title not in client.get(LIST).content.decode()


# --- the store cannot be inflated from outside ------------------------------------------


def response_entries() -> int:
    """Stored answers (not the pointers of other spellings to them) in the tests'
    local-memory cache."""
    return sum(
        isinstance(pickle.loads(value), CachedResponse)  # noqa: S301 - our own cache
        for key, value in cache._cache.items()  # type: ignore[attr-defined]
        if ":hub:response:" in key
    )


EQUIVALENT = {
    "lists in any order, repeated, spaced": (
        "/api/v1/events/?city=witten,hattingen",
        [
            "/api/v1/events/?city=hattingen,witten",
            "/api/v1/events/?city=witten,hattingen,witten",
            "/api/v1/events/?city=%20hattingen%20,witten,",
        ],
    ),
    "parameters in any order": (
        "/api/v1/events/?city=witten&upcoming=false",
        ["/api/v1/events/?upcoming=false&city=witten"],
    ),
    "defaults left out": (
        "/api/v1/events/",
        ["/api/v1/events/?limit=20", "/api/v1/events/?offset=0&limit=20"],
    ),
    "numbers in one spelling": (
        "/api/v1/press/?limit=5",
        ["/api/v1/press/?limit=05", "/api/v1/press/?limit=%205"],
    ),
    "flags": (
        "/api/v1/events/?upcoming=true",
        ["/api/v1/events/?upcoming=TRUE", "/api/v1/events/?upcoming=1"],
    ),
    "feeds": (
        "/feeds/events.rss?status=cancelled,scheduled",
        [
            "/feeds/events.rss?status=scheduled,cancelled",
            "/feeds/events.rss?status=scheduled,cancelled&city=",
        ],
    ),
    "a view that reads no parameter": (
        "/sitemap.xml",
        [f"/sitemap.xml?page={n}" for n in range(5)] + ["/sitemap.xml?x=%00"],
    ),
}


@pytest.mark.parametrize("first, others", EQUIVALENT.values(), ids=EQUIVALENT.keys())
def test_equivalent_query_strings_share_one_entry(
    client, django_assert_num_queries, first, others
):
    stored = client.get(first)
    assert stored.status_code == 200
    entries = response_entries()
    for url in others * 2:  # the second time, the accepted spelling is known early
        with django_assert_num_queries(STATE_READ):
            answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer["ETag"] == stored["ETag"], url
        assert answer.content == stored.content, url
    assert response_entries() == entries


REFUSED_THOUGH_EQUIVALENT = [
    # (stored first, then a request that must still be refused: the early answer never
    # answers what the view would refuse)
    ("/api/v1/events/", "/api/v1/events/?city="),
    ("/feeds/events.rss", "/feeds/events.rss?limit=20"),
    ("/feeds/events.rss", "/feeds/events.rss?offset=0"),
    ("/api/v1/cities/", "/api/v1/cities/?limit=20"),
    ("/api/v1/events/?city=witten", "/api/v1/events/?city=Witten"),
    ("/api/v1/events/?limit=20", "/api/v1/events/?limit=0000000000000000020"),
    ("/api/v1/events/?upcoming=true", "/api/v1/events/?upcoming=yes"),
]


@pytest.mark.parametrize("stored, refused", REFUSED_THOUGH_EQUIVALENT)
def test_a_refused_request_is_never_answered_from_an_equivalent_entry(
    client, stored, refused
):
    assert client.get(stored).status_code == 200
    assert client.get(stored).status_code == 200  # from the store
    assert client.get(refused).status_code == 400, refused


def test_feed_ids_are_the_same_for_equivalent_requests(client):
    """Whichever spelling a reader subscribed with, the feed keeps one id."""
    for url in (
        "/feeds/events.atom?status=scheduled,cancelled",
        "/feeds/events.atom?status=cancelled,scheduled&city=",
    ):
        cache.clear()
        feed = client.get(url).content.decode()
        assert "events?status=cancelled%2Cscheduled</id>" in feed, url
        assert "scheduled%2Ccancelled" not in feed, url


def test_a_body_above_the_size_limit_is_not_stored(
    client, settings, django_assert_num_queries
):
    settings.HUB_RESPONSE_CACHE_MAX_BYTES = 2000
    url = "/api/v1/events/?limit=100"
    first = client.get(url)
    assert len(first.content) > 2000
    assert response_entries() == 1  # the validators
    assert all(
        len(entry) < 2000
        for key, entry in cache._cache.items()  # type: ignore[attr-defined]
        if ":hub:response:" in key
    )
    again = client.get(url)
    assert again.content == first.content  # rendered again, not from the store
    with django_assert_num_queries(
        STATE_READ
    ):  # revalidation still answered from the store
        assert client.get(
            url, headers={"If-None-Match": first["ETag"]}
        ).status_code == (304)
    small = "/api/v1/cities/"
    client.get(small)
    with django_assert_num_queries(STATE_READ):
        assert client.get(small).status_code == 200


def test_a_flood_of_distinct_urls_neither_grows_the_store_nor_evicts_hot_entries(
    client, django_assert_num_queries
):
    """Every URL of the flood is valid and new (a miss); a partner's list is asked for
    now and then meanwhile. The store stays within its bound and keeps the hot entry."""
    small = {
        "default": {**django_settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 40}}
    }
    with override_settings(CACHES=small):
        hot = "/api/v1/events/?city=witten"
        client.get(hot)
        for offset in range(1, 121):
            assert client.get(f"/api/v1/press/?offset={offset}").status_code == 200
            if offset % 10 == 0:
                client.get(hot)
            assert len(cache._cache) <= 40  # type: ignore[attr-defined]
        with django_assert_num_queries(STATE_READ):
            assert client.get(hot).status_code == 200


class FakeRedis:
    def __init__(self, config: dict[str, str] | Exception):
        self.config = config

    def get_client(self, write: bool = False) -> "FakeRedis":
        return self

    def config_get(self, pattern: str) -> dict[str, str]:
        if isinstance(self.config, Exception):
            raise self.config
        return self.config


def redis_check(monkeypatch, config) -> list[str]:
    """The check's message ids for a Redis cache answering CONFIG GET with `config`."""
    from django.core.cache.backends.redis import RedisCache

    from pages.caching import checks

    backend = RedisCache("redis://127.0.0.1:1/0", {})
    backend.__dict__["_cache"] = FakeRedis(config)
    monkeypatch.setattr(checks, "caches", {"default": backend})
    return [message.id for message in checks.response_cache_is_bounded()]


def test_redis_without_a_memory_limit_or_lfu_policy_is_reported(monkeypatch):
    import redis

    assert redis_check(
        monkeypatch, {"maxmemory": "0", "maxmemory-policy": "noeviction"}
    ) == ["caching.W001", "caching.W002"]
    assert redis_check(
        monkeypatch, {"maxmemory": "268435456", "maxmemory-policy": "allkeys-lru"}
    ) == ["caching.W002"]
    assert (
        redis_check(
            monkeypatch, {"maxmemory": "268435456", "maxmemory-policy": "allkeys-lfu"}
        )
        == []
    )
    assert redis_check(monkeypatch, redis.ResponseError("unknown command")) == [
        "caching.I001"
    ]


def test_the_check_runs_with_every_manage_command():
    from django.core import checks as django_checks

    assert "response_cache_is_bounded" in {
        check.__name__ for check in django_checks.registry.registry.get_checks()
    }


def test_an_accepted_spelling_is_answered_before_the_view(client, monkeypatch):
    from pages.api import views

    client.get("/api/v1/events/?offset=0&limit=20")  # the view accepts this spelling

    def unreachable(*args, **kwargs):
        raise AssertionError("the view answered")

    monkeypatch.setattr(views.ContentListView, "get", unreachable)
    assert client.get("/api/v1/events/?limit=20&offset=0").status_code == 200
    assert client.get("/api/v1/events/").status_code == 200  # the entry it shares
