from django.core.cache import cache
from django.test import RequestFactory

import pytest

from pages.caching import Fingerprint, bump_content_version, serve_cached
from pages.caching.store import request_key

pytestmark = pytest.mark.django_db


class Surface:
    """A fake public surface that counts how often it had to work."""

    def __init__(self):
        self.renders = 0
        self.fingerprints = 0

    def fingerprint(self):
        self.fingerprints += 1
        return Fingerprint(None, "state-1")

    def render(self):
        self.renders += 1
        return b"hello", "text/plain; charset=utf-8"

    def get(self, method="get", **headers):
        request = getattr(RequestFactory(), method)("/x/", headers=headers)
        return serve_cached(
            request,
            fingerprint=self.fingerprint,
            render=self.render,
        )


def test_second_request_is_served_from_cache():
    surface = Surface()
    first, second = surface.get(), surface.get()
    assert first.content == second.content == b"hello"
    assert first["ETag"] == second["ETag"]
    assert surface.renders == 1
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]


def test_response_cache_setting_off_renders_every_time_but_keeps_304(settings):
    settings.HUB_RESPONSE_CACHE = False
    surface = Surface()
    first, second = surface.get(), surface.get()
    assert first.content == second.content == b"hello"
    assert surface.renders == 2
    assert surface.get(if_none_match=first["ETag"]).status_code == 304
    assert surface.renders == 2


def test_matching_etag_gets_304_without_rendering():
    surface = Surface()
    etag = surface.get()["ETag"]
    bump_content_version()
    response = surface.get(if_none_match="W/" + etag)
    assert response.status_code == 200  # the version changed, so the old ETag is stale
    response = surface.get(if_none_match=response["ETag"])
    assert response.status_code == 304
    assert response.content == b""
    assert surface.renders == 2


def test_head_has_length_but_no_body():
    response = Surface().get("head")
    assert response.content == b""
    assert response["Content-Length"] == "5"


def test_revalidation_after_expiry_checks_the_data_once_and_renders_nothing():
    surface = Surface()
    etag = surface.get()["ETag"]
    cache.delete(request_key(RequestFactory().get("/x/")).key)  # the entry expired
    statuses = [surface.get(if_none_match=etag).status_code for _ in range(3)]
    assert statuses == [304, 304, 304]
    assert (surface.fingerprints, surface.renders) == (2, 1)
    assert surface.get().content == b"hello"
    assert surface.renders == 2
