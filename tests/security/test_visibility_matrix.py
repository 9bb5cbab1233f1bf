"""Nothing hidden leaks: every hidden state crossed with every public surface.

The hidden world (tests/security/world.py) holds, per content type: a draft never
published, a published item with a newer unpublished draft (only its live revision may
show), password/login/group restrictions, a live item whose go-live lies ahead, a live
item whose expiry has passed before `publish_scheduled` ran, an item of another Wagtail
site, items below pages that are not live, and documents/images in a private collection
and its child, used in every body block and rich-text form of the visible items beside
rich-text links to every hidden page. Ancestor restrictions and changes after caching
are made inside single tests.
"""

import json

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site

import pytest

from .surfaces import SECTIONS, Surface, all_surfaces, detail_paths, require_routed
from .world import (
    ALL_HIDDEN_STATES,
    INDEXES,
    KINDS,
    MODELS,
    RESTRICTED_STATES,
    new_item,
    publish,
)

pytestmark = pytest.mark.django_db

SURFACES = all_surfaces()
LISTINGS = [s for s in SURFACES if s.shows]


def body_of(response) -> str:
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return content.decode("utf-8", errors="replace")


def get(client, surface: Surface, **headers):
    surface.require_built()
    response = client.get(surface.path, headers=headers)
    assert response.status_code == 200, (surface.path, response.status_code)
    return response


def total_count(data) -> int | None:
    """The collection's total as the API states it (`count`, or v2's `meta.total_count`)."""
    if isinstance(data, dict):
        if isinstance(data.get("count"), int):
            return data["count"]
        meta = data.get("meta")
        if isinstance(meta, dict) and isinstance(meta.get("total_count"), int):
            return meta["total_count"]
    return None


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.id)
def test_no_hidden_item_appears(client, world, surface):
    body = body_of(get(client, surface))
    assert world.leaks(body) == []
    for section in surface.shows:
        assert world.control_markers[section] in body, (
            f"{surface.path} does not show the visible {section} item"
        )
    if surface.search:
        assert not any(mark in body for mark in world.control_markers.values())


UNFILTERED_API_LISTS = [
    s
    for s in SURFACES
    if s.api and s.shows and s.path.split("?")[1:] in ([], ["limit=100"], ["order=-id"])
]


@pytest.mark.parametrize("surface", UNFILTERED_API_LISTS, ids=lambda s: s.id)
def test_counts_include_only_visible_items(client, world, surface):
    count = total_count(json.loads(get(client, surface).content))
    if surface.path.startswith("/api/v2/pages/"):
        expected = world.visible_pages + len(world.controls)
    else:
        expected = sum(world.visible_counts[kind] + 1 for kind in surface.shows)
    assert count == expected, (surface.path, count, expected)


def page_path(page: Page) -> str:
    """The page's path on the default site (whether or not it may be shown)."""
    root = Site.objects.get(is_default_site=True).root_page.url_path
    return "/" + page.url_path.removeprefix(root)


@pytest.mark.parametrize("state", ALL_HIDDEN_STATES)
@pytest.mark.parametrize("kind", KINDS)
def test_hidden_details_are_404_even_with_a_guessed_etag(client, world, kind, state):
    page = world.hidden[(kind, state)]
    for path in (f"/api/v1/{kind}/{page.pk}/", f"/api/v2/pages/{page.pk}/"):
        require_routed(path)
        for etag in (None, "*", '"0123456789abcdef0123456789abcdef"'):
            headers = {"If-None-Match": etag} if etag else {}
            response = client.get(path, headers=headers)
            assert response.status_code == 404, (path, etag, response.status_code)
            assert world.leaks(body_of(response)) == []


@pytest.mark.parametrize("state", ALL_HIDDEN_STATES)
@pytest.mark.parametrize("kind", KINDS)
def test_hidden_public_pages_show_nothing(client, world, kind, state):
    page = world.hidden[(kind, state)]
    if state == "othersite":
        response = client.get(f"/{page.slug}/", headers={"Host": "localhost"})
        assert response.status_code == 404
        path = f"/{INDEXES[kind].objects.get(locale__language_code='de').slug}/{page.slug}/"
    else:
        path = page_path(page)
    for etag in (None, "*"):
        headers = {"If-None-Match": etag} if etag else {}
        response = client.get(path, headers=headers)
        body = body_of(response)
        if state in RESTRICTED_STATES:
            # Wagtail's password or login form, never the content; the form may name
            # the requested URL (the visitor's own input) to return to.
            assert response.status_code in (200, 302, 401, 403)
            body = body.replace(f"{page.slug}/", "").replace(f"{page.slug}%2F", "")
        else:
            assert response.status_code == 404, (path, response.status_code)
        assert world.leaks(body) == []


def test_hidden_parents_show_nothing(client, world):
    for parent in world.hidden_parents:
        response = client.get(page_path(parent))
        assert response.status_code == 404, page_path(parent)
        assert world.leaks(body_of(response)) == []


@pytest.mark.parametrize("kind", KINDS)
def test_visible_detail_shows_only_the_live_revision(client, world, kind):
    """The live revision's body holds private media in every block and rich-text form
    and links to every hidden page: the item shows, none of those do."""
    control = world.controls[kind]
    for path in detail_paths(kind, control.pk, page_path(control)):
        require_routed(path)
        body = body_of(client.get(path))
        assert world.control_markers[kind] in body, path
        assert world.leaks(body) == [], path


def test_no_rendition_of_a_private_image_is_made_by_any_surface(client, world):
    ids = [image.pk for image in world.private_images]
    renditions = get_image_model().get_rendition_model().objects
    renditions.filter(image_id__in=ids).delete()
    paths = [s.path for s in SURFACES]
    for kind, control in world.controls.items():
        paths += detail_paths(kind, control.pk, page_path(control))
    for path in paths:
        client.get(path)
    assert not renditions.filter(image_id__in=ids).exists()


def test_private_documents_and_images_are_not_served(client, world):
    for document in world.private_documents:
        response = client.get(document.url)
        assert response.status_code in (302, 401, 403), document.url
        assert document.title not in body_of(response)
    for path in [f"/api/v2/documents/{d.pk}/" for d in world.private_documents] + [
        f"/api/v2/images/{i.pk}/" for i in world.private_images
    ]:
        require_routed(path)
        assert client.get(path).status_code == 404, path


def test_no_file_of_private_media_is_served_from_the_media_url(client, world):
    """Not the document's stored file, not the image, not a rendition the admin made."""
    files = [document.file.url for document in world.private_documents]
    for image in world.private_images:
        files += [image.file.url, image.get_rendition("max-165x165").url]
    for url in files:
        response = client.get(url)
        assert response.status_code == 404, url
        assert world.leaks(body_of(response)) == [], url


# --- redirects ---------------------------------------------------------------------------


@pytest.mark.parametrize("state", ALL_HIDDEN_STATES)
def test_redirects_never_lead_to_a_hidden_page(client, world, state):
    """Wagtail adds a redirect when a page moves or its slug changes; one that ends at a
    hidden page answers 404 and never names the page's address."""
    control = world.controls["press"]
    shown = Redirect.add_redirect(f"/alt-sichtbar-{state}", control)
    for kind in KINDS:
        page = world.hidden[(kind, state)]
        hidden = Redirect.add_redirect(f"/alt-{state}-{kind}", page)
        response = client.get(f"/alt-{state}-{kind}/")
        assert response.status_code == 404, (kind, state, response.get("Location"))
        assert page.slug not in body_of(response)
        hidden.delete()
    response = client.get(f"/alt-sichtbar-{state}/")
    assert response.status_code == 301
    assert response["Location"].endswith(page_path(control))
    shown.delete()


# --- restrictions on an ancestor --------------------------------------------------------


def restrict(page: Page, kind: str) -> None:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="geheim-123"
    )
    if kind == "groups":
        restriction.groups.add(Group.objects.get(name="Leckmarke Gruppe"))


RESTRICTIONS = ("password", "login", "groups")


@pytest.mark.parametrize(
    ("surface", "restriction"),
    # Every surface with one kind of restriction, the kinds rotating over the surfaces
    # (the rule treats them alike; each kind still meets every family of surfaces).
    [(s, RESTRICTIONS[n % 3]) for n, s in enumerate(LISTINGS)],
    ids=lambda v: v.id if isinstance(v, Surface) else v,
)
def test_a_restricted_ancestor_hides_its_whole_section(
    client, world, surface, restriction, django_capture_on_commit_callbacks
):
    surface.require_built()
    with django_capture_on_commit_callbacks(execute=True):
        for kind in surface.shows:
            restrict(INDEXES[kind].objects.get(locale__language_code="de"), restriction)
    body = body_of(client.get(surface.path))
    for kind in surface.shows:
        assert world.control_markers[kind] not in body, (surface.path, kind)
        for title in MODELS[kind].objects.live().values_list("title", flat=True)[:3]:
            assert json.dumps(title)[1:-1] not in body and title not in body


def test_a_restricted_home_page_hides_everything_from_the_sitemap(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        restrict(
            INDEXES["press"].objects.get(locale__language_code="de").get_parent(),
            "login",
        )
    body = body_of(client.get("/sitemap.xml"))
    assert "<url>" not in body


# --- caches ------------------------------------------------------------------------------


def cache_probe(kind: str, capture) -> Page:
    with capture(execute=True):
        page = new_item(
            kind,
            INDEXES[kind].objects.get(locale__language_code="de"),
            "Probe lmcacheprobex",
            "lmcacheprobex",
        )
        return publish(page)


def change_restrict(page, capture):
    with capture(execute=True):
        PageViewRestriction.objects.create(page=page, restriction_type="login")


def change_unpublish(page, capture):
    with capture(execute=True):
        page.unpublish()


def change_ancestor(page, capture):
    with capture(execute=True):
        restrict(page.get_parent(), "password")


def change_ancestor_unpublish(page, capture):
    """An editor unpublishes the section's index page (its items stay live)."""
    with capture(execute=True):
        page.get_parent().specific.unpublish()


def change_expire(page, capture):
    """An editor sets an expiry that has already passed and publishes."""
    with capture(execute=True):
        page.expire_at = timezone.now() - timezone.timedelta(minutes=1)
        page.save_revision().publish()


CHANGES = {
    "restriction": change_restrict,
    "unpublish": change_unpublish,
    "ancestor-restriction": change_ancestor,
    "ancestor-unpublish": change_ancestor_unpublish,
    "expiry": change_expire,
}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize(
    "surface",
    [s for s in LISTINGS if "?" not in s.path or s.path.endswith(("=100", "=-id"))],
    ids=lambda s: s.id,
)
def test_cached_content_is_gone_after_it_is_hidden(
    client, world, surface, change, django_capture_on_commit_callbacks
):
    kind = surface.shows[0]
    page = cache_probe(kind, django_capture_on_commit_callbacks)
    warm = get(client, surface)
    assert "lmcacheprobex" in body_of(warm), "the probe must show before it is hidden"
    etag = warm.get("ETag")
    CHANGES[change](page, django_capture_on_commit_callbacks)
    headers = {"If-None-Match": etag} if etag else {}
    response = client.get(surface.path, headers=headers)
    index_gone = change == "ancestor-unpublish" and surface.path == page_path(
        page.get_parent()
    )
    # A stale ETag must not get 304; an unpublished index page itself is gone.
    assert response.status_code == (404 if index_gone else 200)
    assert "lmcacheprobex" not in body_of(response)


def test_every_surface_is_built():
    for surface in SURFACES:
        surface.require_built()


def test_sections_cover_every_content_type():
    assert set(SECTIONS) == set(KINDS)
