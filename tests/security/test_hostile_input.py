"""Hostile requests get 400/404 (problem+json on the API, plain on feeds), never a 5xx."""

import json
import time

from django.test import Client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .surfaces import SECTIONS, require_routed

pytestmark = pytest.mark.django_db

API_LISTS = [f"/api/v1/{section}/" for section in (*SECTIONS, "items")]
FEEDS = [
    "/feeds/all.rss",
    "/feeds/events.ics",
    "/feeds/press.atom",
    "/feeds/events.json",
]
EMBEDS = [f"/embed/{section}/" for section in SECTIONS]
FILTERED = API_LISTS + FEEDS + EMBEDS
PAGES = ["/", "/veranstaltungen/", "/presse/", "/programme/", "/newsletter/"]

BAD_LIMITS = ["abc", "-1", "1e30", "101", "0", "１０", "10.5", "9" * 40]
BAD_DATES = [
    ("from", "2020-13-45"),
    ("from", "99999-01-01"),
    ("from", "0000-00-00"),
    ("to", "2020-02-30"),
    ("to", "20200101"),
    ("updated_since", "2020-01-01T00:00:00+99:00"),
    ("updated_since", "9999-12-31T23:59:59-23:59"),
    ("updated_since", "0001-01-01T00:00:00+23:59"),
    ("updated_since", "2020-01-01T25:61:61"),
    ("updated_since", "yesterday"),
    ("updated_since", "2020-01-01T00:00:00 Europe/Atlantis"),
]


def fetch(client: Client, path: str, params=None, **kwargs):
    require_routed(path)
    response = client.get(path, params or {}, **kwargs)
    assert response.status_code < 500, (path, params, response.status_code)
    return response


def assert_problem(response, *names: str) -> dict:
    assert response.status_code == 400, response.status_code
    assert response["Content-Type"].startswith("application/problem+json")
    problem = json.loads(response.content)
    assert problem["status"] == 400
    text = json.dumps(problem)
    for name in names:
        assert name in text, (name, problem)
    return problem


def assert_bad_request(path: str, response, *names: str) -> None:
    if path.startswith("/api/"):
        assert_problem(response, *names)
    else:
        assert response.status_code == 400, (path, response.status_code)
        assert not response["Content-Type"].startswith("application/json")


def result_count(response) -> int:
    data = json.loads(response.content)
    if isinstance(data.get("count"), int):
        return data["count"]
    return len(data.get("results", data.get("items", [])))


@pytest.mark.parametrize("value", BAD_LIMITS)
@pytest.mark.parametrize("path", API_LISTS)
def test_bad_limit(client, path, value):
    assert_problem(fetch(client, path, {"limit": value}), "limit")


@pytest.mark.parametrize("path", API_LISTS)
def test_negative_offset_and_huge_valid_offset(client, path):
    assert_problem(fetch(client, path, {"offset": "-1"}), "offset")
    huge = fetch(client, path, {"offset": "999999999999"})
    assert huge.status_code == 200
    assert json.loads(huge.content)["results"] == []


@pytest.mark.parametrize("path", FILTERED)
def test_unknown_parameter(client, path):
    assert_bad_request(path, fetch(client, path, {"sneaky": "1"}), "sneaky")


@pytest.mark.parametrize(
    "name", ["city", "target_group", "topic", "q", "updated_since", "ordering"]
)
@pytest.mark.parametrize("path", FILTERED)
def test_nul_in_any_parameter(client, path, name):
    assert_bad_request(path, fetch(client, f"{path}?{name}=a%00b"), name)


@pytest.mark.parametrize("path", API_LISTS + FEEDS)
def test_ten_thousand_character_query_is_refused_quickly(client, path):
    started = time.monotonic()
    response = fetch(client, path, {"q": "Integration " * 834})
    assert time.monotonic() - started < 2
    assert_bad_request(path, response, "q")


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        (path, name, value)
        for path in [
            "/api/v1/events/",
            "/api/v1/items/",
            "/feeds/events.ics",
            "/embed/events/",
        ]
        for name, value in BAD_DATES
        if name == "updated_since" or "items" not in path  # from/to: event filters
    ],
)
def test_impossible_and_overflowing_dates(client, path, name, value):
    response = fetch(client, path, {name: value})
    assert_bad_request(path, response, name)


@pytest.mark.parametrize(
    "path", ["/api/v1/events/", "/feeds/events.rss", "/embed/events/"]
)
def test_unknown_status(client, path):
    assert_bad_request(path, fetch(client, path, {"status": "nope"}), "status")


@pytest.mark.parametrize("path", API_LISTS)
def test_unknown_ordering_such_as_a_password_field(client, path):
    assert_problem(fetch(client, path, {"ordering": "-password"}), "ordering")


@pytest.mark.parametrize("name", ["city", "target_group", "topic"])
@pytest.mark.parametrize("path", API_LISTS)
def test_unknown_slug_answers_like_an_empty_one(client, path, name):
    """No existence oracle: an unknown slug looks exactly like a known unused one."""
    unknown = fetch(client, path, {name: "gibt-es-nicht"})
    assert unknown.status_code == 200
    assert result_count(unknown) == 0
    assert json.loads(unknown.content)["results"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/presse/%FF/",
        "/veranstaltungen/%C0%AF/",
        "/%ED%A0%80/",
        "/api/v1/events/%C0/",
        "/api/v1/events/%FF%FE/",
        "/feeds/%FF.rss",
        "/embed/%C0/",
        "/documents/%FF/x.pdf",
    ],
)
def test_invalid_utf8_in_the_path_is_404(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)


@pytest.mark.parametrize(
    "path",
    [*PAGES, "/sitemap.xml", "/api/v1/events/", "/feeds/all.rss", "/embed/press/"],
)
def test_foreign_host_is_refused(client, path):
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert b"evil.example" not in response.content


def test_absolute_urls_never_come_from_the_host_header(client, settings):
    """Allowed but non-canonical hosts (e.g. 127.0.0.1) still get SITE_BASE_URL links."""
    settings.SITE_BASE_URL = "https://hub.example.org"
    for path in ["/sitemap.xml", "/feeds/all.rss", "/api/v1/items/"]:
        require_routed(path)
        body = client.get(path, headers={"Host": "localhost"}).content.decode()
        assert "localhost" not in body, path
        assert "testserver" not in body, path
    body = client.get("/sitemap.xml", headers={"Host": "localhost"}).content.decode()
    assert "<loc>https://hub.example.org/presse/</loc>" in body


@pytest.mark.parametrize("path", API_LISTS + ["/api/v1/schema/"])
def test_api_never_answers_html(client, path):
    response = fetch(client, path, headers={"Accept": "text/html"})
    assert not response["Content-Type"].startswith("text/html")
    assert b"<script" not in response.content.lower()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path", [*API_LISTS, "/api/v1/events/1/", "/feeds/all.rss", "/sitemap.xml"]
)
def test_writes_are_not_allowed(client, path, method):
    require_routed(path)
    response = getattr(client, method)(path, data="{}", content_type="application/json")
    assert response.status_code == 405, (path, method, response.status_code)


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_survive_hostile_query_strings(client, path):
    for query in ["?%00=%00", "?q=" + "x" * 10_000, "?page=-1", "?a=%FF%FE"]:
        assert client.get(path + query).status_code < 500


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "city",
                "q",
                "from",
                "to",
                "upcoming",
                "status",
                "limit",
                "offset",
                "ordering",
                "updated_since",
                "topic",
                "target_group",
                "x",
            ]
        ),
        st.text(max_size=40),
        max_size=4,
    ),
    path=st.sampled_from(["/sitemap.xml", "/presse/", *FILTERED]),
)
def test_random_parameters_never_cause_a_server_error(client, params, path):
    require_routed(path)
    response = client.get(path, params)
    assert response.status_code < 500, (path, params)
    if path.startswith("/api/") and response.status_code == 400:
        assert response["Content-Type"].startswith("application/problem+json")


def _hostile_schema():
    """The whole OpenAPI document, generating invalid as well as valid requests."""
    from django.core.wsgi import get_wsgi_application

    import schemathesis

    loaded = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    loaded.config.generation.update(
        modes=[
            schemathesis.GenerationMode.NEGATIVE,
            schemathesis.GenerationMode.POSITIVE,
        ],
        allow_x00=True,
    )
    return loaded


hostile_schema = _hostile_schema()


@hostile_schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_never_get_a_server_error(case, keep_test_connection):
    """A few hundred examples over every operation (the API's own test checks valid ones)."""
    response = case.call()
    assert response.status_code < 500, (case.path, case.query, response.text[:300])
    if response.status_code >= 400:
        content_type = {k.lower(): v for k, v in response.headers.items()}[
            "content-type"
        ]
        assert content_type[0].startswith("application/problem+json")
