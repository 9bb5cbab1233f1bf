"""Repeated API and feed requests are answered from the cache, with exactly the answer
and headers the first, fully worked answer had, and without a database query."""

import datetime as dt
import itertools

from django.conf import settings as django_settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

import pytest
import time_machine

from pages.models import EventPage
from tests.queries import STATE_READ

pytestmark = pytest.mark.django_db

ORIGIN = {"Origin": "https://www.witten.de"}
URLS = [
    "/api/v1/events/?limit=20",
    "/api/v1/items/?city=witten&limit=5",
    "/api/v1/cities/",
    "/feeds/events.rss",
    "/feeds/all.atom?city=witten",
    "/feeds/press.json",
    "/feeds/events.ics",
]


def headers_of(response: HttpResponse) -> dict[str, str]:
    return {name.lower(): value for name, value in response.items()}


def after_expiry(times: int = 1):
    """Later than any stored answer lives (max-age 60 s, feeds 300 s); the content is
    unchanged."""
    later = timezone.now() + times * dt.timedelta(minutes=15)
    return time_machine.travel(later, tick=False)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("method", ["get", "head"])
def test_early_answer_is_the_views_answer(
    client, django_assert_num_queries, url, method
):
    full = getattr(client, method)(url, headers=ORIGIN)
    assert full.status_code == 200
    with django_assert_num_queries(STATE_READ):
        early = getattr(client, method)(url, headers=ORIGIN)
    assert early.status_code == 200
    assert early.content == full.content
    assert headers_of(early) == headers_of(full)
    if method == "head":
        assert early.content == b""
        assert int(early["Content-Length"]) == len(client.get(url).content)


@pytest.mark.parametrize("url", URLS)
def test_early_304_has_the_views_headers(client, django_assert_num_queries, url):
    etag = client.get(url)["ETag"]
    conditional = {**ORIGIN, "If-None-Match": etag}
    with after_expiry():
        full = client.get(url, headers=conditional)
        assert full.status_code == 304
        with django_assert_num_queries(STATE_READ):
            from_validators = client.get(url, headers=conditional)
    with after_expiry(times=2):
        client.get(url)
        with django_assert_num_queries(STATE_READ):
            from_full_entry = client.get(url, headers=conditional)
    for early in (from_validators, from_full_entry):
        assert early.status_code == 304
        assert early.content == b""
        assert headers_of(early) == headers_of(full)


def test_if_modified_since_is_answered_early(client, django_assert_num_queries):
    url = URLS[0]
    last_modified = client.get(url)["Last-Modified"]
    with django_assert_num_queries(2 * STATE_READ):  # two requests
        current = client.get(url, headers={"If-Modified-Since": last_modified})
        old = client.get(
            url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
        )
    assert current.status_code == 304
    assert old.status_code == 200


def test_early_answers_query_nothing(client, django_assert_num_queries):
    etag = client.get(URLS[0])["ETag"]
    with django_assert_num_queries(2 * STATE_READ):  # two requests
        assert client.get(URLS[0]).status_code == 200
        assert client.get(URLS[0], headers={"If-None-Match": etag}).status_code == 304


def test_conditional_requests_after_expiry_are_answered_early_again(
    client, django_assert_num_queries
):
    """Feed readers mostly revalidate: after the entry expires, the first of them stores
    the validators, and the others are answered without any query."""
    url = "/feeds/events.rss"
    first = client.get(url)
    with after_expiry():
        assert (
            client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
        )
        with django_assert_num_queries(STATE_READ):
            again = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304
        full = client.get(url)  # the body is rendered again for this one
    assert full.status_code == 200
    assert full.content == first.content


@pytest.mark.parametrize(
    "query",
    [
        "limit=1&city=witten",
        "limit=1&city=wit%74en",
        "limit=1&city=witten&city=hattingen",
        "limit=1&city=hattingen&city=witten",
        "limit=1&status=confirmed,cancelled",
        "limit=1&status=confirmed%2Ccancelled",
        "limit=1&q=",
        "limit=1&q",
    ],
)
def test_each_query_string_gets_the_answer_the_view_gives_it(client, settings, query):
    settings.HUB_RESPONSE_CACHE = False
    expected = client.get(f"/api/v1/events/?{query}")
    settings.HUB_RESPONSE_CACHE = True
    warm = [
        client.get(f"/api/v1/events/?{other}")
        for other in ("limit=1&city=witten", "limit=1&city=hattingen", "limit=1")
    ]
    assert all(response.status_code == 200 for response in warm)
    for _ in range(2):
        response = client.get(f"/api/v1/events/?{query}")
        assert response.status_code == expected.status_code
        assert response.content == expected.content


def test_bad_query_strings_are_never_answered_from_the_cache(client):
    assert client.get("/api/v1/events/?limit=5").status_code == 200
    for _ in range(2):
        response = client.get("/api/v1/events/?limit=500")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert "limit" in response.json()["invalid_params"][0]["name"]
        assert "ETag" not in response


def test_unknown_host_is_refused_even_when_cached(client):
    assert client.get(URLS[0]).status_code == 200
    assert client.get(URLS[0], HTTP_HOST="evil.example").status_code == 400


def test_a_detail_is_gone_the_moment_it_expires(client, django_assert_num_queries):
    """The detail re-checks visibility on every request: no stored answer outlives
    `expire_at`, even though nothing was published (no content change was announced)."""
    event = EventPage.objects.visible().first()
    url = f"/api/v1/events/{event.pk}/"
    expires = timezone.now() + dt.timedelta(seconds=30)
    EventPage.objects.filter(pk=event.pk).update(expire_at=expires)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    with time_machine.travel(expires + dt.timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 404
        listed = client.get("/api/v1/events/?limit=100").json()["results"]
        assert event.pk not in [item["id"] for item in listed]


_numbers = itertools.count(1)


class SetsACookie:
    """A layer below the response cache that gives every client its own cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.set_cookie("who", str(next(_numbers)))
        return response


class VariesOnLanguage:
    """A layer below the response cache whose answer depends on Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Vary"] = "Accept-Language"
        response["Content-Language"] = request.headers.get("Accept-Language", "de")
        return response


def below_the_response_cache(layer: type) -> list[str]:
    middleware = list(django_settings.MIDDLEWARE)
    below = middleware.index("pages.caching.middleware.CachedResponseMiddleware") + 1
    return [*middleware[:below], f"{__name__}.{layer.__name__}", *middleware[below:]]


def test_an_answer_with_a_cookie_is_never_replayed_to_another_client(client, settings):
    settings.MIDDLEWARE = below_the_response_cache(SetsACookie)
    cookies = {client.get(URLS[0]).cookies["who"].value for _ in range(3)}
    assert len(cookies) == 3


def test_an_answer_that_varies_is_never_replayed_to_another_client(client, settings):
    settings.MIDDLEWARE = below_the_response_cache(VariesOnLanguage)
    for language in ("de", "en", "ar", "de"):
        response = client.get(URLS[0], headers={"Accept-Language": language})
        assert response["Content-Language"] == language
