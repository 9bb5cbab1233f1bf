"""Hostile requests get 400/404 (problem+json on the API, plain on feeds), never a 5xx."""

import json
import time
from urllib.parse import quote, urlencode

from django.test import Client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from embeds.style import EMBED_PARAMETERS
from pages import sections
from pages.api.v2 import (
    PublicDocumentsAPIViewSet,
    PublicImagesAPIViewSet,
    VisiblePagesAPIViewSet,
)
from pages.filters import ContentQuery
from tests.factories import PressReleasePageFactory

from .surfaces import SECTIONS, all_surfaces, require_routed

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


# --- Input the database reads as syntax, the calendar's limits, API v2, field limits,
# --- every method, missing slashes; and generated input over every list route.

SEARCH_SYNTAX = [
    '"',
    "'",
    '"Integration',
    "Integration*",
    "Integration:*",
    "a & b",
    "a | b",
    "!a",
    "a <-> b",
    "a <2> b",
    "a:b",
    "(a",
    "a)",
    "()",
    "-a",
    "+a",
    "a -b",
    "NEAR(a b)",
    "a AND",
    "OR",
    "NOT a",
    "^a",
    "a\\",
    "%",
    "_",
    "a' OR '1'='1",
    " ",
    " \t ",
    "a\u0308",
    "😀",
    "x" * 200,
]
SEARCHED = [
    *(f"{path}?q=" for path in API_LISTS),
    "/feeds/all.rss?q=",
    "/feeds/events.ics?q=",
    "/embed/press/?q=",
    *(f"{path}?q=" for path in PAGES[1:]),
    "/api/v2/pages/?search=",
    "/api/v2/images/?search=",
    "/api/v2/documents/?search=",
]


@pytest.mark.parametrize("text", SEARCH_SYNTAX)
@pytest.mark.parametrize("prefix", SEARCHED)
def test_full_text_syntax_in_a_search_never_breaks_the_database(client, prefix, text):
    response = fetch(client, prefix + quote(text, safe=""))
    if prefix.startswith("/api/") and response.status_code != 200:
        assert_problem(response, "q" if "/v1/" in prefix else "search")


@pytest.mark.parametrize(
    "text",
    [
        '"Quokkaschulung"',
        "Quokkaschulung:*",
        "(Quokkaschulung)",
        "+Quokkaschulung!",
        "Quokkaschulung & Quokkaschulung",
        "'Quokkaschulung'",
    ],
)
def test_syntax_around_a_word_still_finds_it(client, text):
    page = PressReleasePageFactory(title="Quokkaschulung im Kreis")
    listed = fetch(client, f"/api/v1/press/?q={quote(text, safe='')}")
    assert listed.status_code == 200
    assert [item["id"] for item in json.loads(listed.content)["results"]] == [page.pk]
    v2 = fetch(client, f"/api/v2/pages/?search={quote(text, safe='')}")
    assert v2.status_code == 200
    assert [item["id"] for item in json.loads(v2.content)["items"]] == [page.pk]


CALENDAR_EDGES = [
    ("from", "0001-01-01"),
    ("to", "0001-01-01"),
    ("from", "9999-12-31"),
    ("to", "9999-12-31"),
    ("updated_since", "0001-01-01"),
    ("updated_since", "9999-12-31"),
    ("updated_since", "0001-01-01T00:00:00Z"),
    ("updated_since", "9999-12-31T23:59:59Z"),
    ("updated_since", "0001-01-01T00:00:00-14:00"),
    ("updated_since", "9999-12-31T23:59:59+14:00"),
    ("updated_since", "0001-01-01T00:59:00+01:00"),
]


@pytest.mark.parametrize(("name", "value"), CALENDAR_EDGES)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/events/",
        "/api/v1/items/",
        "/feeds/events.ics",
        "/feeds/all.atom",
        "/embed/events/",
        "/veranstaltungen/",
    ],
)
def test_dates_at_the_ends_of_the_calendar(client, path, name, value):
    response = fetch(client, path, {name: value})
    if response.status_code != 200:
        assert_bad_request(path, response, name)


def test_the_calendars_ends_are_open_bounds(client):
    """`from=0001-01-01` and `to=9999-12-31` bound nothing: every event with a date."""

    def count(**params) -> int:
        response = fetch(client, "/api/v1/events/", params)
        assert response.status_code == 200, params
        return json.loads(response.content)["count"]

    dated = count(**{"from": "1900-01-01"})
    assert dated > 0
    assert count(**{"from": "0001-01-01"}) == dated
    assert count(**{"to": "9999-12-31"}) == count(**{"to": "2999-12-31"})
    assert count(**{"from": "0001-01-01", "to": "9999-12-31"}) == dated
    assert count(**{"from": "9999-12-31"}) == 0
    assert count(**{"to": "0001-01-01"}) == 0


V2_BAD = [
    ("/api/v2/pages/", "offset=99999999999999999999", "offset"),
    ("/api/v2/pages/", "offset=-1", "offset"),
    ("/api/v2/pages/", "limit=101", "limit"),
    ("/api/v2/pages/", "limit=1e3", "limit"),
    ("/api/v2/pages/", "search=a&search_operator=xor", "search_operator"),
    ("/api/v2/pages/", "search=" + "a" * 201, "search"),
    ("/api/v2/pages/", "search=a%00b", "search"),
    ("/api/v2/pages/", "order=random&offset=1", "order"),
    ("/api/v2/pages/", "order=password", "order"),
    ("/api/v2/pages/", "fields=title(", "fields"),
    ("/api/v2/pages/", "fields=password", "fields"),
    ("/api/v2/pages/", "type=nope.Nope", "type"),
    ("/api/v2/pages/", "child_of=abc", "child_of"),
    ("/api/v2/pages/", "child_of=99999999999999999999999", "child_of"),
    ("/api/v2/pages/", "descendant_of=-1", "descendant_of"),
    ("/api/v2/pages/", "ancestor_of=abc", "ancestor_of"),
    ("/api/v2/pages/", "translation_of=abc", "translation_of"),
    ("/api/v2/pages/", "first_published_at=yesterday", "first_published_at"),
    (
        "/api/v2/pages/",
        "first_published_at=9999-12-31T23:59:59-23:59",
        "first_published_at",
    ),
    ("/api/v2/pages/", "first_published_at=0001-01-01T00:00:00", "first_published_at"),
    ("/api/v2/pages/", "id=abc", "id"),
    ("/api/v2/pages/", "show_in_menus=maybe", "show_in_menus"),
    ("/api/v2/pages/", "slug=a%00", "slug"),
    ("/api/v2/pages/", "rich_text_format=nope", "rich_text_format"),
    ("/api/v2/pages/", "sneaky=1", "sneaky"),
    ("/api/v2/pages/find/", "id=abc", "id"),
    ("/api/v2/pages/find/", "html_path=%00", "html_path"),
    ("/api/v2/images/", "width=abc", "width"),
    ("/api/v2/images/", "offset=99999999999999999999", "offset"),
    ("/api/v2/documents/", "search=x&search_operator=nand", "search_operator"),
    ("/api/v2/documents/", "title=a%00", "title"),
]


@pytest.mark.parametrize(("path", "query", "name"), V2_BAD)
def test_wagtail_v2_parameters_are_named_400s(client, path, query, name):
    assert_problem(fetch(client, f"{path}?{query}"), name)


@pytest.mark.parametrize("path", ["/api/v2/pages/", "/api/v2/images/"])
def test_wagtail_v2_huge_valid_offset_is_an_empty_page(client, path):
    response = fetch(client, path, {"offset": "9" * 18})
    assert response.status_code == 200
    assert json.loads(response.content)["items"] == []


TOO_MANY = "&".join(f"f{index}=1" for index in range(10_001))
FIELD_LIMITED = [
    *API_LISTS,
    "/api/v1/events/1/",
    "/api/v1/cities/",
    "/api/v1/docs/",
    "/api/v2/pages/",
    "/api/v2/images/",
    "/api/v2/documents/",
    "/api/v2/pages/find/",
    *FEEDS,
    *EMBEDS,
    *PAGES[1:],
]


@pytest.mark.parametrize("path", FIELD_LIMITED)
def test_more_query_parameters_than_django_accepts_is_a_400(client, path, settings):
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS < 10_001
    response = client.get(f"{path}?{TOO_MANY}")
    assert response.status_code == 400, (path, response.status_code)
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/admin/login/", "/presse/", "/api/v1/events/"])
def test_more_form_fields_than_django_accepts_is_never_a_server_error(client, path):
    response = client.post(
        path, TOO_MANY, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500, (path, response.status_code)
    if path == "/admin/login/":
        assert response.status_code == 400


def _routes() -> list[str]:
    paths = {surface.path.split("?")[0] for surface in all_surfaces()}
    return sorted(
        paths
        | {
            "/api/v1/",
            "/api/v1/events/1/",
            "/api/v1/schema/",
            "/api/v1/docs/",
            "/api/v1/docs/?script=",
            "/api/v2/pages/1/",
            "/api/v2/pages/find/?html_path=/",
            "/api/v3/nothing/",
            "/embed/hub-embed.js",
            "/admin/login/",
            "/robots.txt",
        }
    )


METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOO"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", _routes())
def test_every_method_on_every_route(client, path, method):
    response = client.generic(method, path)
    assert response.status_code < 500, (method, path, response.status_code)
    if path.startswith("/api/") and response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json", (method, path)


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    "path",
    [
        "/presse",
        "/veranstaltungen",
        "/admin/login",
        "/embed/events",
        "/api/v1/events",
        "/api/v2/pages",
        "/api/v1/docs",
    ],
)
def test_missing_trailing_slash_under_dev_settings(client, settings, path, method):
    """`make run` has DEBUG on, where Django's slash redirect of a POST is a 500."""
    settings.DEBUG = True
    response = client.generic(method, path)
    assert response.status_code < 500, (method, path, response.status_code)
    if method in ("GET", "HEAD") and not path.startswith("/api/"):
        assert response.status_code == 301 and response["Location"] == path + "/"


# Generated input: alphabets with the full-text syntax characters, NUL, whitespace and
# non-ASCII, the calendar's ends, huge numbers, parameters given twice.
SYNTAX_ALPHABET = st.sampled_from(
    [*"\"'&|!<->:*-+()^~\\%_.,;/ \t", "\x00", "ä", "ß", "😀", "a", "Z", "1", "\u0308"]
)
BOUNDARY_DATES = [
    "0001-01-01",
    "0001-01-02",
    "9999-12-30",
    "9999-12-31",
    "2020-02-29",
    "2021-02-29",
]
BOUNDARY_DATETIMES = [
    f"{day}T{time}{zone}"
    for day in ("0001-01-01", "9999-12-31")
    for time in ("00:00:00", "23:59:59")
    for zone in ("", "Z", "+14:00", "-14:00", "+23:59", "-23:59")
]
VALUES = st.one_of(
    st.text(SYNTAX_ALPHABET, max_size=24),
    st.sampled_from(BOUNDARY_DATES + BOUNDARY_DATETIMES),
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["true", "false", "-start", "title", "random", "*", "root"]),
)


def _v1_routes() -> list[tuple[str, list[str]]]:
    routes = []
    for section in (*sections.SECTIONS, sections.ALL_ITEMS):
        names = sorted(
            ContentQuery.allowed_parameters(section.name, event_filters=True)
        )
        routes.append((f"/api/v1/{section.name}/", names))
        for format_ in section.feed_formats:
            routes.append((f"/feeds/{section.feed_path_name}.{format_}", names))
        if section in sections.SECTIONS:
            routes.append((f"/embed/{section.name}/", names + sorted(EMBED_PARAMETERS)))
            routes.append((section.path, names))
    return routes


def _v2_routes() -> list[tuple[str, list[str]]]:
    fields = ["id", "slug", "title", "first_published_at", "show_in_menus", "width"]
    return [
        (f"/api/v2/{name}/", sorted(viewset.known_query_parameters) + fields)
        for name, viewset in [
            ("pages", VisiblePagesAPIViewSet),
            ("images", PublicImagesAPIViewSet),
            ("documents", PublicDocumentsAPIViewSet),
        ]
    ] + [("/api/v2/pages/find/", ["id", "html_path", "fields"])]


LIST_ROUTES = _v1_routes() + _v2_routes()


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_generated_input_on_every_list_route_never_gets_a_server_error(client, data):
    """On the database the tests run on (SQLite here, PostgreSQL in CI)."""
    path, names = data.draw(st.sampled_from(LIST_ROUTES))
    pairs = data.draw(
        st.lists(st.tuples(st.sampled_from([*names, "x"]), VALUES), max_size=5)
    )
    response = client.get(f"{path}?{urlencode(pairs)}")
    assert response.status_code < 500, (path, pairs)
    if path.startswith("/api/") and response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json", (path, pairs)
