"""Uploaded files reach the public only when their media are public.

Documents are downloaded through Wagtail's document view, which asks for the
collection's password or login (`WAGTAILDOCS_SERVE_METHOD = "serve_view"`); the files
under the media root are never served as they are, in any settings (`make run`'s
development server included), and neither are private images or their renditions.
"""

import importlib

from django.test import override_settings
from django.urls import clear_url_caches, resolve

import pytest

import hub.urls
from hub.media_files import public_media_file
from tests.factories import (
    ChildOfPrivateCollectionFactory,
    DocumentFactory,
    ImageFactory,
    PrivateCollectionFactory,
)

pytestmark = pytest.mark.django_db

SPEC = "max-165x165"
"""The admin's thumbnail: made for private images as soon as an editor lists them."""


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def private_collection(kind: str):
    if kind == "restricted":
        return PrivateCollectionFactory(restriction="password")
    return ChildOfPrivateCollectionFactory(parent__restriction="login")


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "redakteurin", "redaktion@example.org", "ein-langes-passwort-2026"
    )


def test_public_images_and_their_renditions_are_served(client):
    image = ImageFactory()
    for url in (image.file.url, image.get_rendition(SPEC).url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert body(response).startswith(b"\x89PNG"), url
        assert "Cookie" not in response.get("Vary", ""), url


@pytest.mark.parametrize("kind", ["restricted", "child-of-restricted"])
def test_private_images_and_their_renditions_are_not_served(client, kind):
    image = ImageFactory(collection=private_collection(kind))
    for url in (image.file.url, image.get_rendition(SPEC).url):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"PNG" not in body(response)


def test_editors_see_private_images_in_the_admin(client, editor):
    image = ImageFactory(collection=private_collection("restricted"))
    client.force_login(editor)

    assert client.get(image.get_rendition(SPEC).url).status_code == 200


@pytest.mark.parametrize("private", [False, True])
def test_stored_document_files_are_never_served_from_the_media_url(
    client, editor, private
):
    document = DocumentFactory(private=private)
    stored = document.file.url
    assert stored.startswith("/media/documents/")

    assert client.get(stored).status_code == 404
    client.force_login(editor)
    assert client.get(stored).status_code == 404


def test_documents_are_downloaded_through_wagtails_view_only_when_public(client):
    public = DocumentFactory()
    private = DocumentFactory(collection=private_collection("child-of-restricted"))

    response = client.get(public.url)
    assert response.status_code == 200
    assert body(response).startswith(b"%PDF")
    response = client.get(private.url)
    assert response.status_code in (302, 401, 403)
    assert not body(response).startswith(b"%PDF")


def test_no_way_around_the_check_through_the_path(client):
    document = DocumentFactory()
    image = ImageFactory()
    name = document.file.name
    for path in (
        f"/media/original_images/../{name}",
        f"/media/{image.file.name}/../../{name}",
        f"/media//{name}",
        f"/media/./{name}",
        "/media/",
        "/media/%00",
    ):
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert not body(response).startswith(b"%PDF"), path


@pytest.fixture
def dev_urls():
    """The URL configuration as `make run` (debug settings) builds it."""
    with override_settings(DEBUG=True):
        importlib.reload(hub.urls)
        clear_url_caches()
        yield
    importlib.reload(hub.urls)
    clear_url_caches()


def test_the_development_server_serves_media_through_the_same_check(dev_urls):
    for path in ("/media/documents/flyer.pdf", "/media/original_images/foto.png"):
        assert resolve(path).func is public_media_file


def test_development_server_does_not_serve_stored_documents(client, dev_urls):
    document = DocumentFactory(private=True)

    assert client.get(document.file.url).status_code == 404
