"""Every hidden state, on every API surface: section list, items, detail, and API v2."""

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)

import pytest
import wagtail_factories

from pages.models import EventAttachment
from tests.factories import (
    EventOccurrenceFactory,
    EventPageFactory,
    PressReleasePageFactory,
)

pytestmark = pytest.mark.django_db


def ids(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    data = response.json()
    return {item["id"] for item in data.get("results", data.get("items", []))}


def shown_on(client, page) -> dict[str, bool]:
    """Where `page` appears; every surface must agree."""
    return {
        "list": page.pk in ids(client, "/api/v1/events/?limit=100"),
        "filtered": page.pk
        in ids(client, "/api/v1/events/?limit=100&status=confirmed"),
        "items": page.pk in ids(client, "/api/v1/items/?limit=100"),
        "detail": client.get(f"/api/v1/events/{page.pk}/").status_code == 200,
        "v2 list": page.pk in ids(client, "/api/v2/pages/?limit=100"),
        "v2 detail": client.get(f"/api/v2/pages/{page.pk}/").status_code == 200,
    }


def everywhere(value: bool) -> dict[str, bool]:
    return dict.fromkeys(
        ["list", "filtered", "items", "detail", "v2 list", "v2 detail"], value
    )


@pytest.fixture
def event(demo):
    page = EventPageFactory(
        parent=demo.events, title="Sichtbarkeitstest", status="confirmed"
    )
    EventOccurrenceFactory(page=page)
    page.save_revision().publish()
    return page


def test_published_event_is_shown_everywhere(client, event):
    assert shown_on(client, event) == everywhere(True)


def test_draft_never_published(client, demo):
    draft = EventPageFactory(parent=demo.events, live=False, status="confirmed")
    EventOccurrenceFactory(page=draft)
    draft.save_revision()
    assert shown_on(client, draft) == everywhere(False)


def test_unpublished_changes_show_the_live_revision_only(client, get_json, event):
    event.title = "Geheimer Entwurfstitel"
    event.save_revision()
    assert get_json(f"/api/v1/events/{event.pk}/")["title"] == "Sichtbarkeitstest"
    body = client.get("/api/v1/items/?limit=100").content.decode()
    assert "Geheimer Entwurfstitel" not in body
    assert (
        "Geheimer Entwurfstitel"
        not in client.get("/api/v1/events/?q=Geheimer").content.decode()
    )


@pytest.mark.parametrize("restriction", ["password", "login", "groups"])
@pytest.mark.parametrize("on", ["page", "ancestor"])
def test_view_restriction_on_page_or_ancestor(client, demo, event, restriction, on):
    restricted = event if on == "page" else demo.events
    view_restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=restriction, password="geheim"
    )
    if restriction == "groups":
        view_restriction.groups.add(Group.objects.create(name="Intern"))
    assert shown_on(client, event) == everywhere(False)


def test_future_go_live(client, event):
    Page.objects.filter(pk=event.pk).update(
        go_live_at=timezone.now() + dt.timedelta(days=1)
    )
    assert shown_on(client, event) == everywhere(False)


def test_past_expiry_before_the_scheduler_ran(client, event):
    Page.objects.filter(pk=event.pk).update(
        expire_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert event.__class__.objects.get(pk=event.pk).live  # publish_scheduled hasn't run
    assert shown_on(client, event) == everywhere(False)


def test_page_of_another_site(client):
    root = Page.get_first_root_node()
    other_home = root.add_child(instance=Page(title="Andere Seite", slug="andere"))
    Site.objects.create(hostname="andere.example", root_page=other_home)
    foreign = EventPageFactory(parent=other_home, status="confirmed")
    EventOccurrenceFactory(page=foreign)
    foreign.save_revision().publish()
    assert shown_on(client, foreign) == everywhere(False)


@pytest.fixture
def other_site():
    """A second site with one published event, and the site it is not (the default)."""
    root = Page.get_first_root_node()
    other_home = root.add_child(instance=Page(title="Andere Seite", slug="andere"))
    site = Site.objects.create(hostname="andere.example", root_page=other_home)
    foreign = EventPageFactory(parent=other_home, status="confirmed")
    EventOccurrenceFactory(page=foreign)
    foreign.save_revision().publish()
    return site, foreign


def test_switching_the_default_site(
    client, event, other_site, django_capture_on_commit_callbacks
):
    site, foreign = other_site
    assert shown_on(client, event) == everywhere(True)  # the default site is cached
    with django_capture_on_commit_callbacks(execute=True):
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
        site.is_default_site = True
        site.save()
    assert shown_on(client, foreign) == everywhere(True)
    assert shown_on(client, event) == everywhere(False)


def test_a_stale_default_site_hides_pages_rather_than_showing_another_site(
    client, event, other_site
):
    from django.core.cache import cache

    from pages.queries import DEFAULT_SITE_ROOT_KEY

    site, foreign = other_site
    # A process that missed a switch of the default site (per-process cache, no signal).
    cache.set(DEFAULT_SITE_ROOT_KEY, site.root_page.path)
    assert shown_on(client, foreign) == everywhere(False)


@pytest.fixture
def private_collections():
    root = Collection.get_first_root_node()
    private = root.add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type="login"
    )
    child = private.add_child(name="Intern/Unterordner")
    return private, child


@pytest.mark.parametrize("where", [0, 1], ids=["private collection", "its child"])
def test_private_documents_are_never_listed(
    client, get_json, witten, private_collections, where
):
    document = wagtail_factories.DocumentFactory(
        title="Interne Liste", collection=private_collections[where]
    )
    EventAttachment.objects.create(page=witten, document=document, role="other")
    public_count = len(get_json(f"/api/v1/events/{witten.pk}/")["documents"])
    titles = [d["title"] for d in get_json(f"/api/v1/events/{witten.pk}/")["documents"]]
    assert "Interne Liste" not in titles and public_count == 1
    listed = get_json("/api/v1/events/?city=witten&limit=100")["results"]
    assert "Interne Liste" not in str(listed)
    assert document.pk not in ids(client, "/api/v2/documents/?limit=100")
    assert client.get(f"/api/v2/documents/{document.pk}/").status_code == 404
    public = wagtail_factories.DocumentFactory(title="Öffentlich")
    assert public.pk in ids(client, "/api/v2/documents/?limit=100")


@pytest.mark.parametrize("where", [0, 1], ids=["private collection", "its child"])
def test_private_images_are_never_shown(
    client, get_json, witten, private_collections, where
):
    image = wagtail_factories.ImageFactory(collection=private_collections[where])
    witten.image = image
    witten.save_revision().publish()
    assert get_json(f"/api/v1/events/{witten.pk}/")["image"] is None
    [listed] = get_json("/api/v1/events/?city=witten&limit=1")["results"]
    assert listed["image"] is None
    assert image.pk not in ids(client, "/api/v2/images/?limit=100")
    assert client.get(f"/api/v2/images/{image.pk}/").status_code == 404


def test_private_media_in_the_body_is_left_out(get_json, demo, private_collections):
    secret = wagtail_factories.DocumentFactory(
        title="Interne Notiz", collection=private_collections[1]
    )
    public = wagtail_factories.DocumentFactory(title="Flyer")
    release = PressReleasePageFactory(
        parent=demo.press,
        body=[
            ("document", {"document": secret, "title": ""}),
            ("document", {"document": public, "title": ""}),
        ],
    )
    release.save_revision().publish()
    data = get_json(f"/api/v1/press/{release.pk}/")
    assert "Interne Notiz" not in data["body"] and "Flyer" in data["body"]
    assert [block["value"]["title"] for block in data["blocks"]] == ["Flyer"]


def test_a_page_saved_live_but_never_published_is_hidden_and_breaks_nothing(
    client, demo
):
    """A script's `add_child` makes a page `live` (Wagtail's default) without
    publishing it: no publication date, no revision. It is not public yet."""
    from pages.models import PressReleasePage

    page = demo.press.add_child(
        instance=PressReleasePage(
            title="Per Skript angelegt", slug="per-skript", date=dt.date(2026, 1, 5)
        )
    )
    assert page.live and page.first_published_at is None
    for url in ("/api/v1/press/?limit=100", "/api/v1/items/?limit=100"):
        assert page.pk not in ids(client, url)
    assert client.get(f"/api/v1/press/{page.pk}/").status_code == 404
    assert page.pk not in ids(client, "/api/v1/changes/?limit=100")
