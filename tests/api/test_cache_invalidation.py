"""Cached responses never outlive a public change: the very next request reflects it."""

from wagtail.models import Page, PageViewRestriction

import pytest

from tests.factories import EventOccurrenceFactory, EventPageFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/events/?limit=100"
FILTERED = "/api/v1/events/?city=witten&status=confirmed&limit=100"
ITEMS = "/api/v1/items/?limit=100"


def titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [item["title"] for item in response.json()["results"]]


def warm(client, *urls: str) -> dict[str, bytes]:
    """Request each URL twice so the second answer provably came from the cache."""
    bodies = {}
    for url in urls:
        first, second = client.get(url), client.get(url)
        assert first.content == second.content
        bodies[url] = first.content
    return bodies


@pytest.fixture
def changes(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (signal handlers run on commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_cache_really_serves_stale_rows_without_a_signal(client, witten):
    """Guard for the tests below: without invalidation the cache would hand out old data."""
    warm(client, FILTERED)
    Page.objects.filter(pk=witten.pk).update(title="Ohne Signal geändert")
    assert "Ohne Signal geändert" not in titles(client, FILTERED)


def test_publish_appears_in_list_filtered_list_and_items(client, demo, witten, changes):
    warm(client, LIST, FILTERED, ITEMS)
    with changes():
        event = EventPageFactory(
            parent=demo.events,
            title="Neu in Witten",
            city=witten.city,
            status="confirmed",
        )
        EventOccurrenceFactory(page=event)
        event.save_revision().publish()
    for url in (LIST, FILTERED, ITEMS):
        assert "Neu in Witten" in titles(client, url), url


def test_republished_title_shows_in_detail_and_lists(client, witten, changes):
    detail = f"/api/v1/events/{witten.pk}/"
    warm(client, detail, FILTERED, ITEMS)
    with changes():
        witten.title = "Grundlagenschulung Witten (neu)"
        witten.save_revision().publish()
    assert client.get(detail).json()["title"] == "Grundlagenschulung Witten (neu)"
    assert "Grundlagenschulung Witten (neu)" in titles(client, FILTERED)
    assert "Grundlagenschulung Witten (neu)" in titles(client, ITEMS)


def test_unpublish_withdraws_everywhere(client, witten, changes):
    detail = f"/api/v1/events/{witten.pk}/"
    warm(client, detail, LIST, FILTERED, ITEMS)
    with changes():
        witten.unpublish()
    assert client.get(detail).status_code == 404
    for url in (LIST, FILTERED, ITEMS):
        assert witten.title not in titles(client, url), url


def test_delete_withdraws_everywhere(client, witten, changes):
    title = witten.title
    warm(client, LIST, FILTERED, ITEMS)
    with changes():
        witten.delete()
    for url in (LIST, FILTERED, ITEMS):
        assert title not in titles(client, url), url


def test_move_into_a_restricted_subtree_withdraws(client, demo, witten, changes):
    warm(client, LIST, FILTERED, ITEMS)
    archive = demo.home.add_child(instance=Page(title="Archiv", slug="archiv"))
    PageViewRestriction.objects.create(page=archive, restriction_type="login")
    with changes():
        witten.move(archive, pos="last-child")
    for url in (LIST, FILTERED, ITEMS):
        assert witten.title not in titles(client, url), url


def test_view_restriction_added_after_caching_withdraws(client, demo, witten, changes):
    detail = f"/api/v1/events/{witten.pk}/"
    warm(client, detail, LIST, FILTERED, ITEMS)
    with changes():
        PageViewRestriction.objects.create(
            page=demo.events, restriction_type="password", password="geheim"
        )
    assert client.get(detail).status_code == 404
    assert titles(client, LIST) == titles(client, FILTERED) == []
    assert witten.title not in titles(client, ITEMS)


def test_etag_changes_after_unpublish_of_another_item(client, trauma, changes):
    etag = client.get(LIST)["ETag"]
    with changes():
        trauma.unpublish()
    response = client.get(LIST, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
