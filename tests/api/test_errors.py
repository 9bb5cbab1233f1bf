"""Hostile and wrong requests: 400/404/405 in problem+json naming each parameter, never 5xx."""

import pytest

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def problem(client, url, status, method="get", **headers):
    response = getattr(client, method)(url, headers=headers)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    return body


def bad_params(client, url) -> dict[str, str]:
    body = problem(client, url, 400)
    return {item["name"]: item["reason"] for item in body["invalid_params"]}


@pytest.mark.parametrize("value", ["abc", "-1", "1e30", "101", "0", "1.5", "", "%20"])
def test_bad_limit(client, value):
    assert "limit" in bad_params(client, f"/api/v1/events/?limit={value}")


def test_empty_values_are_errors_not_defaults(client):
    reasons = bad_params(client, "/api/v1/events/?city=&updated_since=&limit=5")
    assert set(reasons) == {"city", "updated_since"}
    assert "empty" in reasons["city"]


def test_limit_over_100_is_an_error_not_a_cap(client):
    reasons = bad_params(client, "/api/v1/press/?limit=101")
    assert "100" in reasons["limit"]


def test_negative_offset_and_huge_offset(client, get_json):
    assert "offset" in bad_params(client, "/api/v1/events/?offset=-1")
    data = get_json("/api/v1/events/?offset=999999999999")
    assert data["results"] == [] and data["count"] == 14 and data["next"] is None


def test_every_bad_parameter_is_named(client):
    reasons = bad_params(
        client,
        "/api/v1/events/?limit=abc&offset=-1&status=nope&from=2020-02-30"
        "&to=tomorrow&upcoming=maybe&colour=red&ordering=-password",
    )
    assert set(reasons) == {
        "limit",
        "offset",
        "status",
        "from",
        "to",
        "upcoming",
        "colour",
        "ordering",
    }
    assert reasons["colour"] == "Unknown parameter."
    assert "scheduled" in reasons["status"]  # names the allowed values


@pytest.mark.parametrize(
    "query",
    [
        "updated_since=2020-13-01",
        "updated_since=2020-01-01T25:00:00",
        "updated_since=2020-01-01T10:00:00%2B99:00",
        "updated_since=9999-12-31T23:59:59-23:59",
        "from=99999-01-01",
        "city=Witten",
        "city=%00",
        "q=%00",
        "topic=a%00b",
    ],
)
def test_bad_values(client, query):
    name = query.split("=")[0]
    assert name in bad_params(client, f"/api/v1/events/?{query}")


def test_event_filters_are_unknown_on_other_sections(client):
    assert bad_params(client, "/api/v1/press/?status=cancelled") == {
        "status": "Unknown parameter."
    }


def test_from_after_to(client):
    assert "to" in bad_params(client, "/api/v1/events/?from=2020-09-01&to=2020-08-01")


def test_long_query_is_rejected_quickly(client):
    assert "q" in bad_params(client, "/api/v1/items/?q=" + "a" * 10_000)


def test_unknown_slug_is_an_empty_result_not_an_error(get_json):
    assert get_json("/api/v1/events/?city=atlantis")["count"] == 0


def test_unknown_id_and_path_are_problem_404(client):
    problem(client, "/api/v1/events/999999/", 404)
    problem(client, "/api/v1/events/99999999999999999999999/", 404)
    problem(client, "/api/v1/events/abc/", 404)
    problem(client, "/api/v1/nothing/", 404)
    problem(client, "/api/v1/", 404)
    problem(client, "/api/v3/events/", 404)


def test_detail_of_another_type_is_404(client, witten):
    problem(client, f"/api/v1/press/{witten.pk}/", 404)


def test_unknown_parameter_on_detail_and_taxonomies(client, witten):
    assert "fields" in bad_params(client, f"/api/v1/events/{witten.pk}/?fields=*")
    assert "limit" in bad_params(client, "/api/v1/cities/?limit=5")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405(client, witten, method):
    problem(client, "/api/v1/events/", 405, method)
    response = getattr(client, method)(f"/api/v1/events/{witten.pk}/")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_html_is_never_served(client):
    response = client.get("/api/v1/events/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    response = client.get("/api/v1/events/?format=api", headers={"Accept": "text/html"})
    assert response["Content-Type"] == PROBLEM
    response = client.get("/api/v2/pages/", headers={"Accept": "text/html"})
    assert response["Content-Type"] == "application/json"


def test_invalid_utf8_in_path(client):
    response = client.get("/api/v1/events/%FF/")
    assert response.status_code in (400, 404)


def test_foreign_host_is_rejected(client):
    response = client.get("/api/v1/events/", HTTP_HOST="evil.example")
    assert response.status_code == 400
