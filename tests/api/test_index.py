"""`/api/v1/` is an index of the API, not a 404: every endpoint with an absolute URL that
answers, the docs and the schema."""

import pytest

from pages import sections

pytestmark = pytest.mark.django_db


def test_the_index_lists_every_endpoint_with_absolute_urls(get_json, settings):
    index = get_json("/api/v1/")
    base = settings.SITE_BASE_URL
    assert index["docs"] == f"{base}/api/v1/docs/"
    assert index["schema"] == f"{base}/api/v1/schema/"
    by_name = {endpoint["name"]: endpoint for endpoint in index["endpoints"]}
    expected = [*sections.names(), "items", "cities", "target-groups", "topics"]
    assert list(by_name) == [*expected, "languages", "changes"]
    assert by_name["events"]["url"] == f"{base}/api/v1/events/"
    assert by_name["events"]["detail"] == f"{base}/api/v1/events/{{id}}/"
    assert by_name["items"]["detail"] is None
    assert by_name["changes"]["url"] == f"{base}/api/v1/changes/"
    assert all(endpoint["description"] for endpoint in index["endpoints"])


def test_every_link_of_the_index_answers(client, get_json, settings, witten):
    index = get_json("/api/v1/")
    base = settings.SITE_BASE_URL
    links = [index["docs"], index["schema"]]
    links += [endpoint["url"] for endpoint in index["endpoints"]]
    links += [
        endpoint["detail"].replace("{id}", str(witten.pk))
        for endpoint in index["endpoints"]
        if endpoint["name"] == "events"
    ]
    for link in links:
        assert link.startswith(f"{base}/api/v1/")
        path = link.removeprefix(base)
        assert client.get(path).status_code == 200, path


def test_the_index_follows_the_base_url(get_json, settings):
    settings.SITE_BASE_URL = "https://hub.example.org"
    index = get_json("/api/v1/")
    assert index["schema"] == "https://hub.example.org/api/v1/schema/"
    assert {e["url"].split("/api/")[0] for e in index["endpoints"]} == {
        "https://hub.example.org"
    }


def test_unknown_parameters_are_a_problem(client):
    response = client.get("/api/v1/?format=json&limit=5")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    names = {param["name"] for param in response.json()["invalid_params"]}
    assert names == {"format", "limit"}


def test_the_index_is_cached_and_read_only(client):
    first = client.get("/api/v1/")
    assert first["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert client.post("/api/v1/").status_code == 405
