"""Repeated API and feed requests are answered from the cache before the view runs, with
exactly the answer and headers the view's own answer has."""

import contextlib

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

import pytest

import pages.api.views
from pages.caching import CachedResponseMiddleware, Fingerprint, serve_cached
from pages.caching.store import request_key
from pages.models import EventPage

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


def forget(url: str) -> None:
    """Drop the stored answer to `url`, as expiry would (the content version stays)."""
    cache.delete(request_key(RequestFactory().get(url)).key)


@contextlib.contextmanager
def views_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the view ran, the answer was not given early")

    with monkeypatch.context() as patch:
        for module in ("pages.api.views", "feeds.views"):
            patch.setattr(f"{module}.serve_cached", refuse)
        yield


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("method", ["get", "head"])
def test_early_answer_is_the_views_answer(client, monkeypatch, url, method):
    full = getattr(client, method)(url, headers=ORIGIN)
    assert full.status_code == 200
    with views_must_not_run(monkeypatch):
        early = getattr(client, method)(url, headers=ORIGIN)
    assert early.status_code == 200
    assert early.content == full.content
    assert headers_of(early) == headers_of(full)
    if method == "head":
        assert early.content == b""
        assert int(early["Content-Length"]) == len(client.get(url).content)


@pytest.mark.parametrize("url", URLS)
def test_early_304_has_the_views_headers(client, monkeypatch, url):
    etag = client.get(url)["ETag"]
    conditional = {**ORIGIN, "If-None-Match": etag}
    forget(url)
    full = client.get(url, headers=conditional)
    assert full.status_code == 304
    with views_must_not_run(monkeypatch):
        from_validators = client.get(url, headers=conditional)
    forget(url)
    client.get(url)
    with views_must_not_run(monkeypatch):
        from_full_entry = client.get(url, headers=conditional)
    for early in (from_validators, from_full_entry):
        assert early.status_code == 304
        assert early.content == b""
        assert headers_of(early) == headers_of(full)


def test_if_modified_since_is_answered_early(client, monkeypatch):
    url = URLS[0]
    last_modified = client.get(url)["Last-Modified"]
    with views_must_not_run(monkeypatch):
        current = client.get(url, headers={"If-Modified-Since": last_modified})
        old = client.get(
            url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
        )
    assert current.status_code == 304
    assert old.status_code == 200


def test_early_answers_query_nothing(client, django_assert_num_queries):
    etag = client.get(URLS[0])["ETag"]
    with django_assert_num_queries(0):
        assert client.get(URLS[0]).status_code == 200
        assert client.get(URLS[0], headers={"If-None-Match": etag}).status_code == 304


def test_conditional_requests_after_expiry_are_answered_early_again(
    client, monkeypatch
):
    """Feed readers mostly revalidate: after the entry expires, the first of them stores
    the validators, and the others are answered early without any body being rendered."""
    url = "/feeds/events.rss"
    etag = client.get(url)["ETag"]
    forget(url)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    with views_must_not_run(monkeypatch):
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url).status_code == 200  # the view renders the body for this one


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
    assert (
        cache.get(request_key(RequestFactory().get("/api/v1/events/?limit=500")).key)
        is None
    )


def test_unknown_host_is_refused_even_when_cached(client):
    assert client.get(URLS[0]).status_code == 200
    assert client.get(URLS[0], HTTP_HOST="evil.example").status_code == 400


def test_details_are_always_answered_by_the_view(client, monkeypatch):
    """The detail view re-checks visibility on every request."""
    url = f"/api/v1/events/{EventPage.objects.visible().first().pk}/"
    client.get(url)
    calls = []
    original = pages.api.views.serve_cached
    monkeypatch.setattr(
        pages.api.views,
        "serve_cached",
        lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs),
    )
    assert client.get(url).status_code == 200
    assert calls == [1]


@pytest.mark.parametrize("spoil", ["cookie", "vary"])
def test_answers_with_a_cookie_or_vary_are_not_stored(spoil):
    def view(request: HttpRequest) -> HttpResponse:
        response = serve_cached(
            request,
            fingerprint=lambda: Fingerprint(None, "state"),
            render=lambda: (b"{}", "application/json"),
        )
        if spoil == "cookie":
            response.set_cookie("who", "you")
        else:
            response["Vary"] = "Accept-Language"
        return response

    request = RequestFactory().get("/api/v1/anything/")
    assert CachedResponseMiddleware(view)(request).status_code == 200
    assert cache.get(request_key(request).key) is None
