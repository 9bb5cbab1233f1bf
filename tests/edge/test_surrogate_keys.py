"""Every public answer names what it shows in the edge's key header; nothing that
differs per visitor carries keys or may be kept by a shared cache."""

import pytest

from pages import sections
from tests.factories import EventOccurrenceFactory, EventPageFactory

pytestmark = pytest.mark.django_db

EDGE = "pages.caching.edge.EdgeTagMiddleware"


@pytest.fixture
def edge(settings):
    """The hub behind Varnish: the middleware where production puts it."""
    settings.HUB_EDGE_BACKEND = "varnish"
    settings.HUB_EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]
    store = settings.MIDDLEWARE.index(
        "pages.caching.middleware.CachedResponseMiddleware"
    )
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:store],
        EDGE,
        *settings.MIDDLEWARE[store:],
    ]
    return settings


def keys(response, header="xkey", separator=" "):
    value = response.get(header)
    return set(value.split(separator)) if value else set()


@pytest.fixture
def event(demo):
    page = EventPageFactory(parent=demo.events, title="Sommerfest der Kulturen")
    EventOccurrenceFactory(page=page)
    page.save_revision().publish()
    return page


def test_lists_feeds_and_embeds_name_their_section(client, edge):
    for url in (
        "/api/v1/events/",
        "/api/v1/events/?city=witten&limit=5",
        "/feeds/events.rss",
        "/feeds/events.ics",
        "/embed/events/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert keys(response) == {"hub", "list-events"}, url


def test_lists_of_every_section_name_all(client, edge):
    for url in ("/api/v1/items/", "/feeds/all.atom", "/api/v2/pages/", "/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert keys(response) == {"hub", "list-all"}, url


def test_details_name_their_item(client, edge, event):
    for url in (f"/api/v1/events/{event.pk}/", f"/api/v2/pages/{event.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert keys(response) == {"hub", f"item-{event.pk}"}, url


def test_taxonomies_are_one_key(client, edge):
    for url in ("/api/v1/cities/", "/api/v1/target-groups/", "/api/v1/topics/"):
        assert keys(client.get(url)) == {"hub", "taxonomies"}, url


def test_public_pages_name_their_page_and_what_they_list(client, edge, event, demo):
    detail = client.get(event.url)
    assert detail.status_code == 200
    assert keys(detail) == {"hub", "pages", f"item-{event.pk}"}
    index = client.get(sections.EVENTS.path)
    assert keys(index) == {
        "hub",
        "pages",
        f"item-{demo.events.pk}",
        "list-events",
        "taxonomies",
    }
    assert keys(client.get("/")) == {"hub", "pages", f"item-{demo.home.pk}", "list-all"}


def test_public_pages_may_be_kept_by_the_edge_only(client, edge, event):
    for url in (event.url, f"/api/v2/pages/{event.pk}/", "/api/v2/pages/"):
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=300", url
    edge.HUB_EDGE_BACKEND = "none"
    assert "Cache-Control" not in client.get(event.url)


def test_api_and_feeds_keep_their_own_cache_control(client, edge):
    assert client.get("/api/v1/events/")["Cache-Control"] == "public, max-age=60"
    assert client.get("/feeds/events.rss")["Cache-Control"] == "public, max-age=300"


def test_revalidation_and_early_answers_carry_the_same_keys(client, edge):
    first = client.get("/api/v1/press/")
    again = client.get("/api/v1/press/")  # from the response store
    not_modified = client.get(
        "/api/v1/press/", headers={"If-None-Match": first["ETag"]}
    )
    assert not_modified.status_code == 304
    assert keys(first) == keys(again) == keys(not_modified) == {"hub", "list-press"}


def test_fastly_and_cloudflare_get_their_own_headers(client, edge):
    edge.HUB_EDGE_BACKEND = "fastly"
    response = client.get("/api/v1/events/")
    assert keys(response, "Surrogate-Key") == {"hub", "list-events"}
    assert "xkey" not in response and "Cache-Tag" not in response
    edge.HUB_EDGE_BACKEND = "cloudflare"
    response = client.get("/api/v1/events/")
    assert response["Cache-Tag"] in ("hub,list-events", "list-events,hub")
    assert "Surrogate-Key" not in response


def test_no_keys_without_an_edge(client, settings):
    settings.HUB_EDGE_BACKEND = "none"
    response = client.get("/api/v1/events/")
    for header in ("xkey", "Surrogate-Key", "Cache-Tag"):
        assert header not in response


@pytest.mark.parametrize("kind", ["password", "login"])
def test_restricted_pages_are_private_and_carry_no_keys(client, edge, demo, kind):
    page = EventPageFactory(parent=demo.events, private=kind, title="Nur intern")
    response = client.get(page.url)
    assert response.status_code in (200, 302)
    assert "Nur intern" not in response.content.decode()
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "xkey" not in response


def test_a_password_accepted_page_stays_private(client, edge, demo):
    page = EventPageFactory(parent=demo.events, private=True, title="Nur mit Passwort")
    restriction = page.get_view_restrictions().get()
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "geheim", "return_url": page.url},
    )
    response = client.get(page.url)
    assert "Nur mit Passwort" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "xkey" not in response


def test_admin_documents_and_signed_in_visitors_carry_no_keys(client, edge, event):
    assert "xkey" not in client.get("/admin/login/")
    assert "xkey" not in client.get("/documents/1/x.pdf")
    client.cookies["sessionid"] = "anything"
    assert "xkey" not in client.get("/api/v1/events/")
    assert "xkey" not in client.get(event.url)


def test_not_found_answers_are_never_kept(client, edge):
    response = client.get("/api/v1/events/999999/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    assert "xkey" not in response
    page = client.get("/veranstaltungen/gibt-es-nicht/")
    assert page.status_code == 404
    assert "public" not in page.get("Cache-Control", "")
