"""`modified_at` moves when anything shown with an item changes, and only then, and what
a partner already holds is retired at once (issue 13, item 2)."""

import datetime as dt

from django.utils import timezone

import pytest

from pages.models import EventIndexPage, EventPage, PressReleasePage

pytestmark = pytest.mark.django_db


def modified_at(client, section: str, pk: int) -> dt.datetime:
    response = client.get(f"/api/v1/{section}/{pk}/")
    assert response.status_code == 200, response.content[:300]
    return dt.datetime.fromisoformat(response.json()["modified_at"])


def an_hour_ago(*pages) -> None:
    """Back-date the items' last change, so a new one shows as later."""
    from pages.changes import touch

    touch([page.pk for page in pages], when=timezone.now() - dt.timedelta(hours=1))


def test_a_venue_edit_moves_the_events_at_that_venue_only(
    client, django_capture_on_commit_callbacks
):
    at_venue = EventPage.objects.visible().exclude(venue=None).first()
    elsewhere = EventPage.objects.visible().exclude(venue=at_venue.venue).first()
    an_hour_ago(*EventPage.objects.all())
    before = modified_at(client, "events", elsewhere.pk)
    venue = at_venue.venue
    venue.street = "Neue Straße 7"
    with django_capture_on_commit_callbacks(execute=True):
        venue.save()
    assert modified_at(client, "events", at_venue.pk) > timezone.now() - dt.timedelta(
        minutes=1
    )
    assert modified_at(client, "events", elsewhere.pk) == before
    listed = client.get("/api/v1/events/?limit=100&updated_since=" + _since(10))
    same_venue = EventPage.objects.visible().filter(venue=venue)
    assert {item["id"] for item in listed.json()["results"]} == {
        page.pk for page in same_venue
    }


def _since(minutes: int) -> str:
    moment = timezone.now() - dt.timedelta(minutes=minutes)
    return moment.isoformat().replace("+", "%2B")


def test_a_new_slug_of_the_index_moves_every_event_and_its_url_at_once(
    client, django_capture_on_commit_callbacks
):
    events = list(EventPage.objects.visible())
    an_hour_ago(*events)
    stored = client.get("/api/v1/events/?limit=100")
    assert "/veranstaltungen/" in stored.content.decode()
    index = EventIndexPage.objects.get(locale__language_code="de")
    index.slug = "termine"
    with django_capture_on_commit_callbacks(execute=True):
        index.save_revision().publish()
    after = client.get("/api/v1/events/?limit=100").json()["results"]
    assert after and all("/termine/" in item["url"] for item in after)
    recent = timezone.now() - dt.timedelta(minutes=1)
    assert all(dt.datetime.fromisoformat(i["modified_at"]) > recent for i in after)


def test_an_item_linking_to_a_page_that_goes_changes_too(
    client, django_capture_on_commit_callbacks
):
    target = EventPage.objects.visible().first()
    linking = PressReleasePage.objects.visible().first()
    linking.body = [
        (
            "paragraph",
            f'<p>Siehe <a linktype="page" id="{target.pk}">die Veranstaltung</a>.</p>',
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        linking.save_revision().publish()
    an_hour_ago(linking)
    detail = client.get(f"/api/v1/press/{linking.pk}/")
    assert target.url_path.rstrip("/").split("/")[-1] in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        target.unpublish()
    after = client.get(
        f"/api/v1/press/{linking.pk}/", headers={"If-None-Match": detail["ETag"]}
    )
    assert after.status_code == 200  # the link is gone from the body
    changed = dt.datetime.fromisoformat(after.json()["modified_at"])
    assert changed > timezone.now() - dt.timedelta(minutes=1)


def test_a_script_that_unpublishes_by_saving_hides_the_item_at_once(
    client, django_capture_on_commit_callbacks
):
    event = EventPage.objects.visible().first()
    stored = client.get("/api/v1/events/?limit=100")
    assert event.title in stored.content.decode()
    event.live = False
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    listed = client.get("/api/v1/events/?limit=100")
    assert event.pk not in [item["id"] for item in listed.json()["results"]]
    assert client.get("/feeds/events.rss").content.decode().count(event.title) == 0
