"""Changes made with Wagtail's admin bulk actions and the collection privacy modal reach
every public surface on the very next request, stored answers included.

Some bulk actions write with `QuerySet.update()` and send no model signal (documents and
images added to another collection). Each test reads the surfaces first (so their
answers are stored), acts through the real admin view as an editor would, then reads
again: the new state shows, under a new ETag.
"""

import uuid
from collections.abc import Callable
from html import unescape
from urllib.parse import urlencode

from django.urls import reverse

from wagtail.models import Collection, CollectionViewRestriction

import pytest

from tests.factories import (
    CityFactory,
    CollectionFactory,
    DocumentFactory,
    EventPageFactory,
    ImageFactory,
    PrivateCollectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    """The demo editor (page, document and image permissions), logged in."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(get_user_model().objects.get(username="redaktion"))
    return client


@pytest.fixture
def administrator(client, django_user_model):
    """Collections' privacy is set by administrators."""
    user = django_user_model.objects.create_superuser(
        "verwaltung", "verwaltung@example.org", "geheim-123"
    )
    client.force_login(user)
    return client


def mark() -> str:
    return "bulk" + uuid.uuid4().hex[:10]


def surfaces(city: str, page_id: int) -> list[str]:
    """Lists filtered to one new city (so the item is on their first page), the API
    detail, every feed format, the embed."""
    query = f"?city={city}"
    return [
        f"/api/v1/events/{query}",
        f"/api/v1/items/{query}",
        f"/api/v1/events/{page_id}/",
        f"/feeds/events.rss{query}",
        f"/feeds/events.atom{query}",
        f"/feeds/events.json{query}",
        f"/feeds/events.ics{query}",
        f"/feeds/all.rss{query}",
        f"/embed/events/{query}",
    ]


def read(client, url: str) -> tuple[str, str]:
    """What a reader sees (entities unescaped) and the ETag."""
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    return unescape(response.content.decode()), response.get("ETag", "")


def anonymous_reads(client, urls: list[str]) -> dict[str, tuple[str, str]]:
    """Each URL read twice, so its answer is stored and answered from the store."""
    session = client.cookies.pop("sessionid", None)
    try:
        first = {url: read(client, url) for url in urls}
        for url, (_, etag) in first.items():
            if etag:
                again = client.get(url, headers={"If-None-Match": etag})
                assert again.status_code == 304, url
        return first
    finally:
        if session is not None:
            client.cookies["sessionid"] = session


def after(client, urls: list[str]) -> dict[str, tuple[str, str]]:
    session = client.cookies.pop("sessionid", None)
    try:
        return {url: read(client, url) for url in urls}
    finally:
        if session is not None:
            client.cookies["sessionid"] = session


def bulk(client, capture, model: str, action: str, ids: list[int], **data) -> None:
    """POST the confirmation form of a Wagtail bulk action, as the admin UI does."""
    url = reverse("wagtail_bulk_action", args=(*model.split("."), action))
    query = urlencode([("id", pk) for pk in ids] + [("next", "/admin/")])
    with capture(execute=True):
        response = client.post(f"{url}?{query}", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def assert_gone(before, now, marker: str) -> None:
    for url, (body, etag) in before.items():
        if marker not in body:
            continue
        new_body, new_etag = now[url]
        assert marker not in new_body, url
        assert new_etag != etag or not etag, url  # Wagtail's API v2 sends no ETag


def assert_shown(before, now, marker: str, urls: list[str]) -> None:
    for url in urls:
        assert marker not in before[url][0], url
        new_body, new_etag = now[url]
        assert marker in new_body, url
        assert new_etag != before[url][1] or not new_etag, url


# --- documents and images moved between collections (QuerySet.update) -----------------


def event_with(city, **kwargs):
    return EventPageFactory(city=city, occurrences=1, **kwargs)


def test_document_moved_into_a_private_collection_leaves_every_surface(
    editor, django_capture_on_commit_callbacks
):
    city = CityFactory()
    name = mark()
    document = DocumentFactory(title=f"Programmheft {name}")
    page = event_with(city, attachments=[{"document": document}])
    urls = surfaces(city.slug, page.pk)
    before = anonymous_reads(editor, urls)
    shown = [url for url, (body, _) in before.items() if name in body]
    assert f"/api/v1/events/?city={city.slug}" in shown
    assert f"/feeds/events.rss?city={city.slug}" in shown

    private = PrivateCollectionFactory()
    bulk(
        editor,
        django_capture_on_commit_callbacks,
        "wagtaildocs.document",
        "add_to_collection",
        [document.pk],
        collection=private.pk,
    )

    document.refresh_from_db()
    assert document.collection == private
    assert_gone(before, after(editor, urls), name)


def test_document_moved_out_of_a_private_collection_appears(
    editor, django_capture_on_commit_callbacks
):
    city = CityFactory()
    name = mark()
    document = DocumentFactory(title=f"Dokumentation {name}", private=True)
    page = event_with(city, attachments=[{"document": document}])
    urls = surfaces(city.slug, page.pk)
    before = anonymous_reads(editor, urls)

    bulk(
        editor,
        django_capture_on_commit_callbacks,
        "wagtaildocs.document",
        "add_to_collection",
        [document.pk],
        collection=CollectionFactory().pk,
    )

    assert_shown(
        before,
        after(editor, urls),
        name,
        [f"/api/v1/events/?city={city.slug}", f"/feeds/events.rss?city={city.slug}"],
    )


def test_image_moved_into_a_private_collection_leaves_every_surface(
    editor, django_capture_on_commit_callbacks
):
    city = CityFactory()
    name = mark()
    image = ImageFactory(title=f"Plakat {name}")
    page = event_with(city, image=image)
    urls = [*surfaces(city.slug, page.pk), "/api/v2/images/?order=-id"]
    before = anonymous_reads(editor, urls)
    assert name in before[f"/api/v1/events/?city={city.slug}"][0]
    assert name in before["/api/v2/images/?order=-id"][0]

    bulk(
        editor,
        django_capture_on_commit_callbacks,
        "wagtailimages.image",
        "add_to_collection",
        [image.pk],
        collection=PrivateCollectionFactory().pk,
    )

    assert_gone(before, after(editor, urls), name)


def test_bulk_deleted_document_leaves_every_surface(
    editor, django_capture_on_commit_callbacks, django_user_model
):
    city = CityFactory()
    name = mark()
    document = DocumentFactory(title=f"Flyer {name}")
    page = event_with(city)
    # Attachments protect their document from deletion; a body block does not.
    page.body = [{"type": "document", "value": {"document": document.pk, "title": ""}}]
    page.save_revision().publish()
    urls = [*surfaces(city.slug, page.pk), "/api/v2/documents/?order=-id"]
    before = anonymous_reads(editor, urls)
    assert name in before[f"/api/v1/events/{page.pk}/"][0]
    # Deleting documents needs the delete permission: an administrator's action.
    admin = django_user_model.objects.create_superuser("admin2", "a@example.org", "x")
    editor.force_login(admin)

    bulk(
        editor,
        django_capture_on_commit_callbacks,
        "wagtaildocs.document",
        "delete",
        [document.pk],
    )

    assert_gone(before, after(editor, urls), name)


# --- pages published, unpublished, deleted in bulk --------------------------------------


def test_bulk_unpublished_event_is_gone_at_once(
    editor, django_capture_on_commit_callbacks
):
    city = CityFactory()
    name = mark()
    page = event_with(city, title=f"Sprachcafé {name}")
    urls = surfaces(city.slug, page.pk)
    before = anonymous_reads(editor, urls)
    assert all(name in before[url][0] for url in urls), [
        url for url in urls if name not in before[url][0]
    ]

    bulk(
        editor,
        django_capture_on_commit_callbacks,
        "wagtailcore.page",
        "unpublish",
        [page.pk],
    )

    now = after(editor, urls)
    assert_gone(before, now, name)
    assert editor.get(f"/api/v1/events/{page.pk}/").status_code == 404


def test_bulk_published_event_appears_at_once(
    editor, django_capture_on_commit_callbacks
):
    city = CityFactory()
    name = mark()
    page = event_with(city, title=f"Elterncafé {name}", draft=True)
    lists = [f"/api/v1/events/?city={city.slug}", f"/feeds/events.ics?city={city.slug}"]
    before = anonymous_reads(editor, lists)

    bulk(
        editor,
        django_capture_on_commit_callbacks,
        "wagtailcore.page",
        "publish",
        [page.pk],
    )

    assert_shown(before, after(editor, lists), name, lists)


def test_bulk_deleted_event_is_gone_at_once(
    editor, django_capture_on_commit_callbacks, django_user_model
):
    city = CityFactory()
    name = mark()
    page = event_with(city, title=f"Workshop {name}")
    urls = surfaces(city.slug, page.pk)
    before = anonymous_reads(editor, urls)
    admin = django_user_model.objects.create_superuser("admin3", "b@example.org", "x")
    editor.force_login(admin)

    bulk(
        editor,
        django_capture_on_commit_callbacks,
        "wagtailcore.page",
        "delete",
        [page.pk],
    )

    assert_gone(before, after(editor, urls), name)


# --- collection privacy (the admin's privacy modal) -------------------------------------


def set_privacy(client, capture, collection: Collection, **data) -> None:
    url = reverse("wagtailadmin_collections:set_privacy", args=(collection.pk,))
    with capture(execute=True):
        response = client.post(url, data)
    assert response.status_code == 200
    assert '"step": "set_privacy_done"' in response.content.decode()


PRIVACY: dict[str, Callable[[], dict]] = {
    "login": lambda: {"restriction_type": "login"},
    "password": lambda: {"restriction_type": "password", "password": "geheim-456"},
}


@pytest.mark.parametrize("restriction", PRIVACY.values(), ids=PRIVACY.keys())
def test_collection_made_private_hides_its_documents_at_once(
    administrator, django_capture_on_commit_callbacks, restriction
):
    city = CityFactory()
    collection = CollectionFactory()
    child = collection.add_child(name=f"Unterordner {mark()}")
    name = mark()
    documents = [
        DocumentFactory(title=f"Protokoll {name}", collection=collection),
        DocumentFactory(title=f"Anhang {name}", collection=child),
    ]
    page = event_with(city, attachments=[{"document": d} for d in documents])
    urls = [*surfaces(city.slug, page.pk), "/api/v2/documents/?order=-id"]
    before = anonymous_reads(administrator, urls)
    assert name in before["/api/v2/documents/?order=-id"][0]

    set_privacy(
        administrator, django_capture_on_commit_callbacks, collection, **restriction()
    )
    assert CollectionViewRestriction.objects.filter(collection=collection).exists()
    hidden = after(administrator, urls)
    assert_gone(before, hidden, name)

    set_privacy(
        administrator,
        django_capture_on_commit_callbacks,
        collection,
        restriction_type="none",
    )
    shown = after(administrator, urls)
    for url in (f"/api/v1/events/?city={city.slug}", "/api/v2/documents/?order=-id"):
        assert name in shown[url][0], url
        assert shown[url][1] != hidden[url][1] or not shown[url][1], url
