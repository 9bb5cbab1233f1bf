"""Hostile and wrong requests: 400/404/405 in problem+json naming each parameter, never 5xx."""

from http import HTTPStatus

from django.test import Client

import msgspec
import pytest

from pages.api import problems, schemas

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
    problem(client, "/api/v1/index/", 404)
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


# --- Every error under /api/ has one shape, whoever answers it ----------------------


def problem_of(response, status: int) -> schemas.Problem:
    """The body decoded strictly as the documented Problem shape."""
    assert response.status_code == status, (
        response.status_code,
        response.content[:300],
    )
    assert response["Content-Type"] == PROBLEM
    assert response["Cache-Control"] == "no-store"
    body = msgspec.json.decode(response.content, type=schemas.Problem)
    assert body.status == status
    assert body.title == HTTPStatus(status).phrase
    return body


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v2/pages/?sneaky=1", "sneaky"),
        ("/api/v2/pages/?limit=1000", "limit"),
        ("/api/v2/pages/?order=nope", "order"),
        ("/api/v2/pages/?fields=nope", "fields"),
        ("/api/v2/pages/?type=nope", "type"),
        ("/api/v2/images/?offset=abc", "offset"),
        ("/api/v2/documents/?search=a&search_operator=nope", "search_operator"),
    ],
)
def test_wagtail_v2_400_is_a_problem_naming_the_parameter(client, url, name):
    body = problem_of(client.get(url), 400)
    assert [param.name for param in body.invalid_params] == [name]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/999999999/",
        "/api/v2/images/999999999/",
        "/api/v2/documents/999999999/",
        "/api/v2/pages/find/?id=999999999",
        "/api/v2/pages/?locale=xx",
        "/api/v2/nothing/",
    ],
)
def test_wagtail_v2_404_is_a_problem(client, url):
    problem_of(client.get(url), 404)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/events/", "/api/v1/schema/", "/api/v2/pages/", "/api/v1/", "/api/nope/"],
)
def test_disallowed_host_is_a_problem(client, path):
    response = client.get(path, headers={"Host": "evil.example"})
    body = problem_of(response, 400)
    assert "evil.example" not in response.content.decode()
    assert body.invalid_params == []


@pytest.mark.parametrize("path", ["/api/v3/events/", "/api/v1/nothing/", "/api/"])
def test_csrf_failure_under_api_is_a_problem(path):
    response = Client(enforce_csrf_checks=True).post(path, {"a": "1"})
    problem_of(response, 403)


def test_csrf_failure_elsewhere_is_still_djangos_page():
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"a": "1"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/schema/", "/api/v1/docs/", "/api/v2/pages/"])
def test_405_is_a_problem_with_allow(client, path, method):
    response = getattr(client, method)(path)
    problem_of(response, 405)
    assert "GET" in response["Allow"]


def test_429_has_the_same_shape(client, settings):
    settings.HUB_RATE_LIMIT_REQUESTS = 1
    settings.HUB_RATE_LIMIT_WINDOW = 3600
    client.get("/api/v1/cities/")
    response = client.get("/api/v1/cities/")
    body = problem_of(response, 429)
    assert body.invalid_params == []
    assert int(response["Retry-After"]) > 0


def test_too_many_parameters_is_a_problem(client):
    query = "&".join(f"p{index}=1" for index in range(10_001))
    for path in ("/api/v1/events/", "/api/v2/pages/"):
        problem_of(client.get(f"{path}?{query}"), 400)


def test_a_crash_under_api_is_a_problem_500(monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(problems, "not_found", crash)
    response = Client(raise_request_exception=False).get("/api/v9/")
    body = problem_of(response, 500)
    assert "boom" not in body.detail


def test_docs_answer_options_and_any_accept_without_a_server_error(client):
    options = client.options("/api/v1/docs/")
    assert options.status_code == 204
    assert "GET" in options["Allow"]
    response = client.get("/api/v1/docs/", headers={"Accept": "application/json"})
    assert response.status_code < 500
