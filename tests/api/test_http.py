"""HTTP behaviour partners and caches rely on: validators, 304, HEAD, CORS, no cookies."""

import pytest

pytestmark = pytest.mark.django_db
ORIGIN = "https://www.witten.de"
URLS = [
    "/api/v1/events/?city=witten",
    "/api/v1/items/",
    "/api/v1/cities/",
    "/api/v1/",
]


@pytest.fixture
def urls(witten):
    return [*URLS, f"/api/v1/events/{witten.pk}/"]


def test_validators_and_public_cache_control(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response["ETag"].startswith('"')
        assert "public" in response["Cache-Control"]
        assert "max-age=60" in response["Cache-Control"]
    assert "Last-Modified" in client.get(urls[0])


def test_if_none_match_gives_304(client, urls):
    for url in urls:
        etag = client.get(url)["ETag"]
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag


def test_if_modified_since_gives_304(client, witten):
    url = f"/api/v1/events/{witten.pk}/"
    last_modified = client.get(url)["Last-Modified"]
    response = client.get(url, headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": old}).status_code == 200


def test_different_filters_have_different_etags(client):
    assert (
        client.get("/api/v1/events/?city=witten")["ETag"]
        != client.get("/api/v1/events/?city=schwelm")["ETag"]
    )


def test_parameter_order_does_not_split_the_cache(client):
    a = client.get("/api/v1/events/?city=witten&limit=5")
    b = client.get("/api/v1/events/?limit=5&city=witten")
    assert a["ETag"] == b["ETag"]
    assert a.content == b.content


def test_head_has_headers_and_no_body(client, urls):
    for url in urls:
        get, head = client.get(url), client.head(url)
        assert head.status_code == 200
        assert head.content == b""
        assert head["ETag"] == get["ETag"]
        assert int(head["Content-Length"]) == len(get.content)


def test_cors_on_every_outcome(client, witten):
    for url, status in [
        ("/api/v1/events/", 200),
        ("/api/v1/events/?limit=500", 400),
        ("/api/v1/events/0/", 404),
        ("/api/v1/nothing/", 404),
        ("/api/v2/pages/", 200),
    ]:
        response = client.get(url, headers={"Origin": ORIGIN})
        assert response.status_code == status
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
    etag = client.get("/api/v1/events/")["ETag"]
    response = client.get(
        "/api/v1/events/", headers={"Origin": ORIGIN, "If-None-Match": etag}
    )
    assert response.status_code == 304
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_cors_preflight_allows_reads_only(client):
    response = client.options(
        "/api/v1/events/",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}


def test_anonymous_responses_set_no_cookie_and_do_not_vary_on_it(client, urls):
    client.cookies["sessionid"] = "whatever"
    for url in [*urls, "/api/v1/events/?limit=abc", "/api/v1/nope/", "/api/v2/pages/"]:
        response = client.get(url)
        assert not response.cookies, url
        assert "Set-Cookie" not in response
        assert "cookie" not in response.get("Vary", "").lower(), url


def test_hidden_item_is_404_even_with_a_guessed_etag(client, witten):
    url = f"/api/v1/events/{witten.pk}/"
    etag = client.get(url)["ETag"]
    witten.unpublish()
    for headers in ({"If-None-Match": etag}, {"If-None-Match": "*"}):
        response = client.get(url, headers=headers)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
