"""`/api/v1/changes/` as a partner's mirror uses it: a full copy first, then only what
changed — every way an item can change or leave public view — with filters and cursors."""

import base64
import datetime as dt
import json

from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

import pytest

from pages import sync
from pages.models import ChangeLogEntry, EventPage
from pages.snippets import City
from tests.factories import (
    EventPageFactory,
    PressReleasePageFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes/"


@pytest.fixture
def changes(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (what reacts to it runs then)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def get(client, url, status=200):
    response = client.get(url.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == status, response.content[:400]
    return response.json()


def walk(client, url):
    """Follow `next` to the end: (items, deleted, the cursor to store, requests made)."""
    items, deleted, requests = [], [], 0
    body = {"next": url}
    while body["next"]:
        body = get(client, body["next"])
        requests += 1
        items += body["items"]
        deleted += body["deleted"]
    return items, deleted, body["cursor"], requests


def since(client, cursor, **params):
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return walk(client, f"{FEED}?cursor={cursor}" + (f"&{query}" if query else ""))


def visible_ids(client, query=""):
    body = get(client, f"/api/v1/items/?limit=100{query}")
    assert body["count"] <= 100
    return sorted(item["id"] for item in body["results"])


def head_cursor(client, query=""):
    *_, cursor, _ = walk(client, f"{FEED}?limit=100{query}")
    return cursor


# --- The initial copy -------------------------------------------------------------------


def test_the_initial_walk_returns_every_visible_item_once_in_its_list_shape(client):
    items, deleted, cursor, requests = walk(client, f"{FEED}?limit=4")
    ids = [item["id"] for item in items]
    assert sorted(ids) == visible_ids(client)
    assert len(ids) == len(set(ids))
    assert deleted == []
    assert requests == -(-len(ids) // 4) + (len(ids) % 4 == 0)
    event = next(item for item in items if item["type"] == "event")
    # The section's list representation, as on /api/v1/events/.
    listed = get(client, "/api/v1/events/?limit=100")["results"]
    assert event == next(e for e in listed if e["id"] == event["id"])
    # Nothing changed since: empty, and the same cursor again.
    assert since(client, cursor) == ([], [], cursor, 1)


def test_the_initial_walk_never_returns_hidden_items(client, demo):
    draft = EventPageFactory(parent=demo.events, live=False, title="Entwurf")
    private = EventPageFactory(parent=demo.events, private=True, title="Geschützt")
    expired = EventPageFactory(parent=demo.events, expired=True, title="Abgelaufen")
    items, *_ = walk(client, f"{FEED}?limit=100")
    ids = {item["id"] for item in items}
    assert not ids & {draft.pk, private.pk, expired.pk}


# --- What changed since -----------------------------------------------------------------


def test_publish_edit_unpublish_and_delete_arrive_in_order(client, demo, changes):
    cursor = head_cursor(client)
    with changes():
        event = EventPageFactory(
            parent=demo.events, title="Sprachcafé Gevelsberg", occurrences=1
        )
    items, deleted, cursor, _ = since(client, cursor)
    assert [(i["id"], i["title"]) for i in items] == [(event.pk, event.title)]
    assert items[0]["occurrences"], "the full list representation"
    assert deleted == []

    with changes():
        event.title = "Sprachcafé Gevelsberg (neuer Raum)"
        event.save_revision().publish()
    items, deleted, cursor, _ = since(client, cursor)
    assert [i["title"] for i in items] == ["Sprachcafé Gevelsberg (neuer Raum)"]

    with changes():
        event.unpublish()
    items, deleted, cursor, _ = since(client, cursor)
    assert items == []
    assert [(d["type"], d["id"]) for d in deleted] == [("event", event.pk)]
    assert dt.datetime.fromisoformat(deleted[0]["deleted_at"]) <= timezone.now()

    with changes():
        event.save_revision().publish()
    items, deleted, cursor, _ = since(client, cursor)
    assert [i["id"] for i in items] == [event.pk]

    with changes():
        Page.objects.get(pk=event.pk).delete()
    items, deleted, cursor, _ = since(client, cursor)
    assert (items, [(d["type"], d["id"]) for d in deleted]) == (
        [],
        [("event", event.pk)],
    )


def test_a_draft_save_changes_nothing(client, demo, changes, sent):
    with changes():
        event = EventPageFactory(parent=demo.events)
    cursor = head_cursor(client)
    sent.clear()
    with changes():
        event.title = "Nur im Entwurf"
        event.save_revision()
    assert since(client, cursor)[:2] == ([], [])
    assert sent == []


def test_a_venue_edit_updates_the_events_showing_it(client, demo, changes):
    venue = VenueFactory(street="Alte Straße 1")
    with changes():
        event = EventPageFactory(parent=demo.events, venue=venue)
        other = EventPageFactory(parent=demo.events)
    cursor = head_cursor(client)
    with changes():
        venue.street = "Neue Straße 2"
        venue.save()
    items, deleted, *_ = since(client, cursor)
    assert [i["id"] for i in items] == [event.pk]
    assert items[0]["venue"]["street"] == "Neue Straße 2"
    assert other.pk not in [i["id"] for i in items]


def test_a_restriction_on_an_ancestor_deletes_everything_below(client, demo, changes):
    with changes():
        event = EventPageFactory(parent=demo.events)
    before = {i for i in visible_ids(client, "") if EventPage.objects.filter(pk=i)}
    cursor = head_cursor(client)
    with changes():
        restriction = PageViewRestriction.objects.create(
            page=demo.events,
            restriction_type=PageViewRestriction.PASSWORD,
            password="x",
        )
    items, deleted, cursor, _ = since(client, cursor)
    assert items == []
    assert {d["id"] for d in deleted} == before
    assert event.pk in before

    with changes():
        restriction.delete()
    items, deleted, cursor, _ = since(client, cursor)
    assert {i["id"] for i in items} == before
    assert deleted == []


def test_a_move_out_of_the_site_is_a_deletion(client, demo, changes):
    with changes():
        press = PressReleasePageFactory(parent=demo.press)
        outside = Page.get_first_root_node().add_child(
            instance=Page(title="Archiv außerhalb", slug="archiv-aussen")
        )
    cursor = head_cursor(client)
    with changes():
        Page.objects.get(pk=press.pk).move(outside, pos="last-child")
    _, deleted, *_ = since(client, cursor)
    assert [(d["type"], d["id"]) for d in deleted] == [("press", press.pk)]


def test_expiry_is_a_deletion_before_wagtail_unpublishes(client, demo, changes, sent):
    with changes():
        press = PressReleasePageFactory(parent=demo.press)
    cursor = head_cursor(client)
    sent.clear()
    # The clock passes the expiry date; nothing was saved (the scheduler's pass runs).
    Page.objects.filter(pk=press.pk).update(
        expire_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with sync.scheduled_publishing():
        sync.reconcile()
    _, deleted, *_ = since(client, cursor)
    assert [d["id"] for d in deleted] == [press.pk]
    assert [(e.type, e.reason, e.id) for e in sent] == [
        ("item.deleted", "expiry", press.pk)
    ]


def test_scheduling_is_no_publication_until_the_go_live(client, demo, changes, sent):
    cursor = head_cursor(client)
    with changes():
        press = PressReleasePageFactory(parent=demo.press, scheduled=True)
    # Wagtail sends `page_published` when scheduling; nothing is public yet.
    assert since(client, cursor)[:2] == ([], [])
    assert sent == []
    revision = press.latest_revision
    moment = timezone.now() - dt.timedelta(seconds=1)
    revision.approved_go_live_at = moment
    revision.content["go_live_at"] = moment.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])

    from hub.scheduler import publish_scheduled

    # The worker publishes in autocommit mode: each change commits inside the pass.
    with sync.scheduled_publishing(), changes():
        publish_scheduled()
    items, *_ = since(client, cursor)
    assert [i["id"] for i in items] == [press.pk]
    assert [(e.type, e.reason) for e in sent] == [("item.published", "schedule")]


def test_each_change_is_announced_once_after_commit(client, demo, changes, sent):
    with changes():
        event = EventPageFactory(parent=demo.events)
    assert [(e.type, e.id, e.item_type) for e in sent] == [
        ("item.published", event.pk, "event")
    ]
    assert sent[0].api_url.endswith(f"/api/v1/events/{event.pk}/")
    # A second pass over the same state announces nothing.
    sync.reconcile()
    assert len(sent) == 1
    with changes():
        event.unpublish()
    assert [e.type for e in sent] == ["item.published", "item.deleted"]


# --- Filters ----------------------------------------------------------------------------


def test_filters_apply_to_items_and_deletions(client, demo, changes):
    witten, hattingen = (
        City.objects.get(slug="witten"),
        City.objects.get(slug="hattingen"),
    )
    with changes():
        event = EventPageFactory(parent=demo.events, city=witten)
        press = PressReleasePageFactory(parent=demo.press)
    in_witten = head_cursor(client, "&city=witten")
    in_hattingen = head_cursor(client, "&city=hattingen")
    events_only = head_cursor(client, "&type=event")
    with changes():
        event.city = hattingen
        event.save_revision().publish()
        press.title = "Neue Mitteilung"
        press.save_revision().publish()

    # Moved away from Witten: gone for a Witten mirror.
    items, deleted, *_ = since(client, in_witten, city="witten")
    assert items == []
    assert [d["id"] for d in deleted] == [event.pk]
    # Moved into Hattingen: new there.
    items, deleted, *_ = since(client, in_hattingen, city="hattingen")
    assert [i["id"] for i in items] == [event.pk]
    assert deleted == []
    # The press release is not an event.
    items, deleted, *_ = since(client, events_only, type="event")
    assert [i["id"] for i in items] == [event.pk]


def test_a_deletion_reaches_only_mirrors_that_had_the_item(client, demo, changes):
    schwelm = City.objects.get(slug="schwelm")
    with changes():
        event = EventPageFactory(parent=demo.events, city=schwelm)
    in_witten = head_cursor(client, "&city=witten")
    with changes():
        event.unpublish()
    assert since(client, in_witten, city="witten")[:2] == ([], [])


# --- Cursors ----------------------------------------------------------------------------


def _forge(payload: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "x",
        "%00",
        "eyJ2IjoxfQ",  # {"v":1}
        _forge({"v": 1, "s": -1, "f": "0"}),
        _forge({"v": 1, "s": "1", "f": "0"}),
        _forge({"v": 1, "s": 2**70, "f": "0"}),
        _forge({"v": 2, "s": 1, "f": "0"}),
        _forge([1, 2]),
        "A" * 5000,
        "🙂",
    ],
)
def test_a_cursor_that_is_not_ours_is_a_400_naming_it(client, cursor):
    response = client.get(FEED, {"cursor": cursor})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalid_params"]] == ["cursor"]


def test_a_cursor_is_bound_to_its_filters(client):
    cursor = head_cursor(client, "&city=witten")
    response = client.get(FEED, {"cursor": cursor, "city": "hattingen"})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "cursor"


@pytest.mark.parametrize(
    "query, name",
    [
        ("offset=3", "offset"),
        ("ordering=-published", "ordering"),
        ("type=veranstaltung", "type"),
        ("limit=101", "limit"),
        ("limit=0", "limit"),
        ("cursor=", "cursor"),
        ("cursor=a&cursor=b", "cursor"),
        ("city=Witten!", "city"),
    ],
)
def test_bad_parameters_are_400s_naming_them(client, query, name):
    response = client.get(f"{FEED}?{query}")
    assert response.status_code == 400
    assert name in [p["name"] for p in response.json()["invalid_params"]]


def test_a_cursor_older_than_the_kept_log_is_told_to_resync(client, demo, changes):
    old = head_cursor(client)
    with changes():
        EventPageFactory(parent=demo.events)
    ChangeLogEntry.objects.update(at=timezone.now() - dt.timedelta(days=31))
    assert sync.prune() > 0
    response = client.get(FEED, {"cursor": old})
    assert response.status_code == 410
    assert response["Content-Type"] == "application/problem+json"
    assert "without `cursor`" in response.json()["detail"]
    # Starting again works, and its cursor is current.
    cursor = head_cursor(client)
    assert since(client, cursor)[:2] == ([], [])


def test_a_cursor_from_the_future_is_told_to_resync(client):
    cursor = head_cursor(client)
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    payload["s"] += 1000
    response = client.get(FEED, {"cursor": _forge(payload).rstrip("=")})
    assert response.status_code == 410


def test_answers_are_never_stored_for_longer_than_a_revalidation(client):
    response = client.get(FEED)
    assert response["Cache-Control"] == "public, max-age=0"
    assert client.get(FEED, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_requests_for_n_changes_grow_with_n_not_with_all_items(client, demo, changes):
    cursor = head_cursor(client)
    with changes():
        for number in range(5):
            EventPageFactory(parent=demo.events, title=f"Neu {number}")
    items, _, _, requests = since(client, cursor, limit=2)
    assert len(items) == 5
    assert requests == 3


def test_a_document_made_private_updates_the_items_showing_it(client, demo, changes):
    from wagtail.models import CollectionViewRestriction

    from tests.factories import (
        CollectionFactory,
        DocumentFactory,
        EventAttachmentFactory,
    )

    with changes():
        event = EventPageFactory(parent=demo.events)
        folder = CollectionFactory(name="Anmeldungen")
        attachment = EventAttachmentFactory(
            page=event, document=DocumentFactory(collection=folder)
        )
        event.save_revision().publish()
    cursor = head_cursor(client)
    listed = get(client, f"/api/v1/events/{event.pk}/")
    assert [d["title"] for d in listed["documents"]] == [attachment.document.title]
    with changes():
        CollectionViewRestriction.objects.create(
            collection=attachment.document.collection,
            restriction_type=CollectionViewRestriction.LOGIN,
        )
    items, deleted, *_ = since(client, cursor)
    assert [i["id"] for i in items] == [event.pk]
    assert items[0]["documents"] == []
    assert deleted == []


def test_a_quiet_filtered_feed_keeps_up_with_the_log(client, demo, changes):
    """Changes of other types move a `type=newsletter` cursor on, so pruning them never
    makes it look too old."""
    quiet = head_cursor(client, "&type=newsletter")
    with changes():
        EventPageFactory(parent=demo.events)
    items, deleted, cursor, _ = since(client, quiet, type="newsletter")
    assert (items, deleted) == ([], [])
    assert cursor != quiet
    ChangeLogEntry.objects.update(at=timezone.now() - dt.timedelta(days=31))
    assert sync.prune() > 0
    assert since(client, cursor, type="newsletter")[:2] == ([], [])
